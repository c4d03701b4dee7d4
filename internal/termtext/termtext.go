// Package termtext makes text that comes from outside the program (tenant exports, file
// names, errors quoting them) safe to print on a terminal.
package termtext

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Clean returns s with its escape sequences removed and every other control character (C0
// with newline and tab, DEL, C1) turned into a space, so that printing it can neither move
// the cursor nor set the window title or the clipboard (OSC 52). No byte of invalid UTF-8
// is left to act as an 8-bit control either.
func Clean(s string) string {
	if plain(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if control(r) {
			return ' '
		}
		return r
	}, ansi.Strip(s))
}

// plain reports whether s is valid UTF-8 without a control character: Clean leaves it as it
// is.
func plain(s string) bool {
	for _, r := range s {
		if control(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

func control(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

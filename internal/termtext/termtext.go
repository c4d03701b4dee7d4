// Package termtext makes text that comes from outside the program (tenant exports, file
// names, errors quoting them) safe to print on a terminal.
package termtext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/unicode/norm"
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

// Frame makes a whole frame of the TUI safe to hand to the terminal: the SGR sequences
// (colours, bold) that styles write are kept, every other escape sequence is dropped, and
// every other control character but the newline (C0, DEL, C1 such as U+009B, an 8-bit CSI)
// becomes a space. Frames without such characters are returned as they are.
func Frame(s string) string {
	if frameSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b {
			n := sequenceLen(s[i:])
			if n > 2 && s[i+1] == '[' && s[i+n-1] == 'm' {
				b.WriteString(s[i : i+n]) // SGR
			}
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != '\n' && control(r) {
			b.WriteByte(' ')
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// frameSafe reports whether every escape sequence of s is an SGR and s has no other control
// character but newlines. It is on the path of every frame drawn, so it decodes no rune: the
// UTF-8 is checked once, and then the only C1 characters that valid UTF-8 can hold are the
// two-byte ones starting 0xC2 0x80–0x9F.
func frameSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f, c == '\n':
		case c == 0x1b:
			n := sequenceLen(s[i:])
			if n <= 2 || s[i+1] != '[' || s[i+n-1] != 'm' {
				return false
			}
			i += n - 1
		case c == 0xc2:
			if i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] < 0xa0 {
				return false // a C1 control, such as U+009B (CSI)
			}
		case c < 0x80:
			return false // another C0 control, or DEL
		}
	}
	return true
}

// sequenceLen is the length of the escape sequence at the start of s (s[0] is ESC): a CSI up
// to its final byte, an OSC, DCS, SOS, PM or APC up to its terminator (BEL or ST), else ESC
// and the byte after it. An unterminated sequence runs to the end of s.
func sequenceLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	}
	return 2
}

// asciiWords spells out the letters and signs that have no base letter of their own.
var asciiWords = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "AE", 'ø': "o", 'Ø': "O", 'œ': "oe", 'Œ': "OE", 'ł': "l", 'Ł': "L",
	'đ': "d", 'Đ': "D", 'þ': "th", 'Þ': "TH", 'ı': "i", '…': "...", '“': "\"", '”': "\"", '„': "\"",
	'‘': "'", '’': "'", '–': "-", '—': "-", '×': "x", '•': "*", '€': "EUR", '©': "(c)", '®': "(R)",
	'™': "TM", '\u00a0': " ",
}

// Fold transliterates s to 7-bit ASCII for a terminal that shows nothing else (--ascii):
// accents go ("Österreich" → "Osterreich"), a few letters are spelled out ("ß" → "ss"),
// typographic punctuation gets its look-alike, anything else becomes "?". Escape sequences
// are kept as they are.
func Fold(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
			// a combining accent: dropped
		case asciiWords[r] != "":
			b.WriteString(asciiWords[r])
		default:
			b.WriteString(strings.Repeat("?", max(1, ansi.StringWidth(string(r)))))
		}
	}
	return b.String()
}

// FoldFrame is Fold for a frame already laid out: every character keeps its width (one
// cell becomes one ASCII character, "ß" an "s"; a wide one "??"), so nothing moves.
func FoldFrame(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		w := ansi.StringWidth(string(r))
		if w == 0 {
			continue // a combining mark
		}
		c := '?'
		if base := []rune(norm.NFD.String(string(r))); base[0] < 0x80 {
			c = base[0]
		} else if word := asciiWords[r]; word != "" {
			c = rune(word[0])
		}
		b.WriteString(strings.Repeat(string(c), w))
	}
	return b.String()
}

// isASCII reports whether s is all 7-bit.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

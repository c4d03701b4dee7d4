package logo

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Badge is the fallback for an organization without a logo: the initials of name (at most
// two, such as "LA" for "Larkspur Aviation") centred in a box drawn with 7-bit characters,
// cols cells wide and about half as many lines tall, so that it looks square and fills the
// space a logo rendered in cols×(cols/2) cells would. Articles and conjunctions ("The",
// "of", "and", "&") and trailing legal forms ("Inc.", "Ltd", "GmbH", …) are skipped unless
// nothing else is left. The result is plain text: lines of equal display width joined by
// "\n", no escape sequences. It is a single line of initials when cols is too narrow for a
// box, and "" when name has no letter or digit or cols cannot hold the initials.
func Badge(name string, cols int) string {
	ini := Initials(name)
	iw := ansi.StringWidth(ini)
	if ini == "" || cols < iw {
		return ""
	}
	if cols < iw+2 {
		return ini + strings.Repeat(" ", cols-iw)
	}
	rows := max(3, (cols+1)/2)
	inner := cols - 2
	edge := "+" + strings.Repeat("-", inner) + "+"
	blank := "|" + strings.Repeat(" ", inner) + "|"
	left := (inner - iw) / 2
	text := "|" + strings.Repeat(" ", left) + ini + strings.Repeat(" ", inner-iw-left) + "|"
	lines := make([]string, rows)
	for i := range lines {
		lines[i] = blank
	}
	lines[0], lines[rows-1] = edge, edge
	lines[1+(rows-3)/2] = text
	return strings.Join(lines, "\n")
}

// skipWords are words that do not give an initial, in lower case without dots.
var skipWords = map[string]bool{"the": true, "of": true, "and": true, "for": true, "&": true, "+": true}

// legalForms are company suffixes that do not give an initial at the end of a name, in lower
// case without dots and commas.
var legalForms = map[string]bool{
	"inc": true, "incorporated": true, "ltd": true, "limited": true, "llc": true, "llp": true,
	"lp": true, "plc": true, "corp": true, "corporation": true, "co": true, "gmbh": true,
	"ag": true, "kg": true, "se": true, "sa": true, "sas": true, "sarl": true, "srl": true,
	"spa": true, "bv": true, "nv": true, "ab": true, "as": true, "asa": true, "oy": true,
	"oyj": true, "pty": true, "kk": true, "sl": true,
}

// Initials returns up to two initials of an organization name, in upper case: the first
// letter or digit of its first and last significant words (see [Badge]). It returns "" when
// name has no letter or digit.
func Initials(name string) string {
	var words []string
	for _, w := range strings.Fields(name) {
		if initial(w) != "" {
			words = append(words, w)
		}
	}
	key := func(w string) string {
		return strings.ToLower(strings.NewReplacer(".", "", ",", "").Replace(w))
	}
	sig := words
	for len(sig) > 1 && legalForms[key(sig[len(sig)-1])] {
		sig = sig[:len(sig)-1]
	}
	var kept []string
	for _, w := range sig {
		if !skipWords[key(w)] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		kept = sig
	}
	switch len(kept) {
	case 0:
		return ""
	case 1:
		return initial(kept[0])
	default:
		return initial(kept[0]) + initial(kept[len(kept)-1])
	}
}

// initial is the first letter or digit of w in upper case, with the combining marks that
// follow it, or "" if w has none.
func initial(w string) string {
	for i, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		end := i + utf8.RuneLen(r)
		for _, m := range w[end:] {
			if !unicode.In(m, unicode.Mn, unicode.Me) {
				break
			}
			end += utf8.RuneLen(m)
		}
		return string(unicode.ToUpper(r)) + w[i+utf8.RuneLen(r):end]
	}
	return ""
}

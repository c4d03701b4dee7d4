package termtext

import (
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// TestClean: escape sequences go, other control characters become spaces, the text stays.
func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"Fabrikam Training Lab":                  "Fabrikam Training Lab",
		"Österreich 日本 🙂":                        "Österreich 日本 🙂",
		"a\x1b]0;pwned\x07b":                     "ab",
		"a\x1b]52;c;cHduZWQ=\x07b":               "ab",
		"a\x1b]52;c;cHduZWQ=\x1b\\b":             "ab",
		"a\x1b[2Jb\x1b[31mred\x1b[m":             "abred",
		"line\none\ttab\rcr\x00nul\x7fdel":       "line one tab cr nul del",
		"c1\u009b2J\u0085next":                   "c1 2J next",
		"lone escape at the end\x1b":             "lone escape at the end",
		"bell\x07":                               "bell ",
		"raw 8-bit CSI \x9b2J and bad \xff byte": "",
	} {
		got := Clean(in)
		for _, r := range got {
			if control(r) {
				t.Errorf("Clean(%q) = %q keeps the control character %U", in, got, r)
			}
		}
		if !utf8.ValidString(got) {
			t.Errorf("Clean(%q) = %q is not valid UTF-8", in, got)
		}
		if want != "" && got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCleanPlainIsFree: text without control characters is returned as it is, with no copy.
func TestCleanPlainIsFree(t *testing.T) {
	s := "Fabrikam Lab - User-driven Entra join"
	if n := testing.AllocsPerRun(100, func() { _ = Clean(s) }); n != 0 {
		t.Errorf("Clean of plain text allocates %.0f times", n)
	}
}

// TestFrame: a frame keeps its styles and newlines; a tenant's escape sequences and control
// characters inside it do not reach the terminal.
func TestFrame(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b[1;38;2;1;2;3mBold\x1b[m\nnext": "\x1b[1;38;2;1;2;3mBold\x1b[m\nnext",
		"a\x1b]0;pwned\x07b":                 "ab",
		"a\x1b]52;c;aGk=\x1b\\b":             "ab",
		"a\x1b[2Jb":                          "ab",
		"a\u009b2Jb":                         "a 2Jb",
		"tab\there\rcr":                      "tab here cr",
		"dangling\x1b[":                      "dangling",
		"Österreich\n日本":                     "Österreich\n日本",
	} {
		if got := Frame(in); got != want {
			t.Errorf("Frame(%q) = %q, want %q", in, got, want)
		}
	}
	s := "\x1b[38;2;1;2;3mStyled\x1b[m text\nline two"
	if n := testing.AllocsPerRun(100, func() { _ = Frame(s) }); n != 0 {
		t.Errorf("a safe frame is copied: %v allocations", n)
	}
}

// TestFold: --ascii output is 7-bit: accents go, some letters are spelled out, punctuation
// gets look-alikes; FoldFrame keeps every character's width.
func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"CaféDuPort":        "CafeDuPort",
		"Österreich – Wien": "Osterreich - Wien",
		"Straße…":           "Strasse...",
		"日本":                "????",
		"\x1b[1mÄ\x1b[m":    "\x1b[1mA\x1b[m",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"CaféDuPort │ ok", "Straße", "日本 ▄▀", "e\u0301"} {
		got := FoldFrame(in)
		if !isASCII(got) || ansi.StringWidth(got) != ansi.StringWidth(in) {
			t.Errorf("FoldFrame(%q) = %q: not 7-bit or not as wide", in, got)
		}
	}
}

package assets

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// artPageNames lists the pages that must have an illustration.
var artPageNames = []string{
	"language", "region", "keyboard", "keyboard2", "network",
	"updates", "eula", "signin", "restart",
}

const (
	artMaxWidth  = 30
	artMaxHeight = 9
)

func TestArtIllustrations(t *testing.T) {
	for _, name := range artPageNames {
		for _, ascii := range []bool{false, true} {
			variant := "unicode"
			if ascii {
				variant = "ascii"
			}
			t.Run(name+"/"+variant, func(t *testing.T) {
				s := Art(name, ascii)
				if strings.TrimSpace(s) == "" {
					t.Fatalf("Art(%q, %v) is empty", name, ascii)
				}
				if strings.HasSuffix(s, "\n") {
					t.Errorf("Art(%q, %v) ends with a newline", name, ascii)
				}
				if !utf8.ValidString(s) {
					t.Fatalf("Art(%q, %v) is not valid UTF-8", name, ascii)
				}
				lines := strings.Split(s, "\n")
				if len(lines) > artMaxHeight {
					t.Errorf("Art(%q, %v) has %d lines, want at most %d", name, ascii, len(lines), artMaxHeight)
				}
				for i, line := range lines {
					if w := ansi.StringWidth(line); w > artMaxWidth {
						t.Errorf("Art(%q, %v) line %d is %d wide, want at most %d: %q", name, ascii, i+1, w, artMaxWidth, line)
					}
					for _, r := range line {
						switch {
						case r == '\t' || r == '\r' || r < 0x20 || r == 0x7f:
							t.Errorf("Art(%q, %v) line %d has control character %U", name, ascii, i+1, r)
						case ascii && r > 0x7f:
							t.Errorf("Art(%q, %v) line %d has non-ASCII rune %q (%U)", name, ascii, i+1, r, r)
						case ansi.StringWidth(string(r)) != 1:
							t.Errorf("Art(%q, %v) line %d has rune %q (%U) of width %d, want 1", name, ascii, i+1, r, r, ansi.StringWidth(string(r)))
						}
					}
				}
			})
		}
	}
}

func TestArtVariantsDiffer(t *testing.T) {
	for _, name := range artPageNames {
		if u, a := Art(name, false), Art(name, true); u != "" && u == a {
			t.Errorf("Art(%q): Unicode and ASCII variants are identical", name)
		}
	}
}

func TestArtUnknown(t *testing.T) {
	for _, name := range []string{"nope", "", "keyboard.ascii", "../data", "art/keyboard"} {
		for _, ascii := range []bool{false, true} {
			if got := Art(name, ascii); got != "" {
				t.Errorf("Art(%q, %v) = %q, want \"\"", name, ascii, got)
			}
		}
	}
}

func TestArtFilesPaired(t *testing.T) {
	for key := range artTable() {
		if _, ok := artTable()[artKey{name: key.name, ascii: !key.ascii}]; !ok {
			t.Errorf("illustration %q has no %s counterpart", key.name, map[bool]string{true: "Unicode", false: "ASCII"}[key.ascii])
		}
	}
}

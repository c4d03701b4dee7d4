package logo

import (
	"bytes"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// FuzzDecode: any bytes decode to an image within the size limits or give one error line
// saying "logo: …"; a decoded image renders, in colour and in ASCII, to lines of one width
// that fit the cells asked for.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"square-logo.png", "square-logo-dark.png"} {
		data, err := os.ReadFile(filepath.Join("..", "assets", "tenant", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(12), uint8(6))
	}
	small := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	small.Set(1, 1, color.NRGBA{200, 10, 10, 128})
	f.Add(encodePNG(f, small), uint8(1), uint8(1))
	f.Add(encodePNG(f, image.NewGray16(image.Rect(0, 0, 1, 300))), uint8(3), uint8(0))
	f.Add([]byte("\x89PNG\r\n\x1a\n"), uint8(80), uint8(40))
	f.Fuzz(func(t *testing.T, data []byte, cols, rows uint8) {
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "logo: ") || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error not one line starting with \"logo: \": %q", err)
			}
			return
		}
		b := img.Bounds()
		if b.Dx() < 1 || b.Dy() < 1 || b.Dx() > MaxDimension || b.Dy() > MaxDimension {
			t.Fatalf("decoded a %dx%d image", b.Dx(), b.Dy())
		}
		c, r := int(cols%40)+1, int(rows%20)+1
		for _, opts := range []Options{{Profile: colorprofile.TrueColor}, {ASCII: true}} {
			out := Render(img, c, r, opts)
			lines := strings.Split(out, "\n")
			if len(lines) > r {
				t.Fatalf("%d lines for %d rows", len(lines), r)
			}
			w := ansi.StringWidth(lines[0])
			for _, l := range lines {
				if lw := ansi.StringWidth(l); lw != w || lw < 1 || lw > c {
					t.Fatalf("line %q is %d cells wide; first line %d, at most %d", l, lw, w, c)
				}
			}
		}
	})
}

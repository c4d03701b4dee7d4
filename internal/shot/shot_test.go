package shot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

var (
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	navy  = color.RGBA{0x00, 0x20, 0x50, 0xff}
)

// a small frame as the program writes one: SGR styles, a rounded card, the logo's bars.
const frame = "\x1b[38;2;255;0;0m╭──╮\x1b[m \x1b[1mHi\x1b[m\n" +
	"\x1b[48;2;0;128;0m│ok│\x1b[m ▂▄▆█\n" +
	"╰──╯ ✓ ⚿ ❯ 日"

func TestTextIsWhatTheTerminalShows(t *testing.T) {
	g, err := Parse(frame, 16, 4, white, navy)
	if err != nil {
		t.Fatal(err)
	}
	want := "╭──╮ Hi\n│ok│ ▂▄▆█\n╰──╯ ✓ ⚿ ❯ 日\n\n"
	if got := g.Text(); got != want {
		t.Fatalf("text:\n%q\nwant\n%q", got, want)
	}
	if c := g.At(5, 0); !c.Bold || c.FG != white {
		t.Errorf("the bold word is %+v", c)
	}
	if c := g.At(0, 0); c.FG != (color.RGBA{0xff, 0, 0, 0xff}) || c.BG != navy {
		t.Errorf("the red bold corner is %+v", c)
	}
	if c := g.At(1, 1); c.BG != (color.RGBA{0, 0x80, 0, 0xff}) || c.FG != white {
		t.Errorf("the green cell is %+v", c)
	}
	if c := g.At(11, 2); c.Width != 2 || g.At(12, 2).Width != 0 {
		t.Errorf("the wide character takes %d cells, the next %d", c.Width, g.At(12, 2).Width)
	}
	if !strings.Contains(g.ANSI(), "Hi") || !strings.Contains(g.ANSI(), "\x1b[") {
		t.Errorf("ANSI lost the text or the styles: %q", g.ANSI())
	}
}

func TestSVGDrawsRunsAndShapes(t *testing.T) {
	g, _ := Parse(frame, 16, 4, white, navy)
	svg := string(g.SVG())
	for _, want := range []string{
		`width="160" height="80"`,
		`<rect width="160" height="80" fill="#002050"/>`,             // the terminal's background
		`<rect x="0" y="20" width="40" height="20" fill="#008000"/>`, // one rect for the green run
		`font-weight="bold"`,
		`<path d="M5 20 Q5 10 10 10"`, // ╭ is a curve that meets the ─ next to it
		`>ok</text>`, `>Hi</text>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %s:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "╭") || strings.Contains(svg, "█") {
		t.Errorf("box-drawing and block characters are drawn as glyphs:\n%s", svg)
	}
}

// TestPNGHasInkWhereTheTextIs compares the picture with the text cell by cell: every cell
// that shows something has pixels of another colour than its background, every blank one
// has none.
func TestPNGHasInkWhereTheTextIs(t *testing.T) {
	g, _ := Parse(frame, 16, 4, white, navy)
	var buf bytes.Buffer
	if err := g.PNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 16*CellW || b.Dy() != 4*CellH {
		t.Fatalf("picture of %v", b)
	}
	checkInk(t, g, img)
}

// checkInk fails for every cell whose pixels disagree with its text.
func checkInk(t *testing.T, g *Grid, img image.Image) {
	t.Helper()
	bad := 0
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			c := g.At(x, y)
			if c.Width == 0 {
				continue
			}
			ink := 0
			for py := y * CellH; py < (y+1)*CellH; py++ {
				for px := x * CellW; px < (x+c.Width)*CellW; px++ {
					if color.RGBAModel.Convert(img.At(px, py)).(color.RGBA) != c.BG {
						ink++
					}
				}
			}
			if want := !blank(c); (ink > 0) != want && bad < 10 {
				bad++
				t.Errorf("cell %d,%d %q: %d pixels of ink", x, y, c.Text, ink)
			}
		}
	}
}

func TestParseRefusesAbsurdSizes(t *testing.T) {
	if _, err := Parse("x", 0, 10, white, navy); err == nil {
		t.Error("a screen of no columns was drawn")
	}
}

// BenchmarkPNG120x40 measures a picture of a full 120×40 screen, text on every cell.
func BenchmarkPNG120x40(b *testing.B) {
	var sb strings.Builder
	for y := 0; y < 40; y++ {
		sb.WriteString("\x1b[38;2;200;200;255m")
		for x := 0; x < 12; x++ {
			sb.WriteString("Autopilot─")
		}
		sb.WriteString("\x1b[m\n")
	}
	for b.Loop() {
		g, err := Parse(sb.String(), 120, 40, white, navy)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := g.PNG(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseAnswersNoQuery: a frame with terminal queries (not one the program draws: they go
// through termtext.Frame) is still parsed, its replies going nowhere.
func TestParseAnswersNoQuery(t *testing.T) {
	g, err := Parse("\x1b[?2026$p\x1b[6nok\x1b[c", 10, 2, white, navy)
	if err != nil || !strings.HasPrefix(g.Text(), "ok") {
		t.Fatalf("%v %q", err, g.Text())
	}
}

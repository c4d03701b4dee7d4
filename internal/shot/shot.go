// Package shot takes pictures of a frame the program draws: the frame (text with SGR styles
// only, as termtext.Frame leaves it) is played into a virtual terminal
// (github.com/charmbracelet/x/vt) and the cell grid it shows is written as plain text, as
// ANSI, as SVG and as PNG. Every format comes from the same grid, so a picture shows exactly
// the cells a terminal of that size shows.
package shot

import (
	"fmt"
	"image/color"
	"io"
	"strings"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/vt"
)

// Cell is one cell of the screen as a terminal shows it, with its colours resolved.
type Cell struct {
	// Text is what the cell shows ("" for the right half of a wide character, " " when blank).
	Text string
	// Width is 1, 2 for a wide character, 0 for the cell a wide character covers.
	Width int
	// FG and BG are the colours drawn, reverse video already applied.
	FG, BG color.RGBA
	// Bold, Italic and Underline are the text's attributes.
	Bold, Italic, Underline bool
}

// Grid is a screen of W×H cells.
type Grid struct {
	// W and H are the size in cells.
	W, H int
	// Cells holds the rows one after another.
	Cells []Cell
	// Background is the terminal's own background (cells the frame did not paint have it).
	Background color.RGBA
	ansi       string
}

// At returns the cell at column x, row y.
func (g *Grid) At(x, y int) Cell { return g.Cells[y*g.W+x] }

// Parse plays frame into a w×h terminal whose default colours are fg and bg (the colours
// the program sets for the terminal, or the terminal's own) and returns what it shows.
func Parse(frame string, w, h int, fg, bg color.Color) (*Grid, error) {
	if w <= 0 || h <= 0 || w > 1000 || h > 1000 {
		return nil, fmt.Errorf("shot: a screen of %dx%d cells", w, h)
	}
	em := vt.NewEmulator(w, h)
	// a frame with a terminal query would make the emulator write its reply and wait for a
	// reader: the replies are drained until the pipe is closed (not em.Close, which races
	// with a Read in vt v0.1.0)
	go func() { _, _ = io.Copy(io.Discard, em) }()
	defer func() {
		if pw, ok := em.InputPipe().(*io.PipeWriter); ok {
			_ = pw.Close()
		}
	}()
	// the frame's lines end with \n only, as Bubble Tea's renderer writes them to a raw
	// terminal after moving to the line's start itself
	if _, err := io.WriteString(em, strings.ReplaceAll(frame, "\n", "\r\n")); err != nil {
		return nil, fmt.Errorf("shot: %w", err)
	}
	dfg, dbg := rgba(fg), rgba(bg)
	g := &Grid{W: w, H: h, Cells: make([]Cell, w*h), Background: dbg, ansi: em.Render()}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := em.CellAt(x, y)
			cell := Cell{Text: " ", Width: 1, FG: dfg, BG: dbg}
			if c != nil {
				if c.Width == 0 && c.Content == "" {
					cell.Text, cell.Width = "", 0
				} else if c.Content != "" {
					cell.Text, cell.Width = c.Content, max(c.Width, 1)
				}
				st := c.Style
				if st.Fg != nil {
					cell.FG = rgba(st.Fg)
				}
				if st.Bg != nil {
					cell.BG = rgba(st.Bg)
				}
				if st.Attrs&uv.AttrReverse != 0 {
					cell.FG, cell.BG = cell.BG, cell.FG
				}
				if st.Attrs&uv.AttrFaint != 0 {
					cell.FG = mix(cell.FG, cell.BG)
				}
				cell.Bold = st.Attrs&uv.AttrBold != 0
				cell.Italic = st.Attrs&uv.AttrItalic != 0
				cell.Underline = st.Underline != uv.UnderlineNone
			}
			g.Cells[y*w+x] = cell
		}
	}
	return g, nil
}

// Text is the screen as plain text: one line a row, trailing blanks removed.
func (g *Grid) Text() string {
	var b strings.Builder
	for y := 0; y < g.H; y++ {
		var line strings.Builder
		for x := 0; x < g.W; x++ {
			line.WriteString(g.At(x, y).Text)
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// ANSI is the screen with its styles as SGR sequences, one line a row: cat it in a terminal
// of the same size to see the screen again.
func (g *Grid) ANSI() string {
	s := g.ansi
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

func rgba(c color.Color) color.RGBA {
	if c == nil {
		return color.RGBA{A: 0xff}
	}
	r, g, b, _ := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}
}

// mix is the colour halfway between a and b (faint text).
func mix(a, b color.RGBA) color.RGBA {
	return color.RGBA{uint8((int(a.R) + int(b.R)) / 2), uint8((int(a.G) + int(b.G)) / 2), uint8((int(a.B) + int(b.B)) / 2), 0xff}
}

// hex is c as #rrggbb.
func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

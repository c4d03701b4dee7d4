package shot

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The geometry of a cell in pictures, in pixels: a 16 px monospace font whose advance
// (DejaVu Sans Mono: 0.602 em) fits the 10 px cell.
const (
	// CellW and CellH are a cell's width and height.
	CellW, CellH = 10, 20
	fontSize     = 16
	baseline     = 15 // from the cell's top
)

// fontFamily names the bundled font first; a viewer without it falls back to its own
// monospace font, and every character still sits in its cell (each has its own x).
const fontFamily = `'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace`

// SVG is the screen as an SVG image of W×CellW by H×CellH pixels: a rectangle for each run of
// equal background, a <text> for each run of equal style with every character at its
// cell's x, and the box-drawing and block characters as shapes so that lines join.
func (g *Grid) SVG() []byte {
	var b bytes.Buffer
	pw, ph := g.W*CellW, g.H*CellH
	// spaces inside a run are kept (xml:space, white-space): each character has its own x
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s" font-size="%d" xml:space="preserve" style="white-space:pre" shape-rendering="crispEdges">`+"\n",
		pw, ph, pw, ph, fontFamily, fontSize)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="%s"/>`+"\n", pw, ph, hex(g.Background))
	// backgrounds: runs of equal colour on each row
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; {
			bg := g.At(x, y).BG
			n := 1
			for x+n < g.W && g.At(x+n, y).BG == bg {
				n++
			}
			if bg != g.Background {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", x*CellW, y*CellH, n*CellW, CellH, hex(bg))
			}
			x += n
		}
	}
	aspect := float64(CellH) / float64(CellW)
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; {
			c := g.At(x, y)
			r, _ := utf8.DecodeRuneInString(c.Text)
			if sh, ok := shapeOf(r, aspect); ok && c.Width == 1 {
				writeShapeSVG(&b, sh, x, y, c)
				x++
				continue
			}
			if blank(c) {
				x++
				continue
			}
			// a run: cells of this style that are text, up to a shape or a blank stretch
			var xs []string
			var text strings.Builder
			end := x
			for end < g.W {
				d := g.At(end, y)
				if d.Width == 0 {
					end++
					continue
				}
				if blank(d) {
					// a space between words stays in the run (the text reads whole); a
					// stretch of blanks ends it
					if g.blankAt(end+1, y) || end+1 < g.W && g.blankAt(end+2, y) {
						break
					}
					xs = append(xs, strconv.Itoa(end*CellW))
					text.WriteByte(' ')
					end++
					continue
				}
				dr, _ := utf8.DecodeRuneInString(d.Text)
				if _, shaped := shapeOf(dr, aspect); shaped || !sameText(c, d) || utf8.RuneCountInString(d.Text) != 1 && end > x {
					break
				}
				xs = append(xs, strconv.Itoa(end*CellW+(d.Width*CellW-glyphAdvance)/2))
				text.WriteString(html.EscapeString(d.Text))
				end++
				if utf8.RuneCountInString(d.Text) != 1 {
					break // a cluster of several code points ends its run: x applies per code point
				}
			}
			fmt.Fprintf(&b, `<text x="%s" y="%d" fill="%s"%s>%s</text>`+"\n", strings.Join(xs, " "), y*CellH+baseline, hex(c.FG), attrs(c), text.String())
			if c.Underline {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="1" fill="%s"/>`+"\n", x*CellW, y*CellH+baseline+2, (end-x)*CellW, hex(c.FG))
			}
			x = end
		}
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// glyphAdvance is the bundled font's advance at fontSize, rounded: glyphs are centred in
// their cell.
const glyphAdvance = 10

// blankAt reports whether the cell at x, y shows nothing (past the line's end too).
func (g *Grid) blankAt(x, y int) bool { return x >= g.W || blank(g.At(x, y)) }

func blank(c Cell) bool { return c.Width == 0 || strings.TrimSpace(c.Text) == "" && !c.Underline }

// sameText reports whether b continues a's text run.
func sameText(a, b Cell) bool {
	return a.FG == b.FG && a.Bold == b.Bold && a.Italic == b.Italic && a.Underline == b.Underline
}

func attrs(c Cell) string {
	s := ""
	if c.Bold {
		s += ` font-weight="bold"`
	}
	if c.Italic {
		s += ` font-style="italic"`
	}
	return s
}

func writeShapeSVG(b *bytes.Buffer, sh shape, x, y int, c Cell) {
	ox, oy := float64(x*CellW), float64(y*CellH)
	for _, r := range sh.rects {
		op := ""
		if r.alpha < 1 {
			op = fmt.Sprintf(` fill-opacity="%.2f"`, r.alpha)
		}
		// whole pixels, as the PNG draws them: the pieces of a line meet without a seam
		x0, y0 := math.Round(ox+r.x0*CellW), math.Round(oy+r.y0*CellH)
		w, h := max(1, math.Round(ox+r.x1*CellW)-x0), max(1, math.Round(oy+r.y1*CellH)-y0)
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/>`+"\n", num(x0), num(y0), num(w), num(h), hex(c.FG), op)
	}
	for _, k := range sh.curves {
		fmt.Fprintf(b, `<path d="M%s %s Q%s %s %s %s" fill="none" stroke="%s" stroke-width="%s" shape-rendering="geometricPrecision"/>`+"\n",
			num(ox+k.x0*CellW), num(oy+k.y0*CellH), num(ox+k.cx*CellW), num(oy+k.cy*CellH), num(ox+k.x1*CellW), num(oy+k.y1*CellH),
			hex(c.FG), num(k.w*CellW))
	}
}

// num writes a coordinate with at most two decimals.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

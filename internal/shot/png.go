package shot

import (
	_ "embed"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The bundled fonts (Bitstream Vera licence, fonts/LICENSE): DejaVu Sans Mono for the text,
// DejaVu Sans for the symbols the monospace font lacks (ℹ, the braille spinner).
var (
	//go:embed fonts/DejaVuSansMono.ttf
	monoTTF []byte
	//go:embed fonts/DejaVuSans.ttf
	sansTTF []byte
)

// faces are the parsed fonts with a cache of the glyph masks drawn so far; a mask is drawn
// once per character and reused for every cell that shows it.
type faces struct {
	mono, sans       *sfnt.Font
	monoFace, sansFc font.Face
	mu               sync.Mutex
	masks            map[rune]*image.Alpha
}

var (
	loadOnce sync.Once
	loaded   *faces
	loadErr  error
)

func loadFaces() (*faces, error) {
	loadOnce.Do(func() {
		f := &faces{masks: map[rune]*image.Alpha{}}
		if f.mono, loadErr = opentype.Parse(monoTTF); loadErr != nil {
			return
		}
		if f.sans, loadErr = opentype.Parse(sansTTF); loadErr != nil {
			return
		}
		opts := &opentype.FaceOptions{Size: fontSize, DPI: 72, Hinting: font.HintingFull}
		if f.monoFace, loadErr = opentype.NewFace(f.mono, opts); loadErr != nil {
			return
		}
		if f.sansFc, loadErr = opentype.NewFace(f.sans, opts); loadErr != nil {
			return
		}
		loaded = f
	})
	return loaded, loadErr
}

// mask is the glyph of r drawn white on a cell of width cells (the monospace font, else the
// fallback, else a box).
func (f *faces) mask(r rune, width int) *image.Alpha {
	f.mu.Lock()
	defer f.mu.Unlock()
	if m, ok := f.masks[r]; ok {
		return m
	}
	var buf sfnt.Buffer
	face := f.monoFace
	if i, _ := f.mono.GlyphIndex(&buf, r); i == 0 {
		face = nil
		if i, _ := f.sans.GlyphIndex(&buf, r); i != 0 {
			face = f.sansFc
		}
	}
	w := width * CellW
	m := image.NewAlpha(image.Rect(0, 0, w, CellH))
	if face == nil {
		// no bundled font has it: a box in its place, as terminals draw a missing glyph
		for x := 2; x < w-2; x++ {
			m.SetAlpha(x, 4, color.Alpha{0xff})
			m.SetAlpha(x, CellH-4, color.Alpha{0xff})
		}
		for y := 4; y <= CellH-4; y++ {
			m.SetAlpha(2, y, color.Alpha{0xff})
			m.SetAlpha(w-3, y, color.Alpha{0xff})
		}
	} else {
		adv, _ := face.GlyphAdvance(r)
		x := (fixed.I(w) - adv) / 2
		d := font.Drawer{Dst: m, Src: image.White, Face: face, Dot: fixed.Point26_6{X: x, Y: fixed.I(baseline)}}
		d.DrawString(string(r))
		// 16 levels of coverage: the edges of glyphs blend in few steps, so a screen's
		// colours fit a palette (see paletted) and the eye sees no difference
		for i, v := range m.Pix {
			m.Pix[i] = uint8((int(v) + 8) / 17 * 17)
		}
	}
	f.masks[r] = m
	return m
}

// Image is the screen rasterized: the same grid, cell geometry and shapes as the SVG.
func (g *Grid) Image() (*image.RGBA, error) {
	f, err := loadFaces()
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, g.W*CellW, g.H*CellH))
	draw.Draw(img, img.Bounds(), image.NewUniform(g.Background), image.Point{}, draw.Src)
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			c := g.At(x, y)
			if c.BG != g.Background {
				draw.Draw(img, cellRect(x, y, max(c.Width, 1)), image.NewUniform(c.BG), image.Point{}, draw.Src)
			}
		}
	}
	aspect := float64(CellH) / float64(CellW)
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			c := g.At(x, y)
			if c.Width == 0 {
				continue
			}
			fg := image.NewUniform(c.FG)
			r, _ := utf8.DecodeRuneInString(c.Text)
			if sh, ok := shapeOf(r, aspect); ok && c.Width == 1 {
				drawShape(img, sh, x, y, c.FG)
				continue
			}
			if c.Underline {
				draw.Draw(img, image.Rect(x*CellW, y*CellH+baseline+2, (x+c.Width)*CellW, y*CellH+baseline+3), fg, image.Point{}, draw.Over)
			}
			if blank(c) {
				continue
			}
			m := f.mask(r, c.Width)
			dst := cellRect(x, y, c.Width)
			draw.DrawMask(img, dst, fg, image.Point{}, m, image.Point{}, draw.Over)
			if c.Bold {
				// the bundled font has one weight: bold is the glyph drawn again a pixel on
				dst = dst.Add(image.Pt(1, 0)).Intersect(cellRect(x, y, c.Width))
				draw.DrawMask(img, dst, fg, image.Point{}, m, image.Point{}, draw.Over)
			}
		}
	}
	return img, nil
}

// PNG writes the screen as a PNG image (see Image).
func (g *Grid) PNG(w io.Writer) error {
	img, err := g.Image()
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if p := paletted(img); p != nil {
		return enc.Encode(w, p)
	}
	return enc.Encode(w, img)
}

// paletted is img with a palette of its colours, or nil when it has more than 256. A screen
// has a few colours and their blends at glyph edges, and a paletted PNG is written several
// times faster (a byte a pixel, no filtering).
func paletted(img *image.RGBA) *image.Paletted {
	index := map[uint32]uint8{}
	var pal color.Palette
	out := image.NewPaletted(img.Bounds(), nil)
	last, lastIdx := uint32(0), uint8(0)
	first := true
	for i, o := 0, 0; i+3 < len(img.Pix); i, o = i+4, o+1 {
		p := img.Pix[i : i+4 : i+4]
		k := uint32(p[0])<<16 | uint32(p[1])<<8 | uint32(p[2])
		if first || k != last {
			idx, ok := index[k]
			if !ok {
				if len(pal) == 256 {
					return nil
				}
				idx = uint8(len(pal))
				index[k] = idx
				pal = append(pal, color.RGBA{p[0], p[1], p[2], 0xff})
			}
			last, lastIdx, first = k, idx, false
		}
		out.Pix[o] = lastIdx
	}
	out.Palette = pal
	return out
}

func cellRect(x, y, width int) image.Rectangle {
	return image.Rect(x*CellW, y*CellH, (x+width)*CellW, (y+1)*CellH)
}

// drawShape fills the shape's rectangles and strokes its curves in colour c.
func drawShape(img *image.RGBA, sh shape, x, y int, c color.RGBA) {
	ox, oy := float64(x*CellW), float64(y*CellH)
	px := func(f float64) int { return int(math.Round(f)) }
	for _, r := range sh.rects {
		col := c
		if r.alpha < 1 {
			col = color.RGBA{uint8(float64(c.R) * r.alpha), uint8(float64(c.G) * r.alpha), uint8(float64(c.B) * r.alpha), uint8(255 * r.alpha)}
		}
		rr := image.Rect(px(ox+r.x0*CellW), px(oy+r.y0*CellH), px(ox+r.x1*CellW), px(oy+r.y1*CellH))
		if rr.Dx() == 0 {
			rr.Max.X++
		}
		if rr.Dy() == 0 {
			rr.Max.Y++
		}
		draw.Draw(img, rr, image.NewUniform(col), image.Point{}, draw.Over)
	}
	for _, k := range sh.curves {
		w := max(1, px(k.w*CellW))
		u := image.NewUniform(c)
		const steps = 40
		for i := 0; i <= steps; i++ {
			t := float64(i) / steps
			bx := (1-t)*(1-t)*k.x0 + 2*(1-t)*t*k.cx + t*t*k.x1
			by := (1-t)*(1-t)*k.y0 + 2*(1-t)*t*k.cy + t*t*k.y1
			cx, cy := px(ox+bx*CellW-float64(w)/2), px(oy+by*CellH-float64(w)/2)
			draw.Draw(img, image.Rect(cx, cy, cx+w, cy+w).Intersect(cellRect(x, y, 1)), u, image.Point{}, draw.Src)
		}
	}
}

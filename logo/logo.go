// Package logo draws small raster images, such as a tenant's square logo, as terminal art.
//
// Colour output uses the upper-half-block technique: each cell shows two vertically stacked
// pixels, the top one as the foreground of "▀" and the bottom one as its background (or,
// when that saves escape codes or the top half is transparent, "▄" the other way round, and
// a space when both halves have the same colour). Without
// colour the image becomes a ramp of 7-bit characters. Images are downscaled with a box filter
// (area average) in linear light, keeping the aspect ratio of the picture: a terminal cell is
// taken to be twice as tall as it is wide.
package logo

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// Options control how [Render] draws an image.
type Options struct {
	// Background is the colour the image is drawn on. Partly transparent pixels are
	// composited over it, fully transparent ones become exactly this colour, and in ASCII
	// mode the characters are chosen by their contrast with it, so that a dark logo shows on
	// a light background and a light logo on a dark one.
	//
	// Nil means the terminal's own, unknown, background: transparent areas are left
	// uncoloured (the terminal default shows through), pixels are either drawn in their own
	// colour (at least half opaque) or left out, and ASCII mode draws the shape by coverage.
	Background color.Color
	// ASCII asks for 7-bit characters without any escape sequence.
	ASCII bool
	// Profile is the colour profile of the output. TrueColor, ANSI256 and ANSI give
	// half-block art with colours of that depth; ASCII and NoTTY give the same output as the
	// ASCII option. The zero value (Unknown) is treated as TrueColor.
	Profile colorprofile.Profile
}

// Ramp is the character ramp of ASCII mode, from no ink to full ink.
const Ramp = " .:-=+*#%@"

// Half-block glyphs of colour mode.
const (
	upperHalf = "▀"
	lowerHalf = "▄"
)

// transparentCut is the coverage below which a pixel counts as transparent when the
// background is unknown (Options.Background is nil).
const transparentCut = 0.5

// Render draws img in at most cols×rows terminal cells and returns the lines joined by "\n"
// (no trailing newline). The picture keeps its aspect ratio and is scaled (down or up) to
// the largest size that fits. Every line has the same display width; in colour mode every
// line ends with an SGR reset, in ASCII mode there are no escape sequences at all.
// Render returns "" for an empty image or when cols or rows is less than 1.
func Render(img image.Image, cols, rows int, opts Options) string {
	if img == nil || cols < 1 || rows < 1 {
		return ""
	}
	b := img.Bounds()
	if b.Dx() < 1 || b.Dy() < 1 {
		return ""
	}
	ascii := opts.ASCII || opts.Profile == colorprofile.ASCII || opts.Profile == colorprofile.NoTTY
	// scale is output pixels per source pixel, where an output pixel is half a cell tall and
	// a cell wide: square, for a cell twice as tall as it is wide.
	scale := math.Min(float64(cols)/float64(b.Dx()), float64(2*rows)/float64(b.Dy()))
	w := clamp(int(math.Round(float64(b.Dx())*scale)), 1, cols)
	if ascii {
		h := clamp(int(math.Round(float64(b.Dy())*scale/2)), 1, rows)
		return renderASCII(resample(img, w, h), w, h, opts.Background)
	}
	h := clamp(int(math.Round(float64(b.Dy())*scale)), 1, 2*rows)
	return renderBlocks(resample(img, w, h), w, h, opts)
}

// renderBlocks draws w×h pixels as half-block cells, ⌈h/2⌉ lines of w cells.
func renderBlocks(px []pixel, w, h int, opts Options) string {
	var bg *[3]float32
	var bgTone tone
	if opts.Background != nil {
		lin := toLinear(opts.Background)
		bg = &lin
		bgTone = makeTone(toRGBA(opts.Background), opts.Profile)
	}
	// halfTone returns the colour of one half cell.
	halfTone := func(x, y int) tone {
		if y >= h { // the missing bottom half of an odd last line
			return bgTone
		}
		p := px[y*w+x]
		if bg == nil {
			if p.a < transparentCut {
				return tone{}
			}
			return makeTone(p.straight(), opts.Profile)
		}
		if p.a <= 0 {
			return bgTone
		}
		return makeTone(p.over(*bg), opts.Profile)
	}

	buf := make([]byte, 0, (h+1)/2*(w*24+8))
	for y := 0; y < h; y += 2 {
		if y > 0 {
			buf = append(buf, '\n')
		}
		var curFg, curBg tone // the state after a reset: terminal defaults
		changes := func(fg, bg tone) int {
			n := 0
			if fg != curFg {
				n++
			}
			if bg != curBg {
				n++
			}
			return n
		}
		for x := range w {
			top, bot := halfTone(x, y), halfTone(x, y+1)
			// "▀" in the top colour on the bottom one, or "▄" the other way round, whichever
			// changes fewer colours (the foreground cannot be the terminal default); a space
			// when both halves are alike.
			glyph, fg, bgt := upperHalf, top, bot
			switch {
			case top == bot:
				glyph, fg, bgt = " ", curFg, top
			case top.isDefault() || (!bot.isDefault() && changes(bot, top) < changes(top, bot)):
				glyph, fg, bgt = lowerHalf, bot, top
			}
			if fg != curFg || bgt != curBg {
				buf = append(buf, "\x1b["...)
				if fg != curFg {
					buf = fg.appendSGR(buf, false)
					curFg = fg
					if bgt != curBg {
						buf = append(buf, ';')
					}
				}
				if bgt != curBg {
					buf = bgt.appendSGR(buf, true)
					curBg = bgt
				}
				buf = append(buf, 'm')
			}
			buf = append(buf, glyph...)
		}
		buf = append(buf, ansi.ResetStyle...)
	}
	return string(buf)
}

// tone is the colour of a half cell in the colour model of the output profile. The zero
// value is the terminal's default colour.
type tone struct {
	kind    toneKind
	r, g, b uint8 // the colour (toneRGB) or, in r, the palette index
}

type toneKind uint8

const (
	toneDefault toneKind = iota
	toneRGB              // 24-bit colour
	toneIndexed          // one of 256 colours
	toneBasic            // one of 16 colours
)

func (t tone) isDefault() bool { return t.kind == toneDefault }

// makeTone maps an opaque colour to the colour model of profile.
func makeTone(c color.RGBA, profile colorprofile.Profile) tone {
	switch profile {
	case colorprofile.ANSI256:
		return tone{kind: toneIndexed, r: uint8(ansi.Convert256(c))}
	case colorprofile.ANSI:
		return tone{kind: toneBasic, r: uint8(ansi.Convert16(c))}
	default:
		return tone{kind: toneRGB, r: c.R, g: c.G, b: c.B}
	}
}

// appendSGR appends the SGR parameters that select t as the foreground or background.
func (t tone) appendSGR(b []byte, background bool) []byte {
	base := 30
	if background {
		base = 40
	}
	switch t.kind {
	case toneRGB:
		b = strconv.AppendInt(b, int64(base+8), 10)
		b = append(b, ";2;"...)
		b = strconv.AppendInt(b, int64(t.r), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(t.g), 10)
		b = append(b, ';')
		return strconv.AppendInt(b, int64(t.b), 10)
	case toneIndexed:
		b = strconv.AppendInt(b, int64(base+8), 10)
		b = append(b, ";5;"...)
		return strconv.AppendInt(b, int64(t.r), 10)
	case toneBasic:
		if t.r >= 8 {
			return strconv.AppendInt(b, int64(base+60+int(t.r)-8), 10)
		}
		return strconv.AppendInt(b, int64(base+int(t.r)), 10)
	default:
		return strconv.AppendInt(b, int64(base+9), 10)
	}
}

// renderASCII draws w×h pixels as w×h characters of [Ramp].
func renderASCII(px []pixel, w, h int, background color.Color) string {
	ink := make([]float32, len(px))
	var peak float32
	if background == nil {
		for i, p := range px {
			ink[i] = p.a
		}
		peak = 1
	} else {
		bg := toLinear(background)
		bgL := lightness(bg)
		for i, p := range px {
			ink[i] = contrast(p.overLinear(bg), bg, bgL)
			peak = max(peak, ink[i])
		}
		// Stretch a faint logo so that its strongest part gets the densest character, but not
		// so far that noise in an empty image turns into ink.
		peak = max(peak, 0.25)
	}
	last := float32(len(Ramp) - 1)
	var sb strings.Builder
	sb.Grow(h * (w + 1))
	for y := range h {
		if y > 0 {
			sb.WriteByte('\n')
		}
		for x := range w {
			i := int(ink[y*w+x]/peak*last + 0.5)
			sb.WriteByte(Ramp[clamp(i, 0, len(Ramp)-1)])
		}
	}
	return sb.String()
}

// contrast is how far the linear colour c stands out from the background bg (with
// lightness bgL), from 0 to 1: the difference in lightness, but at least half the colour
// difference, so that a logo as light as its background still shows.
func contrast(c, bg [3]float32, bgL float32) float32 {
	dl := float32(math.Abs(float64(lightness(c) - bgL)))
	var d2 float64
	for i := range c {
		d := float64(linearToSRGB(c[i]) - linearToSRGB(bg[i]))
		d2 += d * d
	}
	return max(dl, float32(math.Sqrt(d2/3)/2))
}

// lightness is the CIE L* of a linear sRGB colour, scaled to 0..1.
func lightness(c [3]float32) float32 {
	y := 0.2126*float64(c[0]) + 0.7152*float64(c[1]) + 0.0722*float64(c[2])
	if y <= 216.0/24389 {
		return float32(y * 24389 / 27 / 100)
	}
	return float32((116*math.Cbrt(y) - 16) / 100)
}

// toRGBA returns c as an opaque 8-bit colour (alpha is ignored).
func toRGBA(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	if a == 0 {
		return color.RGBA{A: 0xff}
	}
	if a < 0xffff { // un-premultiply
		r, g, b = r*0xffff/a, g*0xffff/a, b*0xffff/a
	}
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}
}

// toLinear returns the linear-light channels of c (alpha is ignored).
func toLinear(c color.Color) [3]float32 {
	rgba := toRGBA(c)
	return [3]float32{linear8[rgba.R], linear8[rgba.G], linear8[rgba.B]}
}

func clamp(v, lo, hi int) int {
	return min(max(v, lo), hi)
}

package logo

import (
	"image"
	"image/color"
	"math"
)

// pixel is a colour in linear light with premultiplied alpha; every channel is 0..1.
type pixel struct{ r, g, b, a float32 }

// addScaled adds w times q to p.
func (p *pixel) addScaled(q pixel, w float32) {
	p.r += q.r * w
	p.g += q.g * w
	p.b += q.b * w
	p.a += q.a * w
}

// straight returns the colour of p without its alpha, in 8-bit sRGB.
func (p pixel) straight() color.RGBA {
	if p.a <= 0 {
		return color.RGBA{A: 0xff}
	}
	return color.RGBA{linearToSRGB8(p.r / p.a), linearToSRGB8(p.g / p.a), linearToSRGB8(p.b / p.a), 0xff}
}

// overLinear composites p over the opaque linear colour bg.
func (p pixel) overLinear(bg [3]float32) [3]float32 {
	k := 1 - min(p.a, 1)
	return [3]float32{p.r + bg[0]*k, p.g + bg[1]*k, p.b + bg[2]*k}
}

// over composites p over the opaque linear colour bg and returns 8-bit sRGB.
func (p pixel) over(bg [3]float32) color.RGBA {
	c := p.overLinear(bg)
	return color.RGBA{linearToSRGB8(c[0]), linearToSRGB8(c[1]), linearToSRGB8(c[2]), 0xff}
}

// linear8 maps an 8-bit sRGB channel to linear light.
var linear8 = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(srgbToLinear(float64(i) / 255))
	}
	return t
}()

func srgbToLinear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// linearToSRGB maps a linear channel to sRGB, both 0..1.
func linearToSRGB(v float32) float32 {
	x := min(max(float64(v), 0), 1)
	if x <= 0.0031308 {
		return float32(x * 12.92)
	}
	return float32(1.055*math.Pow(x, 1/2.4) - 0.055)
}

func linearToSRGB8(v float32) uint8 {
	return uint8(math.Round(float64(linearToSRGB(v)) * 255))
}

// fromStraight8 is the pixel of an 8-bit non-premultiplied colour.
func fromStraight8(r, g, b, a uint8) pixel {
	if a == 0 {
		return pixel{}
	}
	af := float32(a) / 255
	return pixel{linear8[r] * af, linear8[g] * af, linear8[b] * af, af}
}

// fromRGBA64 is the pixel of a 16-bit premultiplied colour, as color.Color.RGBA returns it.
func fromRGBA64(r, g, b, a uint32) pixel {
	if a == 0 {
		return pixel{}
	}
	to8 := func(c uint32) uint8 { // un-premultiply, then 16 to 8 bits
		s := min(c*0xffff/a, 0xffff)
		return uint8((s*0xff + 0x7fff) / 0xffff)
	}
	return fromStraight8(to8(r), to8(g), to8(b), uint8((a*0xff+0x7fff)/0xffff))
}

// rowReader returns a function that fills dst with row y (an absolute coordinate) of img.
func rowReader(img image.Image) func(y int, dst []pixel) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.NRGBA:
		return func(y int, dst []pixel) {
			row := m.Pix[m.PixOffset(b.Min.X, y):][:4*len(dst)]
			for x := range dst {
				s := row[4*x : 4*x+4 : 4*x+4]
				if s[3] == 0 {
					dst[x] = pixel{}
					continue
				}
				dst[x] = fromStraight8(s[0], s[1], s[2], s[3])
			}
		}
	case *image.RGBA:
		return func(y int, dst []pixel) {
			off := m.PixOffset(b.Min.X, y)
			for x := range dst {
				s := m.Pix[off+4*x : off+4*x+4 : off+4*x+4]
				if s[3] == 0xff {
					dst[x] = fromStraight8(s[0], s[1], s[2], 0xff)
				} else {
					r, g, bb, a := uint32(s[0]), uint32(s[1]), uint32(s[2]), uint32(s[3])
					dst[x] = fromRGBA64(r*0x101, g*0x101, bb*0x101, a*0x101)
				}
			}
		}
	case *image.Paletted:
		pal := make([]pixel, len(m.Palette))
		for i, c := range m.Palette {
			pal[i] = fromRGBA64(c.RGBA())
		}
		return func(y int, dst []pixel) {
			off := m.PixOffset(b.Min.X, y)
			for x := range dst {
				if i := int(m.Pix[off+x]); i < len(pal) {
					dst[x] = pal[i]
				} else {
					dst[x] = pixel{}
				}
			}
		}
	case image.RGBA64Image:
		return func(y int, dst []pixel) {
			for x := range dst {
				c := m.RGBA64At(b.Min.X+x, y)
				dst[x] = fromRGBA64(uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A))
			}
		}
	default:
		return func(y int, dst []pixel) {
			for x := range dst {
				dst[x] = fromRGBA64(img.At(b.Min.X+x, y).RGBA())
			}
		}
	}
}

// contrib is the weight of one source pixel (or row) in one output pixel (or row).
type contrib struct {
	i int
	w float32
}

// boxWeights returns, for each of m output pixels along an axis of n source pixels, the
// source pixels it covers and their share of its area (the shares add up to 1).
func boxWeights(n, m int) [][]contrib {
	out := make([][]contrib, m)
	span := float64(n) / float64(m)
	for o := range m {
		lo, hi := float64(o)*span, float64(o+1)*span
		for s := int(lo); s < n && float64(s) < hi; s++ {
			if cover := math.Min(hi, float64(s+1)) - math.Max(lo, float64(s)); cover > 1e-9 {
				out[o] = append(out[o], contrib{s, float32(cover / span)})
			}
		}
	}
	return out
}

// resample scales img to w×h pixels with a box filter: every output pixel is the
// area-weighted average of the source pixels under it, in premultiplied linear light.
func resample(img image.Image, w, h int) []pixel {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	cols := boxWeights(sw, w)
	// For each source row, the output rows it contributes to.
	rowTargets := make([][]contrib, sh)
	for oy, cs := range boxWeights(sh, h) {
		for _, c := range cs {
			rowTargets[c.i] = append(rowTargets[c.i], contrib{oy, c.w})
		}
	}
	out := make([]pixel, w*h)
	src := make([]pixel, sw)
	row := make([]pixel, w)
	read := rowReader(img)
	for sy, targets := range rowTargets {
		if len(targets) == 0 {
			continue
		}
		read(b.Min.Y+sy, src)
		for ox, cs := range cols {
			var acc pixel
			for _, c := range cs {
				if q := src[c.i]; q.a != 0 { // logos are mostly transparent
					acc.addScaled(q, c.w)
				}
			}
			row[ox] = acc
		}
		for _, t := range targets {
			dst := out[t.i*w : (t.i+1)*w]
			for ox := range dst {
				dst[ox].addScaled(row[ox], t.w)
			}
		}
	}
	return out
}

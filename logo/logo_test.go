package logo

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	teal  = color.NRGBA{0x0E, 0x6E, 0x6E, 255}
	clear = color.NRGBA{}
)

// grid builds an image from rows of colours.
func grid(rows ...[]color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, len(rows[0]), len(rows)))
	for y, row := range rows {
		for x, c := range row {
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// filled is a w×h image of one colour.
func filled(w, h int, c color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	return img
}

// checkLines fails unless s has the given number of lines, all of display width width.
func checkLines(t *testing.T, s string, width, lines int) {
	t.Helper()
	ls := strings.Split(s, "\n")
	if len(ls) != lines {
		t.Errorf("got %d lines, want %d:\n%s", len(ls), lines, s)
	}
	for i, l := range ls {
		if w := ansi.StringWidth(l); w != width {
			t.Errorf("line %d is %d cells wide, want %d: %q", i, w, width, l)
		}
	}
}

func TestRenderTwoByTwoExact(t *testing.T) {
	img := grid(
		[]color.NRGBA{red, green},
		[]color.NRGBA{blue, blue},
	)
	got := Render(img, 2, 1, Options{Profile: colorprofile.TrueColor})
	want := "\x1b[38;2;255;0;0;48;2;0;0;255m▀\x1b[38;2;0;255;0m▀\x1b[m"
	if got != want {
		t.Errorf("Render =\n%q\nwant\n%q", got, want)
	}
	// The zero Profile means TrueColor.
	if z := Render(img, 2, 1, Options{}); z != want {
		t.Errorf("zero Profile: got %q, want %q", z, want)
	}
}

func TestRenderColourRoundTrip(t *testing.T) {
	// Every 8-bit value survives the trip through linear light unchanged.
	for v := range 256 {
		c := color.NRGBA{uint8(v), uint8(255 - v), 0x6E, 255}
		got := Render(grid([]color.NRGBA{c}, []color.NRGBA{c}), 1, 1, Options{})
		want := ansi.Style{}.BackgroundColor(color.RGBA{c.R, c.G, c.B, 255}).String() + " \x1b[m"
		if got != want {
			t.Fatalf("value %d: got %q, want %q", v, got, want)
		}
	}
}

func TestRenderBoxFilterAverages(t *testing.T) {
	// 4×8 of alternating black and white columns averages to mid grey in linear light
	// (sRGB 188), not to the sRGB midpoint 128.
	black, white := color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}
	row := []color.NRGBA{black, white, black, white}
	got := Render(grid(row, row, row, row, row, row, row, row), 1, 1, Options{})
	want := "\x1b[48;2;188;188;188m \x1b[m"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRenderProfiles(t *testing.T) {
	img := grid([]color.NRGBA{teal}, []color.NRGBA{red})
	for _, tc := range []struct {
		p    colorprofile.Profile
		want string
	}{
		{colorprofile.ANSI256, "\x1b[38;5;" + itoa(int(ansi.Convert256(teal))) + ";48;5;196m▀\x1b[m"},
		{colorprofile.ANSI, ansi.Style{}.ForegroundColor(ansi.Convert16(teal)).BackgroundColor(ansi.Convert16(red)).String() + "▀\x1b[m"},
	} {
		if got := Render(img, 1, 1, Options{Profile: tc.p}); got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.p, got, tc.want)
		}
	}
}

func itoa(i int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		if i /= 10; i == 0 {
			return string(b)
		}
	}
}

func TestRenderAspectAndLimits(t *testing.T) {
	for _, tc := range []struct {
		name              string
		w, h, cols, rows  int
		wantCols, wantRow int
	}{
		{"wide", 200, 50, 20, 10, 20, 3},     // 20×5 pixels: the last line's bottom half is empty
		{"tall", 50, 200, 20, 10, 5, 10},     // 5×20 pixels
		{"square", 240, 240, 20, 10, 20, 10}, // 20×20 pixels
		{"square in wide box", 240, 240, 80, 10, 20, 10},
		{"square in tall box", 240, 240, 10, 40, 10, 5},
		{"upscaled", 2, 2, 8, 8, 8, 4},
		{"tiny box", 240, 240, 1, 1, 1, 1},
		{"sliver", 1000, 1, 20, 10, 20, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := filled(tc.w, tc.h, teal)
			for _, opts := range []Options{{}, {Background: color.White}, {ASCII: true}} {
				s := Render(img, tc.cols, tc.rows, opts)
				rows := tc.wantRow
				if opts.ASCII {
					// A character is one pixel wide and two tall.
					rows = max(1, int(float64(tc.h)*float64(tc.wantCols)/float64(tc.w)/2+0.5))
				}
				checkLines(t, s, tc.wantCols, rows)
				if lines := strings.Count(s, "\n") + 1; lines > tc.rows || ansi.StringWidth(strings.Split(s, "\n")[0]) > tc.cols {
					t.Errorf("%+v: %d lines, larger than %dx%d", opts, lines, tc.cols, tc.rows)
				}
			}
		})
	}
}

func TestRenderOddHeightLastLine(t *testing.T) {
	// 2×1 pixels: one line, the bottom halves missing.
	img := grid([]color.NRGBA{red, blue})
	got := Render(img, 2, 1, Options{})
	want := "\x1b[38;2;255;0;0m▀\x1b[38;2;0;0;255m▀\x1b[m"
	if got != want {
		t.Errorf("no background: got %q, want %q", got, want)
	}
	got = Render(img, 2, 1, Options{Background: color.White})
	want = "\x1b[38;2;255;0;0;48;2;255;255;255m▀\x1b[38;2;0;0;255m▀\x1b[m"
	if got != want {
		t.Errorf("white background: got %q, want %q", got, want)
	}
}

func TestRenderTransparent(t *testing.T) {
	img := grid(
		[]color.NRGBA{clear, red, clear},
		[]color.NRGBA{clear, clear, red},
	)
	// With a background, transparent pixels are exactly that colour.
	bg := color.RGBA{0x20, 0x30, 0x40, 0xff}
	got := Render(img, 3, 1, Options{Background: bg})
	want := "\x1b[48;2;32;48;64m \x1b[38;2;255;0;0m▀▄\x1b[m"
	if got != want {
		t.Errorf("with background: got %q, want %q", got, want)
	}
	// Without one, they are left to the terminal: no background colour at all.
	got = Render(img, 3, 1, Options{})
	want = " \x1b[38;2;255;0;0m▀▄\x1b[m"
	if got != want {
		t.Errorf("without background: got %q, want %q", got, want)
	}
	if all := Render(filled(4, 4, clear), 4, 2, Options{}); all != "    \x1b[m\n    \x1b[m" {
		t.Errorf("fully transparent image: got %q", all)
	}
	// Half-transparent red over white is composited (in linear light).
	half := grid([]color.NRGBA{{255, 0, 0, 128}}, []color.NRGBA{{255, 0, 0, 128}})
	got = Render(half, 1, 1, Options{Background: color.White})
	want = "\x1b[48;2;255;187;187m \x1b[m" // 1-128/255 of white in linear light
	if got != want {
		t.Errorf("half transparent: got %q, want %q", got, want)
	}
	// With no background, a pixel at least half covered keeps its own colour.
	got = Render(half, 1, 1, Options{})
	if want = "\x1b[48;2;255;0;0m \x1b[m"; got != want {
		t.Errorf("half transparent, no background: got %q, want %q", got, want)
	}
}

// logoImage is a teal disc with a lighter ring cut-out on transparent, like a real logo.
func logoImage(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	c := float64(size) / 2
	for y := range size {
		for x := range size {
			dx, dy := float64(x)+0.5-c, float64(y)+0.5-c
			switch r := dx*dx + dy*dy; {
			case r < c*c*0.15:
				img.SetNRGBA(x, y, color.NRGBA{0xB5, 0xED, 0xE6, 255})
			case r < c*c*0.9:
				img.SetNRGBA(x, y, teal)
			}
		}
	}
	return img
}

func TestRenderASCII(t *testing.T) {
	img := logoImage(240)
	cases := map[string]Options{
		"option":         {ASCII: true, Profile: colorprofile.TrueColor},
		"profile ascii":  {Profile: colorprofile.ASCII},
		"profile notty":  {Profile: colorprofile.NoTTY},
		"on white":       {ASCII: true, Background: color.White},
		"on black":       {ASCII: true, Background: color.Black},
		"on card colour": {ASCII: true, Background: color.RGBA{0x2B, 0x2B, 0x2B, 0xff}},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			s := Render(img, 20, 10, opts)
			checkLines(t, s, 20, 10)
			for i := 0; i < len(s); i++ {
				if s[i] >= 0x80 || s[i] == 0x1b || (s[i] < 0x20 && s[i] != '\n') {
					t.Fatalf("byte %#x at %d is not a printable 7-bit character:\n%s", s[i], i, s)
				}
				if s[i] != '\n' && !strings.ContainsRune(Ramp, rune(s[i])) {
					t.Fatalf("%q is not in the ramp", s[i])
				}
			}
			if strings.Trim(s, " \n") == "" {
				t.Fatalf("logo invisible:\n%s", s)
			}
			lines := strings.Split(s, "\n")
			if lines[0][0] != ' ' || lines[9][19] != ' ' {
				t.Errorf("transparent corners should be blank:\n%s", s)
			}
		})
	}
	// Dark-on-light awareness: the dark teal ring is denser than the light centre on white,
	// and the other way round on black.
	density := func(b byte) int { return strings.IndexByte(Ramp, b) }
	onWhite := strings.Split(Render(img, 20, 10, Options{ASCII: true, Background: color.White}), "\n")
	onBlack := strings.Split(Render(img, 20, 10, Options{ASCII: true, Background: color.Black}), "\n")
	ring, centre := [2]int{5, 2}, [2]int{10, 5} // x, y
	if density(onWhite[ring[1]][ring[0]]) <= density(onWhite[centre[1]][centre[0]]) {
		t.Errorf("on white the teal ring should be denser than the light centre:\n%s", strings.Join(onWhite, "\n"))
	}
	if density(onBlack[ring[1]][ring[0]]) >= density(onBlack[centre[1]][centre[0]]) {
		t.Errorf("on black the light centre should be denser than the teal ring:\n%s", strings.Join(onBlack, "\n"))
	}
}

func TestRenderEqualWidthLines(t *testing.T) {
	img := logoImage(97)
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI, colorprofile.ASCII} {
		for _, bg := range []color.Color{nil, color.White} {
			for _, size := range [][2]int{{20, 10}, {7, 3}, {33, 5}, {1, 9}} {
				s := Render(img, size[0], size[1], Options{Profile: p, Background: bg})
				lines := strings.Split(s, "\n")
				w := ansi.StringWidth(lines[0])
				for i, l := range lines {
					if ansi.StringWidth(l) != w {
						t.Errorf("%v %v %v: line %d has width %d, line 0 has %d", p, bg, size, i, ansi.StringWidth(l), w)
					}
					if p > colorprofile.ASCII && !strings.HasSuffix(l, ansi.ResetStyle) {
						t.Errorf("%v %v %v: line %d does not end with a reset: %q", p, bg, size, i, l)
					}
				}
				if w > size[0] || len(lines) > size[1] {
					t.Errorf("%v %v %v: %dx%d is too large", p, bg, size, w, len(lines))
				}
			}
		}
	}
}

func TestRenderImageTypes(t *testing.T) {
	// The fast paths and the generic path agree.
	src := logoImage(40)
	want := Render(src, 10, 5, Options{Background: color.White})
	rgba := image.NewRGBA(src.Bounds())
	pal := image.NewPaletted(src.Bounds(), color.Palette{clear, teal, color.NRGBA{0xB5, 0xED, 0xE6, 255}})
	rgba64 := image.NewNRGBA64(src.Bounds())
	offset := image.NewNRGBA(image.Rect(100, -7, 140, 33))
	for y := range 40 {
		for x := range 40 {
			c := src.At(x, y)
			rgba.Set(x, y, c)
			pal.Set(x, y, c)
			rgba64.Set(x, y, c)
			offset.Set(x+100, y-7, c)
		}
	}
	for name, img := range map[string]image.Image{"RGBA": rgba, "Paletted": pal, "NRGBA64": rgba64, "offset": offset, "generic": atOnly{src}} {
		if got := Render(img, 10, 5, Options{Background: color.White}); got != want {
			t.Errorf("%s: got\n%q\nwant\n%q", name, got, want)
		}
	}
}

// atOnly hides every method of an image but those of image.Image.
type atOnly struct{ image.Image }

func TestRenderEmpty(t *testing.T) {
	img := filled(4, 4, teal)
	for _, s := range []string{
		Render(nil, 10, 10, Options{}),
		Render(img, 0, 10, Options{}),
		Render(img, 10, 0, Options{ASCII: true}),
		Render(image.NewNRGBA(image.Rect(0, 0, 0, 5)), 10, 10, Options{}),
	} {
		if s != "" {
			t.Errorf("got %q, want empty", s)
		}
	}
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecode(t *testing.T) {
	src := logoImage(48)
	img, err := Decode(bytes.NewReader(encodePNG(t, src)))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if img.Bounds() != src.Bounds() {
		t.Errorf("bounds %v, want %v", img.Bounds(), src.Bounds())
	}
	for _, garbage := range [][]byte{nil, []byte("GIF89a not a png"), []byte("\x89PNG\r\n\x1a\n truncated")} {
		_, err := Decode(bytes.NewReader(garbage))
		if err == nil || !strings.Contains(err.Error(), "not a PNG image") {
			t.Errorf("Decode(%q) error = %v, want one saying it is not a PNG image", garbage, err)
		}
	}
	// A PNG whose pixel data is cut short.
	data := encodePNG(t, src)
	if _, err := Decode(bytes.NewReader(data[:len(data)/2])); err == nil {
		t.Error("Decode of a truncated PNG succeeded")
	}
}

func TestDecodeRejectsOversize(t *testing.T) {
	for _, size := range [][2]int{{4097, 1}, {1, 5000}} {
		data := encodePNG(t, image.NewGray(image.Rect(0, 0, size[0], size[1])))
		_, err := Decode(bytes.NewReader(data))
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%v: error = %v, want ErrTooLarge", size, err)
		}
		name := itoa(size[0]) + "x" + itoa(size[1])
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name the size %s", err, name)
		}
	}
	if _, err := Decode(bytes.NewReader(encodePNG(t, image.NewGray(image.Rect(0, 0, 4096, 1))))); err != nil {
		t.Errorf("4096 pixels wide: %v", err)
	}
}

func TestInitials(t *testing.T) {
	for name, want := range map[string]string{
		"Larkspur Aviation":         "LA",
		"larkspur aviation":         "LA",
		"  Larkspur   Aviation  ":   "LA",
		"Contoso":                   "C",
		"Contoso Ltd.":              "C",
		"Fabrikam, Inc.":            "F",
		"Woodgrove Bank of America": "WA",
		"The Phone Company":         "PC",
		"Trey Research & Co":        "TR",
		"A. Datum Corporation":      "AD",
		"(Northwind) Traders":       "NT",
		"3M":                        "3",
		"Émile Zola SA":             "ÉZ",
		"Ltd":                       "L",
		"The":                       "T",
		"東京 電力":                     "東電",
		"":                          "",
		" & - ":                     "",
	} {
		if got := Initials(name); got != want {
			t.Errorf("Initials(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestBadge(t *testing.T) {
	got := Badge("Larkspur Aviation", 10)
	want := "" +
		"+--------+\n" +
		"|        |\n" +
		"|   LA   |\n" +
		"|        |\n" +
		"+--------+"
	if got != want {
		t.Errorf("Badge =\n%s\nwant\n%s", got, want)
	}
	b := Badge("Larkspur Aviation", 20)
	checkLines(t, b, 20, 10)
	if !strings.Contains(b, "|        LA        |") {
		t.Errorf("initials not centred:\n%s", b)
	}
	if strings.ContainsRune(b, 0x1b) {
		t.Errorf("badge has escape codes: %q", b)
	}
	for cols, want := range map[int]string{3: "LA ", 2: "LA", 1: "", 0: "", -4: ""} {
		if got := Badge("Larkspur Aviation", cols); got != want {
			t.Errorf("Badge(cols=%d) = %q, want %q", cols, got, want)
		}
	}
	if got := Badge("", 20); got != "" {
		t.Errorf("Badge of no name = %q, want empty", got)
	}
	checkLines(t, Badge("東京 電力", 9), 9, 5)
}

func BenchmarkRender240To20x10(b *testing.B) {
	img := logoImage(240)
	opts := Options{Background: color.White, Profile: colorprofile.TrueColor}
	b.ReportAllocs()
	for b.Loop() {
		Render(img, 20, 10, opts)
	}
}

func BenchmarkRender240To20x10ASCII(b *testing.B) {
	img := logoImage(240)
	opts := Options{Background: color.White, ASCII: true}
	b.ReportAllocs()
	for b.Loop() {
		Render(img, 20, 10, opts)
	}
}

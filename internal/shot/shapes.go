package shot

// Box-drawing and block characters are drawn as shapes, not font glyphs, so that the card's
// outline and the logo's bars join from cell to cell whatever font a viewer has: each is a
// list of rectangles and curves in the cell's own coordinates (0..1 across, 0..1 down),
// drawn by the SVG and the PNG writer alike.

// rect is a filled rectangle of the cell; alpha is its opacity (shades ░▒▓).
type rect struct{ x0, y0, x1, y1, alpha float64 }

// curve is a rounded corner: a quadratic from (x0,y0) through the control (cx,cy) to (x1,y1),
// stroked with the line weight w (a fraction of the cell's width).
type curve struct{ x0, y0, cx, cy, x1, y1, w float64 }

// shape is what a cell draws instead of a glyph.
type shape struct {
	rects  []rect
	curves []curve
}

// arms of a box-drawing character: the weight of its line to the up, right, down and left
// edge (0 none, 1 light, 2 heavy, 3 double).
type arms [4]uint8

var boxArms = map[rune]arms{
	'─': {0, 1, 0, 1}, '━': {0, 2, 0, 2}, '│': {1, 0, 1, 0}, '┃': {2, 0, 2, 0},
	'┌': {0, 1, 1, 0}, '┐': {0, 0, 1, 1}, '└': {1, 1, 0, 0}, '┘': {1, 0, 0, 1},
	'┏': {0, 2, 2, 0}, '┓': {0, 0, 2, 2}, '┗': {2, 2, 0, 0}, '┛': {2, 0, 0, 2},
	'├': {1, 1, 1, 0}, '┤': {1, 0, 1, 1}, '┬': {0, 1, 1, 1}, '┴': {1, 1, 0, 1}, '┼': {1, 1, 1, 1},
	'┣': {2, 2, 2, 0}, '┫': {2, 0, 2, 2}, '┳': {0, 2, 2, 2}, '┻': {2, 2, 0, 2}, '╋': {2, 2, 2, 2},
	'═': {0, 3, 0, 3}, '║': {3, 0, 3, 0}, '╔': {0, 3, 3, 0}, '╗': {0, 0, 3, 3}, '╚': {3, 3, 0, 0}, '╝': {3, 0, 0, 3},
	'╠': {3, 3, 3, 0}, '╣': {3, 0, 3, 3}, '╦': {0, 3, 3, 3}, '╩': {3, 3, 0, 3}, '╬': {3, 3, 3, 3},
	'╴': {0, 0, 0, 1}, '╵': {1, 0, 0, 0}, '╶': {0, 1, 0, 0}, '╷': {0, 0, 1, 0},
}

// light is the width of a light line as a fraction of the cell's width.
const light = 0.12

// shapeOf returns the shape drawn for r, or false when r is drawn from the font.
func shapeOf(r rune, aspect float64) (shape, bool) {
	if a, ok := boxArms[r]; ok {
		return boxShape(a, aspect), true
	}
	switch {
	case r == '╭' || r == '╮' || r == '╯' || r == '╰':
		// a quarter curve from one edge's middle to the other's, bending at the centre
		ends := map[rune][4]float64{'╭': {0.5, 1, 1, 0.5}, '╮': {0, 0.5, 0.5, 1}, '╯': {0.5, 0, 0, 0.5}, '╰': {1, 0.5, 0.5, 0}}[r]
		return shape{curves: []curve{{ends[0], ends[1], 0.5, 0.5, ends[2], ends[3], light}}}, true
	case r == '▀':
		return shape{rects: []rect{{0, 0, 1, 0.5, 1}}}, true
	case r >= '▁' && r <= '█': // lower eighths
		f := float64(r-'▁'+1) / 8
		return shape{rects: []rect{{0, 1 - f, 1, 1, 1}}}, true
	case r >= '▉' && r <= '▏': // left eighths, ▉ seven of them
		f := float64('▏'-r+1) / 8
		return shape{rects: []rect{{0, 0, f, 1, 1}}}, true
	case r == '▐':
		return shape{rects: []rect{{0.5, 0, 1, 1, 1}}}, true
	case r == '░' || r == '▒' || r == '▓':
		return shape{rects: []rect{{0, 0, 1, 1, float64(r-'░'+1) / 4}}}, true
	case r == '▔':
		return shape{rects: []rect{{0, 0, 1, 0.125, 1}}}, true
	case r == '▕':
		return shape{rects: []rect{{0.875, 0, 1, 1, 1}}}, true
	case r >= '▖' && r <= '▟':
		// quadrants: upper left, upper right, lower left, lower right
		q := map[rune][4]bool{
			'▖': {false, false, true, false}, '▗': {false, false, false, true}, '▘': {true, false, false, false},
			'▙': {true, false, true, true}, '▚': {true, false, false, true}, '▛': {true, true, true, false},
			'▜': {true, true, false, true}, '▝': {false, true, false, false}, '▞': {false, true, true, false},
			'▟': {false, true, true, true},
		}[r]
		var s shape
		for i, on := range q {
			if on {
				x, y := float64(i%2)/2, float64(i/2)/2
				s.rects = append(s.rects, rect{x, y, x + 0.5, y + 0.5, 1})
			}
		}
		return s, true
	case r == '⚿':
		// squared key (no free monospace font has it): a square outline and a key in it
		t := light
		s := shape{rects: []rect{
			{0.1, 0.25, 0.9, 0.25 + t/aspect, 1}, {0.1, 0.75 - t/aspect, 0.9, 0.75, 1},
			{0.1, 0.25, 0.1 + t, 0.75, 1}, {0.9 - t, 0.25, 0.9, 0.75, 1},
			{0.38, 0.33, 0.62, 0.45, 1}, {0.45, 0.45, 0.55, 0.68, 1}, {0.55, 0.58, 0.68, 0.63, 1},
		}}
		return s, true
	}
	return shape{}, false
}

// boxShape draws the arms of a box-drawing character from the cell's centre to its edges;
// each arm overlaps the centre by half a line so corners and crossings are closed. aspect is
// the cell's height over its width: lines are as thick across as down.
func boxShape(a arms, aspect float64) shape {
	tx := light          // a vertical line's width (fraction of the cell's width)
	ty := light / aspect // a horizontal line's height (fraction of the cell's height)
	var s shape
	for dir, w := range a {
		if w == 0 {
			continue
		}
		offsets := []float64{0}
		wx, wy := tx, ty
		switch w {
		case 2:
			wx, wy = 2*tx, 2*ty
		case 3:
			offsets = []float64{-1, 1}
		}
		for _, o := range offsets {
			switch dir {
			case 0, 2: // up, down: a vertical line
				cx := 0.5 + o*1.5*tx
				y0, y1 := 0.0, 0.5+wy/2
				if dir == 2 {
					y0, y1 = 0.5-wy/2, 1
				}
				s.rects = append(s.rects, rect{cx - wx/2, y0, cx + wx/2, y1, 1})
			case 1, 3: // right, left: a horizontal line
				cy := 0.5 + o*1.5*ty
				x0, x1 := 0.5-wx/2, 1.0
				if dir == 3 {
					x0, x1 = 0, 0.5+wx/2
				}
				s.rects = append(s.rects, rect{x0, cy - wy/2, x1, cy + wy/2, 1})
			}
		}
	}
	return s
}

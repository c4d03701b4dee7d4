package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// endScroller keeps a window of a page's lines on screen: the lines of the focused control
// stay visible, and a two-column gutter on the right shows that more is above or below. The
// page moves it in Layout (from the focus) and with scroll keys; view only reads it.
type endScroller struct{ off int }

// pageLines draws a page in width w: its rows (each at most w wide), their hits, and the
// first and last row of the focused control (top < 0: no focus to follow).
type pageLines func(w int) (lines []string, hits []Hit, top, bottom int)

// gutter is the width of the scroll arrows' column for a body w wide.
func gutter(w int) int {
	if w <= 4 {
		return 0
	}
	return 2
}

// layout moves the offset so that the focused control is in the h rows of a body w wide.
func (sc *endScroller) layout(draw pageLines, w, h int) {
	if h < 1 || w < 1 {
		return
	}
	lines, _, _, _ := draw(w)
	if len(lines) <= h {
		sc.off = 0
		return
	}
	lines, _, top, bottom := draw(w - gutter(w))
	if top >= 0 {
		if bottom-top+1 > h {
			bottom = top + h - 1
		}
		if top < sc.off {
			sc.off = top
		}
		if bottom >= sc.off+h {
			sc.off = bottom - h + 1
		}
	}
	sc.off = max(0, min(sc.off, len(lines)-h))
}

// overflows reports whether the page drawn in width w is taller than h rows: only then
// do scroll keys do anything.
func (sc endScroller) overflows(draw pageLines, w, h int) bool {
	lines, _, _, _ := draw(w)
	return len(lines) > h
}

// view draws the page in w×h: all of it when it fits, otherwise drawn a gutter narrower and
// cut to the h rows at the offset, with scroll arrows in the gutter.
func (sc endScroller) view(c *Env, draw pageLines, w, h int) (string, []Hit) {
	if h < 1 || w < 1 {
		return "", nil
	}
	if lines, hits, _, _ := draw(w); len(lines) <= h {
		return strings.Join(lines, "\n"), hits
	}
	g := gutter(w)
	lines, hits, _, _ := draw(w - g)
	off := max(0, min(sc.off, len(lines)-h))
	shown := make([]string, h)
	for i := range shown {
		l := lines[off+i]
		if g > 0 {
			mark := " "
			switch {
			case i == 0 && off > 0:
				mark = c.Glyphs.ScrollUp
			case i == h-1 && off+h < len(lines):
				mark = c.Glyphs.ScrollDown
			}
			l = padRight(ansi.Truncate(l, w-g, ""), w-g) + " " + c.Styles.Muted.Render(mark)
		}
		shown[i] = l
	}
	var out []Hit
	for _, ht := range hits {
		if ht.Y >= off && ht.Y < off+h {
			ht.Y -= off
			out = append(out, ht)
		}
	}
	return strings.Join(shown, "\n"), out
}

// scrollKey moves the offset for a scrolling key (up, down, page up and down, home, end) on
// a page with no focus to follow; it reports whether the key was one of them. Layout keeps
// the offset in range.
func (sc *endScroller) scrollKey(k KeyMap, msg tea.KeyPressMsg, h int) bool {
	switch {
	case key.Matches(msg, k.Up):
		sc.off = max(0, sc.off-1)
	case key.Matches(msg, k.Down):
		sc.off++
	case key.Matches(msg, k.PageUp):
		sc.off = max(0, sc.off-max(1, h-1))
	case key.Matches(msg, k.PageDown):
		sc.off += max(1, h-1)
	case key.Matches(msg, k.Home):
		sc.off = 0
	case key.Matches(msg, k.End):
		sc.off = 1 << 20
	default:
		return false
	}
	return true
}

// wheel scrolls with the mouse wheel.
func (sc *endScroller) wheel(msg tea.MouseWheelMsg) {
	switch msg.Mouse().Button {
	case tea.MouseWheelUp:
		sc.off = max(0, sc.off-1)
	case tea.MouseWheelDown:
		sc.off++
	}
}

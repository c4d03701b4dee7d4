package ui

import (
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/internal/termtext"
	"github.com/oobe-emu/oobe/themes"
)

// Smallest terminal the card layout is drawn in; below it a message asks for more room.
const (
	MinWidth  = 50
	MinHeight = 16
)

// minBodyHeight is the body height below which the subtitle gives way to the page.
const minBodyHeight = 9

// frameGeometry computes the card layout for the terminal size and the page's texts; the
// frame draws with the same numbers it gives the page, so the two always agree.
func (m *Model) frameGeometry(title, subtitle string) geometry {
	k := geometryKey{m.w, m.h, title, subtitle}
	if m.geom.ok && m.geom.key == k {
		return m.geom.g
	}
	g := m.drawGeometry(title, subtitle)
	m.geom.key, m.geom.g, m.geom.ok = k, g, true
	return g
}

// geometryKey is what a frame's geometry depends on (the theme apart).
type geometryKey struct {
	w, h            int
	title, subtitle string
}

// lastGeometry is the geometry computed last (frame and View both ask for it).
type lastGeometry struct {
	key geometryKey
	g   geometry
	ok  bool
}

func (m *Model) drawGeometry(title, subtitle string) (g geometry) {
	w, h := m.w, m.h
	g.win10 = m.env.Theme.Windows10
	if g.win10 {
		g.cardW = min(w, 110)
		g.innerW = g.cardW - 4
		g.cardH = h - 1
		g.innerH = g.cardH - 2
	} else {
		g.cardW = min(w-2, 90)
		g.cardH = min(h-1, 24)
		if w >= 120 && h >= 28 {
			g.cardW = min(w-8, 130)
			g.cardH = min(h-3, 32)
		}
		g.innerW = g.cardW - 6 // border 1 + padding 2 on each side
		g.innerH = g.cardH - 4 // border and padding 1 top and bottom
	}
	g.wide = !g.win10 && g.innerW >= 96
	if g.wide {
		g.leftW = g.innerW * 2 / 5
		g.bodyW = g.innerW - g.leftW - 3
	} else {
		g.bodyW = g.innerW
	}
	g.titleLines = wrapLines(title, textWidth(g))
	g.subLines = wrapLines(subtitle, textWidth(g))
	head := 0
	if !g.wide {
		head = len(g.titleLines) + 1
		if len(g.subLines) > 0 {
			head += len(g.subLines) + 1
		}
	}
	g.bodyH = g.innerH - head - 2 // blank line and the button row
	if !g.wide && len(g.subLines) > 0 && g.bodyH < minBodyHeight {
		// a cramped terminal: the page itself matters more than its explanation
		g.bodyH += len(g.subLines) + 1
		g.subLines = nil
	}
	return g
}

type geometry struct {
	win10, wide          bool
	cardW, cardH         int
	innerW, innerH       int
	leftW                int
	bodyW, bodyH         int
	titleLines, subLines []string
}

func textWidth(g geometry) int {
	if g.wide {
		return g.leftW
	}
	return g.innerW
}

// wrapLines wraps s to width and returns the lines; "" gives none.
func wrapLines(s string, width int) []string {
	if s == "" || width < 1 {
		return nil
	}
	return strings.Split(lipgloss.Wrap(s, width, " -"), "\n")
}

// fit pads or cuts every line of s to exactly w columns and s to exactly h lines.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fitLine(l, w)
	}
	return strings.Join(lines, "\n")
}

// width is the display width of s, with a fast path for plain ASCII.
//
// Lines of the UI are mostly ASCII with SGR colour sequences, box-drawing and block glyphs:
// those are counted directly (one cell per character, escape sequences none); a line with
// anything else (wide or combining characters) is measured by ansi.StringWidth.
func width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			j := skipEscape(s, i)
			if j < 0 {
				return ansi.StringWidth(s)
			}
			i = j
		case c < 0x80:
			if c >= 0x20 && c != 0x7f {
				n++
			}
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrow(r) {
				return ansi.StringWidth(s)
			}
			n++
			i += size
		}
	}
	return n
}

// skipEscape returns the index after the CSI or OSC sequence starting at s[i] (an ESC), or
// -1 for any other sequence.
func skipEscape(s string, i int) int {
	if i+1 >= len(s) {
		return -1
	}
	switch s[i+1] {
	case '[': // CSI: parameters, then a final byte 0x40–0x7e
		for j := i + 2; j < len(s); j++ {
			if c := s[j]; c >= 0x40 && c <= 0x7e {
				return j + 1
			}
		}
	case ']': // OSC: up to BEL or ST
		for j := i + 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
	}
	return -1
}

// narrow reports whether r is certainly one cell wide: Latin, Greek and Cyrillic letters,
// general punctuation, arrows, box drawing, blocks and the geometric shapes the glyph sets
// use.
func narrow(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0x2ff, // Latin-1 and Latin Extended, spacing modifiers
		r >= 0x370 && r <= 0x52f,   // Greek, Cyrillic
		r >= 0x2010 && r <= 0x2027, // dashes, quotes, bullet, ellipsis
		r >= 0x2030 && r <= 0x205e,
		r >= 0x2190 && r <= 0x21ff, // arrows
		r >= 0x2500 && r <= 0x25ff, // box drawing, blocks, geometric shapes
		r == 0x2713 || r == 0x2717 || r == 0x2610 || r == 0x2611 || r == 0x2612 || r == 0x276f:
		return true
	}
	return false
}

func padRight(s string, w int) string {
	if d := w - width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// renderButtons draws the buttons right-aligned in width, on as many rows as they need (the
// ESP error view can offer five), and returns the rows and the button hits (Y is the row).
func renderButtons(c *Env, bs []Button, width int) ([]string, []Hit) {
	st := c.Styles
	type drawn struct {
		s  string
		w  int
		id string
	}
	var all []drawn
	for _, b := range bs {
		style := st.Button
		switch {
		case b.Disabled:
			style = st.ButtonDisabled
		case b.Focused:
			style = st.ButtonFocused
		case b.Primary:
			style = st.ButtonPrimary
		}
		label := " " + b.Label + " "
		if c.Glyphs.Name == "ascii" || c.Profile <= colorprofile.ASCII { // no colour: brackets show the button
			label = "[ " + b.Label + " ]"
		}
		r := style.Render(label)
		all = append(all, drawn{r, lipgloss.Width(r), b.ID})
	}
	// fill rows from the end so the main button stays bottom right
	var rows [][]drawn
	for i := len(all) - 1; i >= 0; {
		var row []drawn
		used := 0
		for ; i >= 0; i-- {
			need := all[i].w
			if len(row) > 0 {
				need += 2
			}
			if len(row) > 0 && used+need > width {
				break
			}
			row = append([]drawn{all[i]}, row...)
			used += need
		}
		rows = append([][]drawn{row}, rows...)
	}
	var lines []string
	var hits []Hit
	for y, row := range rows {
		rw := 0
		for i, d := range row {
			if i > 0 {
				rw += 2
			}
			rw += d.w
		}
		x := max(0, width-rw)
		var b strings.Builder
		b.WriteString(strings.Repeat(" ", x))
		for i, d := range row {
			if i > 0 {
				b.WriteString("  ")
				x += 2
			}
			b.WriteString(d.s)
			hits = append(hits, Hit{Y: y, X0: x, X1: min(width, x+d.w), ID: d.id})
			x += d.w
		}
		line := b.String()
		if rw > width {
			line = ansi.Truncate(line, width, "")
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines, hits
}

// renderFrame draws card inside the whole terminal and returns the view content and where
// the clickable regions ended up.
func (m *Model) renderFrame(card Card, g geometry) (string, []Hit) {
	c := m.env
	st := c.Styles
	w, h := m.w, m.h
	btnLines, btnHits := renderButtons(c, card.Buttons, g.bodyW)
	extra := min(len(btnLines)-1, max(0, g.bodyH-1)) // more button rows take body lines
	dropped := len(btnLines) - 1 - extra             // rows that do not fit at all
	btnLines = btnLines[dropped:]
	g.bodyH -= extra
	body := fitLines(&m.lines.fit, strings.Split(card.Body, "\n"), g.bodyW, g.bodyH)

	var title []string
	for _, l := range g.titleLines {
		title = append(title, m.lines.text.get("title\x00"+l, func() string { return st.Title.Render(l) }))
	}
	var sub []string
	for _, l := range g.subLines {
		sub = append(sub, m.lines.text.get("subtitle\x00"+l, func() string { return st.Subtitle.Render(l) }))
	}

	var inner []rowKey
	var bodyDX, bodyDY, btnDY int
	if g.wide {
		left := title
		if len(sub) > 0 {
			left = append(append(left, ""), sub...)
		}
		if art := m.illustration(g.leftW, g.innerH-len(left)-2); art != "" {
			left = append(left, strings.Split(art, "\n")[1:]...) // art starts with its own line break
		}
		left = fitLines(&m.lines.fit, left, g.leftW, g.innerH)
		right := fitLines(&m.lines.fit, append(append(body, ""), btnLines...), g.bodyW, g.innerH)
		inner = make([]rowKey, len(left))
		for i := range left {
			inner[i] = rowKey{left: left[i], right: right[i]}
		}
		bodyDX = g.leftW + 3
		btnDY = g.bodyH + 1
	} else {
		parts := append(title, "")
		bodyDY = len(title) + 1
		if len(sub) > 0 {
			parts = append(append(parts, sub...), "")
			bodyDY += len(sub) + 1
		}
		parts = append(append(append(parts, body...), ""), btnLines...)
		btnDY = bodyDY + g.bodyH + 1
		for _, l := range fitLines(&m.lines.fit, parts, g.innerW, g.innerH) {
			inner = append(inner, rowKey{left: l})
		}
	}
	area := h - 1
	var ox, oy int
	if !g.win10 {
		ox, oy = max(0, (w-g.cardW)/2), max(0, (area-g.cardH)/2)
	}
	screen, padX, padY := m.compose(inner, g, area, ox, oy, m.helpLine(card, w))
	if !g.win10 {
		screen = m.drawHandout(screen, ox, g.cardW, oy)
	}

	var hits []Hit
	for _, ht := range card.Hits {
		hits = append(hits, Hit{Y: oy + padY + bodyDY + ht.Y, X0: ox + padX + bodyDX + ht.X0, X1: ox + padX + bodyDX + ht.X1, ID: "click:" + ht.ID})
	}
	for _, ht := range btnHits {
		if ht.Y -= dropped; ht.Y < 0 {
			continue // a row that did not fit
		}
		hits = append(hits, Hit{Y: oy + padY + btnDY + ht.Y, X0: ox + padX + bodyDX + ht.X0, X1: ox + padX + bodyDX + ht.X1, ID: "button:" + ht.ID})
	}
	hits = append(hits, m.helpHits(card, w, h-1)...)
	return screen, hits
}

// illustration returns the current page's picture, centred in width w, preceded by two blank
// lines, or "" when it does not fit in h lines.
func (m *Model) illustration(w, h int) string {
	c := m.env
	step := m.run.Step()
	if step == "" {
		return ""
	}
	if il, ok := m.nav.top().(illustrated); ok {
		if art := il.Illustration(w, min(h-3, 14)); art != "" {
			return "\n\n\n" + art
		}
	}
	key := fmt.Sprint("art", step, c.Glyphs.Name, c.Theme.Name, c.Profile, w, h)
	return m.memo.get(key, func() string {
		art := assets.Art(string(step), c.Glyphs.IsASCII())
		if art == "" || lipgloss.Height(art) > h || lipgloss.Width(art) > w {
			return ""
		}
		lines := strings.Split(art, "\n")
		pad := strings.Repeat(" ", (w-lipgloss.Width(art))/2)
		for i, l := range lines {
			lines[i] = pad + c.Styles.ProgressFilled.Render(l)
		}
		return "\n\n\n" + strings.Join(lines, "\n")
	})
}

// memo keeps the last few drawn pieces that only change with their key (pictures, the help
// line), so an unchanged frame does not draw them again.
type memo map[string]string

func (m *memo) get(key string, draw func() string) string {
	if v, ok := (*m)[key]; ok {
		return v
	}
	if *m == nil || len(*m) > 64 {
		*m = memo{}
	}
	v := draw()
	(*m)[key] = v
	return v
}

// lineMemo keeps drawn lines by what they were drawn from (K), so a frame that changed in
// one line draws one line: the lines of the last frames stay, a bounded number of them (two
// generations of lineMemoSize).
type lineMemo[K comparable] struct{ cur, old map[K]string }

// lineMemoSize bounds a generation: a few full screens of lines.
const lineMemoSize = 1024

func (m *lineMemo[K]) get(key K, draw func() string) string {
	if v, ok := m.cur[key]; ok {
		return v
	}
	v, ok := m.old[key]
	if !ok {
		v = draw()
	}
	if m.cur == nil || len(m.cur) >= lineMemoSize {
		m.old, m.cur = m.cur, make(map[K]string, lineMemoSize)
	}
	m.cur[key] = v
	return v
}

// drawnLines are the model's memos of drawn lines: lines fitted to a width, the title and
// subtitle, and whole rows of the card on the screen.
type drawnLines struct {
	fit  lineMemo[fitKey]
	text lineMemo[string]
	rows lineMemo[rowKey]
	// lastRows are the inner rows of the last frame, compared by position first.
	lastRows, spareRows []drawnRow
}

// drawnRow is one inner row of a frame and its drawing.
type drawnRow struct {
	key rowKey
	row string
}

type fitKey struct {
	w    int
	line string
}

// rowKey is one screen row of the card: its geometry, and the inner line (left and right
// halves in the wide layout).
type rowKey struct {
	geo         rowGeometry
	left, right string
}

type rowGeometry struct {
	cardW, w, ox, innerW int
	win10                bool
	rebase               string
}

// fitLine pads or cuts l to exactly w columns (one line of fit).
func fitLine(l string, w int) string {
	lw := width(l)
	if lw > w {
		l = ansi.Truncate(l, w, "")
		lw = width(l)
	}
	return l + strings.Repeat(" ", max(0, w-lw))
}

// fitLines is fit on lines, each remembered in lm: a new slice of exactly h lines of exactly
// w columns.
func fitLines(lm *lineMemo[fitKey], lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			l := lines[i]
			out[i] = lm.get(fitKey{w, l}, func() string { return fitLine(l, w) })
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return out
}

// fitted is fit with each line remembered in lm.
func fitted(lm *lineMemo[fitKey], s string, w, h int) string {
	return strings.Join(fitLines(lm, strings.Split(s, "\n"), w, h), "\n")
}

// rebase keeps background bg under every cell of s: inner styles end with a reset that would
// otherwise punch holes of terminal colour into the card.
func rebase(s string, bg color.Color) string {
	r, g, b, _ := bg.RGBA()
	seq := fmt.Sprintf("\x1b[48;2;%d;%d;%dm", r>>8, g>>8, b>>8)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.ReplaceAll(l, "\x1b[0m", "\x1b[0m"+seq)
		l = strings.ReplaceAll(l, "\x1b[m", "\x1b[m"+seq)
		lines[i] = seq + l + "\x1b[m"
	}
	return strings.Join(lines, "\n")
}

// compose draws the card around inner (rows exactly g.innerW wide: left, "   ", right in
// the wide layout) at (ox, oy) of a
// w×area screen filled with the app background, the help line below, and returns the screen
// and the offset of inner within the card. Each row of the card is drawn whole (background kept under every
// cell, edges, padding and the screen around it) and remembered by its content, so a frame
// in which one line changed draws that line alone.
func (m *Model) compose(inner []rowKey, g geometry, area, ox, oy int, helpLine string) (string, int, int) {
	c := m.env
	bp := m.pieces.box(c, g)
	pp := m.pieces.place(c, g.cardW, m.w, ox)
	rebase := ""
	if themes.UsesColor(c.Profile) {
		bg := c.Theme.Palette.Card
		if g.win10 {
			bg = c.Theme.Palette.Background
		}
		r, gr, b, _ := bg.RGBA()
		rebase = fmt.Sprintf("\x1b[48;2;%d;%d;%dm", r>>8, gr>>8, b>>8)
	}
	cut := ox+g.cardW > m.w // the card is wider than the screen (never with today's sizes)
	row := func(l string) string {
		if cut {
			l = ansi.Truncate(l, m.w-ox, "")
		}
		return pp.left + l + pp.right
	}
	var card []string
	if bp.top != "" {
		card = append(card, row(bp.top))
	}
	for range bp.padY {
		card = append(card, row(bp.blank))
	}
	geo := rowGeometry{cardW: g.cardW, w: m.w, ox: ox, innerW: g.innerW, win10: g.win10, rebase: rebase}
	last := m.lines.lastRows
	m.lines.lastRows, m.lines.spareRows = m.lines.spareRows[:0], last // two buffers, swapped
	for i, k := range inner {
		k.geo = geo
		m.lines.lastRows = append(m.lines.lastRows, drawnRow{k, ""})
		if i < len(last) && last[i].key == k { // the same strings as last frame: cheap to compare
			card = append(card, last[i].row)
			m.lines.lastRows[i].row = last[i].row
			continue
		}
		card = append(card, m.lines.rows.get(k, func() string {
			l := k.left
			if g.wide {
				l += "   " + k.right
			}
			if rebase != "" {
				l = strings.ReplaceAll(l, "\x1b[0m", "\x1b[0m"+rebase)
				l = strings.ReplaceAll(l, "\x1b[m", "\x1b[m"+rebase)
				l = rebase + l + "\x1b[m"
			}
			return row(bp.left + l + bp.right)
		}))
		m.lines.lastRows[i].row = card[len(card)-1]
	}
	for range bp.padY {
		card = append(card, row(bp.blank))
	}
	padX, padY := bp.padX, bp.padY
	if bp.bottom != "" {
		card = append(card, row(bp.bottom))
		padX++
		padY++
	}
	rowAt := func(r int) string {
		if i := r - oy; i >= 0 && i < len(card) {
			return card[i]
		}
		return pp.blank
	}
	n := len(helpLine)
	for r := range area {
		n += len(rowAt(r)) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for r := range area {
		b.WriteString(rowAt(r))
		b.WriteByte('\n')
	}
	b.WriteString(helpLine)
	return b.String(), padX, padY
}

// pieces keeps the drawn pieces of the card and the screen around it, per size.
type pieces struct {
	boxes  map[boxKey]boxParts
	places map[placeKey]placeParts
}

type boxKey struct {
	innerW int
	win10  bool
}

// boxParts are a card's edges: left and right include the padding.
type boxParts struct {
	top, bottom, left, right, blank string
	padX, padY                      int
}

func (pc *pieces) box(c *Env, g geometry) boxParts {
	k := boxKey{g.innerW, g.win10}
	if bp, ok := pc.boxes[k]; ok {
		return bp
	}
	st := c.Styles.Card
	padY, padX := st.GetPaddingTop(), st.GetPaddingLeft()
	bgStyle := lipgloss.NewStyle().Background(st.GetBackground())
	var b lipgloss.Border
	hasBorder := !g.win10
	if hasBorder {
		b = st.GetBorderStyle()
	}
	bs := lipgloss.NewStyle().Foreground(st.GetBorderTopForeground()).Background(st.GetBorderTopBackground())
	fillW := g.innerW + 2*padX
	side := func(edge string) string {
		if !hasBorder {
			return ""
		}
		return bs.Render(edge)
	}
	padL := bgStyle.Render(strings.Repeat(" ", padX))
	bp := boxParts{left: side(b.Left) + padL, right: padL + side(b.Right), padX: padX, padY: padY}
	bp.blank = side(b.Left) + bgStyle.Render(strings.Repeat(" ", fillW)) + side(b.Right)
	if hasBorder {
		bp.top = bs.Render(b.TopLeft + strings.Repeat(b.Top, fillW) + b.TopRight)
		bp.bottom = bs.Render(b.BottomLeft + strings.Repeat(b.Bottom, fillW) + b.BottomRight)
	}
	if pc.boxes == nil || len(pc.boxes) > 16 {
		pc.boxes = map[boxKey]boxParts{}
	}
	pc.boxes[k] = bp
	return bp
}

type placeKey struct{ bw, w, x int }

// placeParts are the background around a block: a blank row, and the pads left and right.
type placeParts struct{ blank, left, right string }

func (pc *pieces) place(c *Env, bw, w, x int) placeParts {
	k := placeKey{bw, w, x}
	if pp, ok := pc.places[k]; ok {
		return pp
	}
	bg := c.Styles.App
	pp := placeParts{
		blank: bg.Render(strings.Repeat(" ", w)),
		left:  bg.Render(strings.Repeat(" ", x)),
		right: bg.Render(strings.Repeat(" ", max(0, w-x-bw))),
	}
	if pc.places == nil || len(pc.places) > 16 {
		pc.places = map[placeKey]placeParts{}
	}
	pc.places[k] = pp
	return pp
}

// place puts block, whose lines are bw wide, at (x, y) in a w×h area filled with the app
// background.
func place(c *Env, pc *pieces, block string, bw, w, h, x, y int) string {
	pp := pc.place(c, bw, w, x)
	lines := strings.Split(block, "\n")
	out := make([]string, 0, h)
	for row := 0; row < h; row++ {
		i := row - y
		if i < 0 || i >= len(lines) {
			out = append(out, pp.blank)
			continue
		}
		l := lines[i]
		if x+bw > w {
			l = ansi.Truncate(l, w-x, "")
		}
		out = append(out, pp.left+l+pp.right)
	}
	return strings.Join(out, "\n")
}

// helpKey is everything the help line of card depends on, the width apart.
func (m *Model) helpKey(card Card) string {
	c := m.env
	var key strings.Builder
	key.WriteString("help|" + c.Cat.Locale())
	for _, b := range card.Help {
		key.WriteString("|" + b.Help().Key + "\x00" + b.Help().Desc)
	}
	_, throttle := m.clock.(flow.Throttle)
	key.WriteString("|ff" + strconv.FormatBool(throttle) + strconv.FormatFloat(m.normalSpeed, 'g', -1, 64))
	if m.recordErr != nil {
		key.WriteString("|rec" + m.recordErr.Error())
	}
	if m.note != "" {
		key.WriteString("|note" + m.note)
	}
	return key.String()
}

// helpHits are the clickable keys of the help line on row y: a mouse-only user clicks "esc
// back" to go back, "f1 all keys" for the list. Only keys a click can stand for are listed.
func (m *Model) helpHits(card Card, w, y int) []Hit {
	if m.recordErr != nil || m.note != "" {
		return nil // the line says the record stopped, or where the screen was saved
	}
	key := m.helpKey(card) + "|" + strconv.Itoa(w) + "|" + strconv.Itoa(y)
	if m.hits.ok && m.hits.key == key {
		return m.hits.hits // the help line did not change
	}
	hits := m.findHelpHits(card, w, y)
	m.hits = helpHitsMemo{ok: true, key: key, hits: hits}
	return hits
}

// helpHitsMemo is the last help line's clickable keys.
type helpHitsMemo struct {
	ok   bool
	key  string
	hits []Hit
}

// findHelpHits finds where the clickable keys are on the help line.
func (m *Model) findHelpHits(card Card, w, y int) []Hit {
	c := m.env
	plain := ansi.Strip(m.helpLine(card, w))
	var hits []Hit
	for _, b := range append(append([]key.Binding(nil), card.Help...), c.Keys.FastForward, c.Keys.Trainer, c.Keys.Help, c.Keys.Quit) {
		k := b.Help().Key
		if _, ok := clickableKeys[k]; !ok {
			continue
		}
		text := k + " " + b.Help().Desc
		if m.normalSpeed != 0 && k == c.Keys.FastForward.Help().Key {
			text = k + " " + c.T("help.normal_speed")
		}
		if i := strings.Index(plain, text); i >= 0 {
			x := ansi.StringWidth(plain[:i])
			hits = append(hits, Hit{Y: y, X0: x, X1: x + ansi.StringWidth(text), ID: "click:help:" + k})
		}
	}
	return hits
}

// clickableKeys are the keys a click on the help line presses.
var clickableKeys = map[string]tea.KeyPressMsg{
	"esc": {Code: tea.KeyEscape}, "f1": {Code: tea.KeyF1}, "f6": {Code: tea.KeyF6}, "f9": {Code: tea.KeyF9},
}

// helpLine renders the key help for card, one line of width w.
func (m *Model) helpLine(card Card, w int) string {
	return m.memo.get(m.helpKey(card)+"|"+strconv.Itoa(w), func() string { return m.drawHelpLine(card, w) })
}

// frameKey is what a drawn frame depends on besides its card: the page and step (their
// pictures), the size, the headings and the help line.
type frameKey struct {
	page             Page
	step             flow.StepID
	w, h             int
	title, sub, help string
}

// lastFrame is the frame drawn last: a message that changed nothing on screen (most of a
// replayed run's) gets it again without drawing.
type lastFrame struct {
	ok      bool
	key     frameKey
	card    Card
	content string
	hits    []Hit
}

// sameCard reports whether two cards draw the same (the help bindings are in the key).
func sameCard(a, b Card) bool {
	return a.Body == b.Body && slices.Equal(a.Hits, b.Hits) && slices.Equal(a.Buttons, b.Buttons)
}

func (m *Model) drawHelpLine(card Card, w int) string {
	c := m.env
	if m.recordErr != nil {
		msg := c.Styles.Error.Render(" " + c.Glyphs.Warning + " " + c.T("app.record_failed", "error", termtext.Clean(shortError(m.recordErr))))
		line := padRight(ansi.Truncate(msg, w, c.Glyphs.Ellipsis), w)
		if themes.UsesColor(c.Profile) {
			return rebase(line, c.Theme.Palette.Background)
		}
		return line
	}
	if m.note != "" {
		st := c.Styles.HelpDesc
		if m.noteErr {
			st = c.Styles.Error
		}
		line := padRight(ansi.Truncate(st.Render(" "+m.note), w, c.Glyphs.Ellipsis), w)
		if themes.UsesColor(c.Profile) {
			return rebase(line, c.Theme.Palette.Background)
		}
		return line
	}
	hm := help.New()
	hm.Styles = help.Styles{
		ShortKey:       c.Styles.HelpKey,
		ShortDesc:      c.Styles.HelpDesc,
		ShortSeparator: c.Styles.HelpSep,
		Ellipsis:       c.Styles.HelpSep,
	}
	hm.ShortSeparator = " " + c.Glyphs.Bullet + " "
	hm.Ellipsis = c.Glyphs.Ellipsis
	bindings := append([]key.Binding(nil), card.Help...)
	// F1 (every key) and quit are always shown, at the end, and so is F6 while it
	// fast-forwards: the page's keys get the rest of the line and lose their last ones first
	// when it is too narrow
	always := []key.Binding{c.Keys.Help, c.Keys.Quit}
	if m.trainer {
		always = append([]key.Binding{c.Keys.Trainer}, always...)
	}
	if _, ok := m.clock.(flow.Throttle); ok {
		ff := c.Keys.FastForward
		if m.normalSpeed != 0 {
			ff.SetHelp(ff.Help().Key, c.T("help.normal_speed"))
			always = append([]key.Binding{ff}, always...)
		} else {
			bindings = append(bindings, ff)
		}
	}
	hm.SetWidth(0)
	tail := hm.ShortHelpView(always)
	text := tail
	if room := w - 2 - lipgloss.Width(tail) - lipgloss.Width(hm.ShortSeparator); room > 0 {
		hm.SetWidth(room)
		if head := hm.ShortHelpView(bindings); head != "" {
			text = head + hm.Styles.ShortSeparator.Render(hm.ShortSeparator) + tail
		}
	}
	line := padRight(ansi.Truncate(" "+text, w, ""), w)
	if themes.UsesColor(c.Profile) {
		return rebase(line, c.Theme.Palette.Background)
	}
	return line
}

// tooSmall is the one message shown when the terminal cannot hold the card.
func (m *Model) tooSmall() string {
	msg := m.env.T("app.too_small", "w", strconv.Itoa(MinWidth), "h", strconv.Itoa(MinHeight))
	lines := wrapLines(msg, max(1, m.w))
	return fit(strings.Join(lines, "\n"), m.w, m.h)
}

// mouseHandler turns a click into the message for whatever was drawn under it.
func mouseHandler(hits []Hit) func(tea.MouseMsg) tea.Cmd {
	return func(msg tea.MouseMsg) tea.Cmd {
		click, ok := msg.(tea.MouseClickMsg)
		if !ok || click.Button != tea.MouseLeft {
			return nil
		}
		mo := click.Mouse()
		for _, ht := range hits {
			if mo.Y == ht.Y && mo.X >= ht.X0 && mo.X < ht.X1 {
				id := ht.ID
				return func() tea.Msg {
					if after, ok := strings.CutPrefix(id, "button:"); ok {
						return ButtonMsg{ID: after}
					}
					return ClickMsg{ID: strings.TrimPrefix(id, "click:")}
				}
			}
		}
		return nil
	}
}

// shortError is err without the file name a path error repeats (the record's file is named
// at exit): what fits in one line.
func shortError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
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
// frame draws with the same numbers it gives the screen, so the two always agree.
func (m *Model) frameGeometry(title, subtitle string) (g geometry) {
	c := m.common
	w, h := c.Width, c.Height
	g.win10 = c.Windows10()
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
		lw := width(l)
		if lw > w {
			l = ansi.Truncate(l, w, "")
			lw = width(l)
		}
		lines[i] = l + strings.Repeat(" ", max(0, w-lw))
	}
	return strings.Join(lines, "\n")
}

// width is the display width of s, with a fast path for plain ASCII.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == 0x1b {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

func padRight(s string, w int) string {
	if d := w - width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// renderButtons draws the buttons right-aligned in width, on as many rows as they need (the
// ESP error view can offer five), and returns the rows and the button hits (Y is the row).
func renderButtons(c *Common, bs []Button, width int) ([]string, []Hit) {
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
	c := m.common
	st := c.Styles
	w, h := c.Width, c.Height
	btnLines, btnHits := renderButtons(c, card.Buttons, g.bodyW)
	extra := min(len(btnLines)-1, max(0, g.bodyH-1)) // more button rows take body lines
	dropped := len(btnLines) - 1 - extra             // rows that do not fit at all
	btnLines = btnLines[dropped:]
	g.bodyH -= extra
	body := fit(card.Body, g.bodyW, g.bodyH)
	btnRow := strings.Join(btnLines, "\n")

	var title []string
	for _, l := range g.titleLines {
		title = append(title, st.Title.Render(l))
	}
	var sub []string
	for _, l := range g.subLines {
		sub = append(sub, st.Subtitle.Render(l))
	}

	var inner string
	var bodyDX, bodyDY, btnDY int
	if g.wide {
		left := strings.Join(title, "\n")
		if len(sub) > 0 {
			left += "\n\n" + strings.Join(sub, "\n")
		}
		left += m.illustration(g.leftW, g.innerH-lipgloss.Height(left)-2)
		left = fit(left, g.leftW, g.innerH)
		right := body + "\n\n" + btnRow
		right = fit(right, g.bodyW, g.innerH)
		ll, rl := strings.Split(left, "\n"), strings.Split(right, "\n")
		for i := range ll {
			ll[i] += "   " + rl[i]
		}
		inner = strings.Join(ll, "\n")
		bodyDX = g.leftW + 3
		btnDY = g.bodyH + 1
	} else {
		var parts []string
		parts = append(parts, strings.Join(title, "\n"), "")
		bodyDY = len(title) + 1
		if len(sub) > 0 {
			parts = append(parts, strings.Join(sub, "\n"), "")
			bodyDY += len(sub) + 1
		}
		parts = append(parts, body, "", btnRow)
		btnDY = bodyDY + g.bodyH + 1
		inner = fit(strings.Join(parts, "\n"), g.innerW, g.innerH)
	}
	if themes.UsesColor(c.Profile) {
		bg := c.Theme.Palette.Card
		if g.win10 {
			bg = c.Theme.Palette.Background
		}
		inner = rebase(inner, bg)
	}

	boxed, padX, padY := box(c, inner, g)
	helpLine := m.helpLine(card, w)
	area := h - 1
	var ox, oy int
	if !g.win10 {
		ox, oy = max(0, (w-g.cardW)/2), max(0, (area-g.cardH)/2)
	}
	screen := place(c, boxed, g.cardW, w, area, ox, oy) + "\n" + helpLine

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
	return screen, hits
}

// illustrated is implemented by screens that draw their own picture in the wide layout's
// left column (the sign-in page shows the company logo there).
type illustrated interface {
	// Illustration returns the picture for at most w×h cells, or "" for the default one.
	Illustration(w, h int) string
}

// illustration returns the current page's picture, centred in width w, preceded by two blank
// lines, or "" when it does not fit in h lines.
func (m *Model) illustration(w, h int) string {
	c := m.common
	if c.Session == nil {
		return ""
	}
	if il, ok := m.screen.(illustrated); ok {
		if art := il.Illustration(w, min(h-3, 14)); art != "" {
			return "\n\n\n" + art
		}
	}
	key := fmt.Sprint("art", c.Session.Current(), c.Glyphs.Name, c.Theme.Name, c.Profile, w, h)
	return m.memo.get(key, func() string {
		art := assets.Art(string(c.Session.Current()), c.Glyphs.IsASCII())
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

// box draws the card's border and padding around inner, whose lines are exactly g.innerW
// wide; it returns the card and the offset of inner within it. Drawing it by hand instead
// of with Style.Render saves measuring every line again (most of a frame's cost).
func box(c *Common, inner string, g geometry) (string, int, int) {
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
	left, right := side(b.Left), side(b.Right)
	padL := bgStyle.Render(strings.Repeat(" ", padX))
	blank := left + bgStyle.Render(strings.Repeat(" ", fillW)) + right
	lines := make([]string, 0, g.innerH+2*padY+2)
	if hasBorder {
		lines = append(lines, bs.Render(b.TopLeft+strings.Repeat(b.Top, fillW)+b.TopRight))
	}
	for i := 0; i < padY; i++ {
		lines = append(lines, blank)
	}
	for _, l := range strings.Split(inner, "\n") {
		lines = append(lines, left+padL+l+padL+right)
	}
	for i := 0; i < padY; i++ {
		lines = append(lines, blank)
	}
	if hasBorder {
		lines = append(lines, bs.Render(b.BottomLeft+strings.Repeat(b.Bottom, fillW)+b.BottomRight))
		padX++
		padY++
	}
	return strings.Join(lines, "\n"), padX, padY
}

// place puts block, whose lines are bw wide, at (x, y) in a w×h area filled with the app
// background.
func place(c *Common, block string, bw, w, h, x, y int) string {
	bg := c.Styles.App
	blank := bg.Render(strings.Repeat(" ", w))
	lines := strings.Split(block, "\n")
	leftPad := bg.Render(strings.Repeat(" ", x))
	rightPad := bg.Render(strings.Repeat(" ", max(0, w-x-bw)))
	out := make([]string, 0, h)
	for row := 0; row < h; row++ {
		i := row - y
		if i < 0 || i >= len(lines) {
			out = append(out, blank)
			continue
		}
		l := lines[i]
		if x+bw > w {
			l = ansi.Truncate(l, w-x, "")
		}
		out = append(out, leftPad+l+rightPad)
	}
	return strings.Join(out, "\n")
}

// helpLine renders the key help for card, one line of width w.
func (m *Model) helpLine(card Card, w int) string {
	c := m.common
	var key strings.Builder
	fmt.Fprint(&key, "help", c.Cat.Locale(), c.Theme.Name, c.Glyphs.Name, c.Profile, w)
	for _, b := range card.Help {
		key.WriteString("|" + b.Help().Key + b.Help().Desc)
	}
	fmt.Fprint(&key, "|ff", m.normalSpeed)
	return m.memo.get(key.String(), func() string { return m.drawHelpLine(card, w) })
}

func (m *Model) drawHelpLine(card Card, w int) string {
	c := m.common
	hm := help.New()
	hm.Styles = help.Styles{
		ShortKey:       c.Styles.HelpKey,
		ShortDesc:      c.Styles.HelpDesc,
		ShortSeparator: c.Styles.HelpSep,
		Ellipsis:       c.Styles.HelpSep,
	}
	hm.ShortSeparator = " " + c.Glyphs.Bullet + " "
	hm.Ellipsis = c.Glyphs.Ellipsis
	hm.SetWidth(max(1, w-2))
	bindings := append([]key.Binding(nil), card.Help...)
	if _, ok := c.Clock.(flow.Throttle); ok {
		ff := c.Keys.FastForward
		if m.normalSpeed != 0 {
			ff.SetHelp(ff.Help().Key, c.T("help.normal_speed"))
		}
		bindings = append(bindings, ff)
	}
	bindings = append(bindings, c.Keys.Quit)
	line := padRight(ansi.Truncate(" "+hm.ShortHelpView(bindings), w, ""), w)
	if themes.UsesColor(c.Profile) {
		return rebase(line, c.Theme.Palette.Background)
	}
	return line
}

// tooSmall is the one message shown when the terminal cannot hold the card.
func (m *Model) tooSmall() string {
	c := m.common
	msg := c.T("app.too_small", "w", strconv.Itoa(MinWidth), "h", strconv.Itoa(MinHeight))
	lines := wrapLines(msg, max(1, c.Width))
	return fit(strings.Join(lines, "\n"), c.Width, c.Height)
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

package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// helpOverlay is F1: every key of the page on screen and of the app, in a box above the
// page, until F1, Esc or Enter closes it.
type helpOverlay struct {
	env     *Env
	keys    []key.Binding
	handout []flow.HandoutLine // a practice run's hand-out, listed under the keys
	closed  bool
}

// newHelpOverlay lists the page's bindings, then the app's own.
func newHelpOverlay(c *Env, page []key.Binding, handout []flow.HandoutLine) *helpOverlay {
	k := c.Keys
	all := append([]key.Binding(nil), page...)
	all = append(all, k.Help, k.FastForward, k.Quit)
	var out []key.Binding
	seen := map[string]bool{}
	for _, b := range all {
		h := b.Help()
		if h.Key == "" || seen[h.Key] {
			continue
		}
		seen[h.Key] = true
		out = append(out, b)
	}
	return &helpOverlay{env: c, keys: out, handout: handout}
}

// Closed reports whether the overlay was closed.
func (o *helpOverlay) Closed() bool { return o.closed }

func (o *helpOverlay) Heading() (string, string) { return o.env.T("help.title"), "" }

func (o *helpOverlay) Update(msg tea.Msg) tea.Cmd {
	if pressed(msg, o.env.Keys.Back) || pressed(msg, o.env.Keys.Enter) {
		o.closed = true
	}
	return nil
}

func (o *helpOverlay) View(f Frame) Card {
	c := o.env
	st := c.Styles
	keyW := 0
	for _, b := range o.keys {
		keyW = max(keyW, lipgloss.Width(b.Help().Key))
	}
	lines := []string{st.Title.Render(ansi.Truncate(c.T("help.title"), f.W, c.Glyphs.Ellipsis)), ""}
	for _, b := range o.keys {
		h := b.Help()
		lines = append(lines, ansi.Truncate(st.HelpKey.Render(padRight(h.Key, keyW))+"  "+st.Text.Render(h.Desc), f.W, c.Glyphs.Ellipsis))
	}
	if len(o.handout) > 0 {
		lines = append(append(lines, ""), handoutLines(c, o.handout, f.W)...)
	}
	lines = append(lines, "", st.Muted.Render(ansi.Truncate(c.T("help.close"), f.W, c.Glyphs.Ellipsis)))
	return Card{Body: strings.Join(lines, "\n")}
}

// handoutLines draws a practice run's hand-out in width w: a title, then each line's label
// and what to type.
func handoutLines(c *Env, h []flow.HandoutLine, w int) []string {
	st, g := c.Styles, c.Glyphs
	labelW, valueW := 0, 0
	for _, l := range h {
		labelW, valueW = max(labelW, lipgloss.Width(l.Label)), max(valueW, lipgloss.Width(l.Value))
	}
	lines := []string{st.Title.Render(ansi.Truncate(c.T("handout.title"), w, g.Ellipsis))}
	for _, l := range h {
		if labelW+2+valueW <= w {
			lines = append(lines, st.Muted.Render(padRight(l.Label, labelW))+"  "+st.Text.Render(l.Value))
			continue
		}
		// too narrow for both side by side: what to type goes under its label, whole
		lines = append(lines, st.Muted.Render(ansi.Truncate(l.Label, w, g.Ellipsis)), st.Text.Render(" "+l.Value))
	}
	return lines
}

// drawHandout puts a practice run's hand-out in a box to the right of the card when the
// terminal has room there (the card is ox..ox+cardW); F1 lists it whatever the width.
func (m *Model) drawHandout(content string, ox, cardW, oy int) string {
	h := m.run.Boot().Handout
	room := m.w - (ox + cardW) - 1
	if len(h) == 0 || room < 20 {
		return content
	}
	c := m.env
	box := c.Styles.Card.Padding(0, 1).Render(strings.Join(handoutLines(c, h, room-4), "\n"))
	if lipgloss.Width(box) > room || lipgloss.Height(box) > m.h-1 {
		return content // F1 lists it
	}
	// the box goes in the empty margin: each of its rows replaces the columns it covers (a
	// compositor would redraw the whole screen cell by cell)
	lines := strings.Split(content, "\n")
	x := ox + cardW + 1
	bw := lipgloss.Width(box)
	for i, row := range strings.Split(box, "\n") {
		if y := oy + i; y < len(lines) {
			l := lines[y]
			lines[y] = padRight(ansi.Truncate(l, x, ""), x) + row + ansi.TruncateLeft(l, x+bw, "")
		}
	}
	return strings.Join(lines, "\n")
}

// drawOverlay draws the overlay in a bordered box in the middle of the frame content.
func (m *Model) drawOverlay(content string) string {
	c := m.env
	w := min(m.w-4, 56)
	if o, ok := m.overlay.(interface{ width() int }); ok {
		w = min(m.w-2, o.width())
	}
	card := m.overlay.View(Frame{W: w - c.Styles.Card.GetHorizontalFrameSize(), H: m.h - c.Styles.Card.GetVerticalFrameSize()})
	box := c.Styles.Card.Width(w).Render(card.Body)
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	if bh > m.h {
		return content
	}
	// a Layer drawn on a Canvas alone ignores its offset: the Compositor places them
	screen := lipgloss.NewCompositor(lipgloss.NewLayer(content),
		lipgloss.NewLayer(box).X(max(0, (m.w-bw)/2)).Y(max(0, (m.h-bh)/2)).Z(1))
	return lipgloss.NewCanvas(m.w, m.h).Compose(screen).Render()
}

// isInput reports whether msg is the person at the keyboard or the mouse.
func isInput(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg, tea.MouseWheelMsg, ClickMsg, ButtonMsg:
		return true
	}
	return false
}

package ui

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// fsiaPage is the first sign-in animation between the device and the user phases: a
// full-screen "Hi" with a spinner; the run moves on by itself after a short emulated pause.
type fsiaPage struct{ pageCtx }

func newFSIAPage(c pageCtx) Page { return &fsiaPage{pageCtx: c} }

// FullScreen: the animation covers the whole screen, as on Windows.
func (p *fsiaPage) FullScreen() bool { return true }

// Busy: the spinner turns.
func (p *fsiaPage) Busy() bool { return true }

func (p *fsiaPage) Heading() (string, string) {
	title := p.env.T("fsia.hi")
	if name := p.run.Greeting(); name != "" {
		title = p.env.T("fsia.hi_name", "name", name)
	}
	return title, p.env.T("fsia.subtitle")
}

func (p *fsiaPage) Update(tea.Msg) tea.Cmd { return nil }

func (p *fsiaPage) View(f Frame) Card {
	c := p.env
	st := c.Styles
	w, h := f.W, f.H
	title, sub := p.Heading()
	var block []string
	add := func(style lipgloss.Style, text string) {
		for _, l := range wrapLines(text, w) {
			block = append(block, style.Render(l))
		}
	}
	add(st.Title, title)
	block = append(block, "")
	add(st.Text, c.T("fsia.getting_ready"))
	if h >= 8 {
		add(st.Muted, sub)
	}
	block = append(block, "", f.Spin)
	if h >= 10 {
		block = append(block, "")
		add(st.Muted, c.T("fsia.keep_on"))
	}
	if len(block) > h {
		block = block[:h]
	}
	for i, l := range block {
		block[i] = ansi.Truncate(l, w, "")
	}
	return Card{Body: lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, lipgloss.JoinVertical(lipgloss.Center, block...))}
}

package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// fsiaPause is how long the first sign-in animation lasts on the emulated clock.
const fsiaPause = 5 * time.Second

// fsiaDoneMsg ends the first sign-in animation.
type fsiaDoneMsg struct{}

// fsiaScreen is the first sign-in animation between the device and the user phases: a
// full-screen "Hi" with a spinner that moves on by itself after a short emulated pause.
type fsiaScreen struct {
	c    *Common
	spin spinner.Model
}

func newFSIAScreen(c *Common) Screen { return &fsiaScreen{c: c, spin: newSpinner(c)} }

func (s *fsiaScreen) Init() tea.Cmd {
	c := s.c
	return tea.Batch(spin(c, s.spin), c.Async(func() tea.Msg {
		<-c.Clock.After(fsiaPause)
		return fsiaDoneMsg{}
	}))
}

// FullScreen: the animation covers the whole screen, as on Windows.
func (s *fsiaScreen) FullScreen() bool { return true }

// userName is the signed-in user's display name, "" when it is not known.
func (s *fsiaScreen) userName() string {
	c := s.c
	upn := c.Session.Answers.UPN
	if upn == "" || c.Tenant == nil {
		return ""
	}
	if u, ok := c.Tenant.Scenario.User(upn); ok && u.DisplayName != "" {
		return u.DisplayName
	}
	if id := c.Tenant.DeviceIdentity; id != nil && strings.EqualFold(id.UPN, upn) {
		return id.FriendlyName
	}
	return ""
}

func (s *fsiaScreen) Heading() (string, string) {
	title := s.c.T("fsia.hi")
	if name := s.userName(); name != "" {
		title = s.c.T("fsia.hi_name", "name", name)
	}
	return title, s.c.T("fsia.subtitle")
}

func (s *fsiaScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return s, cmd
	case fsiaDoneMsg:
		return s, next
	}
	return s, nil
}

func (s *fsiaScreen) View(w, h int) Card {
	c := s.c
	st := c.Styles
	title, sub := s.Heading()
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
	block = append(block, "", s.spin.View())
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

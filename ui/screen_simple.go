package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// newSpinner returns a spinner drawn with the glyph set; it only ticks while someone keeps
// returning its Tick (a screen does so only while the spinner is visible).
func newSpinner(c *Common) spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.Spinner{Frames: c.Glyphs.Spinner, FPS: time.Second / 8}),
		spinner.WithStyle(c.Styles.Link))
}

// spin starts sp unless animations are off.
func spin(c *Common, sp spinner.Model) tea.Cmd {
	if c.Static {
		return nil
	}
	return sp.Tick
}

// wrapBody wraps text to width and returns it as body lines.
func wrapBody(text string, width int) string { return strings.Join(wrapLines(text, width), "\n") }

// waitScreen is the "Just a moment…" page shown while the device starts.
type waitScreen struct {
	c    *Common
	spin spinner.Model
}

func newWaitScreen(c *Common) *waitScreen { return &waitScreen{c: c, spin: newSpinner(c)} }

func (s *waitScreen) Init() tea.Cmd { return spin(s.c, s.spin) }

func (s *waitScreen) FullScreen() bool { return true }

func (s *waitScreen) Heading() (string, string) { return "", "" }

func (s *waitScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if t, ok := msg.(spinner.TickMsg); ok {
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(t)
		return s, cmd
	}
	return s, nil
}

func (s *waitScreen) View(w, h int) Card {
	return Card{Body: centerBlock(s.c, s.spin.View()+"  "+s.c.T("app.just_a_moment"), w, h)}
}

// centerBlock centres a short text in a w×h area.
func centerBlock(c *Common, text string, w, h int) string {
	lines := wrapLines(text, w)
	block := strings.Join(lines, "\n")
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, c.Styles.Text.Render(block))
}

// errorScreen shows a problem the user cannot fix from here, with a way to start again.
type errorScreen struct {
	c           *Common
	title, text string
}

func newErrorScreen(c *Common, title, text string) Screen {
	return &errorScreen{c: c, title: title, text: text}
}

func (s *errorScreen) Init() tea.Cmd { return nil }

func (s *errorScreen) Heading() (string, string) { return s.title, "" }

func (s *errorScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, s.c.Keys.Enter) {
			return s, tea.Quit
		}
	case ButtonMsg:
		return s, tea.Quit
	}
	return s, nil
}

func (s *errorScreen) View(w, h int) Card {
	c := s.c
	return Card{
		Body:    c.Styles.Error.Render(wrapBody(s.text, w)),
		Buttons: []Button{{ID: "close", Label: c.T("button.close"), Primary: true, Focused: true}},
		Help:    []key.Binding{c.Keys.Enter},
	}
}

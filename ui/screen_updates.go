package ui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
)

// updateEventMsg is one event of the update stream; ch is where the next one comes from.
type updateEventMsg struct {
	ev flow.Event
	ch <-chan flow.Event
	ok bool
}

type updateStartMsg struct {
	ch  <-chan flow.Event
	err error
}

// updatesScreen is "Checking for updates": progress from the backend's stream, a simulated
// restart when an update needs one, then on to the next step by itself.
type updatesScreen struct {
	c          *Common
	spin       spinner.Model
	phase      string
	progress   float64
	restarting bool
	resumed    bool
	err        string
}

func newUpdatesScreen(c *Common) Screen {
	return &updatesScreen{c: c, spin: newSpinner(c), phase: "checking"}
}

func (s *updatesScreen) Init() tea.Cmd { return tea.Batch(spin(s.c, s.spin), s.start()) }

func (s *updatesScreen) start() tea.Cmd {
	c := s.c
	return c.Async(func() tea.Msg {
		ch, err := c.Backend.CheckUpdates(c.Ctx)
		return updateStartMsg{ch: ch, err: err}
	})
}

func (s *updatesScreen) wait(ch <-chan flow.Event) tea.Cmd {
	return s.c.Async(func() tea.Msg {
		ev, ok := <-ch
		return updateEventMsg{ev: ev, ch: ch, ok: ok}
	})
}

func (s *updatesScreen) FullScreen() bool { return s.restarting }

func (s *updatesScreen) Heading() (string, string) {
	if s.resumed {
		return s.c.T("updates.resumed_title"), s.c.T("updates.subtitle")
	}
	return s.c.T("updates.title"), s.c.T("updates.subtitle")
}

func (s *updatesScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	c := s.c
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if s.err != "" {
			return s, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return s, cmd
	case updateStartMsg:
		if msg.err != nil {
			return s, s.fail(msg.err)
		}
		return s, s.wait(msg.ch)
	case updateEventMsg:
		if !msg.ok {
			return s, s.fail(fmt.Errorf("%s", c.T("updates.stream_ended")))
		}
		ev := msg.ev
		c.Session.Record(flow.RecordBackend, ev)
		switch ev.Kind {
		case flow.EventUpdateProgress:
			s.phase, s.progress = ev.Phase, ev.Progress
		case flow.EventUpdateRestart:
			s.restarting = true
		case flow.EventUpdateResumed:
			s.restarting, s.resumed = false, true
		case flow.EventUpdateDone:
			return s, next
		case flow.EventError:
			return s, s.fail(ev.Err)
		}
		return s, s.wait(msg.ch)
	case tea.KeyPressMsg:
		if s.err != "" && key.Matches(msg, c.Keys.Enter) {
			return s, s.press("retry")
		}
	case ButtonMsg:
		return s, s.press(msg.ID)
	}
	return s, nil
}

func (s *updatesScreen) press(id string) tea.Cmd {
	if id != "retry" || s.err == "" {
		return nil
	}
	s.c.Session.Record(flow.RecordButton, map[string]string{"button": "retry"})
	s.err, s.progress, s.phase = "", 0, "checking"
	return tea.Batch(spin(s.c, s.spin), s.start())
}

func (s *updatesScreen) fail(err error) tea.Cmd {
	s.err = s.c.T("updates.failed", "error", err.Error())
	s.c.Session.Record(flow.RecordError, map[string]string{"error": "updates", "detail": err.Error()})
	return nil
}

// progressBar draws a static bar of width w for fraction p (no animation, no ticks).
func progressBar(c *Common, p float64, w int) string {
	if w < 1 {
		return ""
	}
	p = math.Max(0, math.Min(1, p))
	full := int(math.Round(p * float64(w)))
	return c.Styles.ProgressFilled.Render(strings.Repeat(c.Glyphs.BarFull, full)) +
		c.Styles.ProgressEmpty.Render(strings.Repeat(c.Glyphs.BarEmpty, w-full))
}

func (s *updatesScreen) View(w, h int) Card {
	c := s.c
	if s.restarting {
		return Card{Body: centerBlock(c, s.spin.View()+"  "+c.T("updates.restarting"), w, h)}
	}
	if s.err != "" {
		return Card{
			Body:    c.Styles.Error.Render(wrapBody(c.Glyphs.Warning+" "+s.err, w)),
			Buttons: []Button{{ID: "retry", Label: c.T("button.try_again"), Primary: true, Focused: true}},
			Help:    []key.Binding{c.Keys.Enter},
		}
	}
	pct := fmt.Sprintf(" %3d%%", int(math.Round(s.progress*100)))
	lines := []string{
		s.spin.View() + " " + c.Styles.Text.Render(c.T("updates.phase."+s.phase)),
		"",
		progressBar(c, s.progress, max(1, min(w, 60)-len(pct))) + c.Styles.Text.Render(pct),
		"",
		c.Styles.Muted.Render(wrapBody(c.T("updates.note"), w)),
	}
	return Card{Body: strings.Join(lines, "\n")}
}

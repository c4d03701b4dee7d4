package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// The monthly quality update at the end of OOBE (reference §3.7), on the emulated clock:
// qualitySteps steps of qualityStep each to download and install, then a restart of
// qualityRestartSteps steps, then one step to finish.
const (
	qualityStep         = time.Second
	qualitySteps        = 10
	qualityDownload     = 4 // steps spent downloading before installing
	qualityRestartSteps = 2
)

// qualityStepMsg says that one more step of emulated time has passed.
type qualityStepMsg struct{}

// qualityScreen is "Updates are available": the monthly security update downloads and
// installs with a progress bar, the device restarts (full screen), then setup moves on by
// itself. No backend call: the time is emulated with the clock.
type qualityScreen struct {
	c          *Common
	spin       spinner.Model
	step       int // steps done
	restarting bool
}

func newQualityScreen(c *Common) Screen { return &qualityScreen{c: c, spin: newSpinner(c)} }

func (s *qualityScreen) Init() tea.Cmd {
	s.c.Session.Record(flow.RecordBackend, map[string]string{"event": "quality.start"})
	return tea.Batch(spin(s.c, s.spin), s.wait())
}

func (s *qualityScreen) wait() tea.Cmd {
	c := s.c
	return c.Async(func() tea.Msg {
		<-c.Clock.After(qualityStep)
		return qualityStepMsg{}
	})
}

func (s *qualityScreen) FullScreen() bool { return s.restarting }

func (s *qualityScreen) Heading() (string, string) {
	return s.c.T("quality.title"), s.c.T("quality.subtitle")
}

// progress is the fraction of the download and installation done.
func (s *qualityScreen) progress() float64 {
	return math.Min(1, float64(s.step)/qualitySteps)
}

// phase names the current part of the work ("downloading", "installing", "finishing").
func (s *qualityScreen) phase() string {
	switch {
	case s.step < qualityDownload:
		return "downloading"
	case s.step < qualitySteps:
		return "installing"
	}
	return "finishing"
}

func (s *qualityScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	c := s.c
	switch msg := msg.(type) {
	case spinner.TickMsg:
		var cmd tea.Cmd // a spinner is on every state of this page
		s.spin, cmd = s.spin.Update(msg)
		return s, cmd
	case qualityStepMsg:
		s.step++
		switch s.step {
		case qualitySteps:
			s.restarting = true
			c.Session.Record(flow.RecordBackend, map[string]string{"event": "quality.restart"})
		case qualitySteps + qualityRestartSteps:
			s.restarting = false
			c.Session.Record(flow.RecordBackend, map[string]string{"event": "quality.resumed"})
		case qualitySteps + qualityRestartSteps + 1:
			c.Session.Record(flow.RecordBackend, map[string]string{"event": "quality.done"})
			return s, next
		}
		return s, s.wait()
	}
	return s, nil
}

func (s *qualityScreen) View(w, h int) Card {
	c := s.c
	st := c.Styles
	if s.restarting {
		return Card{Body: centerBlock(c, s.spin.View()+"  "+c.T("quality.restarting"), w, h)}
	}
	pct := fmt.Sprintf(" %3d%%", int(math.Round(s.progress()*100)))
	lines := []string{
		ansi.Truncate(s.spin.View()+" "+st.Text.Render(c.T("quality.phase."+s.phase())), w, c.Glyphs.Ellipsis),
		"",
		ansi.Truncate(progressBar(c, s.progress(), max(1, min(w, 60)-len(pct)))+st.Text.Render(pct), w, ""),
		"",
	}
	for _, l := range wrapLines(c.T("quality.note"), w) {
		lines = append(lines, st.Muted.Render(l))
	}
	return Card{Body: strings.Join(lines[:min(len(lines), h)], "\n")}
}

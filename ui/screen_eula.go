package ui

import (
	"math"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
)

// eulaScreen is the license agreement: scrollable text, Decline and Accept. Declining asks
// for confirmation and then turns the device off; a trainer can start again from there.
type eulaScreen struct {
	c         *Common
	vp        viewport.Model
	focus     int // 0 text, 1 Decline, 2 Accept
	confirm   bool
	off       bool
	wrappedAt int
}

func newEULAScreen(c *Common) Screen {
	vp := viewport.New()
	vp.KeyMap.Left.SetEnabled(false)
	vp.KeyMap.Right.SetEnabled(false)
	return &eulaScreen{c: c, vp: vp, focus: 2}
}

func (s *eulaScreen) Init() tea.Cmd { return nil }

func (s *eulaScreen) FullScreen() bool { return s.off }

func (s *eulaScreen) Heading() (string, string) {
	if s.confirm {
		return s.c.T("eula.decline_title"), s.c.T("eula.decline_text")
	}
	return s.c.T("eula.title"), s.c.T("eula.subtitle")
}

func (s *eulaScreen) buttons() []string {
	if s.confirm {
		return []string{"goback", "turnoff"}
	}
	return []string{"decline", "accept"}
}

func (s *eulaScreen) press(id string) tea.Cmd {
	c := s.c
	c.Session.Record(flow.RecordButton, map[string]string{"button": id})
	switch id {
	case "accept":
		c.Session.Answers.EULAAccepted = true
		c.Session.Record(flow.RecordAnswer, map[string]bool{"eulaAccepted": true})
		return next
	case "decline":
		s.confirm, s.focus = true, 1
	case "goback":
		s.confirm, s.focus = false, 2
	case "turnoff":
		s.off = true
		c.Session.Record(flow.RecordEnd, map[string]string{"outcome": "eula_declined"})
	case "restart":
		return func() tea.Msg { return RestartMsg{} }
	}
	return nil
}

func (s *eulaScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k := s.c.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if s.off {
			if key.Matches(msg, k.Enter) {
				return s, s.press("restart")
			}
			return s, nil
		}
		switch {
		case key.Matches(msg, k.Tab):
			s.focus = (s.focus + 1) % 3
			if s.confirm && s.focus == 0 {
				s.focus = 1
			}
		case key.Matches(msg, k.ShiftTab):
			s.focus = (s.focus + 2) % 3
			if s.confirm && s.focus == 0 {
				s.focus = 2
			}
		case key.Matches(msg, k.Enter):
			if s.focus == 0 {
				return s, s.press(s.buttons()[1])
			}
			return s, s.press(s.buttons()[s.focus-1])
		case key.Matches(msg, k.Back):
			if s.confirm {
				return s, s.press("goback")
			}
		default:
			if !s.confirm {
				var cmd tea.Cmd
				s.vp, cmd = s.vp.Update(msg)
				return s, cmd
			}
		}
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, cmd
	case ButtonMsg:
		return s, s.press(msg.ID)
	}
	return s, nil
}

func (s *eulaScreen) View(w, h int) Card {
	c := s.c
	if s.off {
		return Card{Body: centerBlock(c, c.T("eula.off"), w, h)}
	}
	labels := map[string]string{"decline": "button.decline", "accept": "button.accept", "goback": "button.go_back", "turnoff": "button.turn_off"}
	var bs []Button
	for i, id := range s.buttons() {
		bs = append(bs, Button{ID: id, Label: c.T(labels[id]), Primary: i == 1, Focused: s.focus == i+1})
	}
	k := c.Keys
	if s.confirm {
		return Card{Buttons: bs, Help: []key.Binding{k.Tab, k.Enter, k.Back}}
	}
	if s.wrappedAt != w {
		var paras []string
		for _, p := range strings.Split(assets.EULA(c.Cat.Locale()), "\n") {
			paras = append(paras, wrapBody(p, max(1, w-2)))
		}
		s.vp.SetContent(c.Styles.Text.Render(strings.Join(paras, "\n")))
		s.wrappedAt = w
	}
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(1, h-1))
	pct := c.Styles.Muted.Render(c.T("eula.scroll", "percent", itoaPct(s.vp.ScrollPercent())))
	return Card{Body: s.vp.View() + "\n" + pct, Buttons: bs, Help: []key.Binding{k.Up, k.PageUp, k.Tab, k.Enter}}
}

func itoaPct(f float64) string { return strconv.Itoa(int(math.Round(f * 100))) }

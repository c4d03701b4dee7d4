package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// privacyMsg is the catalog stem of each toggle of the privacy page (flow.PrivacyToggles):
// "privacy.item.<stem>" is its title, "privacy.item.<stem>_desc" its description.
var privacyMsg = map[string]string{
	flow.PrivacySpeech:              "speech",
	flow.PrivacyLocation:            "location",
	flow.PrivacyFindMyDevice:        "find_device",
	flow.PrivacyDiagnosticData:      "diagnostics", // on = send optional diagnostic data
	flow.PrivacyInking:              "inking",
	flow.PrivacyTailoredExperiences: "tailored",
	flow.PrivacyAdvertisingID:       "advertising",
}

// privacyItem is one toggle of the privacy page: its answer key and its catalog stem.
type privacyItem struct{ id, msg string }

// privacyPage is "Choose privacy settings for your device" (reference §1.6): one Yes/No
// toggle with a short description per setting (six on Windows 11, seven on Windows 10), all
// on by default, and Accept. Focus is a toggle (0…n-1) or Accept (n).
type privacyPage struct {
	pageCtx
	items  []privacyItem
	on     map[string]bool
	focus  int
	scroll endScroller
	h      int
}

func newPrivacyPage(c pageCtx) Page {
	s := &privacyPage{pageCtx: c, on: c.run.PrivacyChoices()}
	for _, id := range flow.PrivacyToggles(c.run.Windows()) {
		s.items = append(s.items, privacyItem{id: id, msg: privacyMsg[id]})
	}
	return s
}

func (s *privacyPage) Heading() (string, string) {
	return s.env.T("privacy.title"), s.env.T("privacy.subtitle")
}

// Layout scrolls to the focused toggle.
func (s *privacyPage) Layout(f Frame) {
	s.h = f.H
	s.scroll.layout(s.lines, f.W, f.H)
}

func (s *privacyPage) toggle(i int) {
	if i < 0 || i >= len(s.items) {
		return
	}
	id := s.items[i].id
	s.on[id] = !s.on[id]
}

func (s *privacyPage) accept() tea.Cmd {
	_ = s.run.AcceptPrivacy(s.on)
	return nil
}

func (s *privacyPage) Update(msg tea.Msg) tea.Cmd {
	k := s.env.Keys
	n := len(s.items)
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Tab):
			s.focus = (s.focus + 1) % (n + 1)
		case key.Matches(msg, k.ShiftTab):
			s.focus = (s.focus + n) % (n + 1)
		case key.Matches(msg, k.Up):
			s.focus = max(0, s.focus-1)
		case key.Matches(msg, k.Down):
			s.focus = min(n, s.focus+1)
		case key.Matches(msg, k.Home):
			s.focus = 0
		case key.Matches(msg, k.End):
			s.focus = n
		case key.Matches(msg, k.Toggle, k.Left, k.Right):
			if s.focus < n {
				s.toggle(s.focus)
			} else if key.Matches(msg, k.Toggle) {
				return s.accept()
			}
		case key.Matches(msg, k.Enter):
			return s.accept() // Accept is the page's only button and its default
		}
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			s.focus = max(0, s.focus-1)
		case tea.MouseWheelDown:
			s.focus = min(n, s.focus+1)
		}
	case ClickMsg:
		for i, it := range s.items {
			if msg.ID == "toggle:"+it.id {
				s.focus = i
				s.toggle(i)
			}
		}
	case ButtonMsg:
		if msg.ID == "accept" {
			return s.accept()
		}
	}
	return nil
}

func (s *privacyPage) View(f Frame) Card {
	c := s.env
	body, hits := s.scroll.view(c, s.lines, f.W, f.H)
	k := c.Keys
	return Card{
		Body: body,
		Hits: hits,
		Buttons: []Button{{ID: "accept", Label: c.T("button.accept"), Primary: true,
			Focused: s.focus == len(s.items)}},
		Help: []key.Binding{k.Up, k.Toggle, k.Tab, k.Enter},
	}
}

// lines draws the toggles in width w and returns the rows, their hits and the rows of the
// focused control.
func (s *privacyPage) lines(w int) ([]string, []Hit, int, int) {
	c := s.env
	st, g := c.Styles, c.Glyphs
	yes, no := c.T("privacy.yes"), c.T("privacy.no")
	stateW := max(lipgloss.Width(yes), lipgloss.Width(no))
	markerW := lipgloss.Width(g.Pointer)
	frame := st.Item.GetHorizontalFrameSize()
	indent := strings.Repeat(" ", markerW+1+st.Item.GetPaddingLeft()+lipgloss.Width(g.CheckboxOn)+1)
	var lines []string
	var hits []Hit
	top, bottom := 0, 0
	for i, it := range s.items {
		if i > 0 {
			lines = append(lines, "")
		}
		first := len(lines)
		focused := s.focus == i
		marker := strings.Repeat(" ", markerW)
		if focused {
			marker = g.Pointer
		}
		box, state, stateStyle := g.CheckboxOff, no, st.Muted
		if s.on[it.id] {
			box, state, stateStyle = g.CheckboxOn, yes, st.Success
		}
		titleStyle := st.Item.Bold(true)
		if focused {
			titleStyle = st.ItemSelected
		}
		left := box + " " + c.T("privacy.item."+it.msg)
		room := w - markerW - 1 - frame - 1 - stateW
		var row string
		if room >= 8 {
			left = ansi.Truncate(left, room, g.Ellipsis)
			row = marker + " " + titleStyle.Render(padRight(left, room)) + " " + stateStyle.Render(padRight(state, stateW))
		} else {
			row = marker + " " + titleStyle.Render(ansi.Truncate(left, max(1, w-markerW-1-frame), g.Ellipsis))
		}
		lines = append(lines, ansi.Truncate(row, w, ""))
		descW := max(1, w-lipgloss.Width(indent))
		for _, l := range wrapLines(c.T("privacy.item."+it.msg+"_desc"), descW) {
			lines = append(lines, ansi.Truncate(indent+st.Muted.Render(l), w, ""))
		}
		for y := first; y < len(lines); y++ {
			hits = append(hits, Hit{Y: y, X0: 0, X1: w, ID: "toggle:" + it.id})
		}
		if focused {
			top, bottom = first, len(lines)-1
		}
	}
	if s.focus == len(s.items) {
		top, bottom = len(lines)-1, len(lines)-1 // on Accept: show the end of the page
	}
	return lines, hits, top, bottom
}

// The replay's view of the page (replay.go): what it shows, and the actions done through
// its own handlers.

func (s *privacyPage) replayForm() replayForm {
	f := replayForm{mode: "form", toggles: map[string]bool{}}
	for _, it := range s.items {
		f.toggles[it.id] = s.on[it.id]
	}
	return f
}

func (s *privacyPage) replayAct(a replayAct) tea.Cmd {
	switch a.kind {
	case "toggle":
		for i, it := range s.items {
			if it.id == a.target {
				s.focus = i
				s.toggle(i)
			}
		}
	case "press":
		s.focus = len(s.items)
		return s.accept()
	}
	return nil
}

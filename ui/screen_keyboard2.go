package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
)

// keyboard2Screen asks whether to add a second layout; Add layout opens a layout picker.
type keyboard2Screen struct {
	c       *Common
	focus   int // 0 Add layout, 1 Skip
	picking bool
	picker  *listPage
}

func newKeyboard2Screen(c *Common) Screen { return &keyboard2Screen{c: c, focus: 1} }

func (s *keyboard2Screen) Init() tea.Cmd { return nil }

func (s *keyboard2Screen) Heading() (string, string) {
	if s.picking {
		return s.picker.Heading()
	}
	return s.c.T("keyboard2.title"), s.c.T("keyboard2.subtitle")
}

func (s *keyboard2Screen) openPicker() {
	c := s.c
	a := &c.Session.Answers
	s.picker = &listPage{
		c: c, titleID: "keyboard2.pick_title", subID: "keyboard2.pick_subtitle",
		list:    newSelectList(keyboardItems(c, a.Region, a.Keyboard), true),
		buttons: []pageButton{{id: "add", label: "button.add_layout", primary: true}},
		canBack: func() bool { return true },
	}
	if a.Keyboard2 != "" {
		s.picker.list.selectID(a.Keyboard2)
	}
	s.picker.onButton = func(_ string, it listItem) tea.Cmd {
		a.Keyboard2 = it.ID
		c.Session.Record(flow.RecordAnswer, map[string]string{"keyboard2": it.ID})
		return next
	}
	s.picking = true
}

func (s *keyboard2Screen) press(id string) tea.Cmd {
	c := s.c
	c.Session.Record(flow.RecordButton, map[string]string{"button": id})
	switch id {
	case "add":
		s.openPicker()
	case "skip":
		c.Session.Answers.Keyboard2 = ""
		c.Session.Record(flow.RecordAnswer, map[string]string{"keyboard2": ""})
		return next
	}
	return nil
}

func (s *keyboard2Screen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if s.picking {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, s.c.Keys.Back) && s.picker.list.filter == "" {
			s.picking = false // Esc leaves the picker, back to the question
			return s, nil
		}
		return s, s.picker.update(msg)
	}
	k := s.c.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Tab), key.Matches(msg, k.ShiftTab), msg.String() == "left", msg.String() == "right":
			s.focus = 1 - s.focus
		case key.Matches(msg, k.Enter):
			return s, s.press([]string{"add", "skip"}[s.focus])
		case key.Matches(msg, k.Back):
			if s.c.Session.CanGoBack() {
				return s, back
			}
		}
	case ButtonMsg:
		return s, s.press(msg.ID)
	}
	return s, nil
}

func (s *keyboard2Screen) View(w, h int) Card {
	if s.picking {
		return s.picker.view(w, h)
	}
	c := s.c
	kb, _ := assets.KeyboardByKLID(c.Session.Answers.Keyboard)
	body := c.Styles.Text.Render(c.T("keyboard2.current", "layout", kb.DisplayName(c.Cat.Locale())))
	return Card{
		Body: fit(body, w, 1),
		Buttons: []Button{
			{ID: "add", Label: c.T("button.add_layout"), Focused: s.focus == 0},
			{ID: "skip", Label: c.T("button.skip"), Primary: true, Focused: s.focus == 1},
		},
		Help: []key.Binding{c.Keys.Tab, c.Keys.Enter, c.Keys.Back},
	}
}

package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// pageButton is a button of a page, its label a catalog message ID.
type pageButton struct {
	id, label string
	primary   bool
}

// listPage is the shared shape of the language, region and keyboard pages: a question, a
// list to choose from and buttons. Focus is the list (0) or a button (1…).
type listPage struct {
	c              *Common
	titleID, subID string
	list           selectList
	buttons        []pageButton
	focus          int
	canBack        func() bool
	onButton       func(id string, item listItem) tea.Cmd
	subtitleArgs   func() []string
	disabled       func(id string) bool
}

func (p *listPage) Heading() (string, string) {
	var args []string
	if p.subtitleArgs != nil {
		args = p.subtitleArgs()
	}
	sub := ""
	if p.subID != "" {
		sub = p.c.T(p.subID, args...)
	}
	return p.c.T(p.titleID), sub
}

func (p *listPage) primary() string {
	for _, b := range p.buttons {
		if b.primary {
			return b.id
		}
	}
	return ""
}

// press runs button id with the selected item.
func (p *listPage) press(id string) tea.Cmd {
	if p.disabled != nil && p.disabled(id) {
		return nil
	}
	it, ok := p.list.selected()
	if !ok && id == p.primary() {
		return nil
	}
	p.c.Session.Record("button", map[string]string{"button": id})
	return p.onButton(id, it)
}

func (p *listPage) update(msg tea.Msg) tea.Cmd {
	k := p.c.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Tab):
			p.focus = (p.focus + 1) % (len(p.buttons) + 1)
		case key.Matches(msg, k.ShiftTab):
			p.focus = (p.focus + len(p.buttons)) % (len(p.buttons) + 1)
		case key.Matches(msg, k.Enter):
			if p.focus > 0 {
				return p.press(p.buttons[p.focus-1].id)
			}
			return p.press(p.primary())
		case key.Matches(msg, k.Back):
			if p.list.clearFilter() {
				return nil
			}
			if p.canBack != nil && p.canBack() {
				return back
			}
		default:
			if p.focus > 0 && (msg.String() == "up" || msg.String() == "down" || msg.Text != "") {
				p.focus = 0 // typing or arrows go to the list, as in Windows
			}
			if p.focus == 0 || msg.Text != "" {
				p.list.update(msg)
			}
		}
	case ClickMsg:
		if idx, ok := strings.CutPrefix(msg.ID, "item:"); ok {
			if i, err := strconv.Atoi(idx); err == nil && i < len(p.list.items) {
				p.list.selectID(p.list.items[i].ID)
				p.focus = 0
			}
		}
	case ButtonMsg:
		return p.press(msg.ID)
	}
	return nil
}

func (p *listPage) view(width, height int) Card {
	p.list.focused = p.focus == 0
	body, hits := p.list.view(p.c, width, height)
	var bs []Button
	for i, b := range p.buttons {
		bs = append(bs, Button{
			ID: b.id, Label: p.c.T(b.label), Primary: b.primary, Focused: p.focus == i+1,
			Disabled: p.disabled != nil && p.disabled(b.id),
		})
	}
	k := p.c.Keys
	help := []key.Binding{k.Up, k.Enter, k.Tab}
	if p.list.filterable {
		help = append(help, k.Filter)
	}
	if p.canBack != nil && p.canBack() {
		help = append(help, k.Back)
	}
	return Card{Body: body, Hits: hits, Buttons: bs, Help: help}
}

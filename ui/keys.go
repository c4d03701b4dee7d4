package ui

import (
	"charm.land/bubbles/v2/key"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/themes"
)

// KeyMap is the one set of key bindings of the app; the help line is generated from it.
type KeyMap struct {
	Up, Down, PageUp, PageDown key.Binding
	Enter, Tab, ShiftTab       key.Binding
	Back, Toggle, Reveal       key.Binding
	Filter, Quit               key.Binding
	// FastForward lets a trainer skip long waits (installs, timeouts) on a real-time clock.
	FastForward key.Binding
}

// NewKeyMap builds the bindings with help labels from catalog c, drawn with glyph set g.
func NewKeyMap(c *assets.Catalog, g themes.Glyphs) KeyMap {
	arrows := "↑/↓"
	if g.Name == "ascii" {
		arrows = "up/down"
	}
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up"), key.WithHelp(arrows, c.T("help.move"))),
		Down:        key.NewBinding(key.WithKeys("down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", c.T("help.scroll"))),
		PageDown:    key.NewBinding(key.WithKeys("pgdown")),
		Enter:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("help.enter"))),
		Tab:         key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("help.tab"))),
		ShiftTab:    key.NewBinding(key.WithKeys("shift+tab")),
		Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("help.back"))),
		Toggle:      key.NewBinding(key.WithKeys("space"), key.WithHelp("space", c.T("help.toggle"))),
		Reveal:      key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", c.T("help.reveal"))),
		Filter:      key.NewBinding(key.WithKeys("f3"), key.WithHelp(c.T("help.type"), c.T("help.filter"))),
		Quit:        key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", c.T("help.quit"))),
		FastForward: key.NewBinding(key.WithKeys("f6"), key.WithHelp("f6", c.T("help.fast_forward"))),
	}
}

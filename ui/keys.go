package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/themes"
)

// KeyMap is the one set of key bindings of the app: every key the program reacts to is
// declared here with its help, and the help line and the F1 overview are generated from it.
type KeyMap struct {
	// Up and Down move in lists and between controls.
	Up, Down key.Binding
	// Left and Right move between buttons and toggle switches.
	Left, Right key.Binding
	// PageUp and PageDown scroll by a page; Home and End jump to the ends.
	PageUp, PageDown, Home, End key.Binding
	// Enter activates the focused control or the page's main button.
	Enter key.Binding
	// Tab and ShiftTab move the focus.
	Tab, ShiftTab key.Binding
	// Back is Esc: clears a search, closes an entry, goes back where Windows allows it.
	Back key.Binding
	// Toggle is Space on a check box or switch.
	Toggle key.Binding
	// Reveal shows or hides a secret being typed.
	Reveal key.Binding
	// Filter describes typing to search a list: any printable key searches; F3 is its
	// nominal key, so the help line can show it.
	Filter key.Binding
	// Backspace removes a character of a list search.
	Backspace key.Binding
	// Diagnostics opens the Windows Autopilot diagnostics page on the ESP (Ctrl+Shift+D;
	// terminals without the kitty keyboard protocol send it as Ctrl+D).
	Diagnostics key.Binding
	// Unlock is Ctrl+Alt+Del on the Windows lock screen (terminals rarely pass that chord,
	// so Enter and Space work too).
	Unlock key.Binding
	// Help shows every key of the page.
	Help key.Binding
	// Quit ends the program.
	Quit key.Binding
	// FastForward lets a trainer skip long waits (installs, timeouts) on a real-time clock.
	FastForward key.Binding
	// Console is Shift+F10 (Fn+Shift+F10 on laptops sends the same key): the command prompt
	// over the OOBE (reference §1.8). Terminals without modified function keys send it as
	// F22 (xterm's terminfo) or F20 (rxvt).
	Console key.Binding
	// Trainer opens the trainer panel (F9), only when the run enables it (--trainer).
	Trainer key.Binding
	// WindowsKey is the Windows key: five presses in a row on a page before the sign-in
	// start pre-provisioning (reference §1.8). A terminal reports the key alone only with
	// the kitty keyboard protocol's report-all-keys mode, so F8, which every terminal sends,
	// stands in for it.
	WindowsKey key.Binding
	// Snapshot saves the screen as text and SVG into the run's directory (F12).
	Snapshot key.Binding
}

// NewKeyMap builds the bindings with help labels from catalog c, drawn with glyph set g.
func NewKeyMap(c *assets.Catalog, g themes.Glyphs) KeyMap {
	arrows, sides := "↑/↓", "←/→"
	if g.Name == "ascii" {
		arrows, sides = "up/down", "left/right"
	}
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up"), key.WithHelp(arrows, c.T("help.move"))),
		Down:        key.NewBinding(key.WithKeys("down")),
		Left:        key.NewBinding(key.WithKeys("left"), key.WithHelp(sides, c.T("help.move"))),
		Right:       key.NewBinding(key.WithKeys("right")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", c.T("help.scroll"))),
		PageDown:    key.NewBinding(key.WithKeys("pgdown")),
		Home:        key.NewBinding(key.WithKeys("home")),
		End:         key.NewBinding(key.WithKeys("end")),
		Enter:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("help.enter"))),
		Tab:         key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("help.tab"))),
		ShiftTab:    key.NewBinding(key.WithKeys("shift+tab")),
		Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("help.back"))),
		Toggle:      key.NewBinding(key.WithKeys("space"), key.WithHelp("space", c.T("help.toggle"))),
		Reveal:      key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", c.T("help.reveal"))),
		Filter:      key.NewBinding(key.WithKeys("f3"), key.WithHelp(c.T("help.type"), c.T("help.filter"))),
		Backspace:   key.NewBinding(key.WithKeys("backspace")),
		Diagnostics: key.NewBinding(key.WithKeys("ctrl+shift+d", "ctrl+d"), key.WithHelp("ctrl+shift+d", c.T("help.diagnostics"))),
		Unlock:      key.NewBinding(key.WithKeys("ctrl+alt+delete", "ctrl+alt+backspace", "enter", "space"), key.WithHelp("ctrl+alt+del", c.T("help.unlock"))),
		Help:        key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", c.T("help.help"))),
		Quit:        key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", c.T("help.quit"))),
		FastForward: key.NewBinding(key.WithKeys("f6"), key.WithHelp("f6", c.T("help.fast_forward"))),
		Console:     key.NewBinding(key.WithKeys("shift+f10", "f22", "f20"), key.WithHelp("shift+f10", c.T("help.console"))),
		Trainer:     key.NewBinding(key.WithKeys("f9"), key.WithHelp("f9", c.T("help.trainer"))),
		WindowsKey:  key.NewBinding(key.WithKeys("f8", "leftsuper", "rightsuper"), key.WithHelp(c.T("help.windows_key_keys"), c.T("help.windows_key"))),
		Snapshot:    key.NewBinding(key.WithKeys("f12"), key.WithHelp("f12", c.T("help.snapshot"))),
	}
}

// pressed reports whether msg is a key press of binding b.
func pressed(msg tea.Msg, b key.Binding) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && key.Matches(k, b)
}

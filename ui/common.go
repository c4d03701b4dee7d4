package ui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/themes"
)

// Common is the state every screen shares: size, theme, strings, keys, backend and session.
type Common struct {
	// Width and Height are the terminal size.
	Width, Height int
	// Theme is the active theme; Styles are built from it for Profile.
	Theme themes.Theme
	// Styles are the lipgloss styles of the theme for the colour profile.
	Styles themes.Styles
	// Glyphs is the Unicode or ASCII glyph set.
	Glyphs themes.Glyphs
	// Profile is the terminal's colour profile.
	Profile colorprofile.Profile
	// Cat is the string catalog of the display language.
	Cat *assets.Catalog
	// Keys is the key map; its help labels follow Cat.
	Keys KeyMap
	// Backend performs the device and cloud work.
	Backend flow.Backend
	// Tenant is the organization's configuration.
	Tenant *flow.Tenant
	// Session is the run in progress.
	Session *flow.Session
	// Ctx is cancelled when the program quits; backend calls use it.
	Ctx context.Context
	// ScreenCtx is cancelled when the current screen is left, so a backend stream that
	// screen started (the ESP) stops instead of waiting for a reader forever.
	ScreenCtx context.Context
	// RegionDefault is the region preselected on the region page (from the environment).
	RegionDefault string
	// BootInfo is what the backend reported at power-on.
	BootInfo flow.BootInfo
	// Static turns animations off (tests, recordings): spinners draw one frame and never tick.
	Static bool
	// FinishRestart makes Enter on the finish screen start a new run instead of exiting (kiosks).
	FinishRestart bool
	// Seed seeds random choices made by screens (the device name's %RAND:x%).
	Seed int64
	// Clock is the emulated clock the backend runs on; screens time emulated pauses with it.
	Clock flow.Clock
	// ESP is the Enrollment Status Page status built from the backend's events.
	ESP flow.ESPStatus
	// PhaseTimes are how long the phases of the deployment took, for the finish screen.
	PhaseTimes []PhaseTime

	seq int
	// run is what the current run did beyond its answers (secrets used), for --write-answers.
	run runNotes
}

// T returns message id in the display language; on Windows 10 a message "id@win10", when
// the catalog has one, replaces it (Windows 10 words some pages differently).
func (c *Common) T(id string, kv ...string) string {
	if c.Windows10() && c.Cat.Has(id+"@win10") {
		id += "@win10"
	}
	msg := c.Cat.T(id, kv...)
	if c.Glyphs.IsASCII() {
		msg = asciiPunct.Replace(msg)
	}
	return msg
}

// asciiPunct turns typographic punctuation into 7-bit look-alikes for ASCII terminals.
var asciiPunct = strings.NewReplacer("…", "...", "“", "\"", "”", "\"", "„", "\"", "‘", "'", "’", "'", "–", "-", "—", "-", "×", "x", "•", "*")

// SetLocale switches every later string to the catalog of tag.
func (c *Common) SetLocale(tag string) {
	c.Cat, _ = assets.LookupCatalog(tag)
	c.Keys = NewKeyMap(c.Cat, c.Glyphs)
}

// SetProfile rebuilds the styles for a colour profile.
func (c *Common) SetProfile(p colorprofile.Profile) {
	c.Profile = p
	c.Styles = c.Theme.StylesFor(p, c.Glyphs)
}

// Windows10 reports whether the Windows 10 behaviours apply.
func (c *Common) Windows10() bool {
	return c.Session != nil && c.Session.Profile.Windows == flow.Windows10
}

// PhaseTime is how long one phase of the deployment took.
type PhaseTime struct {
	// Name is the phase's display name.
	Name string
	// D is its duration on the emulated clock.
	D time.Duration
}

// asyncMsg carries the result of a command back to the screen that started it; results for a
// screen that is no longer shown are dropped.
type asyncMsg struct {
	seq int
	msg tea.Msg
}

// Async runs fn as a command and delivers its message only to the current screen instance.
func (c *Common) Async(fn func() tea.Msg) tea.Cmd {
	seq := c.seq
	return func() tea.Msg { return asyncMsg{seq: seq, msg: fn()} }
}

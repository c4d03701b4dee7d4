package ui

import (
	"github.com/charmbracelet/colorprofile"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/internal/termtext"
	"github.com/oobe-emu/oobe/themes"
)

// Env is the rendering environment every page shares: the theme and its styles for the
// terminal's colour profile, the glyph set, the strings of the display language, the key
// map, and the few choices that change what a page draws. It holds nothing of the run.
type Env struct {
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
	// Static turns animations off (tests, recordings): spinners draw one frame and never tick.
	Static bool
	// Windows10 draws the Windows 10 wordings (Next instead of Sign in, Show details …).
	Windows10 bool
	// RegionDefault is the region preselected on the region page (from the environment).
	RegionDefault string
	// FinishRestart makes the finish page's main button Start again (kiosks).
	FinishRestart bool
	// lines keeps lines pages drew, by what they were drawn from (Line); it is emptied when
	// the language or the colours change.
	lines lineMemo[string]
}

// Line returns the line drawn from key, drawing it only when the last frames did not. key
// must name everything the line depends on apart from the environment.
func (e *Env) Line(key string, draw func() string) string { return e.lines.get(key, draw) }

// newEnv builds the environment for a theme, glyph set and locale.
func newEnv(theme themes.Theme, glyphs themes.Glyphs, profile colorprofile.Profile, locale string) *Env {
	e := &Env{Theme: theme, Glyphs: glyphs}
	e.SetProfile(profile)
	e.SetLocale(locale)
	return e
}

// T returns message id in the display language; on Windows 10 a message "id@win10", when
// the catalog has one, replaces it (Windows 10 words some pages differently).
func (e *Env) T(id string, kv ...string) string {
	if e.Windows10 && e.Cat.Has(id+"@win10") {
		id += "@win10"
	}
	msg := e.Cat.T(id, kv...)
	if e.Glyphs.IsASCII() {
		msg = termtext.Fold(msg) // 7-bit: "Geräteeinrichtung" → "Gerateeinrichtung"
	}
	return msg
}

// SetLocale switches every later string to the catalog of tag.
func (e *Env) SetLocale(tag string) {
	e.Cat, _ = assets.LookupCatalog(tag)
	e.Keys = NewKeyMap(e.Cat, e.Glyphs)
	e.lines = lineMemo[string]{}
}

// SetProfile rebuilds the styles for a colour profile.
func (e *Env) SetProfile(p colorprofile.Profile) {
	e.Profile = p
	e.Styles = e.Theme.StylesFor(p, e.Glyphs)
	e.lines = lineMemo[string]{}
}

// Package themes holds the visual themes of the OOBE emulator: semantic colour
// palettes modelled on Windows 11 (dark and light), Windows 10 and High
// Contrast, the glyph sets used for icons (Unicode and a pure-ASCII fallback),
// locale detection for choosing between them, and the lipgloss styles the UI
// builds from a theme for a given colour profile.
//
// Nothing in this package panics, whatever its input: an unknown or zero
// Theme, a nil environment function or an out-of-range profile all give
// usable (if plain) results.
package themes

import (
	"fmt"
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// DefaultName is the id of the theme used when --theme is not given.
const DefaultName = "win11-dark"

// Palette lists the semantic colours of a theme as image/color.Color values.
type Palette struct {
	// Background is the full-screen application background.
	Background color.Color
	// Card is the fill of the centred dialog card (equal to Background on Windows 10).
	Card color.Color
	// CardBorder is the colour of the card's outline.
	CardBorder color.Color
	// Text is the primary text colour.
	Text color.Color
	// Muted is the colour of secondary text such as subtitles and help descriptions.
	Muted color.Color
	// Accent is the theme's accent colour, used for primary buttons, badges and progress.
	Accent color.Color
	// OnAccent is the text colour drawn on top of Accent.
	OnAccent color.Color
	// Selection is the fill of the selected list row.
	Selection color.Color
	// OnSelection is the text colour drawn on top of Selection.
	OnSelection color.Color
	// Button is the fill of an ordinary (secondary) button.
	Button color.Color
	// OnButton is the text colour drawn on top of Button.
	OnButton color.Color
	// Error is the colour of error messages.
	Error color.Color
	// Success is the colour of success messages.
	Success color.Color
	// Warning is the colour of warnings.
	Warning color.Color
	// Link is the colour of hyperlinks.
	Link color.Color
	// Disabled is the text colour of disabled controls.
	Disabled color.Color
	// Focus is the fill of a focused button and the border of a focused input (the keyboard focus ring).
	Focus color.Color
	// OnFocus is the text colour drawn on top of Focus.
	OnFocus color.Color
}

// Colors returns every colour of the palette keyed by field name, for tests and debugging.
func (p Palette) Colors() map[string]color.Color {
	return map[string]color.Color{
		"Background":  p.Background,
		"Card":        p.Card,
		"CardBorder":  p.CardBorder,
		"Text":        p.Text,
		"Muted":       p.Muted,
		"Accent":      p.Accent,
		"OnAccent":    p.OnAccent,
		"Selection":   p.Selection,
		"OnSelection": p.OnSelection,
		"Button":      p.Button,
		"OnButton":    p.OnButton,
		"Error":       p.Error,
		"Success":     p.Success,
		"Warning":     p.Warning,
		"Link":        p.Link,
		"Disabled":    p.Disabled,
		"Focus":       p.Focus,
		"OnFocus":     p.OnFocus,
	}
}

// Theme is a named visual theme selectable with --theme.
type Theme struct {
	// Name is the id used by --theme: "win11-dark", "win11-light", "win10" or "high-contrast".
	Name string
	// Description is a one-line English description for the --help listing.
	Description string
	// Dark reports whether the theme has a dark background.
	Dark bool
	// Windows10 is true only for win10 and switches Windows 10 behaviours and layout
	// (full-screen blue, left-aligned titles instead of a centred card).
	Windows10 bool
	// Palette holds the theme's semantic colours.
	Palette Palette
}

// hex turns a "#RRGGBB" string into a colour.
func hex(s string) color.Color { return lipgloss.Color(s) }

// Builtin returns the four built-in themes in the order win11-dark, win11-light, win10, high-contrast.
func Builtin() []Theme {
	return []Theme{
		{
			Name:        "win11-dark",
			Description: "Windows 11 dark: charcoal background, rounded card, blue accent (default)",
			Dark:        true,
			Palette: Palette{
				Background:  hex("#202020"),
				Card:        hex("#2B2B2B"),
				CardBorder:  hex("#4A4A4A"),
				Text:        hex("#FFFFFF"),
				Muted:       hex("#A0A0A0"),
				Accent:      hex("#4CC2FF"),
				OnAccent:    hex("#000000"),
				Selection:   hex("#0078D4"),
				OnSelection: hex("#FFFFFF"),
				Button:      hex("#3A3A3A"),
				OnButton:    hex("#FFFFFF"),
				Error:       hex("#FF99A4"),
				Success:     hex("#6CCB5F"),
				Warning:     hex("#FCE100"),
				Link:        hex("#99EBFF"),
				Disabled:    hex("#787878"),
				Focus:       hex("#FFFFFF"),
				OnFocus:     hex("#000000"),
			},
		},
		{
			Name:        "win11-light",
			Description: "Windows 11 light: light grey background, white card, dark text",
			Dark:        false,
			Palette: Palette{
				Background:  hex("#F3F3F3"),
				Card:        hex("#FFFFFF"),
				CardBorder:  hex("#C8C8C8"),
				Text:        hex("#1A1A1A"),
				Muted:       hex("#5F5F5F"),
				Accent:      hex("#005FB8"),
				OnAccent:    hex("#FFFFFF"),
				Selection:   hex("#0067C0"),
				OnSelection: hex("#FFFFFF"),
				Button:      hex("#E5E5E5"),
				OnButton:    hex("#1A1A1A"),
				Error:       hex("#C42B1C"),
				Success:     hex("#0F7B0F"),
				Warning:     hex("#9D5D00"),
				Link:        hex("#003E92"),
				Disabled:    hex("#A0A0A0"),
				Focus:       hex("#1A1A1A"),
				OnFocus:     hex("#FFFFFF"),
			},
		},
		{
			Name:        "win10",
			Description: "Windows 10: full-screen dark blue, white text, left-aligned titles, no card",
			Dark:        true,
			Windows10:   true,
			Palette: Palette{
				Background:  hex("#0B3C8A"),
				Card:        hex("#0B3C8A"),
				CardBorder:  hex("#3A6BC0"),
				Text:        hex("#FFFFFF"),
				Muted:       hex("#B4C8E8"),
				Accent:      hex("#0078D7"),
				OnAccent:    hex("#FFFFFF"),
				Selection:   hex("#3A7BD5"),
				OnSelection: hex("#FFFFFF"),
				Button:      hex("#3C63A1"),
				OnButton:    hex("#FFFFFF"),
				Error:       hex("#FF9FA8"),
				Success:     hex("#7FE07F"),
				Warning:     hex("#FFE45C"),
				Link:        hex("#9FD4FF"),
				Disabled:    hex("#7E97C2"),
				Focus:       hex("#FFFFFF"),
				OnFocus:     hex("#0B3C8A"),
			},
		},
		{
			Name:        "high-contrast",
			Description: "High contrast: black background, white text, yellow focus, cyan links",
			Dark:        true,
			Palette: Palette{
				Background:  hex("#000000"),
				Card:        hex("#000000"),
				CardBorder:  hex("#FFFFFF"),
				Text:        hex("#FFFFFF"),
				Muted:       hex("#C0C0C0"),
				Accent:      hex("#00FFFF"),
				OnAccent:    hex("#000000"),
				Selection:   hex("#FFFF00"),
				OnSelection: hex("#000000"),
				Button:      hex("#FFFFFF"),
				OnButton:    hex("#000000"),
				Error:       hex("#FF5555"),
				Success:     hex("#00FF00"),
				Warning:     hex("#FFFF00"),
				Link:        hex("#00FFFF"),
				Disabled:    hex("#3FF23F"),
				Focus:       hex("#FFFF00"),
				OnFocus:     hex("#000000"),
			},
		},
	}
}

// Names returns the ids of the built-in themes in Builtin order.
func Names() []string {
	bs := Builtin()
	names := make([]string, len(bs))
	for i, t := range bs {
		names[i] = t.Name
	}
	return names
}

// Lookup returns the built-in theme with the given id (case-insensitive, surrounding spaces ignored).
func Lookup(name string) (Theme, error) {
	want := strings.ToLower(strings.TrimSpace(name))
	for _, t := range Builtin() {
		if t.Name == want {
			return t, nil
		}
	}
	return Theme{}, fmt.Errorf("unknown theme %q (want one of: %s)", name, strings.Join(Names(), ", "))
}

// Default returns the default built-in theme (DefaultName).
func Default() Theme {
	t, _ := Lookup(DefaultName)
	return t
}

package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// Styles holds the lipgloss styles the UI uses, built from a theme for a colour profile.
//
// No style sets a Width or Height; the UI sizes them. Styles meant for
// content inside the card (Title, Subtitle, Text, Muted, Error, Success,
// Warning, Link, Item*, Input*, Progress*) carry the card background, and the
// Help* styles carry the app background, so that their SGR resets do not punch
// holes in the surrounding fill.
type Styles struct {
	// App is the full-screen background.
	App lipgloss.Style
	// Card is the centred dialog box (Windows 11: rounded border, padding 1x2; Windows 10: padding only, same fill as App).
	Card lipgloss.Style
	// Title is the page heading (bold; centred on Windows 11, left-aligned on Windows 10, when the UI gives it a width).
	Title lipgloss.Style
	// Subtitle is the line under the title.
	Subtitle lipgloss.Style
	// Text is ordinary body text.
	Text lipgloss.Style
	// Muted is secondary text.
	Muted lipgloss.Style
	// Error is an error message.
	Error lipgloss.Style
	// Success is a success message.
	Success lipgloss.Style
	// Warning is a warning message.
	Warning lipgloss.Style
	// Link is a hyperlink (always underlined).
	Link lipgloss.Style
	// Item is an unselected list row (horizontal padding 1).
	Item lipgloss.Style
	// ItemSelected is the selected list row, distinguishable without colour (bold, and reverse when colourless).
	ItemSelected lipgloss.Style
	// ItemDisabled is a list row that cannot be chosen.
	ItemDisabled lipgloss.Style
	// Button is an ordinary button (horizontal padding 1).
	Button lipgloss.Style
	// ButtonPrimary is the default action button (bold).
	ButtonPrimary lipgloss.Style
	// ButtonFocused is the button with keyboard focus, distinguishable without colour (bold, and reverse when colourless).
	ButtonFocused lipgloss.Style
	// ButtonDisabled is a button that cannot be pressed.
	ButtonDisabled lipgloss.Style
	// Input is the bordered frame around an unfocused one-line text box.
	Input lipgloss.Style
	// InputFocused is the bordered frame around the focused text box (thick border when colourless or high contrast).
	InputFocused lipgloss.Style
	// HelpKey is a key name in the help bar.
	HelpKey lipgloss.Style
	// HelpDesc is a key description in the help bar.
	HelpDesc lipgloss.Style
	// HelpSep is the separator between help entries.
	HelpSep lipgloss.Style
	// ProgressFilled is the filled part of a progress bar.
	ProgressFilled lipgloss.Style
	// ProgressEmpty is the empty part of a progress bar.
	ProgressEmpty lipgloss.Style
	// Badge is a small highlighted tag (horizontal padding 1).
	Badge lipgloss.Style
}

// UsesColor reports whether styles built for profile p set colours: false for Ascii and NoTTY, true otherwise (Unknown included, as Bubble Tea downsamples at output).
func UsesColor(p colorprofile.Profile) bool {
	return p != colorprofile.ASCII && p != colorprofile.NoTTY
}

// asciiFocusBorder is the 7-bit counterpart of lipgloss.ThickBorder.
var asciiFocusBorder = lipgloss.Border{
	Top: "=", Bottom: "=", Left: "#", Right: "#",
	TopLeft: "#", TopRight: "#", BottomLeft: "#", BottomRight: "#",
	MiddleLeft: "#", MiddleRight: "#", Middle: "#", MiddleTop: "#", MiddleBottom: "#",
}

// paint sets colours on styles only when the profile has colour and the colour is non-nil.
type paint struct{ on bool }

// fg sets the foreground colour c on s when painting.
func (pt paint) fg(s lipgloss.Style, c color.Color) lipgloss.Style {
	if !pt.on || c == nil {
		return s
	}
	return s.Foreground(c)
}

// bg sets the background colour c on s when painting.
func (pt paint) bg(s lipgloss.Style, c color.Color) lipgloss.Style {
	if !pt.on || c == nil {
		return s
	}
	return s.Background(c)
}

// fgbg sets foreground f and background b on s when painting.
func (pt paint) fgbg(s lipgloss.Style, f, b color.Color) lipgloss.Style {
	return pt.bg(pt.fg(s, f), b)
}

// border sets the border foreground f and background b on s when painting.
func (pt paint) border(s lipgloss.Style, f, b color.Color) lipgloss.Style {
	if !pt.on {
		return s
	}
	if f != nil {
		s = s.BorderForeground(f)
	}
	if b != nil {
		s = s.BorderBackground(b)
	}
	return s
}

// Styles builds the theme's styles for colour profile p with Unicode borders (see StylesFor).
func (t Theme) Styles(p colorprofile.Profile) Styles {
	return t.StylesFor(p, Unicode())
}

// StylesFor builds the theme's styles for colour profile p, drawing borders from 7-bit ASCII when g is the ASCII glyph set.
//
// For colorprofile.Ascii and NoTTY no style sets any colour; distinctions are
// made with Reverse, Bold, Faint and Underline instead. For other profiles the
// styles carry full colours and Bubble Tea downsamples them at output.
func (t Theme) StylesFor(p colorprofile.Profile, g Glyphs) Styles {
	pal := t.Palette
	pt := paint{on: UsesColor(p)}
	mono := !pt.on
	hc := t.Name == "high-contrast"

	// Borders: rounded for Windows 11 cards, square for Windows 10 and
	// high contrast inputs; thick focus ring when colour cannot show focus.
	cardBorder := lipgloss.RoundedBorder()
	inputBorder := lipgloss.RoundedBorder()
	focusBorder := lipgloss.RoundedBorder()
	if t.Windows10 || hc {
		inputBorder = lipgloss.NormalBorder()
		focusBorder = lipgloss.NormalBorder()
	}
	if mono || hc {
		focusBorder = lipgloss.ThickBorder()
	}
	if g.IsASCII() {
		cardBorder = lipgloss.ASCIIBorder()
		inputBorder = lipgloss.ASCIIBorder()
		focusBorder = lipgloss.ASCIIBorder()
		if mono || hc {
			focusBorder = asciiFocusBorder
		}
	}

	base := lipgloss.NewStyle()
	onApp := func(c color.Color) lipgloss.Style { return pt.fgbg(base, c, pal.Background) }
	onCard := func(c color.Color) lipgloss.Style { return pt.fgbg(base, c, pal.Card) }
	pad := func(s lipgloss.Style) lipgloss.Style { return s.Padding(0, 1) }
	// Attributes that replace colour in colourless profiles; left unset otherwise
	// so that callers can still Inherit them.
	faint := func(s lipgloss.Style) lipgloss.Style {
		if mono {
			return s.Faint(true)
		}
		return s
	}
	bold := func(s lipgloss.Style) lipgloss.Style {
		if mono {
			return s.Bold(true)
		}
		return s
	}
	reverse := func(s lipgloss.Style) lipgloss.Style {
		if mono {
			return s.Reverse(true)
		}
		return s
	}

	var s Styles

	s.App = onApp(pal.Text)

	s.Card = onCard(pal.Text).Padding(1, 2)
	if !t.Windows10 {
		s.Card = pt.border(s.Card.Border(cardBorder), pal.CardBorder, pal.Background)
	}

	s.Title = onCard(pal.Text).Bold(true)
	if t.Windows10 {
		s.Title = s.Title.Align(lipgloss.Left)
	} else {
		s.Title = s.Title.Align(lipgloss.Center)
	}
	s.Subtitle = onCard(pal.Muted)
	s.Text = onCard(pal.Text)
	s.Muted = faint(onCard(pal.Muted))
	s.Error = bold(onCard(pal.Error))
	s.Success = onCard(pal.Success)
	s.Warning = bold(onCard(pal.Warning))
	s.Link = onCard(pal.Link).Underline(true)

	s.Item = pad(onCard(pal.Text))
	s.ItemSelected = reverse(pad(pt.fgbg(base, pal.OnSelection, pal.Selection)).Bold(true))
	s.ItemDisabled = faint(pad(onCard(pal.Disabled)))

	s.Button = pad(pt.fgbg(base, pal.OnButton, pal.Button))
	s.ButtonPrimary = pad(pt.fgbg(base, pal.OnAccent, pal.Accent)).Bold(true)
	s.ButtonFocused = reverse(pad(pt.fgbg(base, pal.OnFocus, pal.Focus)).Bold(true))
	s.ButtonDisabled = faint(pad(onCard(pal.Disabled)))

	s.Input = pt.border(onCard(pal.Text).Padding(0, 1).Border(inputBorder), pal.Muted, pal.Card)
	s.InputFocused = pt.border(onCard(pal.Text).Padding(0, 1).Border(focusBorder), pal.Focus, pal.Card)

	s.HelpKey = onApp(pal.Text).Bold(true)
	s.HelpDesc = onApp(pal.Muted)
	s.HelpSep = faint(onApp(pal.Disabled))

	s.ProgressFilled = onCard(pal.Accent)
	s.ProgressEmpty = faint(onCard(pal.Disabled))

	s.Badge = pad(pt.fgbg(base, pal.OnAccent, pal.Accent)).Bold(true)

	return s
}

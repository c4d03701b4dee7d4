package ui

import (
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// newTextInput returns a one-line input styled by the theme. The cursor does not blink, so
// nothing ticks while the user thinks.
func newTextInput(c *Env, placeholder string, secret bool) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = 256
	if secret {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = []rune(c.Glyphs.Bullet)[0]
	}
	st := textinput.DefaultStyles(c.Theme.Dark)
	st.Focused.Text, st.Blurred.Text = c.Styles.Text, c.Styles.Text
	st.Focused.Placeholder, st.Blurred.Placeholder = c.Styles.Muted, c.Styles.Muted
	st.Focused.Prompt, st.Blurred.Prompt = c.Styles.Text, c.Styles.Text
	st.Cursor.Blink = false
	in.SetStyles(st)
	return in
}

// renderInput draws in inside a framed box of width w (3 lines).
func renderInput(c *Env, in *textinput.Model, w int, focused bool, suffix string) string {
	style := c.Styles.Input
	if focused {
		style = c.Styles.InputFocused
	}
	sw := lipgloss.Width(suffix)
	inner := max(1, w-4-sw) // border and one space of padding each side
	in.SetWidth(max(1, inner-1))
	line := padRight(in.View(), inner)
	if sw > 0 {
		line += suffix
	}
	return style.Width(w).Render(line)
}

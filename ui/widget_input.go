package ui

import (
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// The most each box holds, as Windows and the directory accept them. The cap is the box's
// own, so typing, a paste and the replay are all held to it.
const (
	// capUPN: a Microsoft Entra user principal name is at most 113 characters (64 before the
	// @, 48 after; "Password policies and account restrictions in Microsoft Entra ID").
	capUPN = 113
	// capPassword: a Microsoft Entra password is at most 256 characters (same page).
	capPassword = 256
	// capCode: a verification code is 6 digits (8 on some OATH hardware tokens).
	capCode = 8
	// capWiFiKey: a WPA/WPA2 key is a passphrase of 8 to 63 characters or 64 hexadecimal
	// digits (the WLAN_profile schema's keyMaterial).
	capWiFiKey = 64
	// capSSID: an SSID is at most 32 bytes (IEEE 802.11), so a UTF-8 name is counted in bytes.
	capSSID = 32
	// capPIN: a Windows Hello PIN is at most 127 characters (the policy's maximum length is
	// 4 to 127); a tenant's policy may lower it.
	capPIN = 127
	// capSearch: a list search; no region, language or layout name is half as long.
	capSearch = 64
)

// field is a one-line text box holding at most limit characters (and, if maxBytes is set,
// at most that many bytes of UTF-8) however the text arrives. It keeps the length of its
// text, so that a key typed into a full box is refused without looking at the text.
type field struct {
	textinput.Model
	maxBytes     int
	runes, bytes int // the length of Value
}

// newField returns an empty box styled by the theme holding at most limit characters. The
// cursor does not blink, so nothing ticks while the user thinks.
func newField(c *Env, placeholder string, secret bool, limit int) field {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
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
	return field{Model: in}
}

// full reports whether not one more character fits.
func (f *field) full() bool {
	return f.runes >= f.CharLimit || (f.maxBytes > 0 && f.bytes >= f.maxBytes)
}

// refuses reports whether msg is a character typed into the box while it is full: a key
// that changes nothing.
func (f *field) refuses(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && typed(k) && f.Focused() && f.full()
}

// typed reports whether k types its text (no Ctrl, Alt or other modifier that makes it a
// command).
func typed(k tea.KeyPressMsg) bool {
	return k.Text != "" && k.Mod&^(tea.ModShift|tea.ModCapsLock|tea.ModNumLock|tea.ModScrollLock) == 0
}

// Update edits the box for a key or a paste, keeping to its cap.
func (f field) Update(msg tea.Msg) (field, tea.Cmd) {
	if f.refuses(msg) {
		return f, nil
	}
	if f.maxBytes > 0 {
		// the text box counts characters; trim what comes to the bytes left
		switch m := msg.(type) {
		case tea.KeyPressMsg:
			if typed(m) {
				m.Text = fitBytes(m.Text, f.maxBytes-f.bytes)
				msg = m
			}
		case tea.PasteMsg:
			m.Content = fitBytes(m.Content, f.maxBytes-f.bytes)
			msg = m
		}
	}
	var cmd tea.Cmd
	f.Model, cmd = f.Model.Update(msg)
	f.measure()
	return f, cmd
}

// SetValue replaces the text, cut to the cap.
func (f *field) SetValue(s string) {
	if f.maxBytes > 0 {
		s = fitBytes(s, f.maxBytes)
	}
	f.Model.SetValue(s)
	f.measure()
}

// Reset empties the box.
func (f *field) Reset() {
	f.Model.Reset()
	f.measure()
}

// measure records the length of the text, cutting it to the bytes allowed should the text
// box's cleaning have grown it (an invalid byte becomes a three-byte U+FFFD).
func (f *field) measure() {
	v := f.Model.Value()
	if f.maxBytes > 0 && len(v) > f.maxBytes {
		f.Model.SetValue(fitBytes(v, f.maxBytes))
		v = f.Model.Value()
	}
	f.runes, f.bytes = utf8.RuneCountInString(v), len(v)
}

// fitBytes returns the longest start of s, cut between characters, of at most n bytes
// (counting an invalid byte as the U+FFFD it becomes in the box).
func fitBytes(s string, n int) string {
	used := 0
	for i, r := range s {
		used += utf8.RuneLen(r)
		if used > n {
			return s[:i]
		}
	}
	return s
}

// renderInput draws in inside a framed box of width w (3 lines).
func renderInput(c *Env, in *field, w int, focused bool, suffix string) string {
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

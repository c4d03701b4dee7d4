package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// credForm is the one credentials form of the app: a user name box and a password box (a
// page may show only one of them, as the branded sign-in does one at a time) and the reveal
// toggle of the password. The page's focus ring says which box has the focus ("user",
// "pass"); the password leaves the form only through take.
type credForm struct {
	ctx        pageCtx // the page's
	user, pass field
	reveal     bool
	// replayed is set while the password box holds a secret an answers file typed: it is
	// never shown, not even with Ctrl+R.
	replayed bool
}

// newCredForm returns the form of the page of c whose boxes show the placeholders userHint
// and passHint.
func newCredForm(c pageCtx, userHint, passHint string) credForm {
	return credForm{ctx: c, user: newField(c.env, userHint, false, capUPN), pass: newField(c.env, passHint, true, capPassword)}
}

// focus makes box ("user", "pass", or anything else for none) the one that takes typing.
func (f *credForm) focus(box string) {
	f.user.Blur()
	f.pass.Blur()
	switch box {
	case "user":
		f.user.Focus()
	case "pass":
		f.pass.Focus()
	}
}

// box returns the box named box ("user", "pass"; nil for anything else).
func (f *credForm) box(box string) *field {
	switch box {
	case "user":
		return &f.user
	case "pass":
		return &f.pass
	}
	return nil
}

// input gives a key or a paste to box.
func (f *credForm) input(box string, msg tea.Msg) tea.Cmd {
	in := f.box(box)
	if in == nil {
		return nil
	}
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	if f.pass.Value() == "" {
		f.replayed = false
	}
	return cmd
}

// toPassword moves the focus (ring's and the form's) to the password box.
func (f *credForm) toPassword(ring *focusRing) {
	ring.focus("pass")
	f.focus("pass")
}

// key handles a key press on a form whose focus ring is ring: Tab moves between the boxes,
// Enter goes from the username to the password and then submits, any other key edits the
// box with the focus once edited has cleared the error shown (a key typed into a full box
// changes nothing, the error included).
func (f *credForm) key(k KeyMap, ring *focusRing, msg tea.KeyPressMsg, submit, edited func()) tea.Cmd {
	switch {
	case ring.tab(k, msg, false):
		f.focus(ring.cur)
	case key.Matches(msg, k.Enter):
		if ring.on("user") {
			f.toPassword(ring)
			return nil
		}
		submit()
	default:
		if in := f.box(ring.cur); in != nil && in.refuses(msg) {
			f.ctx.unchanged()
			return nil
		}
		edited()
		return f.input(ring.cur, msg)
	}
	return nil
}

// replayPassword puts a password from an answers file in its box, hidden for good.
func (f *credForm) replayPassword(v string) {
	f.pass.SetValue(v)
	f.pass.CursorEnd()
	f.replayed = true
	if f.reveal {
		f.toggleReveal()
	}
}

// canReveal reports whether Ctrl+R may show the password: not while it holds a replayed one.
func (f *credForm) canReveal() bool { return !f.replayed }

// toggleReveal shows or hides the password (never a replayed one).
func (f *credForm) toggleReveal() {
	if !f.reveal && !f.canReveal() {
		return
	}
	f.reveal = !f.reveal
	f.pass.EchoMode = textinput.EchoPassword
	if f.reveal {
		f.pass.EchoMode = textinput.EchoNormal
	}
}

// username is the user name typed, trimmed.
func (f *credForm) username() string { return strings.TrimSpace(f.user.Value()) }

// take returns the password typed and clears its box.
func (f *credForm) take() string {
	p := f.pass.Value()
	f.pass.Reset()
	f.replayed = false
	return p
}

// clear empties both boxes and hides the password again.
func (f *credForm) clear() {
	f.user.Reset()
	f.pass.Reset()
	f.replayed = false
	if f.reveal {
		f.toggleReveal()
	}
}

// formView says what a credForm draws: which boxes under which labels, which has the
// focus, and whether the password shows the reveal eye.
type formView struct {
	userLabel, passLabel string // "" leaves the box out
	focus                string // "user", "pass" or ""
	eye                  bool
}

// view draws the boxes asked for, each under its label, at most w wide (boxes at most bw).
func (f credForm) view(c *Env, w, bw int, v formView) []string {
	st, g := c.Styles, c.Glyphs
	var lines []string
	if v.userLabel != "" {
		lines = append(lines, st.Text.Render(ansi.Truncate(v.userLabel, w, g.Ellipsis)))
		lines = addLines(lines, renderInput(c, &f.user, min(w, bw), v.focus == "user", ""))
	}
	if v.passLabel != "" {
		suffix := ""
		if v.eye {
			e := g.Eye
			if f.reveal {
				e = g.EyeOff
			}
			suffix = " " + st.Muted.Render(e)
		}
		lines = append(lines, st.Text.Render(ansi.Truncate(v.passLabel, w, g.Ellipsis)))
		lines = addLines(lines, renderInput(c, &f.pass, min(w, bw), v.focus == "pass", suffix))
	}
	return lines
}

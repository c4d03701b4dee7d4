package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// textinputPair is the Windows sign-in screen after a restart during Device setup: the user
// types user name and password again (the user name is not pre-filled, reference §1.7).
type textinputPair struct {
	user, pass textinput.Model
	focus      int // 0 user, 1 password, 2 Sign in
	errText    string
	checking   bool
}

func newTextInputPair(c *Common) textinputPair {
	return textinputPair{
		user: newTextInput(c, c.T("signin.user_placeholder"), false),
		pass: newTextInput(c, c.T("signin.password_placeholder"), true),
	}
}

func (p *textinputPair) reset() {
	p.user.Reset()
	p.pass.Reset()
	p.errText, p.checking = "", false
	p.setFocus(0)
}

func (p *textinputPair) setFocus(f int) {
	p.focus = f
	p.user.Blur()
	p.pass.Blur()
	switch f {
	case 0:
		p.user.Focus()
	case 1:
		p.pass.Focus()
	}
}

func (p *textinputPair) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch p.focus {
	case 0:
		p.user, cmd = p.user.Update(msg)
	case 1:
		p.pass, cmd = p.pass.Update(msg)
	}
	return cmd
}

// key handles a key on the sign-in screen of s.
func (p *textinputPair) key(msg tea.KeyPressMsg, s *espScreen) tea.Cmd {
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Tab):
		p.setFocus((p.focus + 1) % 3)
	case key.Matches(msg, k.ShiftTab):
		p.setFocus((p.focus + 2) % 3)
	case key.Matches(msg, k.Enter):
		if p.focus == 0 {
			p.setFocus(1)
			return nil
		}
		return p.submit(s)
	default:
		if p.focus < 2 {
			p.errText = ""
			return p.update(msg)
		}
	}
	return nil
}

// submit sends the credentials to the backend; the password leaves the screen only there.
func (p *textinputPair) submit(s *espScreen) tea.Cmd {
	c := s.c
	upn := strings.TrimSpace(p.user.Value())
	if upn == "" || p.pass.Value() == "" || p.checking {
		return nil
	}
	creds := flow.Credentials{UPN: upn, Password: p.pass.Value()}
	p.pass.Reset()
	p.checking = true
	c.Session.Record(flow.RecordButton, map[string]string{"button": "sign_in_again"})
	return c.Async(func() tea.Msg {
		res, err := c.Backend.SignIn(c.Ctx, creds)
		return signInDoneMsg{res: res, err: err}
	})
}

// reentered handles the answer to the credentials typed after the restart.
func (s *espScreen) reentered(msg signInDoneMsg) tea.Cmd {
	c := s.c
	p := &s.user
	p.checking = false
	var org *flow.OrgMismatchError
	switch {
	case msg.err == nil && !strings.EqualFold(msg.res.UPN, c.Session.Answers.UPN):
		p.errText = c.T("esp.reentry_other_user")
	case errors.As(msg.err, &org):
		p.errText = c.T("signin.org_error_title")
	case errors.Is(msg.err, flow.ErrWrongPassword), errors.Is(msg.err, flow.ErrUnknownUser):
		p.errText = c.T("signin.wrong_password")
	case msg.err != nil:
		p.errText = c.T("signin.failed", "error", msg.err.Error())
	}
	if p.errText != "" {
		c.Session.Record(flow.RecordError, map[string]string{"error": "sign_in_after_restart"})
		p.setFocus(1)
		return nil
	}
	c.Session.Record(flow.RecordBackend, map[string]string{"event": "signed_in_after_restart"})
	s.reentry = false
	if s.pendingNext {
		return next
	}
	return nil
}

// view draws the Windows sign-in screen.
func (p *textinputPair) view(w, h int, s *espScreen) Card {
	c := s.c
	st, g := c.Styles, c.Glyphs
	var lines []string
	add := func(text string) { lines = append(lines, strings.Split(text, "\n")...) }
	add(st.Text.Render(ansi.Truncate(c.T("signin.user_label"), w, g.Ellipsis)))
	add(renderInput(c, &p.user, min(w, 52), p.focus == 0, ""))
	add(st.Text.Render(ansi.Truncate(c.T("signin.password_label"), w, g.Ellipsis)))
	add(renderInput(c, &p.pass, min(w, 52), p.focus == 1, ""))
	if p.errText != "" {
		add(st.Error.Render(wrapBody(g.Warning+" "+p.errText, w)))
	}
	return Card{
		Body:    strings.Join(lines, "\n"),
		Buttons: []Button{{ID: "reentry_signin", Label: c.T("button.sign_in"), Primary: true, Focused: p.focus == 2}},
		Help:    []key.Binding{c.Keys.Tab, c.Keys.Enter},
	}
}

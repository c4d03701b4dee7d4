package ui

import (
	"errors"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// startPush asks the Authenticator app for approval: the screen shows the number to match.
func (s *signInScreen) startPush() tea.Cmd {
	c := s.c
	s.errText = ""
	s.enter(signMFAPush)
	c.Session.Record(flow.RecordBackend, map[string]any{"event": "mfa_push", "number": s.res.MFANumber})
	return tea.Batch(spin(c, s.spin), c.Async(func() tea.Msg {
		return mfaDoneMsg{err: c.Backend.WaitMFA(c.Ctx)}
	}))
}

// verify checks a verification code from the app; the code itself is never recorded.
func (s *signInScreen) verify(code string) tea.Cmd {
	c := s.c
	s.errText = ""
	return c.Async(func() tea.Msg {
		return mfaDoneMsg{err: c.Backend.VerifyCode(c.Ctx, code), code: true}
	})
}

func (s *signInScreen) mfaDone(err error) tea.Cmd {
	c := s.c
	switch {
	case err == nil:
		c.Session.Record(flow.RecordBackend, map[string]string{"event": "mfa_approved"})
		return s.enroll()
	case errors.Is(err, flow.ErrMFADenied):
		if s.state != signMFAPush {
			return nil // the user chose a verification code meanwhile: the denial is moot
		}
		c.Session.Record(flow.RecordError, map[string]string{"error": "mfa_denied"})
		s.enter(signMFADenied)
	case errors.Is(err, flow.ErrWrongCode):
		c.Session.Record(flow.RecordError, map[string]string{"error": "wrong_code"})
		s.errText = c.T("mfa.wrong_code")
		s.enter(signMFACode)
	default:
		if s.state != signMFAPush && s.state != signMFACode {
			return nil // the user moved on (e.g. chose a code while the push was pending)
		}
		c.Session.Record(flow.RecordError, map[string]string{"error": "mfa", "detail": err.Error()})
		s.errText = c.T("signin.failed", "error", err.Error())
		s.enter(signMFADenied)
	}
	return nil
}

// mfaView is the body of the MFA states.
func (s *signInScreen) mfaView(w int) ([]string, []Hit) {
	c := s.c
	st, g := c.Styles, c.Glyphs
	var lines []string
	var hits []Hit
	add := func(text string) { lines = append(lines, strings.Split(text, "\n")...) }
	add(st.Muted.Render(ansi.Truncate(s.user.Value(), w, g.Ellipsis)))
	add("")
	switch s.state {
	case signMFAPush:
		add(st.Text.Render(wrapBody(c.T("mfa.push_text"), w)))
		add("")
		number := strconv.Itoa(s.res.MFANumber)
		add(lipgloss.PlaceHorizontal(w, lipgloss.Center, st.Badge.Bold(true).Render(" "+number+" ")))
		add("")
		add(s.spin.View() + " " + st.Muted.Render(c.T("mfa.waiting")))
		add("")
		link := c.T("mfa.cant_use_app")
		ls := st.Link
		if s.focus == "link" {
			ls = st.ItemSelected
		}
		hits = append(hits, Hit{Y: len(lines), X0: 0, X1: min(w, lipgloss.Width(link)), ID: "link"})
		add(ls.Render(ansi.Truncate(link, w, g.Ellipsis)))
	case signMFADenied:
		add(st.Error.Render(wrapBody(g.Warning+" "+c.T("mfa.denied"), w)))
		if s.errText != "" {
			add(st.Muted.Render(wrapBody(s.errText, w)))
		}
	case signMFACode:
		add(st.Text.Render(wrapBody(c.T("mfa.code_text"), w)))
		add(renderInput(c, &s.code, min(w, 30), s.focus == "input", ""))
		if s.errText != "" {
			add(st.Error.Render(wrapBody(g.Warning+" "+s.errText, w)))
		}
	}
	return lines, hits
}

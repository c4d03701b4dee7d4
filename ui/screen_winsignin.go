package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// winSignInDoneMsg is the backend's answer to the credentials typed on the Windows sign-in.
type winSignInDoneMsg struct {
	name string // what the user typed as user name (never the password)
	res  flow.SignInResult
	err  error
}

// winSignInScreen is the Windows lock and sign-in screen of a Microsoft Entra hybrid join
// (reference §1.4 step 6): "Press Ctrl+Alt+Del to unlock" (terminals rarely pass that chord,
// so Enter works too), then "Other user" with the on-premises user name (DOMAIN\user or the
// UPN, never pre-filled) and the password.
type winSignInScreen struct {
	c        *Common
	unlocked bool
	// textinputPair holds the user name and password boxes and their focus (0 user name,
	// 1 password, 2 Sign in), as on the sign-in after a restart during Device setup.
	textinputPair
}

func newWinSignInScreen(c *Common) Screen {
	return &winSignInScreen{c: c, textinputPair: textinputPair{
		user: newTextInput(c, c.T("winsignin.user_placeholder"), false),
		pass: newTextInput(c, c.T("winsignin.password_placeholder"), true),
	}}
}

func (s *winSignInScreen) Init() tea.Cmd { return nil }

// FullScreen: the lock screen covers the whole terminal, as on Windows.
func (s *winSignInScreen) FullScreen() bool { return !s.unlocked }

func (s *winSignInScreen) Heading() (string, string) {
	c := s.c
	if !s.unlocked {
		return c.T("winsignin.locked_title"), ""
	}
	sub := ""
	if d := c.Tenant.NetBIOSDomain(); d != "" {
		sub = c.T("winsignin.sign_in_to", "domain", d)
	}
	return c.T("winsignin.title"), sub
}

func (s *winSignInScreen) unlock() {
	s.unlocked = true
	s.c.Session.Record(flow.RecordButton, map[string]string{"button": "ctrl_alt_del"})
	s.setFocus(0)
}

func (s *winSignInScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s, s.key(msg)
	case tea.PasteMsg:
		if s.unlocked && s.focus < 2 {
			return s, s.update(msg)
		}
	case tea.MouseClickMsg:
		if !s.unlocked {
			s.unlock()
		}
	case ButtonMsg:
		switch msg.ID {
		case "unlock":
			s.unlock()
		case "winsignin":
			return s, s.submit()
		}
	case winSignInDoneMsg:
		return s, s.done(msg)
	}
	return s, nil
}

func (s *winSignInScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	if !s.unlocked {
		switch msg.String() {
		case "ctrl+alt+delete", "ctrl+alt+backspace", "enter", "space":
			s.unlock()
		}
		return nil
	}
	if s.checking {
		return nil
	}
	switch {
	case key.Matches(msg, k.Tab):
		s.setFocus((s.focus + 1) % 3)
	case key.Matches(msg, k.ShiftTab):
		s.setFocus((s.focus + 2) % 3)
	case key.Matches(msg, k.Back):
		s.user.Reset()
		s.pass.Reset()
		s.errText, s.unlocked = "", false
	case key.Matches(msg, k.Enter):
		if s.focus == 0 {
			s.setFocus(1)
			return nil
		}
		return s.submit()
	default:
		if s.focus < 2 {
			s.errText = ""
			return s.update(msg)
		}
	}
	return nil
}

// submit sends the credentials to the backend; the password leaves the screen only there.
// DOMAIN\user is mapped to the scenario user's UPN first.
func (s *winSignInScreen) submit() tea.Cmd {
	c := s.c
	name := strings.TrimSpace(s.user.Value())
	if name == "" || s.pass.Value() == "" || s.checking {
		return nil
	}
	password := s.pass.Value()
	s.pass.Reset()
	upn, ok := c.Tenant.OnPremisesUPN(name)
	if !ok {
		return func() tea.Msg { return winSignInDoneMsg{name: name, err: flow.ErrUnknownUser} }
	}
	s.checking = true
	c.Session.Record(flow.RecordButton, map[string]string{"button": "windows_sign_in"})
	return c.Async(func() tea.Msg {
		res, err := c.Backend.SignIn(c.Ctx, flow.Credentials{UPN: upn, Password: password})
		return winSignInDoneMsg{name: name, res: res, err: err}
	})
}

// done handles the answer to the credentials.
func (s *winSignInScreen) done(msg winSignInDoneMsg) tea.Cmd {
	c := s.c
	s.checking = false
	switch {
	case msg.err == nil && c.Session.Answers.UPN != "" && !strings.EqualFold(msg.res.UPN, c.Session.Answers.UPN):
		s.errText = c.T("esp.reentry_other_user")
	case msg.err == nil:
	case errors.Is(msg.err, flow.ErrWrongPassword), errors.Is(msg.err, flow.ErrUnknownUser):
		s.errText = c.T("winsignin.wrong")
	default:
		var org *flow.OrgMismatchError
		if errors.As(msg.err, &org) {
			s.errText = c.T("winsignin.wrong")
		} else {
			s.errText = c.T("signin.failed", "error", msg.err.Error())
		}
	}
	if s.errText != "" {
		c.Session.Record(flow.RecordError, map[string]string{"error": "windows_sign_in", "user": msg.name})
		s.setFocus(1)
		return nil
	}
	c.Session.Record(flow.RecordAnswer, map[string]string{"windowsUser": msg.name})
	return next
}

func (s *winSignInScreen) View(w, h int) Card {
	c := s.c
	st, g := c.Styles, c.Glyphs
	if !s.unlocked {
		var block []string
		add := func(style lipgloss.Style, text string) {
			for _, l := range wrapLines(text, w) {
				block = append(block, style.Render(ansi.Truncate(l, w, "")))
			}
		}
		now := c.Clock.Now()
		add(st.Title, now.Format("15:04"))
		block = append(block, "")
		add(st.Text, c.T("winsignin.press_cad"))
		if h >= 6 {
			block = append(block, "")
			add(st.Muted, c.T("winsignin.press_enter"))
		}
		if len(block) > h {
			block = block[:h]
		}
		return Card{Body: lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, lipgloss.JoinVertical(lipgloss.Center, block...))}
	}
	var lines []string
	add := func(text string) { lines = append(lines, strings.Split(text, "\n")...) }
	add(st.Title.Render(ansi.Truncate(c.T("winsignin.other_user"), w, g.Ellipsis)))
	add(st.Text.Render(ansi.Truncate(c.T("winsignin.user_label"), w, g.Ellipsis)))
	add(renderInput(c, &s.user, min(w, 52), s.focus == 0, ""))
	add(st.Text.Render(ansi.Truncate(c.T("winsignin.password_label"), w, g.Ellipsis)))
	add(renderInput(c, &s.pass, min(w, 52), s.focus == 1, ""))
	switch {
	case s.checking:
		add(st.Muted.Render(ansi.Truncate(c.T("winsignin.checking"), w, g.Ellipsis)))
	case s.errText != "":
		add(st.Error.Render(wrapBody(g.Warning+" "+s.errText, w)))
	default:
		add(st.Muted.Render(wrapBody(c.T("winsignin.hint"), w)))
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return Card{
		Body:    strings.Join(lines, "\n"),
		Buttons: []Button{{ID: "winsignin", Label: c.T("button.sign_in"), Primary: true, Focused: s.focus == 2}},
		Help:    []key.Binding{c.Keys.Tab, c.Keys.Enter, c.Keys.Back},
	}
}

package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// winSignInPage is the Windows lock and sign-in screen: on a Microsoft Entra hybrid join
// (reference §1.4 step 6) "Press Ctrl+Alt+Del to unlock" (Enter works too), then "Other user"
// with the on-premises user name (DOMAIN\user or the UPN); after a restart of an Entra join
// (§1.7, §3.7) any key or a click dismisses the lock screen and the user signs in with the
// work account. The user name is never pre-filled. The run's WindowsSignIn controller
// checks the credentials.
type winSignInPage struct {
	pageCtx
	w    *run.WindowsSignIn
	form credForm
	ring focusRing
}

func newWinSignInPage(c pageCtx) Page {
	w := c.run.WindowsSignIn()
	user := "winsignin.user_placeholder"
	if !w.NeedsCtrlAltDel() {
		user = "winsignin.user_placeholder_work" // after a restart of an Entra join
	}
	p := &winSignInPage{pageCtx: c, w: w, form: newCredForm(c, c.env.T(user), c.env.T("winsignin.password_placeholder"))}
	p.ring.set("user", "pass", "winsignin")
	return p
}

// FullScreen: the lock screen covers the whole terminal, as on Windows.
func (p *winSignInPage) FullScreen() bool { return !p.w.Unlocked }

// Busy: the spinner turns while the backend checks.
func (p *winSignInPage) Busy() bool { return p.w.Form.Checking }

func (p *winSignInPage) Heading() (string, string) {
	c := p.env
	if !p.w.Unlocked {
		return c.T("winsignin.locked_title"), ""
	}
	sub := ""
	if d := p.w.Domain(); d != "" {
		sub = c.T("winsignin.sign_in_to", "domain", d)
	}
	return c.T("winsignin.title"), sub
}

func (p *winSignInPage) unlock() {
	if p.w.Unlock() == nil {
		p.ring.focus("user")
		p.form.focus("user")
	}
}

func (p *winSignInPage) submit() {
	name := p.form.username()
	if name == "" || p.form.pass.Value() == "" || p.w.Form.Checking {
		return
	}
	_ = p.w.SignIn(flow.Credentials{UPN: name, Password: p.form.take()})
}

func (p *winSignInPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case outcomeMsg:
		if p.w.Form.Err != nil {
			p.form.toPassword(&p.ring)
		}
	case tea.KeyPressMsg:
		if !p.w.Unlocked {
			if key.Matches(msg, k.Unlock) || !p.w.NeedsCtrlAltDel() && !key.Matches(msg, k.Quit) {
				p.unlock()
			}
			return nil
		}
		if p.w.Form.Checking {
			return nil
		}
		if key.Matches(msg, k.Back) {
			p.form.clear()
			_ = p.w.Lock()
			return nil
		}
		return p.form.key(k, &p.ring, msg, p.submit, func() { p.w.Form.Err = nil })
	case tea.PasteMsg:
		if p.w.Unlocked {
			return p.form.input(p.ring.cur, msg)
		}
	case tea.MouseClickMsg:
		if !p.w.Unlocked {
			p.unlock()
		}
	case ButtonMsg:
		if msg.ID == "winsignin" {
			p.submit()
		}
	}
	return nil
}

// errText words the controller's error.
func (p *winSignInPage) errText() string {
	c, e := p.env, p.w.Form.Err
	switch {
	case e == nil:
		return ""
	case e.Code == run.CodeOtherUser:
		return c.T("esp.reentry_other_user")
	case errors.Is(e, flow.ErrWrongPassword), errors.Is(e, flow.ErrUnknownUser), errors.Is(e, flow.ErrOtherOrganization):
		return c.T("winsignin.wrong")
	}
	return errorText(c, e)
}

func (p *winSignInPage) View(f Frame) Card {
	c := p.env
	st, g := c.Styles, c.Glyphs
	w, h := f.W, f.H
	if !p.w.Unlocked {
		var block []string
		add := func(style lipgloss.Style, text string) {
			for _, l := range wrapLines(text, w) {
				block = append(block, style.Render(ansi.Truncate(l, w, "")))
			}
		}
		add(st.Title, f.Now.Format("15:04"))
		block = append(block, "")
		if p.w.NeedsCtrlAltDel() {
			add(st.Text, c.T("winsignin.press_cad"))
			if h >= 6 {
				block = append(block, "")
				add(st.Muted, c.T("winsignin.press_enter"))
			}
		} else {
			add(st.Text, c.T("winsignin.press_any"))
		}
		if len(block) > h {
			block = block[:h]
		}
		return Card{Body: lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, lipgloss.JoinVertical(lipgloss.Center, block...))}
	}
	lines := []string{st.Title.Render(ansi.Truncate(c.T("winsignin.other_user"), w, g.Ellipsis))}
	lines = append(lines, p.form.view(c, w, 52, formView{userLabel: c.T("winsignin.user_label"), passLabel: c.T("winsignin.password_label"), focus: p.ring.cur})...)
	switch {
	case p.w.Form.Checking:
		lines = append(lines, f.Spin+" "+st.Muted.Render(ansi.Truncate(c.T("winsignin.checking"), w, g.Ellipsis)))
	case p.errText() != "":
		lines = addLines(lines, st.Error.Render(wrapBody(g.Warning+" "+p.errText(), w)))
	case p.w.NeedsCtrlAltDel():
		lines = addLines(lines, st.Muted.Render(wrapBody(c.T("winsignin.hint"), w)))
	default:
		lines = addLines(lines, st.Muted.Render(wrapBody(c.T("winsignin.hint_work"), w)))
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return Card{
		Body:    strings.Join(lines, "\n"),
		Buttons: []Button{{ID: "winsignin", Label: c.T("button.sign_in"), Primary: true, Focused: p.ring.on("winsignin")}},
		Help:    []key.Binding{c.Keys.Tab, c.Keys.Enter, c.Keys.Back},
	}
}

// The replay's view of the page (replay.go): what it shows, and the actions done through
// its own handlers.

func (p *winSignInPage) replayForm() replayForm {
	switch {
	case p.w.Form.Checking:
		return replayForm{mode: "busy"}
	case !p.w.Unlocked:
		return replayForm{mode: "locked"}
	}
	return replayForm{mode: "form", fields: map[string]string{"user": p.form.user.Value(), "pass": p.form.pass.Value()}}
}

func (p *winSignInPage) replayAct(a replayAct) tea.Cmd {
	switch a.kind {
	case "type":
		p.ring.focus(a.target)
		p.form.focus(a.target)
		if a.target == "pass" {
			p.form.replayPassword(a.value)
			break
		}
		p.form.user.SetValue(a.value)
		p.form.user.CursorEnd()
	case "press":
		if a.target == "unlock" {
			p.unlock()
			break
		}
		p.ring.focus(a.target)
		p.submit()
	}
	return nil
}

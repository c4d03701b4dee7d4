package ui

import (
	"errors"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// entraPromptPage is the Microsoft Entra prompt over a hybrid join's Account setup, as
// Microsoft's hybrid "Deploy the device" (step 8) describes it: the Microsoft Entra sign-in
// (the work account, not the on-premises one; Next), then "Stay signed in to all your apps"
// with "Allow my organization to manage my device" ticked (OK), then "You're all set!"
// (Done). The run's EntraPrompt holds the state; Account setup waits behind it.
type entraPromptPage struct {
	pageCtx
	esp  *espPage
	form credForm
	ring focusRing
}

func newEntraPromptPage(esp *espPage) *entraPromptPage {
	c := esp.pageCtx
	p := &entraPromptPage{pageCtx: c, esp: esp, form: newCredForm(c, c.env.T("winsignin.user_placeholder_work"), c.env.T("winsignin.password_placeholder"))}
	p.ring.set("user", "pass", "next")
	p.form.focus("user")
	return p
}

func (p *entraPromptPage) prompt() *run.EntraPrompt { return p.esp.e.Prompt }

// follow moves the focus after the backend answered: OK on "Stay signed in", the password
// again after an error.
func (p *entraPromptPage) follow() {
	pr := p.prompt()
	switch {
	case pr == nil:
	case pr.State == run.PromptStaySignedIn:
		if !p.ring.on("manage") {
			p.ring.set("manage", "ok")
			p.ring.focus("ok")
		}
	case pr.State == run.PromptCredentials && pr.Err != nil:
		p.form.toPassword(&p.ring)
	}
}

// Busy: the spinner turns while the backend checks the credentials.
func (p *entraPromptPage) Busy() bool {
	pr := p.prompt()
	return pr != nil && pr.State == run.PromptChecking
}

func (p *entraPromptPage) Heading() (string, string) {
	c := p.env
	pr := p.prompt()
	if pr == nil {
		return c.T("esp.title"), ""
	}
	switch pr.State {
	case run.PromptStaySignedIn:
		return c.T("entra.stay_title"), ""
	case run.PromptAllSet:
		return c.T("entra.all_set_title"), ""
	}
	return c.T("entra.title"), c.T("entra.subtitle")
}

func (p *entraPromptPage) submit() {
	pr := p.prompt()
	name := p.form.username()
	if pr == nil || name == "" || p.form.pass.Value() == "" {
		return
	}
	_ = pr.SignIn(flow.Credentials{UPN: name, Password: p.form.take()})
}

// press does what button id does on the prompt's current screen.
func (p *entraPromptPage) press(id string) {
	pr := p.prompt()
	if pr == nil {
		return
	}
	switch pr.State {
	case run.PromptCredentials:
		if id == "next" {
			p.submit()
		}
	case run.PromptStaySignedIn:
		switch id {
		case "manage":
			_ = pr.SetManage(!pr.Manage)
		case "ok":
			_ = pr.StaySignedIn()
			p.ring.set("done")
		}
	case run.PromptAllSet:
		if id == "done" {
			_ = pr.Done()
		}
	}
}

func (p *entraPromptPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	pr := p.prompt()
	if pr == nil {
		return nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		p.esp.e.Touch()
		switch pr.State {
		case run.PromptChecking:
			return nil
		case run.PromptCredentials:
			if key.Matches(msg, k.Enter) && p.ring.on("next") {
				p.submit()
				return nil
			}
			return p.form.key(k, &p.ring, msg, p.submit, func() { pr.Err = nil })
		case run.PromptStaySignedIn:
			if key.Matches(msg, k.Toggle) {
				_ = pr.SetManage(!pr.Manage)
				return nil
			}
			p.ring.buttons(k, msg, p.press, nil)
		case run.PromptAllSet:
			if key.Matches(msg, k.Enter) {
				p.press("done")
			}
		}
	case tea.PasteMsg:
		if pr.State == run.PromptCredentials {
			return p.form.input(p.ring.cur, msg)
		}
	case ClickMsg:
		p.press(msg.ID)
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

// errText words the prompt's error.
func (p *entraPromptPage) errText() string {
	c, e := p.env, p.prompt().Err
	switch {
	case e == nil:
		return ""
	case e.Code == run.CodeInvalidUsername:
		return c.T("entra.not_on_premises")
	case e.Code == run.CodeOtherUser:
		return c.T("esp.reentry_other_user")
	case errors.Is(e, flow.ErrWrongPassword), errors.Is(e, flow.ErrUnknownUser), errors.Is(e, flow.ErrOtherOrganization):
		return c.T("winsignin.wrong")
	}
	return errorText(c, e)
}

func (p *entraPromptPage) View(f Frame) Card {
	c := p.env
	st, g := c.Styles, c.Glyphs
	w := f.W
	pr := p.prompt()
	var lines []string
	var card Card
	switch pr.State {
	case run.PromptCredentials, run.PromptChecking:
		lines = p.form.view(c, w, 52, formView{userLabel: c.T("entra.user_label"), passLabel: c.T("winsignin.password_label"), focus: p.ring.cur})
		switch {
		case pr.State == run.PromptChecking:
			lines = append(lines, f.Spin+" "+st.Muted.Render(ansi.Truncate(c.T("winsignin.checking"), w, g.Ellipsis)))
		case p.errText() != "":
			lines = addLines(lines, st.Error.Render(wrapBody(g.Warning+" "+p.errText(), w)))
		default:
			lines = addLines(lines, st.Muted.Render(wrapBody(c.T("entra.hint"), w)))
		}
		card.Buttons = []Button{{ID: "next", Label: c.T("button.next"), Primary: true, Focused: p.ring.on("next"), Disabled: pr.State == run.PromptChecking}}
		card.Help = []key.Binding{c.Keys.Tab, c.Keys.Enter}
	case run.PromptStaySignedIn:
		lines = addLines(lines, st.Text.Render(wrapBody(c.T("entra.stay_text"), w)))
		lines = append(lines, "")
		box := g.CheckboxOff
		if pr.Manage {
			box = g.CheckboxOn
		}
		label := box + " " + c.T("entra.allow_manage")
		ls := st.Text
		if p.ring.on("manage") {
			ls = st.ItemSelected
		}
		card.Hits = []Hit{{Y: len(lines), X0: 0, X1: min(w, lipgloss.Width(label)), ID: "manage"}}
		lines = append(lines, ls.Render(ansi.Truncate(label, w, g.Ellipsis)))
		if !pr.Manage {
			lines = append(lines, "")
			lines = addLines(lines, st.Muted.Render(wrapBody(c.T("entra.manage_off"), w)))
		}
		card.Buttons = []Button{{ID: "ok", Label: c.T("button.ok"), Primary: true, Focused: p.ring.on("ok")}}
		card.Help = []key.Binding{c.Keys.Tab, c.Keys.Toggle, c.Keys.Enter}
	case run.PromptAllSet:
		lines = addLines(lines, st.Text.Render(wrapBody(c.T("entra.all_set_text"), w)))
		card.Buttons = []Button{{ID: "done", Label: c.T("button.done"), Primary: true, Focused: true}}
		card.Help = []key.Binding{c.Keys.Enter}
	}
	if len(lines) > f.H {
		lines = lines[:f.H]
	}
	card.Body = strings.Join(lines, "\n")
	return card
}

func (p *entraPromptPage) replayForm() replayForm {
	pr := p.prompt()
	switch {
	case pr == nil || pr.State == run.PromptChecking:
		return replayForm{mode: "busy"}
	case pr.State == run.PromptStaySignedIn:
		return replayForm{mode: "stay", toggles: map[string]bool{"manage": pr.Manage}}
	case pr.State == run.PromptAllSet:
		return replayForm{mode: "done"}
	}
	return replayForm{mode: "form", fields: map[string]string{"user": p.form.user.Value(), "pass": p.form.pass.Value()}}
}

func (p *entraPromptPage) replayAct(a replayAct) tea.Cmd {
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
	case "toggle":
		p.press(a.target)
	case "press":
		p.ring.focus(a.target)
		p.press(a.target)
	}
	return nil
}

// lockPage is the Windows lock screen over a hybrid join's Account setup after the user was
// idle (Microsoft's hybrid tip): "Press Ctrl+Alt+Del to unlock" (Enter works too), then the
// password of the user signed in; unlocking goes back to the ESP and its current progress.
type lockPage struct {
	pageCtx
	esp  *espPage
	form credForm
	ring focusRing
}

func newLockPage(esp *espPage) *lockPage {
	c := esp.pageCtx
	p := &lockPage{pageCtx: c, esp: esp, form: newCredForm(c, "", c.env.T("winsignin.password_placeholder"))}
	p.ring.set("pass", "unlock_sign_in")
	if l := p.lock(); l != nil && l.Unlocked {
		p.form.focus("pass")
	}
	return p
}

func (p *lockPage) lock() *run.ScreenLock { return p.esp.e.Lock }

// FullScreen: the lock screen covers the whole terminal until Ctrl+Alt+Del.
func (p *lockPage) FullScreen() bool { l := p.lock(); return l != nil && !l.Unlocked }

// Busy: the spinner turns while the backend checks the password.
func (p *lockPage) Busy() bool { l := p.lock(); return l != nil && l.Form.Checking }

func (p *lockPage) Heading() (string, string) {
	c := p.env
	if l := p.lock(); l == nil || !l.Unlocked {
		return c.T("winsignin.locked_title"), ""
	}
	return c.T("winsignin.title"), ""
}

func (p *lockPage) unlock() {
	if p.esp.e.UnlockScreen() == nil {
		p.ring.focus("pass")
		p.form.focus("pass")
	}
}

func (p *lockPage) submit() {
	l := p.lock()
	if l == nil || p.form.pass.Value() == "" || l.Form.Checking {
		return
	}
	_ = p.esp.e.UnlockSignIn(p.form.take())
}

func (p *lockPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	l := p.lock()
	if l == nil {
		return nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if !l.Unlocked {
			if key.Matches(msg, k.Unlock) {
				p.unlock()
			}
			return nil
		}
		if l.Form.Checking {
			return nil
		}
		if key.Matches(msg, k.Back) {
			p.form.clear()
			_ = p.esp.e.LockAgain()
			return nil
		}
		return p.form.key(k, &p.ring, msg, p.submit, func() { l.Form.Err = nil })
	case tea.PasteMsg:
		if l.Unlocked {
			return p.form.input("pass", msg)
		}
	case tea.MouseClickMsg:
		if !l.Unlocked {
			p.unlock()
		}
	case ButtonMsg:
		if msg.ID == "unlock_sign_in" {
			p.submit()
		}
	}
	return nil
}

func (p *lockPage) View(f Frame) Card {
	c := p.env
	st, g := c.Styles, c.Glyphs
	w, h := f.W, f.H
	l := p.lock()
	if l == nil || !l.Unlocked {
		var block []string
		add := func(style lipgloss.Style, text string) {
			for _, line := range wrapLines(text, w) {
				block = append(block, style.Render(ansi.Truncate(line, w, "")))
			}
		}
		add(st.Title, f.Now.Format("15:04"))
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
	lines := []string{st.Title.Render(ansi.Truncate(l.User, w, g.Ellipsis))}
	lines = append(lines, p.form.view(c, w, 52, formView{passLabel: c.T("winsignin.password_label"), focus: "pass"})...)
	switch {
	case l.Form.Checking:
		lines = append(lines, f.Spin+" "+st.Muted.Render(ansi.Truncate(c.T("winsignin.checking"), w, g.Ellipsis)))
	case l.Form.Err != nil:
		lines = addLines(lines, st.Error.Render(wrapBody(g.Warning+" "+c.T("winsignin.wrong"), w)))
	default:
		lines = addLines(lines, st.Muted.Render(wrapBody(c.T("lock.hint"), w)))
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return Card{
		Body:    strings.Join(lines, "\n"),
		Buttons: []Button{{ID: "unlock_sign_in", Label: c.T("button.sign_in"), Primary: true, Focused: p.ring.on("unlock_sign_in")}},
		Help:    []key.Binding{c.Keys.Enter, c.Keys.Back},
	}
}

func (p *lockPage) replayForm() replayForm {
	l := p.lock()
	switch {
	case l == nil || l.Form.Checking:
		return replayForm{mode: "busy"}
	case !l.Unlocked:
		return replayForm{mode: "locked", view: strconv.Itoa(l.N)}
	}
	return replayForm{mode: "unlock", view: strconv.Itoa(l.N), fields: map[string]string{"pass": p.form.pass.Value()}}
}

func (p *lockPage) replayAct(a replayAct) tea.Cmd {
	switch a.kind {
	case "type":
		p.form.focus("pass")
		p.form.replayPassword(a.value)
	case "press":
		if a.target == "unlock" {
			p.unlock()
			break
		}
		p.submit()
	}
	return nil
}

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
	// vpnOpen is the network sign-in panel of a hybrid join's VPN (the icon at the bottom
	// right, as Windows shows it), open.
	vpnOpen bool
}

func newWinSignInPage(c pageCtx) Page {
	w := c.run.WindowsSignIn()
	user := "winsignin.user_placeholder"
	if !w.NeedsCtrlAltDel() {
		user = "winsignin.user_placeholder_work" // after a restart of an Entra join
	}
	p := &winSignInPage{pageCtx: c, w: w, form: newCredForm(c, c.env.T(user), c.env.T("winsignin.password_placeholder"))}
	p.setRing()
	return p
}

// setRing is the Tab order: the boxes, Sign in, and the network sign-in icon when a VPN is
// offered (then the panel's Connect).
func (p *winSignInPage) setRing() {
	ids := []string{"user", "pass", "winsignin"}
	if p.w.VPN() != nil {
		ids = append(ids, "vpn")
		if p.vpnOpen {
			ids = append(ids, "vpn_connect")
		}
	}
	p.ring.set(ids...)
}

// pressVPN opens or closes the network sign-in panel (the icon) or connects (its Connect).
func (p *winSignInPage) pressVPN(id string) {
	switch id {
	case "vpn":
		p.vpnOpen = !p.vpnOpen
		p.setRing()
		if p.vpnOpen {
			p.ring.focus("vpn_connect")
		}
	case "vpn_connect":
		_ = p.w.ConnectVPN()
	}
	p.form.focus(p.ring.cur)
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
		switch st, _ := p.w.VPNState(); {
		case p.vpnOpen && st == run.VPNConnected && p.ring.on("vpn_connect"):
			// connected: on to the credentials
			p.form.toPassword(&p.ring)
		case p.vpnOpen:
			// the VPN's answer: the focus stays in the panel
		case p.w.Form.Err != nil:
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
			if p.vpnOpen {
				p.pressVPN("vpn")
				return nil
			}
			p.form.clear()
			_ = p.w.Lock()
			return nil
		}
		if key.Matches(msg, k.Enter) && (p.ring.on("vpn") || p.ring.on("vpn_connect")) {
			p.pressVPN(p.ring.cur)
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
	case ClickMsg:
		p.ring.focus(msg.ID)
		p.pressVPN(msg.ID)
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
	case e.Code == flow.CodeDomainUnavailable:
		return c.T("winsignin.domain_unavailable")
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
	var hits []Hit
	if p.w.VPN() != nil {
		lines, hits = p.vpnLines(lines, w, h)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return Card{
		Body:    strings.Join(lines, "\n"),
		Hits:    hits,
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
	st, _ := p.w.VPNState()
	if st == run.VPNConnecting {
		return replayForm{mode: "busy"}
	}
	return replayForm{mode: "form", fields: map[string]string{"user": p.form.user.Value(), "pass": p.form.pass.Value()},
		toggles: map[string]bool{"vpn": p.w.VPN() != nil, "vpn_open": p.vpnOpen, "vpn_up": st == run.VPNConnected}}
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
		switch a.target {
		case "unlock":
			p.unlock()
		case "vpn", "vpn_connect":
			p.ring.focus(a.target)
			p.pressVPN(a.target)
		default:
			p.ring.focus(a.target)
			p.submit()
		}
	}
	return nil
}

// vpnLines puts the network sign-in icon on the last row of a body of height h, at the right
// (and, while open, the panel just above it: the VPN with its Connect and its state), as
// Windows' sign-in screen offers a VPN before the user signs in.
func (p *winSignInPage) vpnLines(lines []string, w, h int) ([]string, []Hit) {
	c := p.env
	st, g := c.Styles, c.Glyphs
	v := p.w.VPN()
	state, verr := p.w.VPNState()
	var panel []string
	connect := -1 // the panel's row of Connect
	btnW := 0
	if p.vpnOpen {
		status := ""
		switch state {
		case run.VPNConnecting:
			status = st.Muted.Render(c.T("winsignin.vpn_connecting"))
		case run.VPNConnected:
			status = st.Success.Render(g.Check + " " + c.T("winsignin.vpn_connected"))
		case run.VPNFailed:
			status = st.Error.Render(wrapBody(g.Warning+" "+c.T("winsignin.vpn_failed", "detail", words(verr)), w))
		}
		btn := ""
		if state != run.VPNConnected && state != run.VPNConnecting {
			bs := st.Button
			if p.ring.on("vpn_connect") {
				bs = st.ButtonFocused
			}
			btn = bs.Render(" " + c.T("button.connect") + " ")
			btnW = width(btn)
			connect = 0
		}
		panel = append(panel, spread(st.Title.Render(g.Ethernet+" "+v.Name), btn, w, g.Ellipsis))
		if status != "" {
			panel = addLines(panel, status)
		}
	}
	icon := g.Ethernet + " " + c.T("winsignin.network_sign_in")
	is := st.Muted
	if p.ring.on("vpn") {
		is = st.ItemSelected
	}
	iconW := width(icon)
	tail := append(panel, spread("", is.Render(icon), w, g.Ellipsis))
	// the form gives way on a short terminal; the icon keeps the last row
	if keep := h - len(tail); len(lines) > keep {
		lines = lines[:max(0, keep)]
	}
	for len(lines)+len(tail) < h {
		lines = append(lines, "")
	}
	top := len(lines)
	lines = append(lines, tail...)
	hits := []Hit{{Y: len(lines) - 1, X0: max(0, w-iconW), X1: w, ID: "vpn"}}
	if connect >= 0 {
		hits = append(hits, Hit{Y: top + connect, X0: max(0, w-btnW), X1: w, ID: "vpn_connect"})
	}
	return lines, hits
}

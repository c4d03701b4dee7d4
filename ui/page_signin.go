package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/logo"
)

// signInPage is the organization-branded sign-in (reference §1.5): the tenant's name, the
// branding's hint and text and its square logo, the username, the password, the MFA
// challenge, the join and enrollment, and their errors. The run's SignIn controller decides
// where it is; the page keeps what is typed and the focus.
type signInPage struct {
	pageCtx
	s    *run.SignIn
	form credForm
	code field
	ring focusRing
	last run.SignInState // the state the focus was placed for
	img  image.Image     // the decoded square logo (nil: the text badge)
	art  *memo           // the logo drawn per size
}

// logoMsg carries the decoded square logo to the sign-in page.
type logoMsg struct{ img image.Image }

func newSignInPage(c pageCtx) Page {
	p := &signInPage{pageCtx: c, s: c.run.SignIn(), art: &memo{}}
	hint := p.branding().UsernameHint
	if hint == "" {
		hint = c.env.T("signin.user_placeholder")
	}
	p.form = newCredForm(c, hint, c.env.T("signin.password_placeholder"))
	if p.s.Assigned {
		p.form.user.SetValue(p.s.UPN)
	}
	p.code = newField(c.env, c.env.T("mfa.code_placeholder"), false, capCode)
	p.enterState()
	return p
}

// Init decodes the company's square logo for the theme, off the update loop.
func (p *signInPage) Init() tea.Cmd {
	png := p.logoPNG()
	if png == nil {
		return nil
	}
	return func() tea.Msg {
		img, err := logo.Decode(bytes.NewReader(png))
		if err != nil {
			return nil
		}
		return logoMsg{img: img}
	}
}

// logoPNG is the organization's square logo for the theme (the dark variant on dark themes
// when there is one), nil when the tenant has none.
func (p *signInPage) logoPNG() []byte {
	d := p.run.Device()
	if p.env.Theme.Dark && d.SquareLogoDark != nil {
		return d.SquareLogoDark
	}
	if d.SquareLogo != nil {
		return d.SquareLogo
	}
	return d.SquareLogoDark
}

func (p *signInPage) branding() flow.Branding {
	return p.run.Device().Branding.For(p.env.Cat.Locale())
}

func (p *signInPage) orgName() string {
	if n := p.run.Device().Organization.DisplayName; n != "" {
		return n
	}
	return p.env.T("signin.your_org")
}

// Busy: the spinner shows while the backend checks, waits or enrolls.
func (p *signInPage) Busy() bool {
	switch p.s.State {
	case run.SignCheckingUser, run.SignCheckingPassword, run.SignCheckingFederated, run.SignMFAPush, run.SignVerifying, run.SignEnrolling:
		return true
	}
	return false
}

func (p *signInPage) Heading() (string, string) {
	c := p.env
	switch p.s.State {
	case run.SignOrgError:
		return c.T("signin.org_error_title"), ""
	case run.SignMFAPush, run.SignMFADenied:
		return c.T("mfa.push_title"), ""
	case run.SignMFACode, run.SignVerifying:
		return c.T("mfa.code_title"), ""
	case run.SignEnrolling:
		return c.T("signin.enrolling_title"), c.T("signin.enrolling_subtitle")
	case run.SignEnrollError:
		return c.T("signin.enroll_error_title"), ""
	case run.SignFederated, run.SignCheckingFederated:
		// the organization's own AD FS page, inside the OOBE frame
		return p.orgName(), c.T("signin.adfs_subtitle")
	}
	if p.run.Profile().NotAutopilot {
		// the ordinary OOBE's work or school sign-in: the device knows no organization yet
		return c.T("signin.work_title"), c.T("signin.work_subtitle")
	}
	if p.s.Greeting != "" {
		return c.T("signin.welcome_user", "name", p.s.Greeting), c.T("signin.subtitle_assigned", "org", p.orgName())
	}
	return c.T("signin.welcome", "org", p.orgName()), c.T("signin.subtitle", "org", p.orgName())
}

// buttons are the card's buttons for the state; the primary one is what Enter does.
func (p *signInPage) buttons() []Button {
	c := p.env
	btn := func(id, label string, primary bool) Button {
		return Button{ID: id, Label: c.T(label), Primary: primary, Focused: p.ring.on(id)}
	}
	var bs []Button
	switch p.s.State {
	case run.SignUser:
		bs = append(bs, btn("next", "button.next", true))
	case run.SignPassword:
		if !p.s.Assigned {
			bs = append(bs, btn("back", "button.back", false))
		}
		bs = append(bs, btn("signin", "signin.button", true)) // "Next" on Windows 10 (signin.button@win10)
	case run.SignFederated:
		if !p.s.Assigned {
			bs = append(bs, btn("back", "button.back", false))
		}
		bs = append(bs, btn("signin", "signin.adfs_button", true))
	case run.SignOrgError:
		if p.s.EscapeLink() {
			bs = append(bs, btn("startover", "button.start_over", false))
		}
		bs = append(bs, btn("again", "button.sign_in_again", true))
	case run.SignMFADenied:
		bs = append(bs, btn("usecode", "mfa.use_code", false), btn("resend", "mfa.resend", true))
		if p.s.EscapeLink() {
			bs = append([]Button{btn("startover", "button.start_over", false)}, bs...)
		}
	case run.SignMFACode:
		bs = append(bs, btn("usepush", "mfa.use_push", false), btn("verify", "mfa.verify", true))
	case run.SignEnrollError:
		if p.s.EscapeLink() {
			bs = append(bs, btn("startover", "button.start_over", false))
		}
		bs = append(bs, btn("retry", "button.try_again", true))
	}
	return bs
}

// enterState places the focus for the state the controller is in: on the box to type in,
// else on the main button.
func (p *signInPage) enterState() {
	st := p.s.State
	p.last = st
	var ids []string
	switch st {
	case run.SignUser:
		if p.s.UPN == "" {
			p.form.clear()
		}
		ids = append(ids, "input")
	case run.SignPassword:
		p.form.pass.Reset()
		ids = append(ids, "input")
		if p.s.EscapeLink() {
			ids = append(ids, "link")
		}
	case run.SignFederated:
		p.form.user.SetValue(p.s.UPN) // the identity provider's page starts from the name typed
		p.form.user.CursorEnd()
		p.form.pass.Reset()
		ids = append(ids, "user", "pass")
	case run.SignMFACode:
		p.code.Reset()
		ids = append(ids, "input")
	case run.SignMFAPush:
		ids = append(ids, "link")
	}
	primary := ""
	for _, b := range p.buttons() {
		ids = append(ids, b.ID)
		if b.Primary {
			primary = b.ID
		}
	}
	p.ring = focusRing{}
	p.ring.set(ids...)
	switch {
	case st == run.SignFederated:
		p.ring.focus("pass")
	case len(ids) > 0 && ids[0] != "input" && primary != "":
		p.ring.focus(primary)
	}
	p.focusChanged()
}

func (p *signInPage) focusChanged() {
	p.code.Blur()
	p.form.focus(p.box())
	if p.ring.on("input") && p.s.State == run.SignMFACode {
		p.code.Focus()
	}
}

// box is the credentials box that has the focus ("user", "pass" or "").
func (p *signInPage) box() string {
	if p.s.State == run.SignFederated && (p.ring.on("user") || p.ring.on("pass")) {
		return p.ring.cur
	}
	if !p.ring.on("input") {
		return ""
	}
	switch p.s.State {
	case run.SignUser:
		return "user"
	case run.SignPassword:
		return "pass"
	}
	return ""
}

func (p *signInPage) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case logoMsg:
		p.img = msg.img
	case tea.PasteMsg:
		cmd = p.typeInto(msg)
	case tea.KeyPressMsg:
		cmd = p.key(msg)
	case ClickMsg:
		p.press(msg.ID)
	case ButtonMsg:
		p.press(msg.ID)
	}
	if p.s.State != p.last {
		p.enterState()
	}
	return cmd
}

// typing is the box being typed in (nil: none).
func (p *signInPage) typing() *field {
	if p.s.State == run.SignMFACode {
		return &p.code
	}
	return p.form.box(p.box())
}

// typeInto gives a key or paste to the box being typed in.
func (p *signInPage) typeInto(msg tea.Msg) tea.Cmd {
	in := p.typing()
	if in == nil {
		return nil
	}
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}

func (p *signInPage) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.env.Keys
	if p.s.State == run.SignFederated && p.box() != "" && !key.Matches(msg, k.Back) && !key.Matches(msg, k.Reveal) {
		// the identity provider's two boxes: Tab and Enter move from the name to the
		// password, Enter there signs in
		return p.form.key(k, &p.ring, msg, func() { p.press("signin") }, func() { p.s.Err = nil })
	}
	switch {
	case p.ring.tab(k, msg, false):
		p.focusChanged()
	case key.Matches(msg, k.Reveal) && (p.s.State == run.SignPassword || p.s.State == run.SignFederated):
		p.form.toggleReveal()
	case key.Matches(msg, k.Back):
		switch p.s.State {
		case run.SignPassword, run.SignFederated:
			if !p.s.Assigned {
				p.press("back")
			}
		case run.SignMFACode:
			p.press("usepush")
		case run.SignMFADenied:
			if p.s.EscapeLink() {
				p.press("startover") // back to a different account, as the button does
			}
		}
	case key.Matches(msg, k.Enter):
		if p.ring.on("input") || p.ring.cur == "" {
			for _, b := range p.buttons() {
				if b.Primary {
					p.press(b.ID)
				}
			}
			return nil
		}
		p.press(p.ring.cur)
	case p.ring.on("input"):
		if in := p.typing(); in != nil && in.refuses(msg) {
			p.unchanged() // the box is full: the key, and so the error shown, stay as they were
			return nil
		}
		p.s.Err = nil
		return p.typeInto(msg)
	}
	return nil
}

// press performs a button or link through the controller.
func (p *signInPage) press(id string) {
	s := p.s
	switch id {
	case "next":
		_ = s.SubmitUser(p.form.user.Value())
	case "back":
		_ = s.BackToUser()
	case "signin":
		if s.State == run.SignFederated {
			_ = s.SubmitFederated(p.form.username(), p.form.take())
			break
		}
		_ = s.SubmitPassword(p.form.take())
	case "link":
		if s.State == run.SignMFAPush {
			_ = s.UseCode()
		} else {
			_ = s.StartOver()
		}
	case "startover":
		_ = s.StartOver()
	case "again":
		_ = s.SignInAgain()
	case "usecode":
		_ = s.UseCode()
	case "usepush", "resend":
		_ = s.Resend()
	case "verify":
		code := strings.TrimSpace(p.code.Value())
		p.code.Reset()
		_ = s.VerifyCode(code)
	case "retry":
		_ = s.RetryEnroll()
	}
}

// errText words the controller's error for this page.
func (p *signInPage) errText() string {
	c, e := p.env, p.s.Err
	switch {
	case e == nil:
		return ""
	case e.Code == run.CodeInvalidUsername:
		return c.T("signin.user_invalid")
	case e.Code == run.CodeEmptyPassword:
		return c.T("signin.password_empty")
	case errors.Is(e, flow.ErrUnknownUser):
		return c.T("signin.unknown_user")
	case errors.Is(e, flow.ErrWrongPassword):
		return c.T("signin.wrong_password")
	case errors.Is(e, flow.ErrWrongCode):
		return c.T("mfa.wrong_code")
	case e.HResult != "":
		// Windows' "Something went wrong" with the code (OOBEIDPS, caa70007)
		return c.T("signin.failed_code", "code", e.HResult)
	}
	return errorText(c, e)
}

// logoView draws the company's square logo in at most w×h cells, or the text badge.
func (p *signInPage) logoView(w, h int) string {
	c := p.env
	if p.img == nil {
		return logo.Badge(p.orgName(), min(w, 12))
	}
	return p.art.get(fmt.Sprint(w, "x", h, c.Profile, c.Glyphs.Name), func() string {
		return logo.Render(p.img, w, h, logo.Options{Background: c.Theme.Palette.Card, ASCII: c.Glyphs.IsASCII(), Profile: c.Profile})
	})
}

// formWidth is the width of the sign-in boxes; the logo goes to their right when it fits.
const formWidth = 52

// showsLogo reports whether the state shows the company logo (the username and password
// pages).
func (p *signInPage) showsLogo() bool { return p.s.State <= run.SignCheckingPassword }

// logoBeside reports whether the logo goes to the right of the form in the narrow layout of
// a body w wide (the wide layout shows it in the left column instead).
func (p *signInPage) logoBeside(f Frame) bool {
	return !f.Wide && p.showsLogo() && f.W-formWidth-2 >= 12
}

// besideLogo puts the logo to the right of the first lines of the page.
func (p *signInPage) besideLogo(lines []string, f Frame) []string {
	if !p.logoBeside(f) || len(lines) < 4 {
		return lines
	}
	w := f.W
	cols := min(w-formWidth-2, 22)
	rows := min(len(lines), 7)
	art := strings.Split(p.logoView(cols, rows), "\n")
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l
		if i < len(art) {
			out[i] = padRight(ansi.Truncate(l, formWidth+2, ""), w-lipgloss.Width(art[i])) + art[i]
		}
	}
	return out
}

// Illustration shows the company logo in the wide layout's left column.
func (p *signInPage) Illustration(w, h int) string {
	if !p.showsLogo() || h < 4 {
		return ""
	}
	art := p.logoView(min(w, h*2), h)
	lines := strings.Split(art, "\n")
	pad := strings.Repeat(" ", max(0, (w-lipgloss.Width(lines[0]))/2))
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}

func (p *signInPage) View(f Frame) Card {
	c := p.env
	st, g := c.Styles, c.Glyphs
	k := c.Keys
	w := f.W
	if p.logoBeside(f) {
		w = formWidth // text wraps in the column left of the logo, which covers the rest
	}
	var lines []string
	var hits []Hit
	add := func(text string) { lines = addLines(lines, text) }
	s := p.s

	switch s.State {
	case run.SignUser, run.SignCheckingUser, run.SignPassword, run.SignCheckingPassword:
		if s.State == run.SignUser || s.State == run.SignCheckingUser {
			lines = append(lines, p.form.view(c, w, formWidth, formView{userLabel: c.T("signin.user_label"), focus: p.box()})...)
		} else {
			add(st.Muted.Render(ansi.Truncate(s.UPN, w, g.Ellipsis)))
			lines = append(lines, p.form.view(c, w, formWidth, formView{passLabel: c.T("signin.password_label"), focus: p.box(), eye: p.form.canReveal()})...)
		}
		if s.State == run.SignCheckingUser || s.State == run.SignCheckingPassword {
			add(f.Spin + " " + st.Text.Render(c.T("signin.checking")))
		}
		if e := p.errText(); e != "" {
			add(st.Error.Render(wrapBody(g.Warning+" "+e, w)))
		}
		if s.State == run.SignPassword && s.EscapeLink() {
			add("")
			link := c.T("signin.escape_link")
			ls := st.Link
			if p.ring.on("link") {
				ls = st.ItemSelected
			}
			hits = append(hits, Hit{Y: len(lines), X0: 0, X1: lipgloss.Width(link), ID: "link"})
			add(ls.Render(ansi.Truncate(link, w, g.Ellipsis)))
		}
		if text := p.branding().SignInPageText; text != "" {
			add("")
			add(st.Muted.Render(wrapBody(text, w))) // plain text: HTML is shown as typed
		}
	case run.SignFederated, run.SignCheckingFederated:
		add(st.Text.Render(wrapBody(c.T("signin.adfs_text"), w)))
		add("")
		lines = append(lines, p.form.view(c, w, formWidth, formView{userLabel: c.T("signin.adfs_user_label"), passLabel: c.T("signin.password_label"), focus: p.box(), eye: p.form.canReveal()})...)
		if s.State == run.SignCheckingFederated {
			add(f.Spin + " " + st.Text.Render(c.T("signin.checking")))
		}
		if e := p.errText(); e != "" {
			add(st.Error.Render(wrapBody(g.Warning+" "+e, w)))
		}
	case run.SignOrgError:
		add(st.Muted.Render(ansi.Truncate(s.UPN, w, g.Ellipsis)))
		add(st.Text.Render(wrapBody(c.T("signin.org_error"), w))) // Microsoft's own sentence
	case run.SignMFAPush, run.SignMFADenied, run.SignMFACode, run.SignVerifying:
		lines, hits = p.mfaView(f)
	case run.SignEnrolling:
		add(f.Spin + " " + st.Text.Render(c.T("signin.enrolling")))
	case run.SignEnrollError:
		add(st.Text.Render(wrapBody(c.T("signin.enroll_error"), w)))
		if s.HResult != "" {
			add("")
			add(st.Muted.Render(c.T("signin.error_code", "code", s.HResult)))
		}
	}
	lines, hits = compactLines(lines, hits, f.H)
	lines = p.besideLogo(lines, f)
	help := []key.Binding{k.Tab, k.Enter}
	if s.State == run.SignMFADenied && s.EscapeLink() {
		help = append(help, k.Back)
	}
	if s.State == run.SignPassword || s.State == run.SignFederated {
		if p.form.canReveal() {
			rev := k.Reveal
			rev.SetHelp(rev.Help().Key, c.T("help.reveal_password"))
			help = append(help, rev)
		}
	}
	return Card{Body: strings.Join(lines, "\n"), Hits: hits, Buttons: p.buttons(), Help: help}
}

// mfaView is the body of the MFA states.
func (p *signInPage) mfaView(f Frame) ([]string, []Hit) {
	c := p.env
	st, g := c.Styles, c.Glyphs
	w := f.W
	var lines []string
	var hits []Hit
	add := func(text string) { lines = addLines(lines, text) }
	add(st.Muted.Render(ansi.Truncate(p.s.UPN, w, g.Ellipsis)))
	add("")
	switch p.s.State {
	case run.SignMFAPush:
		add(st.Text.Render(wrapBody(c.T("mfa.push_text"), w)))
		add("")
		add(lipgloss.PlaceHorizontal(w, lipgloss.Center, st.Badge.Bold(true).Render(" "+strconv.Itoa(p.s.Number)+" ")))
		add("")
		add(f.Spin + " " + st.Muted.Render(c.T("mfa.waiting")))
		add("")
		link := c.T("mfa.cant_use_app")
		ls := st.Link
		if p.ring.on("link") {
			ls = st.ItemSelected
		}
		hits = append(hits, Hit{Y: len(lines), X0: 0, X1: min(w, lipgloss.Width(link)), ID: "link"})
		add(ls.Render(ansi.Truncate(link, w, g.Ellipsis)))
	case run.SignMFADenied:
		add(st.Error.Render(wrapBody(g.Warning+" "+c.T("mfa.denied"), w)))
		if e := p.errText(); e != "" {
			add(st.Muted.Render(wrapBody(e, w)))
		}
	case run.SignMFACode, run.SignVerifying:
		add(st.Text.Render(wrapBody(c.T("mfa.code_text"), w)))
		code := p.code
		add(renderInput(c, &code, min(w, 30), p.ring.on("input"), ""))
		if p.s.State == run.SignVerifying {
			add(f.Spin + " " + st.Muted.Render(c.T("signin.checking")))
		}
		if e := p.errText(); e != "" {
			add(st.Error.Render(wrapBody(g.Warning+" "+e, w)))
		}
	}
	return lines, hits
}

// The replay's view of the page (replay.go): what it shows, and the actions done through
// its own handlers.

func (p *signInPage) replayForm() replayForm {
	f := replayForm{fields: map[string]string{"user": p.form.user.Value(), "pass": p.form.pass.Value(), "code": p.code.Value()}}
	switch p.s.State {
	case run.SignUser:
		f.mode = "user"
	case run.SignPassword, run.SignFederated:
		f.mode = "password"
	case run.SignMFACode:
		f.mode = "code"
	case run.SignOrgError, run.SignMFADenied, run.SignEnrollError:
		f.mode = "error"
	default:
		f.mode = "busy"
	}
	return f
}

func (p *signInPage) replayAct(a replayAct) tea.Cmd {
	switch a.kind {
	case "type":
		p.ring.focus("input")
		p.focusChanged()
		switch a.target {
		case "user":
			p.form.user.SetValue(a.value)
			p.form.user.CursorEnd()
		case "pass":
			p.form.replayPassword(a.value)
		case "code":
			p.code.SetValue(a.value)
			p.code.CursorEnd()
		}
	case "press":
		p.press(a.target)
		if p.s.State != p.last {
			p.enterState()
		}
	}
	return nil
}

// compactLines drops blank lines, the last first, while lines are more than h: on a short
// terminal the spacing goes before any word does. The hits move with their lines.
func compactLines(lines []string, hits []Hit, h int) ([]string, []Hit) {
	extra := len(lines) - h
	if extra <= 0 {
		return lines, hits
	}
	drop := make([]bool, len(lines))
	for i := len(lines) - 1; i > 0 && extra > 0; i-- {
		if strings.TrimSpace(ansi.Strip(lines[i])) == "" {
			drop[i] = true
			extra--
		}
	}
	at := make([]int, len(lines)) // old row → new row
	var out []string
	for i, l := range lines {
		at[i] = len(out)
		if !drop[i] {
			out = append(out, l)
		}
	}
	moved := make([]Hit, 0, len(hits))
	for _, hit := range hits {
		if hit.Y >= 0 && hit.Y < len(lines) {
			hit.Y = at[hit.Y]
		}
		moved = append(moved, hit)
	}
	return out, moved
}

package ui

import (
	"bytes"
	"errors"
	"image"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/logo"
)

// signState is where the organization sign-in is.
type signState int

const (
	signUser        signState = iota // typing the username
	signPassword                     // typing the password
	signChecking                     // the backend checks the credentials
	signOrgError                     // the username belongs to another organization
	signMFAPush                      // waiting for the Authenticator approval (number matching)
	signMFADenied                    // the request was denied
	signMFACode                      // typing a verification code
	signEnrolling                    // joining and enrolling the device
	signEnrollError                  // enrollment failed with a code
)

type signInDoneMsg struct {
	res flow.SignInResult
	err error
}

type mfaDoneMsg struct {
	err  error
	code bool // the answer to a verification code (not to the push)
}

type userCheckedMsg struct {
	upn string
	err error
}

type enrollDoneMsg struct{ err error }

// signInScreen is the organization-branded sign-in (reference §1.5) with its MFA challenge
// and the join and enrollment that follow.
type signInScreen struct {
	c        *Common
	state    signState
	user     textinput.Model
	pass     textinput.Model
	code     textinput.Model
	reveal   bool
	focus    string // "input", "link", or a button id
	errText  string
	assigned bool // the device record assigns a user: UPN pre-filled, password only
	greeting string
	res      flow.SignInResult
	errCode  string
	spin     spinner.Model
	// wide is set while the wide layout shows the logo in its left column.
	wide bool
	// checkingUser is set while the backend looks up the username (before the password page).
	checkingUser bool
	logoImg      image.Image
	logoArt      string
	logoSize     [2]int
}

func newSignInScreen(c *Common) Screen {
	s := &signInScreen{c: c, spin: newSpinner(c), focus: "input"}
	b := s.branding()
	hint := b.UsernameHint
	if hint == "" {
		hint = c.T("signin.user_placeholder")
	}
	s.user = newTextInput(c, hint, false)
	s.pass = newTextInput(c, c.T("signin.password_placeholder"), true)
	s.code = newTextInput(c, c.T("mfa.code_placeholder"), false)
	s.code.CharLimit = 8
	if id := c.Tenant.DeviceIdentity; id != nil && id.UPN != "" && c.Session.Profile.Join == flow.JoinEntra {
		s.assigned = true
		s.user.SetValue(id.UPN)
		s.greeting = id.FriendlyName
		s.state = signPassword
	}
	if png := tenantLogo(c); png != nil {
		if img, err := logo.Decode(bytes.NewReader(png)); err == nil {
			s.logoImg = img
		}
	}
	s.setFocus("input")
	return s
}

// tenantLogo is the organization's square logo for the theme (the dark variant on dark
// themes when there is one), nil when the tenant has none: the page then shows a text badge.
func tenantLogo(c *Common) []byte {
	t := c.Tenant
	if t == nil {
		return nil
	}
	if c.Theme.Dark && t.SquareLogoDark != nil {
		return t.SquareLogoDark
	}
	if t.SquareLogo != nil {
		return t.SquareLogo
	}
	return t.SquareLogoDark
}

func (s *signInScreen) branding() flow.Branding {
	if s.c.Tenant == nil {
		return flow.Branding{}
	}
	return s.c.Tenant.Branding.For(s.c.Cat.Locale())
}

func (s *signInScreen) orgName() string {
	if t := s.c.Tenant; t != nil && t.Organization.DisplayName != "" {
		return t.Organization.DisplayName
	}
	return s.c.T("signin.your_org")
}

func (s *signInScreen) Init() tea.Cmd { return nil }

func (s *signInScreen) Heading() (string, string) {
	c := s.c
	switch s.state {
	case signOrgError:
		return c.T("signin.org_error_title"), ""
	case signMFAPush, signMFADenied:
		return c.T("mfa.push_title"), ""
	case signMFACode:
		return c.T("mfa.code_title"), ""
	case signEnrolling:
		return c.T("signin.enrolling_title"), c.T("signin.enrolling_subtitle")
	case signEnrollError:
		return c.T("signin.enroll_error_title"), ""
	}
	if s.greeting != "" {
		return c.T("signin.welcome_user", "name", s.greeting), c.T("signin.subtitle_assigned", "org", s.orgName())
	}
	return c.T("signin.welcome", "org", s.orgName()), c.T("signin.subtitle", "org", s.orgName())
}

// escapeShown reports whether the "start over" link is offered (reference §1.10).
func (s *signInScreen) escapeShown() bool { return !s.c.Session.Profile.EscapeLinkHidden }

// buttons are the card's buttons for the current state; the first listed primary wins Enter.
func (s *signInScreen) buttons() []Button {
	c := s.c
	btn := func(id, label string, primary bool) Button {
		return Button{ID: id, Label: c.T(label), Primary: primary, Focused: s.focus == id}
	}
	var bs []Button
	switch s.state {
	case signUser:
		bs = append(bs, btn("next", "button.next", true))
	case signPassword:
		if !s.assigned {
			bs = append(bs, btn("back", "button.back", false))
		}
		label := "button.sign_in"
		if c.Windows10() {
			label = "button.next"
		}
		bs = append(bs, btn("signin", label, true))
	case signOrgError:
		if s.escapeShown() {
			bs = append(bs, btn("startover", "button.start_over", false))
		}
		bs = append(bs, btn("again", "button.sign_in_again", true))
	case signMFADenied:
		bs = append(bs, btn("usecode", "mfa.use_code", false), btn("resend", "mfa.resend", true))
	case signMFACode:
		bs = append(bs, btn("usepush", "mfa.use_push", false), btn("verify", "mfa.verify", true))
	case signEnrollError:
		if s.escapeShown() {
			bs = append(bs, btn("startover", "button.start_over", false))
		}
		bs = append(bs, btn("retry", "button.try_again", true))
	}
	return bs
}

// focusRing is the Tab order of the current state.
func (s *signInScreen) focusRing() []string {
	var r []string
	switch s.state {
	case signUser, signPassword, signMFACode:
		r = append(r, "input")
	case signMFAPush:
		r = append(r, "link")
	}
	if s.state == signPassword && s.escapeShown() {
		r = append(r, "link")
	}
	for _, b := range s.buttons() {
		r = append(r, b.ID)
	}
	return r
}

func (s *signInScreen) setFocus(f string) {
	s.focus = f
	s.user.Blur()
	s.pass.Blur()
	s.code.Blur()
	if f != "input" {
		return
	}
	switch s.state {
	case signUser:
		s.user.Focus()
	case signPassword:
		s.pass.Focus()
	case signMFACode:
		s.code.Focus()
	}
}

func (s *signInScreen) moveFocus(d int) {
	if f, ok := cycleFocus(s.focusRing(), s.focus, d); ok {
		s.setFocus(f)
	}
}

// enter switches to state st and puts the focus where the user types next.
func (s *signInScreen) enter(st signState) {
	s.state = st
	r := s.focusRing()
	f := ""
	if len(r) > 0 {
		f = r[0]
	}
	for _, b := range s.buttons() {
		if b.Primary && f != "input" {
			f = b.ID
		}
	}
	s.setFocus(f)
}

func (s *signInScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	c := s.c
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !s.busy() {
			return s, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return s, cmd
	case signInDoneMsg:
		return s, s.signedIn(msg)
	case userCheckedMsg:
		return s, s.userChecked(msg)
	case mfaDoneMsg:
		if msg.code && msg.err == nil {
			c.run.mfaCode = true
		}
		return s, s.mfaDone(msg.err)
	case enrollDoneMsg:
		if msg.err != nil {
			var ee *flow.EnrollmentError
			s.errCode = ""
			if errors.As(msg.err, &ee) {
				s.errCode = ee.Code
			}
			c.Session.Record(flow.RecordError, map[string]string{"error": "enrollment", "code": s.errCode, "detail": msg.err.Error()})
			s.enter(signEnrollError)
			return s, nil
		}
		c.Session.Record(flow.RecordBackend, map[string]string{"event": "enrolled"})
		return s, next
	case tea.PasteMsg:
		return s, s.updateInput(msg)
	case tea.KeyPressMsg:
		return s, s.key(msg)
	case ClickMsg:
		return s, s.press(msg.ID)
	case ButtonMsg:
		return s, s.press(msg.ID)
	}
	return s, nil
}

// busy reports whether the spinner is on screen.
func (s *signInScreen) busy() bool {
	return s.state == signChecking || s.state == signMFAPush || s.state == signEnrolling
}

func (s *signInScreen) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch s.state {
	case signUser:
		s.user, cmd = s.user.Update(msg)
	case signPassword:
		s.pass, cmd = s.pass.Update(msg)
	case signMFACode:
		s.code, cmd = s.code.Update(msg)
	}
	return cmd
}

func (s *signInScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Tab):
		s.moveFocus(1)
		return nil
	case key.Matches(msg, k.ShiftTab):
		s.moveFocus(-1)
		return nil
	case key.Matches(msg, k.Reveal) && s.state == signPassword:
		s.reveal = !s.reveal
		s.pass.EchoMode = textinput.EchoPassword
		if s.reveal {
			s.pass.EchoMode = textinput.EchoNormal
		}
		return nil
	case key.Matches(msg, k.Back):
		if s.state == signPassword && !s.assigned {
			return s.press("back")
		}
		if s.state == signMFACode {
			return s.press("usepush")
		}
		return nil
	case key.Matches(msg, k.Enter):
		if s.focus == "input" || s.focus == "" {
			for _, b := range s.buttons() {
				if b.Primary {
					return s.press(b.ID)
				}
			}
			return nil
		}
		return s.press(s.focus)
	}
	if s.focus == "input" {
		s.errText = ""
		return s.updateInput(msg)
	}
	return nil
}

// press performs a button or link.
func (s *signInScreen) press(id string) tea.Cmd {
	c := s.c
	if id != "input" {
		c.Session.Record(flow.RecordButton, map[string]string{"button": id})
	}
	switch id {
	case "next":
		upn := strings.TrimSpace(s.user.Value())
		if upn == "" || !strings.Contains(upn, "@") {
			s.errText = c.T("signin.user_invalid")
			return nil
		}
		s.user.SetValue(upn)
		s.errText = ""
		s.checkingUser = true
		s.enter(signChecking)
		return tea.Batch(spin(c, s.spin), c.Async(func() tea.Msg {
			return userCheckedMsg{upn: upn, err: c.Backend.CheckUser(c.Ctx, upn)}
		}))
	case "back":
		s.errText = ""
		s.enter(signUser)
	case "signin":
		if s.pass.Value() == "" {
			s.errText = c.T("signin.password_empty")
			return nil
		}
		return s.check()
	case "link":
		if s.state == signMFAPush {
			return s.press("usecode")
		}
		return s.press("startover")
	case "startover":
		c.Session.Record(flow.RecordBackend, map[string]string{"event": "start_over"})
		s.assigned, s.greeting = false, ""
		s.user.Reset()
		s.pass.Reset()
		s.errText = ""
		s.enter(signUser)
	case "again":
		s.user.Reset()
		s.pass.Reset()
		s.errText = ""
		s.enter(signUser)
	case "usecode":
		s.code.Reset()
		s.errText = ""
		s.enter(signMFACode)
	case "usepush", "resend":
		return s.startPush()
	case "verify":
		code := strings.TrimSpace(s.code.Value())
		if code == "" {
			return nil
		}
		s.code.Reset()
		return s.verify(code)
	case "retry":
		return s.enroll()
	}
	return nil
}

// userChecked moves on to the password once the username is known to the organization.
func (s *signInScreen) userChecked(msg userCheckedMsg) tea.Cmd {
	c := s.c
	s.checkingUser = false
	var org *flow.OrgMismatchError
	switch {
	case errors.As(msg.err, &org):
		c.Session.Record(flow.RecordError, map[string]string{"error": "other_organization", "domain": org.Domain})
		s.enter(signOrgError)
	case errors.Is(msg.err, flow.ErrUnknownUser):
		c.Session.Record(flow.RecordError, map[string]string{"error": "unknown_user", "upn": msg.upn})
		s.errText = c.T("signin.unknown_user")
		s.enter(signUser)
	case msg.err != nil:
		c.Session.Record(flow.RecordError, map[string]string{"error": "sign_in", "upn": msg.upn, "detail": msg.err.Error()})
		s.errText = c.T("signin.failed", "error", msg.err.Error())
		s.enter(signUser)
	default:
		s.pass.Reset()
		s.enter(signPassword)
	}
	return nil
}

// check sends the credentials to the backend; the password leaves the screen only there.
func (s *signInScreen) check() tea.Cmd {
	c := s.c
	creds := flow.Credentials{UPN: s.user.Value(), Password: s.pass.Value()}
	s.pass.Reset()
	s.errText = ""
	s.enter(signChecking)
	return tea.Batch(spin(c, s.spin), c.Async(func() tea.Msg {
		res, err := c.Backend.SignIn(c.Ctx, creds)
		return signInDoneMsg{res: res, err: err}
	}))
}

func (s *signInScreen) signedIn(msg signInDoneMsg) tea.Cmd {
	c := s.c
	upn := s.user.Value()
	var org *flow.OrgMismatchError
	switch {
	case errors.As(msg.err, &org):
		c.Session.Record(flow.RecordError, map[string]string{"error": "other_organization", "domain": org.Domain})
		s.enter(signOrgError)
		return nil
	case errors.Is(msg.err, flow.ErrWrongPassword):
		s.errText = c.T("signin.wrong_password")
	case errors.Is(msg.err, flow.ErrUnknownUser):
		s.errText = c.T("signin.unknown_user")
		c.Session.Record(flow.RecordError, map[string]string{"error": "unknown_user", "upn": upn})
		s.enter(signUser)
		return nil
	case msg.err != nil:
		s.errText = c.T("signin.failed", "error", msg.err.Error())
	}
	if msg.err != nil {
		c.Session.Record(flow.RecordError, map[string]string{"error": "sign_in", "upn": upn, "detail": msg.err.Error()})
		s.enter(signPassword)
		return nil
	}
	s.res = msg.res
	c.Session.Answers.UPN = msg.res.UPN
	c.run.password = true
	c.Session.Record(flow.RecordAnswer, map[string]string{"upn": msg.res.UPN})
	switch msg.res.MFA {
	case flow.MFAPush:
		return s.startPush()
	case flow.MFACode:
		s.enter(signMFACode)
		return nil
	}
	return s.enroll()
}

func (s *signInScreen) enroll() tea.Cmd {
	c := s.c
	s.enter(signEnrolling)
	return tea.Batch(spin(c, s.spin), c.Async(func() tea.Msg {
		return enrollDoneMsg{err: c.Backend.Enroll(c.Ctx)}
	}))
}

// logoView draws the company's square logo in at most w×h cells, or the text badge.
func (s *signInScreen) logoView(w, h int) string {
	c := s.c
	if s.logoImg == nil {
		return logo.Badge(s.orgName(), min(w, 12))
	}
	if s.logoSize != [2]int{w, h} || s.logoArt == "" {
		s.logoArt = logo.Render(s.logoImg, w, h, logo.Options{
			Background: c.Theme.Palette.Card, ASCII: c.Glyphs.IsASCII(), Profile: c.Profile,
		})
		s.logoSize = [2]int{w, h}
	}
	return s.logoArt
}

// formWidth is the width of the sign-in boxes; the logo goes to their right when it fits.
const formWidth = 52

// besideLogo puts the company logo to the right of the first lines of the page in the narrow
// layout, when there is room for it (the wide layout shows it in the left column instead).
func (s *signInScreen) besideLogo(lines []string, w int) []string {
	if !s.logoBeside(w) || len(lines) < 4 {
		return lines
	}
	cols := min(w-formWidth-2, 22)
	rows := min(len(lines), 7)
	art := strings.Split(s.logoView(cols, rows), "\n")
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l
		if i < len(art) {
			out[i] = padRight(ansi.Truncate(l, formWidth+2, ""), w-lipgloss.Width(art[i])) + art[i]
		}
	}
	return out
}

// logoBeside reports whether the logo goes to the right of the form in a body of width w.
func (s *signInScreen) logoBeside(w int) bool {
	return !s.wide && s.state <= signChecking && w-formWidth-2 >= 12
}

// Illustration shows the company logo in the wide layout's left column.
func (s *signInScreen) Illustration(w, h int) string {
	if s.state > signChecking || h < 4 {
		s.wide = false
		return ""
	}
	s.wide = true
	art := s.logoView(min(w, h*2), h)
	lines := strings.Split(art, "\n")
	pad := strings.Repeat(" ", max(0, (w-lipgloss.Width(lines[0]))/2))
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}

func (s *signInScreen) View(w, h int) Card {
	c := s.c
	st, g := c.Styles, c.Glyphs
	k := c.Keys
	var lines []string
	var hits []Hit
	add := func(text string) { lines = append(lines, strings.Split(text, "\n")...) }

	switch s.state {
	case signUser, signPassword, signChecking:
		if s.state == signUser || s.checkingUser {
			add(st.Text.Render(ansi.Truncate(c.T("signin.user_label"), w, g.Ellipsis)))
			add(renderInput(c, &s.user, min(w, 52), s.focus == "input", ""))
		} else {
			add(st.Muted.Render(ansi.Truncate(s.user.Value(), w, g.Ellipsis)))
			add(st.Text.Render(ansi.Truncate(c.T("signin.password_label"), w, g.Ellipsis)))
			eye := g.Eye
			if s.reveal {
				eye = g.EyeOff
			}
			add(renderInput(c, &s.pass, min(w, 52), s.focus == "input", " "+st.Muted.Render(eye)))
		}
		if s.state == signChecking {
			add(s.spin.View() + " " + st.Text.Render(c.T("signin.checking")))
		}
		if s.errText != "" {
			add(st.Error.Render(wrapBody(g.Warning+" "+s.errText, w)))
		}
		if s.state == signPassword && s.escapeShown() {
			add("")
			link := c.T("signin.escape_link")
			ls := st.Link
			if s.focus == "link" {
				ls = st.ItemSelected
			}
			hits = append(hits, Hit{Y: len(lines), X0: 0, X1: lipgloss.Width(link), ID: "link"})
			add(ls.Render(ansi.Truncate(link, w, g.Ellipsis)))
		}
		if text := s.branding().SignInPageText; text != "" {
			tw := w
			if s.logoBeside(w) {
				tw = formWidth
			}
			add("")
			add(st.Muted.Render(wrapBody(text, tw))) // plain text: HTML is shown as typed
		}
	case signOrgError:
		add(st.Text.Render(wrapBody(c.T("signin.org_error", "upn", s.user.Value(), "org", s.orgName()), w)))
	case signMFAPush, signMFADenied, signMFACode:
		lines, hits = s.mfaView(w)
	case signEnrolling:
		add(s.spin.View() + " " + st.Text.Render(c.T("signin.enrolling")))
	case signEnrollError:
		add(st.Text.Render(wrapBody(c.T("signin.enroll_error"), w)))
		if s.errCode != "" {
			add("")
			add(st.Muted.Render(c.T("signin.error_code", "code", s.errCode)))
		}
	}
	lines = s.besideLogo(lines, w)
	help := []key.Binding{k.Tab, k.Enter}
	if s.state == signPassword {
		help = append(help, k.Reveal)
	}
	return Card{Body: strings.Join(lines, "\n"), Hits: hits, Buttons: s.buttons(), Help: help}
}

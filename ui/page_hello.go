package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// helloPage is Windows Hello for Business (reference §1.11): an intro page, then "Set up a
// PIN" with New PIN and Confirm PIN, a live checklist of the policy's rules, the "Include
// letters and symbols" box when the policy allows more than digits, and OK once the PIN is
// valid and confirmed. The run's Hello controller takes the PIN and keeps only that it was
// set.
type helloPage struct {
	pageCtx
	h      *run.Hello
	cfg    flow.HelloConfig
	focus  string // intro: "ok"; PIN page: "new", "confirm", "letters", "cancel", "ok"
	newIn  field
	confIn field
	reveal bool
	// pinReplayed is set while a box holds a PIN an answers file typed (never shown).
	pinReplayed bool
	letters     bool // "Include letters and symbols" is ticked
	tried       bool // OK was attempted: report a mismatch even while the PINs could still match
	hint        string
	scroll      endScroller
	reveals     key.Binding
}

func newHelloPage(ctx pageCtx) Page {
	c := ctx.env
	s := &helloPage{pageCtx: ctx, h: ctx.run.Hello(), focus: "ok"}
	s.cfg = s.h.Config
	limit := capPIN
	if s.cfg.MaxLength > 0 {
		limit = min(limit, s.cfg.MaxLength)
	}
	s.newIn = newField(c, "", true, limit)
	s.confIn = newField(c, "", true, limit)
	s.letters = s.lettersLocked()
	s.reveals = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", c.T("hello.help_reveal")))
	return s
}

// lettersAllowed reports whether the policy allows more than digits (the box is offered).
func (s *helloPage) lettersAllowed() bool { return !flow.PINDigitsOnly(s.cfg) }

// lettersLocked reports whether the policy requires a letter or symbol: the box is then
// ticked and cannot be cleared.
func (s *helloPage) lettersLocked() bool {
	return s.cfg.Uppercase == flow.PINRequired || s.cfg.Lowercase == flow.PINRequired || s.cfg.Special == flow.PINRequired
}

func (s *helloPage) Heading() (string, string) {
	if s.h.AllSet {
		return s.env.T("hello.all_set_title"), ""
	}
	if s.h.PINPage {
		return s.env.T("hello.pin_title"), s.env.T("hello.pin_subtitle")
	}
	return s.env.T("hello.intro_title"), s.env.T("hello.intro_subtitle")
}

// Layout scrolls to the focused control.
func (s *helloPage) Layout(f Frame) {
	compact := f.H < 16
	if !s.h.PINPage {
		s.scroll.layout(s.introLines, f.W, f.H)
		return
	}
	s.scroll.layout(func(w int) ([]string, []Hit, int, int) { return s.lines(w, compact) }, f.W, f.H)
}

// checks is the live checklist for the PIN typed so far.
func (s *helloPage) checks() []flow.PINCheck {
	pin := s.newIn.Value()
	all := flow.CheckPIN(pin, s.cfg)
	if !s.lettersAllowed() || s.letters {
		return all
	}
	// box cleared: digits only, so only the length rules matter
	var out []flow.PINCheck
	for _, ch := range all {
		if ch.Rule == flow.RuleMinLength || ch.Rule == flow.RuleMaxLength {
			out = append(out, ch)
		}
	}
	return out
}

// valid reports whether the new PIN meets the policy (and is digits only without the box).
func (s *helloPage) valid() bool {
	pin := s.newIn.Value()
	if !flow.PINValid(pin, s.cfg) {
		return false
	}
	return s.letters || onlyDigits(pin)
}

// mismatch reports whether the confirmation visibly differs from the new PIN: as soon as it
// stops being the start of it, or at all once OK was tried.
func (s *helloPage) mismatch() bool {
	pin, conf := s.newIn.Value(), s.confIn.Value()
	if conf == "" || conf == pin {
		return false
	}
	return s.tried || !strings.HasPrefix(pin, conf)
}

func (s *helloPage) canOK() bool { return s.valid() && s.newIn.Value() == s.confIn.Value() }

func onlyDigits(v string) bool {
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// focusRing is the Tab order of the current page.
func (s *helloPage) focusRing() []string {
	if !s.h.PINPage {
		return []string{"ok"}
	}
	r := []string{"new", "confirm"}
	if s.lettersAllowed() && !s.lettersLocked() {
		r = append(r, "letters")
	}
	r = append(r, "cancel")
	if s.canOK() {
		r = append(r, "ok")
	}
	return r
}

func (s *helloPage) moveFocus(d int) {
	r := focusRing{cur: s.focus}
	r.set(s.focusRing()...)
	r.move(d)
	s.setFocus(r.cur)
}

func (s *helloPage) setFocus(f string) {
	s.focus = f
	s.newIn.Blur()
	s.confIn.Blur()
	switch f {
	case "new":
		s.newIn.Focus()
	case "confirm":
		s.confIn.Focus()
	}
}

func (s *helloPage) press(id string) tea.Cmd {
	switch id {
	case "ok":
		if s.h.AllSet {
			_ = s.h.Finish()
			return nil
		}
		if !s.h.PINPage {
			if s.h.Begin() == nil {
				s.setFocus("new")
			}
			return nil
		}
		if !s.canOK() {
			s.tried = true
			return nil
		}
		pin := s.newIn.Value()
		s.newIn.Reset()
		s.confIn.Reset()
		if s.h.SetPIN(pin, s.letters) == nil {
			s.setFocus("ok") // "All set!"
		}
		return nil
	case "cancel":
		if s.h.Cancel() != nil {
			return nil
		}
		s.newIn.Reset()
		s.confIn.Reset()
		s.tried, s.hint = false, ""
		s.setFocus("ok")
	case "letters":
		if !s.lettersAllowed() || s.lettersLocked() {
			return nil
		}
		s.letters = !s.letters
		if !s.letters {
			s.newIn.SetValue(digitsOf(s.newIn.Value()))
			s.confIn.SetValue(digitsOf(s.confIn.Value()))
		}
		s.hint = ""
	case "reveal":
		if !s.reveal && s.pinReplayed {
			return nil // a PIN an answers file typed is never shown
		}
		s.reveal = !s.reveal
		mode := textinput.EchoPassword
		if s.reveal {
			mode = textinput.EchoNormal
		}
		s.newIn.EchoMode, s.confIn.EchoMode = mode, mode
	case "new", "confirm":
		s.setFocus(id)
	}
	return nil
}

func digitsOf(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (s *helloPage) Update(msg tea.Msg) tea.Cmd {
	k := s.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Tab):
			s.moveFocus(1)
		case key.Matches(msg, k.ShiftTab):
			s.moveFocus(-1)
		case !s.h.PINPage || s.h.AllSet:
			if key.Matches(msg, k.Enter) {
				return s.press("ok")
			}
		case key.Matches(msg, s.reveals):
			return s.press("reveal")
		case key.Matches(msg, k.Back):
			return s.press("cancel")
		case key.Matches(msg, k.Enter):
			switch s.focus {
			case "new":
				s.setFocus("confirm")
				return nil
			case "cancel":
				return s.press("cancel")
			}
			return s.press("ok")
		case key.Matches(msg, k.Toggle) && s.focus == "letters":
			return s.press("letters")
		case key.Matches(msg, k.Up, k.Down) && (s.focus == "new" || s.focus == "confirm"):
			if s.focus == "new" {
				s.setFocus("confirm")
			} else {
				s.setFocus("new")
			}
		default:
			return s.input(msg, msg.Text)
		}
	case tea.PasteMsg:
		return s.input(msg, msg.Content)
	case ClickMsg:
		return s.press(msg.ID)
	case ButtonMsg:
		if msg.ID == "ok" && s.h.PINPage && !s.canOK() {
			return nil
		}
		return s.press(msg.ID)
	}
	return nil
}

// input forwards a key or paste to the focused box; without letters and symbols, anything but
// digits is refused with a hint, as Windows does.
func (s *helloPage) input(msg tea.Msg, text string) tea.Cmd {
	if !s.h.PINPage || (s.focus != "new" && s.focus != "confirm") {
		return nil
	}
	if text != "" && !s.letters && !onlyDigits(text) {
		hint := s.env.T("hello.digits_only")
		if s.lettersAllowed() {
			hint = s.env.T("hello.digits_only_box")
		}
		if hint == s.hint {
			s.unchanged() // the hint is already shown
		}
		s.hint = hint
		return nil
	}
	in := &s.newIn
	if s.focus == "confirm" {
		in = &s.confIn
	}
	if in.refuses(msg) && s.hint == "" {
		s.unchanged() // the box is full
		return nil
	}
	s.hint = ""
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	if s.confIn.Value() == "" {
		s.tried = false
	}
	if s.newIn.Value() == "" && s.confIn.Value() == "" {
		s.pinReplayed = false
	}
	return cmd
}

// allSetLines draws "All set!" in width w: the PIN works from now on.
func (s *helloPage) allSetLines(w int) ([]string, []Hit, int, int) {
	var lines []string
	for _, l := range wrapLines(s.env.T("hello.all_set_text"), w) {
		lines = append(lines, s.env.Styles.Text.Render(l))
	}
	return lines, nil, -1, -1
}

// introLines draws the intro in width w.
func (s *helloPage) introLines(w int) ([]string, []Hit, int, int) {
	c := s.env
	lines := []string{}
	for _, l := range wrapLines(c.T("hello.intro_text"), w) {
		lines = append(lines, c.Styles.Text.Render(l))
	}
	lines = append(lines, "")
	for _, l := range wrapLines(c.T("hello.intro_note"), w) {
		lines = append(lines, c.Styles.Muted.Render(l))
	}
	return lines, nil, -1, -1
}

func (s *helloPage) View(f Frame) Card {
	cp := *s // the boxes take their width while drawn: draw a copy, View changes nothing
	s = &cp
	c := s.env
	k := c.Keys
	w, h := f.W, f.H
	if s.h.AllSet {
		body, _ := s.scroll.view(c, s.allSetLines, w, h)
		return Card{
			Body:    body,
			Buttons: []Button{{ID: "ok", Label: c.T("hello.ok"), Primary: true, Focused: true}},
			Help:    []key.Binding{k.Enter},
		}
	}
	if !s.h.PINPage {
		body, _ := s.scroll.view(c, s.introLines, w, h)
		return Card{
			Body:    body,
			Buttons: []Button{{ID: "ok", Label: c.T("hello.intro_button"), Primary: true, Focused: true}},
			Help:    []key.Binding{k.Enter},
		}
	}
	compact := h < 16
	body, hits := s.scroll.view(c, func(w int) ([]string, []Hit, int, int) { return s.lines(w, compact) }, w, h)
	help := []key.Binding{k.Tab, k.Enter}
	if !s.pinReplayed {
		help = append(help, s.reveals)
	}
	help = append(help, k.Back)
	if s.lettersAllowed() && !s.lettersLocked() {
		help = append(help, k.Toggle)
	}
	return Card{
		Body: body,
		Hits: hits,
		Buttons: []Button{
			{ID: "cancel", Label: c.T("button.cancel"), Focused: s.focus == "cancel"},
			{ID: "ok", Label: c.T("hello.ok"), Primary: true, Focused: s.focus == "ok", Disabled: !s.canOK()},
		},
		Help: help,
	}
}

// lines draws the PIN page in width w: the two boxes (one line each when compact), the box
// for letters and symbols, the checklist and the messages.
func (s *helloPage) lines(w int, compact bool) ([]string, []Hit, int, int) {
	c := s.env
	st, g := c.Styles, c.Glyphs
	var lines []string
	var hits []Hit
	top, bottom := -1, -1
	follow := func(id string, from int) {
		if s.focus == id {
			top, bottom = from, len(lines)-1
		}
	}
	eye := g.Eye
	if s.reveal {
		eye = g.EyeOff
	}
	eyeR := " " + st.Muted.Render(eye)
	eyeW := lipgloss.Width(eyeR)
	labelW := max(lipgloss.Width(c.T("hello.new_pin")), lipgloss.Width(c.T("hello.confirm_pin")))
	pinBox := func(id, label string, in *field, withEye bool) {
		from := len(lines)
		focused := s.focus == id
		suffix := ""
		if withEye {
			suffix = eyeR
		}
		if compact {
			ls := st.Item
			if focused {
				ls = st.ItemSelected
			}
			lw := min(labelW, max(1, w/3))
			head := ls.Render(padRight(ansi.Truncate(label, lw, g.Ellipsis), lw)) + " "
			headW := lipgloss.Width(head)
			room := min(w-headW-2-lipgloss.Width(suffix), 32)
			if room < 2 {
				lines = append(lines, ansi.Truncate(head, w, ""))
			} else {
				in.SetWidth(max(1, room-1))
				box := st.Muted.Render("[") + padRight(in.View(), room) + st.Muted.Render("]")
				lines = append(lines, ansi.Truncate(head+box+suffix, w, ""))
				if withEye {
					hits = append(hits, Hit{Y: len(lines) - 1, X0: headW + room + 2, X1: headW + room + 2 + eyeW, ID: "reveal"})
				}
			}
			hits = append(hits, Hit{Y: len(lines) - 1, X0: 0, X1: headW + room + 2, ID: id})
		} else {
			ls := st.Text
			if focused {
				ls = st.Text.Bold(true)
			}
			lines = append(lines, ls.Render(ansi.Truncate(label, w, g.Ellipsis)))
			bw := min(w, 40)
			if withEye && bw-eyeW < 6 {
				suffix = ""
			}
			box := strings.Split(renderInput(c, in, bw, focused, suffix), "\n")
			for i, l := range box {
				lines = append(lines, ansi.Truncate(l, w, ""))
				hits = append(hits, Hit{Y: len(lines) - 1, X0: 0, X1: min(w, bw), ID: id})
				if i == 1 && suffix != "" {
					boxW := lipgloss.Width(box[0])
					hits = append(hits, Hit{Y: len(lines) - 1, X0: boxW - 1 - eyeW, X1: boxW, ID: "reveal"})
				}
			}
		}
		follow(id, from)
	}
	pinBox("new", c.T("hello.new_pin"), &s.newIn, true)
	pinBox("confirm", c.T("hello.confirm_pin"), &s.confIn, false)

	var msgs []string
	if s.mismatch() {
		msgs = append(msgs, g.Cross+" "+c.T("hello.mismatch"))
	}
	if s.hint != "" {
		msgs = append(msgs, g.Warning+" "+s.hint)
	}
	for _, m := range msgs {
		for _, l := range wrapLines(m, w) {
			lines = append(lines, st.Error.Render(l))
		}
	}

	if s.lettersAllowed() {
		if !compact || len(msgs) == 0 {
			lines = append(lines, "")
		}
		from := len(lines)
		box := g.CheckboxOff
		if s.letters {
			box = g.CheckboxOn
		}
		label := box + " " + c.T("hello.letters")
		ls := st.Item
		switch {
		case s.lettersLocked():
			ls = st.ItemDisabled
		case s.focus == "letters":
			ls = st.ItemSelected
		}
		row := ls.Render(ansi.Truncate(label, max(1, w-ls.GetHorizontalFrameSize()), g.Ellipsis))
		lines = append(lines, ansi.Truncate(row, w, ""))
		hits = append(hits, Hit{Y: len(lines) - 1, X0: 0, X1: min(w, lipgloss.Width(row)), ID: "letters"})
		follow("letters", from)
	}

	lines = append(lines, "", st.Text.Bold(true).Render(ansi.Truncate(c.T("hello.requirements"), w, g.Ellipsis)))
	for _, ch := range s.checks() {
		mark, ms := g.Cross, st.Error
		if ch.OK {
			mark, ms = g.Check, st.Success
		}
		lines = append(lines, s.ruleLines(ms.Render(mark)+" ", lipgloss.Width(mark)+1, s.ruleText(ch), w)...)
	}
	if s.lettersAllowed() && s.letters {
		for _, cl := range []struct {
			u   flow.PINUsage
			msg string
		}{
			{s.cfg.Uppercase, "hello.allowed.uppercase"},
			{s.cfg.Lowercase, "hello.allowed.lowercase"},
			{s.cfg.Special, "hello.allowed.special"},
		} {
			if cl.u == flow.PINAllowed {
				text := c.T(cl.msg, "chars", strings.TrimSpace(flow.PINSpecialCharacters))
				lines = append(lines, s.ruleLines(st.Muted.Render(g.Bullet)+" ", lipgloss.Width(g.Bullet)+1, text, w)...)
			}
		}
	}
	if s.focus == "cancel" || s.focus == "ok" {
		top, bottom = len(lines)-1, len(lines)-1
	}
	return lines, hits, top, bottom
}

// ruleLines draws one checklist entry: mark, then text wrapped under itself.
func (s *helloPage) ruleLines(mark string, markW int, text string, w int) []string {
	st := s.env.Styles
	wrapped := wrapLines(text, max(1, w-markW))
	var out []string
	for i, l := range wrapped {
		prefix := strings.Repeat(" ", markW)
		if i == 0 {
			prefix = mark
		}
		out = append(out, ansi.Truncate(prefix+st.Text.Render(l), w, ""))
	}
	return out
}

// ruleText words one check of the list.
func (s *helloPage) ruleText(ch flow.PINCheck) string {
	c := s.env
	switch ch.Rule {
	case flow.RuleMinLength, flow.RuleMaxLength:
		return c.T("hello.rule."+ch.Rule, "n", strconv.Itoa(ch.Limit))
	case flow.RuleUppercase, flow.RuleLowercase, flow.RuleSpecial:
		return c.T("hello.rule."+ch.Rule+"."+string(ch.Usage), "chars", strings.TrimSpace(flow.PINSpecialCharacters))
	}
	return c.T("hello.rule." + ch.Rule)
}

// The replay's view of the page (replay.go): what it shows, and the actions done through
// its own handlers.

func (s *helloPage) replayForm() replayForm {
	if s.h.AllSet {
		return replayForm{mode: "done"}
	}
	if !s.h.PINPage {
		return replayForm{mode: "intro"}
	}
	f := replayForm{mode: "pin", fields: map[string]string{"new": s.newIn.Value(), "confirm": s.confIn.Value()},
		toggles: map[string]bool{"ok": s.canOK()}}
	if s.lettersAllowed() {
		f.toggles["letters"] = s.letters
		f.toggles["letters_locked"] = s.lettersLocked()
	}
	return f
}

func (s *helloPage) replayAct(a replayAct) tea.Cmd {
	switch a.kind {
	case "toggle":
		return s.press("letters")
	case "type":
		s.setFocus(a.target)
		in := &s.newIn
		if a.target == "confirm" {
			in = &s.confIn
		}
		in.SetValue(a.value)
		in.CursorEnd()
		s.pinReplayed = true
		if s.reveal {
			s.press("reveal")
		}
	case "press":
		s.setFocus(a.target)
		return s.press(a.target)
	}
	return nil
}

package ui

// Replaying an answers file (oobe --answers F) and writing one (oobe --write-answers F).
//
// How a replay goes: when a step is entered for the first time in a run and the file answers
// it, the replay "plans" one visible action at a time on the screen and performs it after the
// answers delay: the list selection moves to the answered item, the box is ticked, the text
// is typed one character at a time (secrets masked, as the screen always shows them), then the
// button is pressed. Actions that start backend work (connecting, signing in, verifying) wait
// for its result; states in which the screen is busy (scanning, checking) are waited out.
//
//   - A step whose answer is missing stays interactive, and so does a page whose secret the
//     file does not give (the person types it); later answered steps replay again.
//   - An answer that does not take (a wrong key or password, a network not in range, a layout
//     not offered) stops the replay of that step: the screen shows the error and waits for the
//     person. The replay notices because it would plan the same action twice.
//   - Any key, paste or click on a replaying step hands that step over to the person.
//   - Back works as always. A step is replayed only the first time it is entered in a run:
//     going back to an answered step, or forward again to one already seen, leaves it to the
//     person, so Back never fights the replay. Steps not seen yet replay when they come.
//   - A fresh run (Reset device, Start again on a kiosk) replays the file again.
//
// The pace is Options.AnswersDelay before each action (half of it after moving the focus,
// a sixteenth between typed characters), timed by Options.AnswersClock: the emulated clock in
// tests (instant), wall-clock time in the command, so --speed does not hurry the watcher.

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
)

// recordReplay is the record kind of the replay's own lines (which steps it answered, why it
// stopped); they never hold a secret.
const recordReplay flow.RecordKind = "replay"

// runNotes is what the current run did beyond its answers, for --write-answers.
type runNotes struct {
	// answered holds the steps left with Next.
	answered map[flow.StepID]bool
	// hidden is set when the network was joined through "Hidden network".
	hidden bool
	// wifiKey, password, mfaCode and pin are set once the run used that secret successfully.
	wifiKey, password, mfaCode, pin bool
}

func newRunNotes() runNotes { return runNotes{answered: map[flow.StepID]bool{}} }

// connected notes the network joined: through the hidden entry, with a key.
func (r *runNotes) connected(hidden, secured bool) { r.hidden, r.wifiKey = hidden, secured }

// replayTickMsg asks the replay for its next action on the step entry it was scheduled for.
type replayTickMsg struct{ entry int64 }

// replayer replays an answers file on the screens it answers.
type replayer struct {
	file  *answers.File
	sec   answers.Secrets
	delay time.Duration
	clock flow.Clock

	seen    map[flow.StepID]bool // steps entered in this run
	entry   atomic.Int64         // counts step entries; ticks of an older entry are dropped
	active  bool                 // the current step is being replayed
	pending bool                 // a tick is scheduled for the current entry
	done    map[string]bool      // actions performed on the current entry
}

func newReplayer(s *answers.Script, delay time.Duration, clock flow.Clock) *replayer {
	if s == nil || s.File == nil {
		return nil
	}
	return &replayer{file: s.File, sec: s.Secrets, delay: max(0, delay), clock: clock, seen: map[flow.StepID]bool{}}
}

// reset starts a new run: every step replays again.
func (r *replayer) reset() {
	if r != nil {
		r.seen = map[flow.StepID]bool{}
		r.active, r.pending = false, false
	}
}

// wants reports whether the file answers step s.
func (r *replayer) wants(s flow.StepID) bool {
	f := r.file
	switch s {
	case flow.StepLanguage:
		return f.Language != ""
	case flow.StepRegion:
		return f.Region != ""
	case flow.StepKeyboard:
		return f.Keyboard != ""
	case flow.StepKeyboard2:
		return f.Keyboard2 != nil
	case flow.StepNetwork:
		return f.Network != nil && !f.Network.Ethernet
	case flow.StepEULA:
		return f.EULA == "accept"
	case flow.StepSignIn:
		return f.User != nil
	case flow.StepESPDevice, flow.StepESPAccount:
		// only the Windows sign-in after a restart during Device setup asks anything
		return f.User != nil && r.sec.Password != ""
	case flow.StepPrivacy:
		return f.Privacy != nil
	case flow.StepHello:
		return r.sec.PIN != ""
	}
	return false
}

// enter starts replaying step s when it is entered for the first time and the file answers it.
func (r *replayer) enter(c *Common) tea.Cmd {
	if r == nil {
		return nil
	}
	s := c.Session.Current()
	r.entry.Add(1)
	r.active, r.pending, r.done = false, false, map[string]bool{}
	if r.seen[s] {
		return nil
	}
	r.seen[s] = true
	if !r.wants(s) {
		return nil
	}
	r.active = true
	c.Session.Record(recordReplay, map[string]string{"event": "replaying"})
	return r.schedule(r.delay)
}

// schedule asks for the next tick after d on the replay's clock.
func (r *replayer) schedule(d time.Duration) tea.Cmd {
	r.pending = true
	entry, clock := r.entry.Load(), r.clock
	return func() tea.Msg {
		if r.entry.Load() != entry {
			return nil // the step was left: do not wait (nor move an emulated clock) for nothing
		}
		if d > 0 {
			<-clock.After(d)
		}
		return replayTickMsg{entry: entry}
	}
}

// poke is called when a result reached the current screen: a replay waiting for the screen
// to change looks again after the delay.
func (r *replayer) poke() tea.Cmd {
	if r == nil || !r.active || r.pending {
		return nil
	}
	return r.schedule(r.delay)
}

// stop ends the replay of the current step, leaving it to the person.
func (r *replayer) stop(c *Common, reason string) {
	if r == nil || !r.active {
		return
	}
	r.active = false
	c.Session.Record(recordReplay, map[string]string{"event": "stopped", "reason": reason})
}

// takeOver hands the current step to the person, who pressed a key or clicked.
func (r *replayer) takeOver(c *Common) { r.stop(c, "input") }

// action is one visible step of a replay.
type action struct {
	// key names the action within the step entry; planning an action already done means the
	// answer did not take, and the replay of the step stops.
	key string
	// do performs it.
	do func() tea.Cmd
	// pace divides the delay before the next action: 2 after moving the focus, 16 between
	// typed characters.
	pace int
	// async actions start backend work: the next action waits for its result.
	async bool
	// wait: nothing to do until the screen changes. stop: the replay of the step ends, why.
	wait bool
	stop string
}

func act(key string, do func() tea.Cmd) action { return action{key: key, do: do, pace: 1} }

func waitFor() action { return action{wait: true} }

func stopWith(reason string) action { return action{stop: reason} }

// tick performs the next action on the current screen.
func (r *replayer) tick(m *Model, msg replayTickMsg) tea.Cmd {
	if r == nil || msg.entry != r.entry.Load() || !r.active {
		return nil
	}
	c := m.common
	r.pending = false
	a := r.plan(m)
	switch {
	case a.stop != "":
		r.stop(c, a.stop)
		return nil
	case a.wait || a.do == nil:
		return nil
	case r.done[a.key]:
		r.stop(c, "not accepted: "+a.key)
		return nil
	}
	r.done[a.key] = true
	if !strings.Contains(a.key, "#") { // typed characters are not recorded one by one
		c.Session.Record(recordReplay, map[string]string{"action": a.key})
	}
	cmd := a.do()
	if a.async {
		return cmd // the result pokes the replay
	}
	return tea.Batch(cmd, r.schedule(r.delay/time.Duration(max(1, a.pace))))
}

// plan chooses the next action for the current screen from its state and the answers.
func (r *replayer) plan(m *Model) action {
	f, c := r.file, m.common
	switch s := m.screen.(type) {
	case *listScreen:
		switch c.Session.Current() {
		case flow.StepLanguage:
			return planList(&s.listPage, f.Language)
		case flow.StepRegion:
			return planList(&s.listPage, f.Region)
		case flow.StepKeyboard:
			return planList(&s.listPage, f.Keyboard)
		}
	case *keyboard2Screen:
		return r.planKeyboard2(s)
	case *networkScreen:
		return r.planNetwork(s)
	case *eulaScreen:
		if s.confirm || s.off {
			return stopWith("declined")
		}
		return act("accept", func() tea.Cmd { s.focus = 2; return s.press("accept") })
	case *signInScreen:
		return r.planSignIn(s)
	case *espScreen:
		return r.planESP(s)
	case *privacyScreen:
		return r.planPrivacy(s)
	case *helloScreen:
		return r.planHello(s)
	}
	return stopWith("nothing to answer")
}

// planList moves the selection to id, then presses the page's main button.
func planList(p *listPage, id string) action {
	if it, ok := p.list.selected(); !ok || it.ID != id {
		return act("select "+id, func() tea.Cmd {
			p.focus = 0
			p.list.selectID(id)
			return nil
		})
	}
	return act("press "+p.primary(), func() tea.Cmd { return p.press(p.primary()) })
}

func (r *replayer) planKeyboard2(s *keyboard2Screen) action {
	k2 := *r.file.Keyboard2
	switch {
	case k2 == "" && s.picking:
		return stopWith("picker open")
	case k2 == "" && s.focus != 1:
		return focusAct("focus skip", func() { s.focus = 1 })
	case k2 == "":
		return act("press skip", func() tea.Cmd { return s.press("skip") })
	case s.picking:
		return planList(s.picker, k2)
	case s.focus != 0:
		return focusAct("focus add", func() { s.focus = 0 })
	}
	return act("open layout picker", func() tea.Cmd { return s.press("add") })
}

// focusAct moves the focus; the action that follows comes after half the delay.
func focusAct(key string, do func()) action {
	return action{key: key, do: func() tea.Cmd { do(); return nil }, pace: 2}
}

// typeInto types the next character of text into in (the field's value must be a prefix of
// it); ok is false once the whole text is there.
func typeInto(field string, in *textinput.Model, text string, focus func()) (action, bool) {
	v := in.Value()
	if v == text {
		return action{}, false
	}
	if !strings.HasPrefix(text, v) {
		return stopWith(field + " holds other text"), true
	}
	n := len([]rune(v))
	next := string([]rune(text)[n])
	pace := 16
	if n+1 == len([]rune(text)) {
		pace = 1 // the last character: the button follows after the full delay
	}
	return action{key: fmt.Sprintf("type %s#%d", field, n), pace: pace, do: func() tea.Cmd {
		if focus != nil {
			focus()
		}
		in.SetValue(v + next)
		in.CursorEnd()
		return nil
	}}, true
}

func (r *replayer) planNetwork(s *networkScreen) action {
	n := r.file.Network
	switch s.state {
	case netScanning, netConnecting:
		return waitFor()
	case netList:
		if s.online != "" && s.online == n.SSID {
			if s.focus != "next" {
				return focusAct("focus next", func() { s.setFocus("next") })
			}
			return act("press next", func() tea.Cmd { return s.press("next") })
		}
		if n.Hidden {
			if it, ok := s.list.selected(); !ok || it.ID != hiddenID {
				return act("select hidden network", func() tea.Cmd { s.list.selectID(hiddenID); s.setFocus("list"); return nil })
			}
			return act("open hidden network", func() tea.Cmd { return s.activateItem() })
		}
		if it, ok := s.list.selected(); !ok || it.ID != n.SSID {
			return act("select "+n.SSID, func() tea.Cmd {
				s.list.selectID(n.SSID)
				s.expanded = false
				s.setFocus("list")
				return nil
			})
		}
		if !s.expanded {
			return act("expand", func() tea.Cmd { return s.activateItem() })
		}
		if want := n.ConnectAutomatically; want != nil && *want != s.auto {
			return act("connect automatically", func() tea.Cmd { return s.press("auto") })
		}
		a := act("press connect", func() tea.Cmd { return s.press("connect") })
		if nw, ok := s.selectedNet(); ok && !nw.Secured() {
			a.async = true // an open network connects at once
		}
		return a
	case netSSID:
		if a, ok := typeInto("ssid", &s.ssidIn, n.SSID, func() { s.setFocus("input") }); ok {
			return a
		}
		return act("press next (name)", func() tea.Cmd { return s.press("next") })
	case netKey:
		if s.target != n.SSID {
			return stopWith("another network")
		}
		if r.sec.WiFiKey == "" {
			return stopWith("no key in the answers")
		}
		if a, ok := typeInto("key", &s.keyIn, r.sec.WiFiKey, func() { s.setFocus("input") }); ok {
			return a
		}
		a := act("press next (key)", func() tea.Cmd { return s.press("next") })
		a.async = true
		return a
	}
	return waitFor()
}

func (r *replayer) planSignIn(s *signInScreen) action {
	u := r.file.User
	switch s.state {
	case signChecking, signMFAPush, signEnrolling:
		return waitFor()
	case signUser:
		if a, ok := typeInto("username", &s.user, u.UPN, func() { s.setFocus("input") }); ok {
			return a
		}
		a := act("press next", func() tea.Cmd { return s.press("next") })
		a.async = true
		return a
	case signPassword:
		if !strings.EqualFold(s.user.Value(), u.UPN) {
			if s.assigned && s.escapeShown() {
				return act("start over", func() tea.Cmd { return s.press("startover") })
			}
			return stopWith("another user")
		}
		if r.sec.Password == "" {
			return stopWith("no password in the answers")
		}
		if a, ok := typeInto("password", &s.pass, r.sec.Password, func() { s.setFocus("input") }); ok {
			return a
		}
		a := act("press sign in", func() tea.Cmd { return s.press("signin") })
		a.async = true
		return a
	case signMFACode:
		if r.sec.MFACode == "" {
			return stopWith("no verification code in the answers")
		}
		if a, ok := typeInto("code", &s.code, r.sec.MFACode, func() { s.setFocus("input") }); ok {
			return a
		}
		a := act("press verify", func() tea.Cmd { return s.press("verify") })
		a.async = true
		return a
	}
	return stopWith("sign-in failed")
}

// planESP answers the Windows sign-in screen after a restart during Device setup; the rest of
// the ESP runs by itself.
func (r *replayer) planESP(s *espScreen) action {
	p := &s.user
	if !s.reentry || p.checking {
		return waitFor()
	}
	u := r.file.User
	if a, ok := typeInto("username again", &p.user, u.UPN, func() { p.setFocus(0) }); ok {
		return a
	}
	if a, ok := typeInto("password again", &p.pass, r.sec.Password, func() { p.setFocus(1) }); ok {
		return a
	}
	a := act("press sign in again", func() tea.Cmd { p.setFocus(2); return p.submit(s) })
	a.async = true
	return a
}

func (r *replayer) planPrivacy(s *privacyScreen) action {
	for i, it := range s.items {
		want, ok := r.file.Privacy[it.id]
		if !ok || s.on[it.id] == want {
			continue
		}
		if s.focus != i {
			return focusAct("focus "+it.id, func() { s.focus = i })
		}
		return act("toggle "+it.id, func() tea.Cmd { s.toggle(i); return nil })
	}
	if n := len(s.items); s.focus != n {
		return focusAct("focus accept", func() { s.focus = n })
	}
	return act("press accept", func() tea.Cmd { return s.accept() })
}

func (r *replayer) planHello(s *helloScreen) action {
	pin := r.sec.PIN
	if !s.pinPage {
		return act("press set up", func() tea.Cmd { return s.press("ok") })
	}
	if !onlyDigits(pin) && !s.letters {
		if !s.lettersAllowed() || s.lettersLocked() {
			return stopWith("the PIN policy allows digits only")
		}
		return act("letters and symbols", func() tea.Cmd { return s.press("letters") })
	}
	if a, ok := typeInto("new PIN", &s.newIn, pin, func() { s.setFocus("new") }); ok {
		return a
	}
	if a, ok := typeInto("confirm PIN", &s.confIn, pin, func() { s.setFocus("confirm") }); ok {
		return a
	}
	if !s.canOK() {
		return stopWith("the PIN does not meet the policy")
	}
	if s.focus != "ok" {
		return focusAct("focus ok", func() { s.setFocus("ok") })
	}
	return act("press ok", func() tea.Cmd { return s.press("ok") })
}

// isInput reports whether msg is the person at the keyboard or the mouse.
func isInput(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg, tea.MouseWheelMsg, ClickMsg, ButtonMsg:
		return true
	}
	return false
}

// writeAnswers writes the run's answers to Options.WriteAnswers (when set and the run
// answered something); the first error is kept for AnswersErr.
func (m *Model) writeAnswers() {
	c := m.common
	if m.opts.WriteAnswers == "" || c.Session == nil {
		return
	}
	run := answers.Run{
		Answered: c.run.answered, HiddenNetwork: c.run.hidden,
		WiFiKey: c.run.wifiKey, Password: c.run.password, MFACode: c.run.mfaCode, PIN: c.run.pin,
	}
	if m.opts.Answers != nil {
		run.From = m.opts.Answers.File
	}
	f := answers.FromAnswers(c.Session.Answers, run)
	if f.Empty() {
		return // a run that answered nothing leaves the last run's file alone
	}
	if err := answers.WriteFile(m.opts.WriteAnswers, f); err != nil && m.answersErr == nil {
		m.answersErr = err
	}
}

// AnswersErr returns the first error met writing Options.WriteAnswers, if any.
func (m *Model) AnswersErr() error { return m.answersErr }

package ui

// Replaying an answers file (oobe --answers F).
//
// When a step is entered for the first time in a run and the file answers it, the replay
// performs one visible action at a time on the page on top, after the answers delay: the
// list selection moves to the answered item, a box is ticked, text is typed one character at
// a time (secrets masked, as the page always shows them), then a button is pressed. The page
// performs each action with the handlers a key press reaches, so every answer goes through
// the run's controllers as a person's would. The replay decides from what the page shows
// (its replayForm) and the run's state, never from a page's private fields.
//
//   - A step whose answer is missing stays interactive, and so does a page whose secret the
//     file does not give (the person types it); later answered steps replay again.
//   - An answer that does not take (a wrong key or password, a layout not offered) stops the
//     replay of that step: the page shows the error and waits for the person. The replay
//     notices because it would perform the same action twice.
//   - Any key, paste or click on a replaying step hands that step over to the person.
//   - A step is replayed only the first time it is entered in a run, so Back never fights
//     the replay (the Windows sign-in, which comes after each restart, every time); a fresh
//     run (Reset device, Start again) replays the file again.
//
// The pace is Options.AnswersDelay before each action (half of it after moving the focus,
// a sixteenth between typed characters), timed by Options.AnswersClock.

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
)

// replayForm is what a page shows, for the replay to decide its next action.
type replayForm struct {
	// mode is the page's state: "busy" (nothing to do until it changes), "list", "ssid",
	// "key", "user", "password", "code", "intro", "pin", "done", "locked", "question", "form".
	mode string
	// fields are the boxes' values by name.
	fields map[string]string
	// selected is the list's selection.
	selected string
	// toggles are the check boxes and switches by name.
	toggles map[string]bool
	// view tells apart views of a step that look alike (the second lock screen of an idle
	// Account setup), so that the same action on it is not taken for one that did not take.
	view string
}

// replayAct is one visible action on a page.
type replayAct struct {
	// kind is "select" (value: an item), "type" (value: the box's new text), "toggle" or
	// "press" (target: a button, link or the list's own action "activate").
	kind, target, value string
}

// replayable pages tell the replay what they show and perform its actions through their own
// handlers.
type replayable interface {
	replayForm() replayForm
	replayAct(a replayAct) tea.Cmd
}

// replayTickMsg asks the replay for its next action on the step entry it was scheduled for;
// from names the replayer that scheduled it (a trainer's jump swaps replayers).
type replayTickMsg struct {
	entry int64
	from  *replayer
}

// replayer replays an answers file on the pages it answers.
type replayer struct {
	file  *answers.File
	sec   answers.Secrets
	delay time.Duration
	clock flow.Clock // times the pauses
	// hold is the run's clock: it is held while a tick is pending, so that on a virtual
	// clock the run does not move on while the replay has an action to do.
	hold flow.Clock

	seen    map[flow.StepID]bool // steps entered in this run
	runID   string               // the run the steps were seen in
	entry   atomic.Int64         // counts step entries; ticks of an older entry are dropped
	active  bool                 // the current step is being replayed
	pending bool                 // a tick is scheduled for the current entry
	done    map[string]bool      // actions performed on the current entry
	// until is the step a trainer's jump goes to: it is left to the person ("" for an
	// answers file).
	until flow.StepID
}

func newReplayer(s *answers.Script, delay time.Duration, clock, hold flow.Clock) *replayer {
	if s == nil || s.File == nil {
		return nil
	}
	return &replayer{file: s.File, sec: s.Secrets, delay: max(0, delay), clock: clock, hold: hold, seen: map[flow.StepID]bool{}}
}

// wants reports whether the file answers step s (of a hybrid join's run when hybrid).
func (r *replayer) wants(s flow.StepID, hybrid bool) bool {
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
	case flow.StepWindowsSignIn:
		// after a restart of an Entra join the work account signs in again; a hybrid join
		// signs in with its windowsUser (after Device setup, and again after Sign out)
		return f.User != nil && r.sec.Password != "" && (!hybrid || f.WindowsUser != "")
	case flow.StepESPAccount:
		// a hybrid join's Account setup: the Entra prompt, a lock screen, Sign out
		return hybrid && f.User != nil && r.sec.Password != ""
	case flow.StepPrivacy:
		return f.Privacy != nil
	case flow.StepHello:
		return r.sec.PIN != ""
	}
	return false
}

// enter starts replaying the step on screen when it is entered for the first time in the run
// and the file answers it.
func (r *replayer) enter(m *Model) tea.Cmd {
	if r == nil {
		return nil
	}
	if id := m.run.ID(); id != r.runID {
		r.runID, r.seen = id, map[flow.StepID]bool{} // a fresh run replays every step again
	}
	s := m.run.Step()
	r.entry.Add(1)
	r.active, r.pending, r.done = false, false, map[string]bool{}
	// a step is replayed once per run, so Back never fights the replay; the Windows sign-in
	// (no way back to it) comes after each restart and is replayed each time
	if r.seen[s] && s != flow.StepWindowsSignIn {
		return nil
	}
	r.seen[s] = true
	if s == r.until || !r.wants(s, m.run.Profile().Join == flow.JoinHybrid) {
		return nil
	}
	r.active = true
	m.run.RecordReplay(flow.ReplayData{Event: "replaying"})
	return r.schedule(r.delay)
}

// schedule asks for the next tick after d on the replay's clock.
func (r *replayer) schedule(d time.Duration) tea.Cmd {
	r.pending = true
	entry, clock := r.entry.Load(), r.clock
	flow.Hold(r.hold) // released when the tick is handled (tick)
	return func() tea.Msg {
		if d > 0 && r.entry.Load() == entry {
			_ = clock.Sleep(context.Background(), d)
		}
		return replayTickMsg{entry: entry, from: r}
	}
}

// poke is called when a result reached the run: a replay waiting for the page to change
// looks again after the delay.
func (r *replayer) poke() tea.Cmd {
	if r == nil || !r.active || r.pending {
		return nil
	}
	return r.schedule(r.delay)
}

// stop ends the replay of the current step, leaving it to the person.
func (r *replayer) stop(m *Model, reason string) {
	if r == nil || !r.active {
		return
	}
	r.active = false
	m.run.RecordReplay(flow.ReplayData{Event: "stopped", Reason: reason})
	if m.jump != nil && m.replay == r {
		m.endJump(false, reason) // the person has the page: the jump is over
	}
}

// replaying reports whether the step on screen is being replayed.
func (r *replayer) replaying() bool { return r != nil && r.active }

// takeOver hands the current step to the person, who pressed a key or clicked.
func (r *replayer) takeOver(m *Model) { r.stop(m, "input") }

// step is one planned action: what to do, its name (planning a name already done means the
// answer did not take), and how it is paced.
type step struct {
	act   replayAct
	name  string
	pace  int  // divides the delay before the next action
	async bool // starts backend work: the next action waits for its result
	wait  bool // nothing to do until the page changes
	stop  string
}

func press(target string) step {
	return step{act: replayAct{kind: "press", target: target}, name: "press " + target, pace: 1}
}

func waiting() step { return step{wait: true} }

func stopping(reason string) step { return step{stop: reason} }

// tick performs the next action on the page on top.
func (r *replayer) tick(m *Model, msg replayTickMsg) tea.Cmd {
	if r == nil {
		return nil
	}
	defer flow.Release(r.hold) // after the action: the work it starts is held first
	if msg.from != r || msg.entry != r.entry.Load() || !r.active {
		return nil
	}
	r.pending = false
	page, ok := m.nav.top().(replayable)
	if !ok {
		return nil // a view with nothing to answer (a restart): wait for the next change
	}
	f := page.replayForm()
	s := r.plan(m, f)
	switch {
	case s.stop != "":
		r.stop(m, s.stop)
		return nil
	case s.wait:
		return nil
	}
	key := f.mode + f.view + ":" + s.name // the same action on another view of the step is another action
	if r.done[key] {
		r.stop(m, "not accepted: "+s.name)
		return nil
	}
	r.done[key] = true
	if !strings.Contains(s.name, "#") { // typed characters are not recorded one by one
		m.run.RecordReplay(flow.ReplayData{Action: s.name})
	}
	cmd := page.replayAct(s.act)
	if s.async {
		return cmd // the result pokes the replay
	}
	return tea.Batch(cmd, r.schedule(r.delay/time.Duration(max(1, s.pace))))
}

// typeInto types the next character of text into box (whose value must be a prefix of it);
// ok is false once the whole text is there.
func typeInto(box, value, text string) (step, bool) {
	if value == text {
		return step{}, false
	}
	if !strings.HasPrefix(text, value) {
		return stopping(box + " holds other text"), true
	}
	n := len([]rune(value))
	next := value + string([]rune(text)[n])
	pace := 16
	if n+1 == len([]rune(text)) {
		pace = 1 // the last character: the button follows after the full delay
	}
	return step{act: replayAct{kind: "type", target: box, value: next}, name: fmt.Sprintf("type %s#%d", box, n), pace: pace}, true
}

// selecting moves a list's selection to id, then presses button.
func selecting(f replayForm, id, button string) step {
	if f.selected != id {
		return step{act: replayAct{kind: "select", value: id}, name: "select " + id, pace: 1}
	}
	return press(button)
}

// plan chooses the next action from what the page shows, the run and the answers.
func (r *replayer) plan(m *Model, f replayForm) step {
	file := r.file
	if f.mode == "busy" {
		return waiting()
	}
	switch m.run.Step() {
	case flow.StepLanguage:
		return selecting(f, file.Language, "yes")
	case flow.StepRegion:
		return selecting(f, file.Region, "yes")
	case flow.StepKeyboard:
		return selecting(f, file.Keyboard, "yes")
	case flow.StepKeyboard2:
		k2 := *file.Keyboard2
		switch {
		case f.mode == "list" && k2 == "":
			return stopping("picker open")
		case f.mode == "list":
			return selecting(f, k2, "add")
		case k2 == "":
			return press("skip")
		}
		return press("add")
	case flow.StepNetwork:
		return r.planNetwork(m, f)
	case flow.StepEULA:
		return press("accept")
	case flow.StepSignIn:
		return r.planSignIn(m, f)
	case flow.StepWindowsSignIn:
		if f.mode == "locked" {
			return press("unlock")
		}
		name := file.User.UPN
		if m.run.Profile().Join == flow.JoinHybrid {
			name = file.WindowsUser
			// off premises, the VPN first: the domain sign-in needs a domain controller
			if f.toggles["vpn"] && !f.toggles["vpn_up"] {
				if !f.toggles["vpn_open"] {
					return press("vpn")
				}
				s := press("vpn_connect")
				s.async = true
				return s
			}
		}
		if s, ok := typeInto("user", f.fields["user"], name); ok {
			return s
		}
		if s, ok := typeInto("pass", f.fields["pass"], r.sec.Password); ok {
			return s
		}
		s := press("winsignin")
		s.async = true
		return s
	case flow.StepPrivacy:
		for _, id := range flow.PrivacyToggles(m.run.Windows()) {
			want, answered := file.Privacy[id]
			if on, shown := f.toggles[id]; answered && shown && on != want {
				return step{act: replayAct{kind: "toggle", target: id}, name: "toggle " + id, pace: 2}
			}
		}
		return press("accept")
	case flow.StepHello:
		return r.planHello(f)
	case flow.StepESPAccount:
		return r.planAccountSetup(f)
	}
	return stopping("nothing to answer")
}

// planAccountSetup answers a hybrid join's Account setup: the Entra prompt (the user's
// account, Next, OK, Done), the lock screen of an idle device, and Sign out at the end.
func (r *replayer) planAccountSetup(f replayForm) step {
	async := func(s step) step { s.async = true; return s }
	switch f.mode {
	case "form": // the Entra sign-in
		if s, ok := typeInto("user", f.fields["user"], r.file.User.UPN); ok {
			return s
		}
		if s, ok := typeInto("pass", f.fields["pass"], r.sec.Password); ok {
			return s
		}
		return async(press("next"))
	case "stay":
		if !f.toggles["manage"] {
			return step{act: replayAct{kind: "toggle", target: "manage"}, name: "allow manage", pace: 1}
		}
		return press("ok")
	case "done":
		return press("done")
	case "locked":
		return press("unlock")
	case "unlock":
		if s, ok := typeInto("pass", f.fields["pass"], r.sec.Password); ok {
			return s
		}
		return async(press("unlock_sign_in"))
	case "signout":
		return press("sign_out")
	}
	return waiting()
}

func (r *replayer) planNetwork(m *Model, f replayForm) step {
	n := r.file.Network
	nc := m.run.Network()
	switch f.mode {
	case "list":
		if nc.Online != "" && nc.Online == n.SSID {
			return press("next")
		}
		if n.Hidden {
			return selecting(f, hiddenID, "activate")
		}
		if f.selected != n.SSID {
			return selecting(f, n.SSID, "")
		}
		if !f.toggles["expanded"] {
			return press("activate")
		}
		if want := n.ConnectAutomatically; want != nil && *want != f.toggles["auto"] {
			return step{act: replayAct{kind: "toggle", target: "auto"}, name: "connect automatically", pace: 1}
		}
		s := press("connect")
		if net, ok := nc.Lookup(n.SSID); ok && !net.Secured() {
			s.async = true // an open network connects at once
		}
		return s
	case "ssid":
		if s, ok := typeInto("ssid", f.fields["ssid"], n.SSID); ok {
			return s
		}
		return press("next")
	case "key":
		if f.fields["network"] != n.SSID {
			return stopping("another network")
		}
		if r.sec.WiFiKey == "" {
			return stopping("no key in the answers")
		}
		if s, ok := typeInto("key", f.fields["key"], r.sec.WiFiKey); ok {
			return s
		}
		s := press("next")
		s.async = true
		return s
	}
	return waiting()
}

func (r *replayer) planSignIn(m *Model, f replayForm) step {
	u := r.file.User
	s := m.run.SignIn()
	switch f.mode {
	case "user":
		if st, ok := typeInto("user", f.fields["user"], u.UPN); ok {
			return st
		}
		st := press("next")
		st.async = true
		return st
	case "password":
		if !strings.EqualFold(s.UPN, u.UPN) {
			if s.Assigned && s.EscapeLink() {
				return press("startover")
			}
			return stopping("another user")
		}
		if r.sec.Password == "" {
			return stopping("no password in the answers")
		}
		if st, ok := typeInto("pass", f.fields["pass"], r.sec.Password); ok {
			return st
		}
		st := press("signin")
		st.async = true
		return st
	case "code":
		if r.sec.MFACode == "" {
			return stopping("no verification code in the answers")
		}
		if st, ok := typeInto("code", f.fields["code"], r.sec.MFACode); ok {
			return st
		}
		st := press("verify")
		st.async = true
		return st
	}
	return stopping("sign-in failed")
}

func (r *replayer) planHello(f replayForm) step {
	pin := r.sec.PIN
	if f.mode == "intro" || f.mode == "done" { // the intro's OK, and "All set!"'s
		return press("ok")
	}
	if !onlyDigits(pin) && !f.toggles["letters"] {
		if _, offered := f.toggles["letters"]; !offered || f.toggles["letters_locked"] {
			return stopping("the PIN policy allows digits only")
		}
		return step{act: replayAct{kind: "toggle", target: "letters"}, name: "letters and symbols", pace: 1}
	}
	if s, ok := typeInto("new", f.fields["new"], pin); ok {
		return s
	}
	if s, ok := typeInto("confirm", f.fields["confirm"], pin); ok {
		return s
	}
	if !f.toggles["ok"] {
		return stopping("the PIN does not meet the policy")
	}
	return press("ok")
}

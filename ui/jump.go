package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
	"github.com/oobe-emu/oobe/flow/run"
)

// The trainer panel's jump to a step (issue 10): the session reaches the step as a person
// would have, because a person's answers are replayed through the real pages at the
// clock's full speed (the backend's Rehearsal: its network, account and PIN, the pages'
// defaults for the rest). A step that is not ahead is reached from a fresh run (Reset
// device first). The jump ends on the step, or where an answer does not take (a fault the
// trainer turned on, a page the practice answers do not cover): that page then waits for
// the person at the normal speed.

// jumpState is a jump under way.
type jumpState struct {
	target  flow.StepID
	started bool      // the practice answers are replaying (false: waiting for them)
	saved   *replayer // the answers file's replay, back when the jump ends
	speed   float64   // the clock's speed before the jump (0: not a Throttle)
}

// automaticSteps go on by themselves: a jump waits on them without answering.
var automaticSteps = []flow.StepID{flow.StepUpdates, flow.StepESPDevice, flow.StepESPAccount, flow.StepFSIA, flow.StepQualityUpdates}

// startJump begins the jump to target once the backend said what a person would type.
func (m *Model) startJump(target flow.StepID) tea.Cmd {
	m.endJump(false, "another jump")
	t := m.run.Trainer()
	m.jump = &jumpState{target: target}
	if t.Rehearsal() == nil {
		t.Rehearse()
		return nil
	}
	return m.beginJump()
}

// trainerChanged follows the trainer's state: the practice answers came for a jump.
func (m *Model) trainerChanged() tea.Cmd {
	j := m.jump
	if j == nil || j.started {
		return nil
	}
	t := m.run.Trainer()
	if t.Rehearsal() != nil {
		return m.beginJump()
	}
	if t.Err() != nil {
		m.jump = nil // the panel shows why
	}
	return nil
}

// beginJump replays the practice answers at full speed, from a fresh run when the target is
// not ahead of the step on screen.
func (m *Model) beginJump() tea.Cmd {
	j, r := m.jump, m.run
	j.started = true
	j.saved = m.replay
	if th, ok := m.clock.(flow.Throttle); ok {
		j.speed = th.Speed()
		if m.normalSpeed != 0 {
			j.speed, m.normalSpeed = m.normalSpeed, 0 // the jump takes over from F6
		}
		th.SetSpeed(flow.MaxSpeed)
	}
	m.replay = newReplayer(m.rehearsalScript(*r.Trainer().Rehearsal()), 0, m.clock, m.clock)
	m.replay.until = j.target
	r.Trainer().RecordJump(j.target, "jump", "")
	steps := r.Steps()
	if cur, at := slices.Index(steps, r.Step()), slices.Index(steps, j.target); r.Ended() != "" || at < 0 || at <= cur {
		r.Restart("jump")
		return nil
	}
	return m.replay.enter(m)
}

// endJump ends the jump under way (arrived, or stopped for why): the answers file's replay
// and the clock's speed come back.
func (m *Model) endJump(arrived bool, why string) {
	j := m.jump
	if j == nil {
		return
	}
	m.jump = nil
	if !j.started {
		return
	}
	if m.replay != nil {
		m.replay.active = false
		m.replay.entry.Add(1) // a tick it scheduled finds nothing to do
	}
	m.replay = j.saved
	if th, ok := m.clock.(flow.Throttle); ok && j.speed > 0 {
		th.SetSpeed(j.speed)
	}
	if arrived {
		m.run.Trainer().RecordJump(j.target, "jumped", "")
	} else {
		m.run.Trainer().RecordJump(j.target, "jump_stopped", why)
	}
}

// followJump is called on each step entry and after each result during a jump: it ends the
// jump on its step, on a page the practice answers do not cover, or on an ESP error.
func (m *Model) followJump() {
	j := m.jump
	if j == nil || !j.started || !m.run.Started() || m.run.Entry() != m.entry {
		return // the step's page and its replay start in sync
	}
	s := m.run.Step()
	switch {
	case s == j.target:
		m.endJump(true, "")
	case m.run.Ended() != "":
		m.endJump(false, "the run ended on "+string(s))
	case s == flow.StepDesktop:
		m.endJump(false, "reached the desktop")
	case m.run.ESPStep() != nil && m.run.ESPStep().State == run.ESPFailed:
		m.endJump(false, "the Enrollment Status Page failed")
	case !slices.Contains(automaticSteps, s) && !m.replay.replaying() && !m.replay.pending:
		m.endJump(false, "no practice answer for "+string(s))
	}
}

// rehearsalScript is what the jump replays: the backend's practice answers, and for the
// first pages what they preselect (the display language, the region, its keyboard, no
// second layout).
func (m *Model) rehearsalScript(reh flow.Rehearsal) *answers.Script {
	a := m.run.Answers()
	region := a.Region
	if region == "" {
		region = m.env.RegionDefault
	}
	if _, ok := assets.RegionByISO(region); !ok || region == "" {
		region = "US"
	}
	kb := a.Keyboard
	if r, ok := assets.RegionByISO(region); ok && kb == "" {
		kb = r.Keyboard
	}
	skip := ""
	f := &answers.File{Schema: answers.Schema, Language: m.run.Locale(), Region: region, Keyboard: kb, Keyboard2: &skip,
		EULA: "accept", Privacy: map[string]bool{}, User: &answers.User{UPN: reh.UPN}}
	if reh.SSID != "" {
		f.Network = &answers.Network{SSID: reh.SSID, Hidden: reh.Hidden}
	}
	// the references only mark the secrets as given: the replay types the values below
	given := answers.Env("OOBE_TRAINER_REHEARSAL")
	if reh.Key != "" {
		f.Network.KeyFrom = given
	}
	if reh.Password != "" {
		f.User.PasswordFrom = given
	}
	if reh.Code != "" {
		f.MFACodeFrom = given
	}
	if reh.PIN != "" {
		f.PINFrom = given
	}
	return &answers.Script{File: f, Secrets: answers.Secrets{WiFiKey: reh.Key, Password: reh.Password, MFACode: reh.Code, PIN: reh.PIN}}
}

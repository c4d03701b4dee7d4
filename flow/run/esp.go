package run

import (
	"context"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// ESPState is where an Enrollment Status Page step is.
type ESPState int

const (
	// ESPRunning: a phase is running (or about to).
	ESPRunning ESPState = iota
	// ESPFailed: the phase failed or timed out; the error view offers the allowed buttons.
	ESPFailed
	// ESPRestarting: the device restarts during Device setup (or after a hybrid join's
	// Device preparation).
	ESPRestarting
	// ESPSignOut: a hybrid join's Account setup is complete; the ESP waits for Sign out
	// (reference §1.4 step 8).
	ESPSignOut
	// ESPEntraPrompt: a hybrid join's Account setup waits for the Microsoft Entra sign-in
	// prompt (Prompt).
	ESPEntraPrompt
)

// ESP is the controller of an Enrollment Status Page step (reference §3.4–§3.6): the device
// step runs Device preparation then Device setup, the account step Account setup. It follows
// the backend's stream for each phase, times the phase out on the emulated clock, shows
// restarts, and offers the error view's buttons. A restart during Device setup does not
// stop it: the phase goes on, and the Windows sign-in screen comes before Account setup
// (reference §1.7).
type ESP struct {
	r *Run
	// Phases are the phases this step runs, in order.
	Phases []flow.ESPPhase
	cur    int
	// State is where the step is.
	State ESPState
	// TimedOut is true when the failure is the phase's timeout.
	TimedOut bool
	// Err is a backend failure that ended the phase without an ESP error (a broken stream).
	Err *flow.Error
	// LogsPath is the diagnostics bundle written last ("" none); LogsErr why it failed.
	LogsPath string
	// LogsErr is why the last Collect logs failed.
	LogsErr *flow.Error

	// Prompt is the Microsoft Entra prompt of a hybrid join's Account setup, while
	// State is ESPEntraPrompt.
	Prompt *EntraPrompt
	// Lock is the lock screen over Account setup after the user was idle (nil: none).
	Lock *ScreenLock

	lastLogs  time.Time // wall-clock time of the last bundle, one per second at most
	f         *follower
	timer     context.CancelFunc
	idle      context.CancelFunc
	held      bool      // Account setup completed behind the Entra prompt: it ends after Done
	locks     int       // the idle locks so far
	lastInput time.Time // the user's last key or click, on the emulated clock
	// keep is the phase as it was when a restart asked by a person stopped it: its start and
	// attempt count are given back when it resumes (see restart).
	keep *flow.ESPPhaseState
}

// Credentials is the state of a Windows sign-in form: the backend is checking, or the error
// the form shows.
type Credentials struct {
	// Checking is true while the backend checks.
	Checking bool
	// Err is the error shown (CodeOtherUser, wrong password …), nil for none.
	Err *flow.Error
}

// ESPChanged says the ESP moved on: the page reads the status and State.
type ESPChanged struct{}

func newESP(r *Run, phases ...flow.ESPPhase) *ESP {
	e := &ESP{r: r, Phases: phases}
	e.start()
	return e
}

// ESPStep returns the controller of the ESP step on screen (nil on another step).
func (r *Run) ESPStep() *ESP {
	e, _ := r.ctl.(*ESP)
	return e
}

// Phase is the phase running (or that failed).
func (e *ESP) Phase() flow.ESPPhase { return e.Phases[e.cur] }

// Buttons are the error view's buttons the ESP configuration allows (reference §3.6).
func (e *ESP) Buttons() flow.ESPButtons {
	if _, ok := e.JoinFailed(); ok {
		// Windows' own "Something went wrong" page, not the ESP's: Try again only
		return flow.ESPButtons{TryAgain: true}
	}
	return flow.Buttons(e.r.Profile().ESP, e.r.cfg.Windows)
}

// JoinFailed returns the code of a hybrid join that failed in Device preparation (no domain
// controller answers, the connector cannot create the computer object, a pre-assigned user):
// Windows shows it on a full "Something went wrong" page with the code ("80070774"), not as
// an ESP item (reference §1.4, §6). ok is false for any other state.
func (e *ESP) JoinFailed() (code string, ok bool) {
	if e.State != ESPFailed || !e.hybrid() {
		return "", false
	}
	ps, item, failed := e.r.esp.Failed()
	code = strings.TrimPrefix(strings.ToLower(item.Code), "0x")
	if !failed || ps != flow.ESPDevicePreparation || item.ID != string(flow.CategoryJoiningNetwork) || code != flow.HResultDomainUnreachable {
		return "", false
	}
	return code, true
}

// HybridTimeoutExtra is what a Microsoft Entra hybrid join adds to the ESP's timeout: Intune's
// "Set up the Enrollment Status Page", Known issues: "On Hybrid Microsoft Entra Autopilot
// deployments, the ESP takes 40 minutes longer than the value set in the ESP profile", to give
// the connector time to create the device record (reference §1.4, §3.5).
const HybridTimeoutExtra = 40 * time.Minute

// Limit is the phase timeout: the ESP configuration's (60 minutes when not set), plus
// HybridTimeoutExtra on a hybrid join.
func (e *ESP) Limit() time.Duration {
	m := e.r.Profile().ESP.TimeoutMinutes
	if m <= 0 {
		m = 60
	}
	d := time.Duration(m) * time.Minute
	if e.hybrid() {
		d += HybridTimeoutExtra
	}
	return d
}

// hybrid reports whether the profile is a Microsoft Entra hybrid join.
func (e *ESP) hybrid() bool { return e.r.Profile().Join == flow.JoinHybrid }

// ticket is the sign-in the backend provisions for: the last Windows sign-in, else the
// branded sign-in's.
func (r *Run) ticket() flow.Ticket {
	if r.winTicket != "" {
		return r.winTicket
	}
	return r.user.Ticket
}

// start asks the backend for the current phase's stream.
func (e *ESP) start() {
	r := e.r
	p := e.Phase()
	e.State, e.TimedOut, e.Err, e.LogsPath, e.LogsErr = ESPRunning, false, nil, "", nil
	r.log(flow.RecordEvent, flow.EventData{Event: "esp_phase_start", Phase: p})
	e.f.Stop()
	req := flow.ProvisionRequest{Phase: p, Ticket: r.ticket()}
	e.f = r.follow("esp", func(ctx context.Context) (flow.Stream, error) {
		return r.backend.Provision(ctx, req)
	}, e.event, func(err *flow.Error) Outcome {
		if err == nil {
			err = flow.Errorf(flow.CodeProtocol, "the %s stream ended before the phase did", p)
		}
		return e.broken(err)
	})
}

// event applies one event of the phase's stream.
func (e *ESP) event(ev flow.Event) Outcome {
	r := e.r
	if ev.ESPPhase() != e.Phase() {
		return e.broken(flow.Errorf(flow.CodeProtocol, "an event of phase %q in the %s stream", ev.Phase, e.Phase()))
	}
	r.esp.Apply(ev)
	r.logProgress(ev)
	switch ev.Kind {
	case flow.EventESPPhaseStart:
		e.keepClock()
		e.arm()
		if ev.ESPPhase() == flow.ESPAccountSetup && r.esp.Phase(flow.ESPAccountSetup).Attempts <= 1 {
			e.armPrompt()
			e.armIdle()
		}
	case flow.EventESPReboot:
		e.State = ESPRestarting
		r.log(flow.RecordEvent, flow.EventData{Event: "restart", Phase: e.Phase()})
	case flow.EventESPResumed:
		e.resumed()
	case flow.EventESPPhaseDone:
		e.f.Stop()
		e.disarm()
		e.stopIdle()
		if ev.State == flow.ItemFailed {
			return e.failed()
		}
		return e.completed()
	}
	return &ESPChanged{}
}

// arm starts the phase's timer (reference §3.5: Device preparation and Device setup share
// one, Account setup has its own).
func (e *ESP) arm() {
	r := e.r
	e.disarm()
	p, limit := e.Phase(), e.Limit()
	deadline, ok := r.esp.Deadline(p, limit)
	if !ok {
		return
	}
	attempt := r.esp.Phase(p).Attempts
	ctx, cancel := context.WithCancel(r.ctx)
	e.timer = cancel
	r.after("esp.timeout", ctx, deadline.Sub(r.clock.Now()), func() Outcome {
		ps := r.esp.Phase(p)
		if e.State == ESPFailed || e.Phase() != p || !ps.Running() || ps.Attempts != attempt {
			return nil
		}
		return e.timeout()
	})
}

func (e *ESP) disarm() {
	if e.timer != nil {
		e.timer()
		e.timer = nil
	}
}

// timeout fails the running phase: "Setup is taking longer than expected" with the custom
// or default message; its work stops.
func (e *ESP) timeout() Outcome {
	r := e.r
	p := e.Phase()
	e.f.Stop()
	e.stopIdle()
	r.esp.Apply(flow.Event{Kind: flow.EventESPPhaseDone, Phase: string(p), State: flow.ItemFailed, At: e.endTime()})
	e.TimedOut = true
	r.log(flow.RecordError, flow.ErrorData{Error: "esp_timeout", Phase: p})
	e.State = ESPFailed
	return &ESPChanged{}
}

// endTime is when the run ends the running phase itself: now on the run's clock, but never
// before the phase started (a remote backend stamps its events on a clock of its own, which
// may be ahead of the run's).
func (e *ESP) endTime() time.Time {
	now := e.r.clock.Now()
	if started := e.r.esp.Phase(e.Phase()).Started; now.Before(started) {
		return started
	}
	return now
}

// failed shows the error view for a phase the backend failed.
func (e *ESP) failed() Outcome {
	r := e.r
	_, item, _ := r.esp.Failed()
	r.log(flow.RecordError, flow.ErrorData{Error: "esp_failed", Phase: e.Phase(), Item: item.Name, Code: item.Code})
	e.State = ESPFailed
	return &ESPChanged{}
}

// broken fails the phase because the backend's stream broke (a dead or lying backend).
func (e *ESP) broken(err *flow.Error) Outcome {
	r := e.r
	e.f.Stop()
	e.disarm()
	p := e.Phase()
	if r.esp.Phase(p).Running() {
		r.esp.Apply(flow.Event{Kind: flow.EventESPPhaseDone, Phase: string(p), State: flow.ItemFailed, At: e.endTime()})
	}
	e.Err = err
	r.log(flow.RecordError, flow.ErrorData{Error: string(err.Code), Phase: p, Detail: err.Detail})
	e.State = ESPFailed
	return &ESPChanged{}
}

// completed records the phase's time and moves on: the next phase, the sign-out of a hybrid
// join, or the next step (once the restart and sign-in are over).
func (e *ESP) completed() Outcome {
	r := e.r
	p := e.Phase()
	if e.hybrid() && p == flow.ESPAccountSetup && !r.entraDone && !e.held {
		// the Entra prompt comes before Account setup can end (Deploy the device, step 8);
		// when it is up already (the last item finished behind it), its Done ends the phase
		e.held = true
		if e.State == ESPEntraPrompt {
			return &ESPChanged{}
		}
		return e.showPrompt()
	}
	ps := r.esp.Phase(p)
	if !ps.Started.IsZero() && !ps.Ended.IsZero() {
		r.times = append(r.times, PhaseTime{Phase: p, D: ps.Ended.Sub(ps.Started)})
	}
	if e.cur+1 < len(e.Phases) {
		e.cur++
		e.start()
		return &ESPChanged{}
	}
	if e.State == ESPRestarting {
		e.resumed() // a stream that ended without saying the device was back
	}
	switch {
	case e.hybrid() && p == flow.ESPAccountSetup:
		e.State = ESPSignOut
		r.log(flow.RecordEvent, flow.EventData{Event: "esp_complete_sign_out", Phase: p})
	default:
		if r.signInAgain && !e.hybrid() && p == flow.ESPDeviceSetup && r.session.InsertNext(flow.StepWindowsSignIn, flow.StepFSIA) {
			// the restart signed the user out: the Windows sign-in comes before Account setup
			r.log(flow.RecordPlan, flow.PlanData{Steps: r.session.Steps(), Reason: "restarted: the user signs in again"})
		}
		r.advance()
		return nil
	}
	return &ESPChanged{}
}

// resumed is the device back after a restart during the phase: the ESP goes on by itself (no
// one is needed for Device setup), and the user will have to sign in to Windows again.
func (e *ESP) resumed() {
	if e.State != ESPRestarting {
		return
	}
	e.State = ESPRunning
	e.r.signInAgain = true
	e.r.log(flow.RecordEvent, flow.EventData{Event: "resumed_after_restart", Phase: e.Phase()})
}

// in checks that this ESP step is on screen in state st.
func (e *ESP) in(st ESPState) error {
	if err := e.r.at(e.r.Step()); err != nil {
		return err
	}
	if e.r.ESPStep() != e {
		return ErrWrongStep
	}
	if e.State != st {
		return ErrNotReady
	}
	return nil
}

func (e *ESP) press(button string) { e.r.log(flow.RecordButton, flow.ButtonData{Button: button}) }

// TryAgain restarts tracking of the failed phase.
func (e *ESP) TryAgain() error {
	if err := e.in(ESPFailed); err != nil {
		return err
	}
	if !e.Buttons().TryAgain {
		return ErrNotReady
	}
	e.press("retry")
	e.start()
	return nil
}

// ResetDevice wipes the device and starts OOBE again (the scenario replays, failures
// included).
func (e *ESP) ResetDevice() error {
	if err := e.in(ESPFailed); err != nil {
		return err
	}
	if !e.Buttons().Reset {
		return ErrNotReady
	}
	e.press("reset")
	e.r.Restart("reset")
	return nil
}

// ContinueAnyway leaves the ESP after a failure; the rest installs in the background. The
// failed phase's time up to now counts, marked as continued.
func (e *ESP) ContinueAnyway() error {
	if err := e.in(ESPFailed); err != nil {
		return err
	}
	if !e.Buttons().Continue {
		return ErrNotReady
	}
	r := e.r
	e.press("continue")
	ps := r.esp.Phase(e.Phase())
	if !ps.Started.IsZero() {
		end := ps.Ended
		if end.IsZero() {
			end = r.clock.Now()
		}
		r.times = append(r.times, PhaseTime{Phase: e.Phase(), D: end.Sub(ps.Started), Continued: true})
	}
	r.log(flow.RecordEvent, flow.EventData{Event: "continue_anyway", Phase: e.Phase()})
	r.advance()
	return nil
}

// RecordDiagnostics records the diagnostics page being opened or closed (open false).
func (e *ESP) RecordDiagnostics(open bool) {
	if e.r.ESPStep() != e || !e.Buttons().Diagnostics {
		return
	}
	if open {
		e.press("diagnostics")
	} else {
		e.press("diag_close")
	}
}

// SignOut leaves a hybrid join's completed ESP.
func (e *ESP) SignOut() error {
	if err := e.in(ESPSignOut); err != nil {
		return err
	}
	e.press("sign_out")
	e.r.log(flow.RecordEvent, flow.EventData{Event: "signed_out"})
	e.r.signOutHybrid()
	e.r.advance()
	return nil
}

// checkCredentials signs c in on a Windows sign-in screen and calls done with the result:
// err set when the backend refused, or CodeOtherUser when someone else than the user who
// set the device up signed in.
func (r *Run) checkCredentials(name string, c flow.Credentials, done func(flow.SignInResult, *flow.Error) Outcome) {
	want := r.user.UPN
	r.task(name, r.ctx, func(ctx context.Context) func() Outcome {
		res, err := r.backend.SignIn(ctx, c)
		return func() Outcome {
			if err != nil {
				return done(res, flow.AsError(err))
			}
			if want != "" && !equalFold(res.UPN, want) {
				return done(res, &flow.Error{Code: CodeOtherUser, Detail: res.UPN})
			}
			r.used.Password = true
			r.winTicket = res.Ticket
			return done(res, nil)
		}
	})
}

package run

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// RestartTime is how long the device takes to restart (or to start after it was turned
// off) on the emulated clock, before the backend reports it booted.
const RestartTime = 20 * time.Second

// power is the run's state of a restart or shutdown asked by a person (the Shift+F10
// console's shutdown, a trainer's "restart now"), as opposed to the restarts the backend
// streams (the zero-day update, an app during Device setup).
type power struct {
	// restarting is true from the restart until the device booted again.
	restarting bool
	// cycles counts the restarts and power-ons: a console opened before one is closed by it.
	cycles int
	// net is the adapters' configuration as the backend last reported it.
	net *flow.NetConfig
	// vpn are the VPN connections the device reported at its last (re)boot.
	vpn []flow.VPNConnection
}

// Restarting reports whether the device is restarting after RestartDevice (or starting
// after PowerOn): the screen shows the restart until the step comes back.
func (r *Run) Restarting() bool { return r.pw.restarting }

// PowerCycles counts the restarts and power-ons the run went through since it started;
// what was open on the screen (the command prompt) closes with each.
func (r *Run) PowerCycles() int { return r.pw.cycles }

// NetConfig is the device's network configuration as the backend last reported it (at
// power-on, after joining a network); the zero value when the backend did not say.
func (r *Run) NetConfig() flow.NetConfig {
	if r.pw.net == nil {
		return flow.NetConfig{}
	}
	return *r.pw.net
}

// setNet keeps the backend's latest network configuration.
func (r *Run) setNet(c *flow.NetConfig) {
	if c != nil {
		cc := *c
		cc.Adapters = slices.Clone(c.Adapters)
		r.pw.net = &cc
	}
}

// Online reports whether the device reaches the internet: the cable at power-on, or the
// network joined (and, with no configuration from the backend, what the answers say).
func (r *Run) Online() bool {
	if r.pw.net != nil {
		return r.pw.net.Online()
	}
	return r.boot.Boot.Wired || r.Answers().Network != ""
}

// VPNConnections are the VPN connections configured on the device for all users.
func (r *Run) VPNConnections() []flow.VPNConnection { return slices.Clone(r.pw.vpn) }

// CommandPromptBlocked reports whether the image blocks the Shift+F10 command prompt
// (DisableCMDRequest.TAG, reference §1.8).
func (r *Run) CommandPromptBlocked() bool { return r.boot.CommandPromptBlocked }

// RestartDevice restarts the device now, as `shutdown /r /t 0` at the Shift+F10 prompt or
// the power button does; source names who asked ("console", "trainer") for the record.
// The screen shows the restart (Restarting) for RestartTime, the backend boots the device
// again (Backend.Boot without Reset) and OOBE resumes where Windows resumes it:
//
//   - before the user's sign-in finished (language … sign-in): OOBE starts again from its
//     first page and the profile is downloaded again (reference §1.1: "again after every
//     reboot"; §1.2: a stale profile is picked up by restarting with Shift+F10 and
//     `shutdown /r /t 0`). The language, region and keyboards stay chosen (the pages come
//     again with them selected), and the Wi-Fi network joined with Connect automatically is
//     joined again; the license terms and the sign-in are asked again.
//   - during the device ESP (Device preparation, Device setup): the phase resumes where it
//     was, on the same timer (§3.5), and the user signs in to Windows again before Account
//     setup (§1.7).
//   - after it (privacy … Windows Hello): the Windows sign-in screen comes first (§1.7),
//     then the step that was on screen.
//
// ErrEnded on the desktop or after the run ended; ErrNotReady while the device is already
// restarting or not booted.
func (r *Run) RestartDevice(source string) error {
	if r.session == nil || !r.booted || r.pw.restarting {
		return ErrNotReady
	}
	if r.ended != "" {
		return ErrEnded
	}
	r.log(flow.RecordEvent, flow.EventData{Event: "device_restart", Detail: source})
	if e := r.ESPStep(); e != nil && r.session.Current() == flow.StepESPDevice {
		e.restart()
		return nil
	}
	r.reboot(r.resume)
	return nil
}

// reboot shows the restart, waits RestartTime on the clock, boots the device and calls
// then with what it reported.
func (r *Run) reboot(then func(flow.BootInfo)) {
	r.cancel()
	r.gen++ // the step's work is over: its results are dropped
	r.ctx, r.cancel = context.WithCancel(r.life)
	r.ctl = nil
	r.booted, r.pw.restarting = false, true
	r.pw.cycles++
	gen := r.gen
	r.task("restart", r.ctx, func(ctx context.Context) func() Outcome {
		err := r.clock.Sleep(ctx, RestartTime)
		var info flow.BootInfo
		if err == nil {
			info, err = r.backend.Boot(ctx)
		}
		return func() Outcome {
			if gen != r.gen {
				return nil
			}
			r.pw.restarting = false
			if err != nil {
				return &BootFailed{Err: flow.AsError(err)}
			}
			then(info)
			return &Booted{}
		}
	})
}

// resume puts the session back where Windows resumes after a restart (see RestartDevice).
func (r *Run) resume(info flow.BootInfo) {
	r.booted = true
	r.setNet(info.Network)
	r.pw.vpn = slices.Clone(info.VPN)
	step := r.session.Current()
	if beforeSignIn(step) {
		r.startOver(info)
		return
	}
	r.signInAgain = true
	switch {
	case step == flow.StepWindowsSignIn, step == flow.StepESPDevice:
		// the lock screen comes back as it was; the device ESP starts its phases again (after
		// PowerOn) and the sign-in comes before Account setup
	case step == flow.StepPrivacy:
		if r.Profile().Join != flow.JoinHybrid {
			r.session.InsertNext(flow.StepWindowsSignIn, flow.StepFSIA)
		}
	default:
		r.session.InsertHere(flow.StepWindowsSignIn)
	}
	r.log(flow.RecordEvent, flow.EventData{Event: "resumed_after_restart"})
	r.log(flow.RecordPlan, flow.PlanData{Steps: r.session.Steps(), Reason: "restarted: the user signs in again"})
	r.enterStep()
}

// beforeSignIn reports whether step comes before the user's sign-in finished.
func beforeSignIn(step flow.StepID) bool {
	switch step {
	case flow.StepLanguage, flow.StepRegion, flow.StepKeyboard, flow.StepKeyboard2,
		flow.StepNetwork, flow.StepUpdates, flow.StepEULA, flow.StepDeviceName, flow.StepSetupChoice, flow.StepSignIn:
		return true
	}
	return false
}

// startOver begins OOBE again from its first page after a restart before the sign-in: the
// profile is downloaded again; what Windows keeps stays.
func (r *Run) startOver(info flow.BootInfo) {
	old := r.session.Answers
	r.newSession(info)
	a := &r.session.Answers
	a.Language, a.Region, a.Keyboard, a.Keyboard2 = old.Language, old.Region, old.Keyboard, old.Keyboard2
	if a.Language == "" {
		a.Language = r.locale
	}
	if w, ok := r.NetConfig().Connected(); ok && w.Kind == flow.AdapterWireless && w.SSID == old.Network && w.Internet {
		a.Network, a.ConnectAutomatically = old.Network, old.ConnectAutomatically
	}
	r.user, r.winUser, r.winTicket, r.signInAgain = User{}, "", "", false
	r.esp = flow.NewESPStatus()
	r.log(flow.RecordEvent, flow.EventData{Event: "resumed_after_restart", Detail: "oobe starts again"})
	r.log(flow.RecordPlan, flow.PlanData{Steps: r.session.Steps(), Reason: "restarted: OOBE starts again"})
	r.enterStep()
}

// restart is the device restarting on an ESP step now: the phase's stream stops, the
// screen shows the restart, and once the device is back the phase resumes on its timer.
func (e *ESP) restart() {
	r := e.r
	e.f.Stop()
	p := e.Phase()
	ps := r.esp.Phase(p)
	wasRunning := ps.Running()
	e.State = ESPRestarting
	r.pw.restarting = true
	r.pw.cycles++
	r.log(flow.RecordEvent, flow.EventData{Event: "restart", Phase: p})
	gen := r.gen
	r.task("restart", r.ctx, func(ctx context.Context) func() Outcome {
		err := r.clock.Sleep(ctx, RestartTime)
		var info flow.BootInfo
		if err == nil {
			info, err = r.backend.Boot(ctx)
		}
		return func() Outcome {
			if gen != r.gen || r.ESPStep() != e || e.State != ESPRestarting {
				return nil
			}
			r.pw.restarting = false
			if err != nil {
				return e.broken(flow.AsError(err))
			}
			r.setNet(info.Network)
			r.pw.vpn = slices.Clone(info.VPN)
			e.resumed()
			e.start()
			if wasRunning {
				e.keep = &ps // the resumed phase keeps its start and attempt (reference §3.5)
			}
			return &ESPChanged{}
		}
	})
}

// keepClock gives a phase resumed after a restart back its first start and attempt count,
// so its timer runs on (reference §3.5: reboots don't reset the timer).
func (e *ESP) keepClock() {
	if e.keep == nil {
		return
	}
	for i := range e.r.esp.Phases {
		if ps := &e.r.esp.Phases[i]; ps.Phase == e.keep.Phase {
			ps.Started, ps.Attempts = e.keep.Started, e.keep.Attempts
		}
	}
	e.keep = nil
}

// Shutdown turns the device off, as `shutdown /s /t 0` does: the run ends (outcome
// "shutdown", the answers saved) and nothing goes on until PowerOn; source names who asked.
func (r *Run) Shutdown(source string) error {
	if r.session == nil || !r.booted || r.pw.restarting {
		return ErrNotReady
	}
	if r.ended != "" {
		return ErrEnded
	}
	r.cancel()
	r.gen++
	r.ctx, r.cancel = context.WithCancel(r.life)
	r.ctl = nil
	r.booted = false
	r.end("shutdown", source)
	return nil
}

// Off reports whether the device was turned off (Shutdown) and waits for PowerOn.
func (r *Run) Off() bool { return r.ended == "shutdown" && !r.pw.restarting }

// PowerOn turns the device on again after Shutdown: a fresh run on the same device (the
// next run id, a start line), which the backend boots without a wipe; OOBE resumes as after
// a restart (RestartDevice), except that an ESP step starts its phases again.
func (r *Run) PowerOn() error {
	if !r.Off() {
		return ErrNotReady
	}
	r.runs++
	r.id = fmt.Sprintf("%s.%d", r.baseID, r.runs)
	r.seq, r.ended, r.saved = 0, "", false
	r.log(flow.RecordStart, flow.StartData{
		Locale: r.locale, Windows: r.cfg.Windows, Frontend: r.cfg.Frontend, Steps: r.session.Steps(),
		Wired: r.boot.Boot.Wired, ProfileKnown: r.boot.Boot.ProfileKnown, Serial: r.boot.Serial,
	})
	r.reboot(r.resume)
	return nil
}

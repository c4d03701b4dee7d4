package ui

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// focusFault moves the trainer panel's focus to the fault named name.
func focusFault(t *testing.T, d *driver, name string) {
	t.Helper()
	o, ok := d.m.overlay.(*trainerOverlay)
	if !ok {
		t.Fatalf("the trainer panel is not open:\n%s", d.text())
	}
	d.settle(o.t.Listed)
	i := slices.IndexFunc(o.t.Faults(), func(f flow.FaultInfo) bool { return f.Name == name })
	if i < 0 {
		t.Fatalf("no fault %s in the panel", name)
	}
	focusRow(d, rowFaults+i)
}

// focusRow moves the open trainer panel's focus to row (rowClock, rowJump, …) with key
// presses only: no time passes while the trainer chooses.
func focusRow(d *driver, row int) {
	d.key("home")
	for range row {
		d.key("down")
	}
}

// TestTrainerPanelOnlyWithTrainer (issue 10): a normal user never sees the panel: F9 does
// nothing and the help line does not name it; with --trainer the help line offers it and F9
// opens it on any page, F9 or Esc closes it.
func TestTrainerPanelOnlyWithTrainer(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30})
	d.press("f9")
	d.seesNot("Trainer panel", "f9")
	d.press("f1")
	d.seesNot("trainer panel")

	d = newDriver(t, setup{w: 100, h: 30, trainer: true})
	d.sees("f9 trainer panel")
	d.press("f9")
	d.sees("Trainer panel", "Clock", "running", "Jump to", "Network", "Restart", "On screen: language", "no-internet", "OOBEIDPS")
	d.press("esc")
	d.seesNot("Trainer panel")
	if d.m.Step() != flow.StepLanguage {
		t.Errorf("Esc closing the panel went on to %s", d.m.Step())
	}
	d.press("f9", "f9")
	d.seesNot("Trainer panel")
}

// TestTrainerInjectsAFaultDuringDeviceSetup (issue 10, the trainer panel: inject any fault
// now): during Device setup the trainer turns app-failure on; the ESP fails with 0x81036502
// at its place; turned off again, Try again completes Device setup. Both uses are recorded.
func TestTrainerInjectsAFaultDuringDeviceSetup(t *testing.T) {
	rec := &bytes.Buffer{}
	d := newDriver(t, setup{w: 100, h: 30, trainer: true, rec: rec})
	toSignIn(t, d)
	signIn(d, testUPN, "Contrail#2026")
	d.on(flow.StepESPDevice)
	d.settle(func() bool { return d.r.ESPStep().Phase() == flow.ESPDeviceSetup })
	d.key("f9")
	focusFault(t, d, "app-failure")
	d.sees("a required app fails to install", "where: Enrollment Status Page: Device setup, Apps")
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "[✓] app-failure") })
	d.settle(func() bool { return d.r.ESPStep().State == run.ESPFailed })
	d.waitFor("0x81036502") // the ESP fails under the open panel
	d.key("esc")
	d.sees("0x81036502", "Try again")
	d.key("f9")
	focusFault(t, d, "app-failure")
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "[ ] app-failure") })
	d.key("f9")
	d.pressButton("retry")
	d.on(flow.StepPrivacy)
	var lines []string
	for _, l := range strings.Split(recorded(rec).String(), "\n") {
		if strings.Contains(l, `"kind":"trainer"`) {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 || !strings.Contains(lines[0], `"fault":"app-failure","on":true`) || !strings.Contains(lines[1], `"on":false`) ||
		!strings.Contains(lines[0], `"step":"esp-device"`) {
		t.Errorf("trainer lines:\n%s", strings.Join(lines, "\n"))
	}
}

// TestTrainerSchedulesAFaultAtALaterStep (issue 10: inject a fault at a chosen later step):
// on the network page the trainer picks "at signin" for unlicensed; the panel says so, the
// fault is off until then, and the enrollment fails with 80180018 after the sign-in.
func TestTrainerSchedulesAFaultAtALaterStep(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30, trainer: true})
	d.press("enter", "enter", "enter", "enter")
	d.on(flow.StepNetwork)
	d.key("f9")
	focusFault(t, d, "unlicensed")
	d.sees("< now >")
	for range 10 {
		if strings.Contains(d.text(), "< at signin >") {
			break
		}
		d.key("right")
	}
	d.sees("< at signin >")
	d.key("enter")
	d.key("up")
	d.sees("on at signin")
	d.key("f9")
	d.press("enter", "enter") // region's Next was taken by the panel: the network page
	tr := d.r.Trainer()
	if s := tr.Scheduled(); len(s) != 1 || s[0] != (flow.ScheduledFault{Name: "unlicensed", At: flow.StepSignIn}) {
		t.Fatalf("scheduled %v", s)
	}
	d.typeText("Runway-2026!")
	d.press("enter", "enter")
	d.on(flow.StepEULA)
	d.press("enter")
	signIn(d, testUPN, "Contrail#2026")
	d.waitFor("80180018")
	if s := d.r.SignIn(); s.State != run.SignEnrollError {
		t.Errorf("sign-in state %d, want the enrollment error", s.State)
	}
}

// TestTrainerPausesTheClock (issue 10: pause and resume the emulated clock): while paused,
// the ESP's installs wait however long the program idles; resumed, Device setup goes on.
func TestTrainerPausesTheClock(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30, trainer: true})
	toSignIn(t, d)
	signIn(d, testUPN, "Contrail#2026")
	d.on(flow.StepESPDevice)
	d.settle(func() bool { return d.r.ESPStep().Phase() == flow.ESPDeviceSetup })
	d.key("f9")
	d.key("enter") // the clock row has the focus
	d.sees("paused: the device and the cloud wait")
	before := d.clock.Now()
	// the driver lets go of the clock as it does while it waits for a message: an unpaused
	// virtual clock would jump to the next install's end at once
	flow.Release(d.clock)
	flow.Hold(d.clock)
	if now := d.clock.Now(); !now.Equal(before) {
		t.Fatalf("the paused clock moved %v", now.Sub(before))
	}
	d.key("enter")
	d.sees("running")
	d.on(flow.StepPrivacy)
	d.sees("Trainer panel", "On screen: privacy") // it stays open while the run goes on
	if !d.clock.Now().After(before) {
		t.Error("the clock did not move after Resume")
	}
}

// jumpTo opens the panel (when closed), picks step on its jump row and presses Enter.
func jumpTo(t *testing.T, d *driver, s flow.StepID) {
	t.Helper()
	if _, open := d.m.overlay.(*trainerOverlay); !open {
		d.key("f9")
	}
	focusRow(d, rowJump)
	for range len(d.r.Steps()) + 1 {
		if strings.Contains(d.text(), "< "+string(s)+" >") {
			break
		}
		d.key("right")
	}
	d.sees("< " + string(s) + " >")
	d.key("enter")
}

// TestTrainerJumpsToAStep (issue 10: jump to any step with a consistent session state): from
// the first page the trainer jumps to privacy: the run has joined the practice network,
// accepted the license, signed in and been through Device preparation and setup on the way,
// as a person would have; a jump back to the network page starts a fresh run (Reset device)
// and stops there with the first pages answered. Each jump is recorded with its arrival.
func TestTrainerJumpsToAStep(t *testing.T) {
	rec := &bytes.Buffer{}
	d := newDriver(t, setup{w: 100, h: 30, trainer: true, rec: rec})
	jumpTo(t, d, flow.StepPrivacy)
	d.on(flow.StepPrivacy)
	d.idle()
	a := d.r.Answers()
	if a.Network != "Larkspur-Corp" || !a.EULAAccepted || a.UPN != testUPN || a.Region != "US" {
		t.Errorf("answers on arrival %+v", a)
	}
	if ps, _, failed := d.r.ESP().Failed(); failed {
		t.Errorf("the ESP failed in %s on the way", ps)
	}
	d.sees("Trainer panel", "On screen: privacy")
	d.seesNot("on the way")
	jumpTo(t, d, flow.StepNetwork)
	d.on(flow.StepNetwork)
	d.idle()
	if d.m.Step() != flow.StepNetwork || d.r.Answers().UPN != "" || d.r.Answers().Region != "US" {
		t.Errorf("after the jump back: on %s with %+v", d.m.Step(), d.r.Answers())
	}
	var got []string
	for _, l := range strings.Split(recorded(rec).String(), "\n") {
		if strings.Contains(l, `"kind":"trainer"`) {
			got = append(got, l)
		}
	}
	want := []string{`"action":"jump","at":"privacy"`, `"action":"jumped","at":"privacy"`, `"action":"jump","at":"network"`, `"action":"jumped","at":"network"`}
	if len(got) != len(want) {
		t.Fatalf("trainer lines:\n%s", strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) {
			t.Errorf("line %d %s, want %s", i, got[i], w)
		}
	}
	for _, secret := range []string{"Runway-2026!", "Contrail#2026"} {
		if strings.Contains(rec.String(), secret) {
			t.Errorf("the record holds %q", secret)
		}
	}
}

// TestTrainerJumpStopsAtAFault: with app-failure on, a jump to privacy stops where the fault
// appears, Device setup's error, at the normal speed, and says so in the record.
func TestTrainerJumpStopsAtAFault(t *testing.T) {
	rec := &bytes.Buffer{}
	d := newDriver(t, setup{w: 100, h: 30, trainer: true, rec: rec})
	d.key("f9")
	focusFault(t, d, "app-failure")
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "[✓] app-failure") })
	jumpTo(t, d, flow.StepPrivacy)
	d.waitFor("0x81036502")
	d.idle()
	if d.m.Step() != flow.StepESPDevice || d.m.jump != nil {
		t.Errorf("on %s, jump %+v", d.m.Step(), d.m.jump)
	}
	if !strings.Contains(recorded(rec).String(), `"action":"jump_stopped","at":"privacy","error":"the Enrollment Status Page failed"`) {
		t.Errorf("no jump_stopped line:\n%s", rec.String())
	}
}

// TestTrainerDropsAndRestoresTheNetwork (issue 10: drop and restore the network): the panel's
// network row drops the internet during the sign-in: the page waits on "Checking…" however
// long; restored, the sign-in goes on.
func TestTrainerDropsAndRestoresTheNetwork(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30, trainer: true})
	toSignIn(t, d)
	d.key("f9")
	d.settle(d.r.Trainer().Listed)
	focusRow(d, rowNetwork)
	d.sees("Network", "connected (enter drops the internet)")
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "internet lost") })
	d.key("esc")
	d.typeText(testUPN)
	d.key("enter")
	before := d.clock.Now()
	// a result comes back only once the network does: the clock runs on while the call waits
	flow.Release(d.clock)
	flow.Hold(d.clock)
	d.sees("Signing in")
	if d.r.SignIn().State != run.SignCheckingUser {
		t.Fatalf("sign-in state %d while offline", d.r.SignIn().State)
	}
	d.key("f9")
	d.key("enter") // the network row keeps the focus
	d.settle(func() bool { return d.r.SignIn().State == run.SignPassword })
	if !d.clock.Now().After(before) {
		t.Error("no time passed offline")
	}
}

// TestTrainerInjectsDCUnreachableDuringDevicePreparation (issue 10's done-when, first half):
// on a hybrid join the trainer opens the panel during Device preparation and turns
// dc-unreachable on; the domain join fails where Windows shows it, the full "Something went
// wrong" page with 80070774; with the fault off again, Try again joins the domain.
func TestTrainerInjectsDCUnreachableDuringDevicePreparation(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30, trainer: true, tweak: hybridTweak(true)})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.on(flow.StepESPDevice)
	d.sees("Device preparation")
	d.key("f9")
	focusFault(t, d, "dc-unreachable")
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "[✓] dc-unreachable") })
	d.key("esc")
	d.waitFor("80070774")
	d.sees("Something went wrong", "Try again")
	d.key("f9")
	focusFault(t, d, "dc-unreachable")
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "[ ] dc-unreachable") })
	d.key("esc")
	d.pressButton("retry")
	d.settle(func() bool { return d.r.ESP().Phase(flow.ESPDevicePreparation).State == flow.ItemComplete })
}

// TestTrainerForcesARestartDuringDeviceSetup (issue 10: force a restart now): the panel's
// restart row restarts the device during Device setup, as shutdown /r /t 0 does: the
// restart screen, the ESP resumed, and the Windows sign-in before Account setup (§1.7).
func TestTrainerForcesARestartDuringDeviceSetup(t *testing.T) {
	rec := &bytes.Buffer{}
	d := newDriver(t, setup{w: 100, h: 30, trainer: true, rec: rec})
	toSignIn(t, d)
	signIn(d, testUPN, "Contrail#2026")
	d.on(flow.StepESPDevice)
	d.settle(func() bool { return d.r.ESPStep().Phase() == flow.ESPDeviceSetup })
	d.key("f9")
	focusRow(d, rowRestart)
	d.sees("Restart", "enter restarts the device now")
	d.key("enter")
	d.key("esc")
	d.waitFor("Restarting")
	d.on(flow.StepPrivacy) // Device setup resumed after the restart and finished
	if !slices.Contains(d.r.Steps(), flow.StepWindowsSignIn) {
		t.Errorf("no Windows sign-in before Account setup after the restart: %v", d.r.Steps())
	}
	d.key("enter")
	d.on(flow.StepWindowsSignIn)
	if !strings.Contains(recorded(rec).String(), `"event":"device_restart","detail":"trainer"`) {
		t.Errorf("the restart is not recorded:\n%s", rec.String())
	}
}

// TestTrainerDoneWhenHybridDCUnreachableRestartAndRestore (issue 10's done-when, second
// run): on a hybrid join the trainer opens F9 during Device preparation, turns dc-unreachable
// on and the device shows 80070774; Shift+F10 and shutdown /r /t 0 restart it; with the DC
// restored from the panel, the deployment finishes on the desktop.
func TestTrainerDoneWhenHybridDCUnreachableRestartAndRestore(t *testing.T) {
	rec := &bytes.Buffer{}
	d := newDriver(t, setup{w: 100, h: 30, trainer: true, rec: rec, tweak: hybridTweak(true)})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.on(flow.StepESPDevice)
	d.key("f9")
	focusFault(t, d, "dc-unreachable")
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "[✓] dc-unreachable") })
	d.key("f9") // closes the panel
	d.waitFor("80070774")
	d.key("shift+f10")
	d.command("shutdown /r /t 0") // the prompt comes back once the device is back
	d.key("f9")
	focusFault(t, d, "dc-unreachable")
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "[ ] dc-unreachable") })
	d.key("f9")
	for i := 0; d.m.Step() != flow.StepDesktop; i++ {
		if i > 500 {
			t.Fatalf("never reached the desktop; on %s:\n%s", d.m.Step(), d.text())
		}
		w := d.r.WindowsSignIn()
		switch {
		case strings.Contains(d.text(), "80070774"):
			d.pressButton("retry") // the restart came back to the join's error page
		case d.m.Step() == flow.StepPrivacy:
			d.press("tab")
			d.key("enter")
		case d.m.Step() == flow.StepWindowsSignIn && w != nil && !w.Unlocked:
			d.press("enter")
			d.typeText(`LARKSPUR\megan.rivera`)
			d.press("enter")
			d.typeText("Contrail#2026")
			d.key("enter")
		case d.m.Step() == flow.StepESPAccount && espState(d) == run.ESPEntraPrompt && d.r.ESPStep().Prompt.State != run.PromptStaySignedIn:
			d.typeText(flrMegan)
			d.press("enter")
			d.typeText("Contrail#2026")
			d.key("enter")
			d.settle(func() bool { return d.r.ESPStep().Prompt.State == run.PromptStaySignedIn })
			d.press("enter") // OK
			d.key("enter")   // You're all set!: Done
		case d.m.Step() == flow.StepESPAccount && espState(d) == run.ESPSignOut:
			d.press("enter")
		case d.m.Step() == flow.StepHello && (!d.r.Hello().PINPage || d.r.Hello().AllSet):
			d.press("enter")
		case d.m.Step() == flow.StepHello:
			d.typeText("135791")
			d.press("tab")
			d.typeText("135791")
			d.press("enter")
		default:
			if !d.next() {
				t.Fatalf("stuck on %s:\n%s", d.m.Step(), d.text())
			}
		}
	}
	b := recorded(rec).String()
	for _, want := range []string{`"fault":"dc-unreachable","on":true`, `"device_restart","detail":"console"`, `"fault":"dc-unreachable","on":false`, `"outcome":"desktop"`} {
		if !strings.Contains(b, want) {
			t.Errorf("the record lacks %s", want)
		}
	}
}

package run_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// trainerLines are the record's trainer lines.
func trainerLines(h *harness) []flow.RecordLine {
	var out []flow.RecordLine
	for _, l := range h.record() {
		if l.Kind == flow.RecordTrainer {
			out = append(out, l)
		}
	}
	return out
}

// TestFaultScheduledAtAStepTurnsOnThere (issue 10, --fault NAME@STEP): "unlicensed@signin"
// is off on the pages before the sign-in and on from its entry, so the enrollment fails with
// 80180018; turning it off from the panel, Try again enrolls.
func TestFaultScheduledAtAStepTurnsOnThere(t *testing.T) {
	h := newHarness(t, nil, func(c *run.Config) {
		c.Faults = []flow.ScheduledFault{{Name: "unlicensed", At: flow.StepSignIn}}
	})
	tr := h.r.Trainer()
	if tr == nil {
		t.Fatal("the sim offers no trainer side")
	}
	tr.Refresh()
	h.until("the catalogue", tr.Listed)
	for _, f := range tr.Faults() {
		if f.On {
			t.Errorf("%s is on before the sign-in", f.Name)
		}
	}
	if s := tr.Scheduled(); len(s) != 1 || s[0].At != flow.StepSignIn {
		t.Errorf("scheduled %v", s)
	}
	h.toSignIn()
	s := h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
	h.until("the enrollment", func() bool { return s.State == run.SignEnrollError || s.State > run.SignEnrolling })
	if s.State != run.SignEnrollError || s.HResult != "80180018" {
		t.Fatalf("sign-in state %d, code %q; want the enrollment error 80180018", s.State, s.HResult)
	}
	if len(tr.Scheduled()) != 0 {
		t.Errorf("still scheduled: %v", tr.Scheduled())
	}
	tr.SetFault("unlicensed", false)
	h.until("the fault off", func() bool { return len(trainerLines(h)) == 2 })
	h.must("try again", s.RetryEnroll())
	h.on(flow.StepESPDevice)
	lines := trainerLines(h)
	first, second := lines[0].Data.(map[string]any), lines[1].Data.(map[string]any)
	if lines[0].Step != flow.StepSignIn || first["fault"] != "unlicensed" || first["on"] != true || first["at"] != "signin" {
		t.Errorf("the scheduled fault's line: %s %v", lines[0].Step, first)
	}
	if second["on"] != false {
		t.Errorf("the panel's line: %v", second)
	}
}

// TestFaultTurnedOnDuringDeviceSetup (issue 10, the trainer panel: inject a fault now):
// app-failure turned on while Device setup installs fails the app that finishes next with
// 0x81036502; turned off, Try again completes the phase.
func TestFaultTurnedOnDuringDeviceSetup(t *testing.T) {
	h := newHarness(t, nil)
	h.toSignIn()
	h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
	h.on(flow.StepESPDevice)
	e := h.r.ESPStep()
	h.until("Device setup", func() bool { return e.Phase() == flow.ESPDeviceSetup })
	h.r.Trainer().SetFault("app-failure", true)
	h.until("the ESP error", func() bool { return e.State == run.ESPFailed || h.r.Step() != flow.StepESPDevice })
	ps, item, ok := h.r.ESP().Failed()
	if !ok || ps != flow.ESPDeviceSetup || item.Code != "0x81036502" {
		t.Fatalf("failed %v %s %+v, want Device setup with 0x81036502", ok, ps, item)
	}
	h.r.Trainer().SetFault("app-failure", false)
	h.must("try again", e.TryAgain())
	h.on(flow.StepPrivacy)
	if l := trainerLines(h); len(l) != 2 || l[0].Data.(map[string]any)["fault"] != "app-failure" {
		t.Errorf("trainer lines %v", l)
	}
}

// TestUnknownFaultIsRefusedAndSaid: the panel's refusal from the backend is the trainer's
// error and a record line, and the run goes on.
func TestUnknownFaultIsRefusedAndSaid(t *testing.T) {
	h := newHarness(t, nil)
	tr := h.r.Trainer()
	tr.SetFault("no-such-fault", true)
	h.until("the refusal", func() bool { return tr.Err() != nil })
	if tr.Err().Code != flow.CodeBadRequest || !strings.Contains(tr.Err().Detail, "unlicensed") {
		t.Errorf("refusal %v", tr.Err())
	}
	if l := trainerLines(h); len(l) != 1 || l[0].Data.(map[string]any)["error"] == nil {
		t.Errorf("trainer lines %v", l)
	}
}

// TestNetworkLostDuringDeviceSetup (issue 10, the trainer panel: drop and restore the
// network): with the internet dropped during Device setup no install gets on, and the ESP's
// timeout keeps running until it fails the phase; with the network restored, Try again
// completes it.
func TestNetworkLostDuringDeviceSetup(t *testing.T) {
	h := newHarness(t, nil)
	h.toSignIn()
	h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
	h.on(flow.StepESPDevice)
	e := h.r.ESPStep()
	h.until("Device setup", func() bool { return e.Phase() == flow.ESPDeviceSetup })
	done := func() int {
		n := 0
		for _, g := range h.r.ESP().Phase(flow.ESPDeviceSetup).Groups {
			for _, it := range g.Items {
				if it.State == flow.ItemComplete {
					n++
				}
			}
		}
		return n
	}
	h.r.Trainer().SetFault("network-lost", true)
	h.until("the fault on", func() bool { return len(trainerLines(h)) == 1 })
	before, start := done(), h.clock.Now()
	h.until("the ESP timeout", func() bool { return e.State == run.ESPFailed })
	if !e.TimedOut || done() != before {
		t.Fatalf("timed out %v, %d items done (were %d)", e.TimedOut, done(), before)
	}
	if waited := h.clock.Now().Sub(start); waited < 30*time.Minute {
		t.Errorf("the ESP failed after %v offline, want its timeout", waited)
	}
	h.r.Trainer().SetFault("network-lost", false)
	h.until("the fault off", func() bool { return len(trainerLines(h)) == 2 })
	h.must("try again", e.TryAgain())
	h.on(flow.StepPrivacy)
}

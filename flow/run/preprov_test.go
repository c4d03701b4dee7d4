package run_test

import (
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// allowPreProvisioning is a tenant whose profile allows pre-provisioned deployment.
func allowPreProvisioning(w *sim.World) { w.Profile.PreprovisioningAllowed = true }

// toTechnicianESP presses the Windows key five times on the sign-in page, chooses
// pre-provisioning and starts it: the technician's ESP is on screen.
func (h *harness) toTechnicianESP() *run.ESP {
	h.t.Helper()
	r := h.r
	h.toSignIn()
	h.must("Windows key ×5", r.PreProvision())
	h.on(flow.StepPreProvisionChoice)
	h.must("pre-provision", r.Technician().Choose())
	h.on(flow.StepPreProvision)
	h.must("provision", r.Technician().Provision())
	h.on(flow.StepPreProvisionESP)
	return r.ESPStep()
}

// TestPreProvisioningThenUserFlow (reference §1.8, §3.4; Microsoft's technician flow steps 4–9
// and user flow step 5): Windows key ×5 at the sign-in page, the technician's ESP runs Device
// preparation with TPM attestation and Device setup only, the green screen's Reseal shuts the
// device down (the run ends resealed), and powered on again the user signs in and the ESP
// runs Device setup again (already installed: at once) and Account setup, not Device
// preparation, to the desktop.
func TestPreProvisioningThenUserFlow(t *testing.T) {
	h := newHarness(t, allowPreProvisioning)
	r := h.r
	e := h.toTechnicianESP()
	if !e.Technician || len(e.Phases) != 2 || e.Phases[1] != flow.ESPDeviceSetup {
		t.Fatalf("technician ESP phases %v", e.Phases)
	}
	h.until("attestation", func() bool {
		g, _ := r.ESP().Phase(flow.ESPDevicePreparation).Group(flow.CategorySecuringHardware)
		return g.State() == flow.ItemWorking
	})
	start := r.Now()
	h.until("attested", func() bool {
		g, _ := r.ESP().Phase(flow.ESPDevicePreparation).Group(flow.CategorySecuringHardware)
		return g.State() == flow.ItemComplete
	})
	if d := r.Now().Sub(start); d < sim.TPMAttestationDelay*8/10 {
		t.Errorf("TPM attestation took %v of emulated time, want about %v", d, sim.TPMAttestationDelay)
	}
	h.on(flow.StepPreProvisionResult)
	if r.ESP().Phase(flow.ESPDeviceSetup).State != flow.ItemComplete || r.ESP().Phase(flow.ESPAccountSetup).Attempts != 0 {
		t.Errorf("after the technician: %+v", r.ESP().Phases)
	}
	tech := r.Technician()
	if tech.Elapsed() <= sim.TPMAttestationDelay || tech.QRData() == "" {
		t.Errorf("elapsed %v, QR %q", tech.Elapsed(), tech.QRData())
	}
	h.must("reseal", tech.Reseal())
	if r.Ended() != run.OutcomeResealed {
		t.Fatalf("ended %q after Reseal", r.Ended())
	}
	first := r.ID()
	h.must("power on", tech.PowerOn())
	h.until("powered on", func() bool { return r.Started() })
	if !r.Boot().Boot.PreProvisioned || r.ID() == first || r.Step() != flow.StepLanguage {
		t.Fatalf("after power-on: pre-provisioned %v, run %s, step %s", r.Boot().Boot.PreProvisioned, r.ID(), r.Step())
	}
	if r.CanPreProvision() {
		t.Error("a pre-provisioned device offers pre-provisioning again")
	}
	h.toSignIn()
	h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
	h.on(flow.StepESPDevice)
	if e := r.ESPStep(); len(e.Phases) != 1 || e.Phases[0] != flow.ESPDeviceSetup {
		t.Fatalf("user flow device phases %v", e.Phases)
	}
	if r.ESP().Phase(flow.ESPDevicePreparation).State != flow.ItemComplete {
		t.Error("Device preparation does not show complete in the user flow")
	}
	h.on(flow.StepPrivacy)
	h.must("privacy", r.AcceptPrivacy(nil))
	h.on(flow.StepESPAccount)
	h.until("Account setup done", func() bool { return r.Step() != flow.StepESPAccount })
	if r.ESP().Phase(flow.ESPAccountSetup).State != flow.ItemComplete {
		t.Errorf("Account setup %s", r.ESP().Phase(flow.ESPAccountSetup).State)
	}
	lines := h.record()
	if find(lines, flow.RecordEnd, `"resealed"`) < 0 || find(lines, flow.RecordButton, "windows_key_x5") < 0 || find(lines, flow.RecordButton, "reseal") < 0 {
		t.Error("the record lacks Windows key ×5, Reseal or the resealed end")
	}
	if find(lines, flow.RecordEvent, "esp_phase_start", string(flow.ESPDevicePreparation)) < 0 {
		t.Error("no Device preparation in the record")
	}
	var user []flow.RecordLine
	for _, l := range lines {
		if l.Run != first {
			user = append(user, l)
		}
	}
	if find(user, flow.RecordEvent, "esp_phase_start", string(flow.ESPDeviceSetup)) < 0 {
		t.Error("the user flow's record has no Device setup")
	}
	if find(user, flow.RecordEvent, "esp_phase_start", string(flow.ESPDevicePreparation)) >= 0 {
		t.Error("the user flow ran Device preparation again")
	}
}

// TestPreProvisioningNotAllowed (reference §1.10, §6; Microsoft's "Configure Autopilot
// profiles"): with Allow pre-provisioned deployment No, Windows key ×5 still opens the flow,
// and Intune refuses it: the red screen with 0x80180005 on Registering your device; Reset
// wipes the device into a fresh run.
func TestPreProvisioningNotAllowed(t *testing.T) {
	h := newHarness(t, nil)
	r := h.r
	e := h.toTechnicianESP()
	h.until("the red screen", func() bool { return e.State == run.ESPFailed })
	ps, item, ok := r.ESP().Failed()
	if !ok || ps != flow.ESPDevicePreparation || item.ID != string(flow.CategoryRegisteringMDM) || item.Code != sim.CodePreProvisioningNotAllowed {
		t.Fatalf("failed %s %+v, want Registering your device with 0x80180005", ps, item)
	}
	if b := e.Buttons(); !b.TryAgain || !b.Reset || b.Continue {
		t.Errorf("red screen buttons %+v, want Retry and Reset", b)
	}
	h.must("reset", e.ResetDevice())
	h.until("a fresh run", func() bool { return r.Started() && r.Step() == flow.StepLanguage })
	if r.Boot().Boot.PreProvisioned {
		t.Error("a wiped device is pre-provisioned")
	}
}

// TestWindowsKeyWhereItWorks: the presses start pre-provisioning only once the profile is
// known (a device on Wi-Fi at the first page has none: Microsoft requires Ethernet there),
// and Cancel on "What would you like to do?" returns to the page and plan as they were.
func TestWindowsKeyWhereItWorks(t *testing.T) {
	h := newHarness(t, allowPreProvisioning)
	r := h.r
	if r.CanPreProvision() || r.PreProvision() != run.ErrNotReady || r.Step() != flow.StepLanguage {
		t.Fatalf("Windows key ×5 on an offline device: step %s", r.Step())
	}
	h.toSignIn()
	plan := r.Steps()
	h.must("Windows key ×5", r.PreProvision())
	h.on(flow.StepPreProvisionChoice)
	h.must("cancel", r.Technician().Cancel())
	h.on(flow.StepSignIn)
	if strings.Join(stepNames(r.Steps()), ",") != strings.Join(stepNames(plan), ",") {
		t.Errorf("plan after Cancel %v, want %v", r.Steps(), plan)
	}
	if !r.CanPreProvision() {
		t.Error("Windows key ×5 no longer works after Cancel")
	}
}

// TestPreProvisioningRefresh ("Windows Autopilot for pre-provisioned deployment": make the
// changes, then Refresh): Refresh downloads the profile again and stays on the page with the
// technician flow's plan; Next waits for it.
func TestPreProvisioningRefresh(t *testing.T) {
	h := newHarness(t, allowPreProvisioning)
	r := h.r
	h.toSignIn()
	h.must("Windows key ×5", r.PreProvision())
	h.must("pre-provision", r.Technician().Choose())
	h.on(flow.StepPreProvision)
	tech := r.Technician()
	plan := r.Steps()
	h.must("refresh", tech.Refresh())
	if tech.Provision() != run.ErrNotReady {
		t.Error("Next while the profile downloads again")
	}
	h.until("downloaded", func() bool { return !tech.Refreshing })
	if r.Step() != flow.StepPreProvision || strings.Join(stepNames(r.Steps()), ",") != strings.Join(stepNames(plan), ",") || tech.RefreshErr != nil {
		t.Fatalf("after Refresh: on %s, steps %v, error %v", r.Step(), r.Steps(), tech.RefreshErr)
	}
	lines := h.record()
	n := 0
	for i := find(lines, flow.RecordEvent, "profile_downloaded"); i >= 0; {
		n++
		j := find(lines[i+1:], flow.RecordEvent, "profile_downloaded")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if n != 2 || find(lines, flow.RecordButton, `"refresh"`) < 0 {
		t.Errorf("%d profile downloads, want 2 (the second by Refresh)", n)
	}
	h.must("provision", tech.Provision())
	h.on(flow.StepPreProvisionESP)
}

// TestTechnicianRetryAfterTPMFailure: a TPM fault turned off by the trainer, Retry runs Device
// preparation again and the flow reaches the green screen (Microsoft: Retry when the issue
// can be fixed).
func TestTechnicianRetryAfterTPMFailure(t *testing.T) {
	h := newHarness(t, func(w *sim.World) {
		allowPreProvisioning(w)
		w.Scenario.Faults = []string{"tpm-max-retries"}
	})
	r := h.r
	e := h.toTechnicianESP()
	h.until("the red screen", func() bool { return e.State == run.ESPFailed })
	if _, item, _ := r.ESP().Failed(); item.Code != sim.CodeTPMMaxRetries {
		t.Fatalf("failed with %+v", item)
	}
	r.Trainer().SetFault("tpm-max-retries", false)
	h.until("the fault off", func() bool { return find(h.record(), flow.RecordTrainer, "tpm-max-retries") >= 0 })
	h.must("retry", e.TryAgain())
	h.until("the retry", func() bool { return r.Step() != flow.StepPreProvisionESP || e.State == run.ESPFailed })
	if r.Step() != flow.StepPreProvisionResult {
		_, item, _ := r.ESP().Failed()
		t.Fatalf("after Retry: %s, failed %+v (%v)", r.Step(), item, e.Err)
	}
}

func stepNames(s []flow.StepID) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

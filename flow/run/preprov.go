package run

import (
	"context"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// The pre-provisioning technician flow (reference §1.8 Windows key ×5, §1.10, §2.2
// preprovisioningAllowed; Microsoft's "Pre-provision Microsoft Entra join: Technician flow",
// steps 4–9, and "Windows Autopilot for pre-provisioned deployment"). Windows key ×5 on a page
// before the sign-in opens "What would you like to do?"; the pre-provisioning page shows the
// organization, the profile, the assigned user and a QR code of the device; Next (Windows 10:
// Provision) runs the device ESP only (Device preparation with TPM attestation, Device
// setup); success is the green screen whose Reseal shuts the device down, a failure the red
// screen with the code, Retry and Reset. The user flow after power-on runs Device setup again
// and Account setup (Microsoft's "Pre-provision Microsoft Entra join: User flow", step 5).

// OutcomeResealed is how a run ends when the technician pressed Reseal: the device shuts down,
// pre-provisioned, for its user.
const OutcomeResealed = "resealed"

// PreProvisionPresses is how many presses of the Windows key in a row start pre-provisioning.
const PreProvisionPresses = 5

// CanPreProvision reports whether Windows key ×5 starts pre-provisioning now: on the pages
// from the first one to the sign-in page (before the password is checked), once the device is
// online with its Autopilot profile. Microsoft's technician flow presses it at the sign-in
// page after the network (older pages: on the first OOBE screen, with Ethernet, which is
// required: "Windows Autopilot for pre-provisioned deployment", prerequisites). The profile's
// own setting is not checked here: with "Allow pre-provisioned deployment" No the flow still
// starts and Intune refuses it later with 0x80180005 (Microsoft's "Configure Autopilot
// profiles").
func (r *Run) CanPreProvision() bool {
	if r.session == nil || r.ended != "" || r.session.Diverted() || r.device == nil || r.boot.Boot.PreProvisioned {
		return false
	}
	switch r.session.Current() {
	case flow.StepLanguage, flow.StepRegion, flow.StepKeyboard, flow.StepKeyboard2, flow.StepNetwork, flow.StepEULA:
		return true
	case flow.StepSignIn:
		s := r.SignIn()
		return s != nil && (s.State == SignUser || s.State == SignPassword || s.State == SignOrgError)
	}
	return false
}

// PreProvision is Windows key ×5: the plan turns to the technician flow and "What would you
// like to do?" is on screen. ErrNotReady when CanPreProvision is false (the presses are
// recorded all the same).
func (r *Run) PreProvision() error {
	if r.session == nil || r.ended != "" {
		return ErrEnded
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "windows_key_x5"})
	if !r.CanPreProvision() {
		return ErrNotReady
	}
	r.session.Divert(flow.TechnicianSteps...)
	r.log(flow.RecordPlan, flow.PlanData{Steps: r.session.Steps(), Reason: "Windows key ×5: pre-provisioning"})
	r.enterStep()
	return nil
}

// Technician is the controller of the technician flow's pages: the choice, the
// pre-provisioning page and the result screen.
type Technician struct {
	r *Run
	// Resealed is true once Reseal shut the device down.
	Resealed bool
	// Powering is true while the device powers on again for the user flow.
	Powering bool
	// Refreshing is true while Refresh downloads the profile again.
	Refreshing bool
	// RefreshErr is why the last Refresh failed (nil: it did not).
	RefreshErr *flow.Error
}

// TechnicianChanged says a technician page's state changed (the profile was downloaded again).
type TechnicianChanged struct{}

// Refresh downloads the Autopilot profile again on the pre-provisioning page, so changes made
// in Intune meanwhile (an assigned user, the profile) show ("Windows Autopilot for
// pre-provisioned deployment": make the changes, then Refresh).
func (t *Technician) Refresh() error {
	if err := t.r.at(flow.StepPreProvision); err != nil {
		return err
	}
	if t.Refreshing {
		return ErrNotReady
	}
	r := t.r
	r.log(flow.RecordButton, flow.ButtonData{Button: "refresh"})
	t.Refreshing, t.RefreshErr = true, nil
	r.task("profile.refresh", r.ctx, func(ctx context.Context) func() Outcome {
		p, err := r.backend.DownloadProfile(ctx)
		return func() Outcome {
			t.Refreshing = false
			if err != nil {
				t.RefreshErr = flow.AsError(err)
				r.log(flow.RecordError, flow.ErrorData{Error: string(t.RefreshErr.Code), Detail: t.RefreshErr.Detail})
				return &TechnicianChanged{}
			}
			r.setDevice(p) // the diverted plan stays: only the profile changes
			return &TechnicianChanged{}
		}
	})
	return nil
}

func newTechnician(r *Run) *Technician { return &Technician{r: r} }

// Technician returns the controller of the technician flow's page on screen (nil on another
// step, and on its ESP: see ESPStep).
func (r *Run) Technician() *Technician {
	t, _ := r.ctl.(*Technician)
	return t
}

// QRData is what the pre-provisioning page's QR code holds: a unique identifier of the
// device, with which a technician finds it in Intune (the serial number, as Autopilot's
// device records are found by it).
func (t *Technician) QRData() string { return t.r.boot.Serial }

// Elapsed is how long the provisioning took, from Next (Provision) to the result.
func (t *Technician) Elapsed() time.Duration { return t.r.TechnicianElapsed() }

// TechnicianElapsed is how long the technician flow's provisioning has taken, from Next
// (Provision) to the result screen, or until now while it runs; 0 before Next.
func (r *Run) TechnicianElapsed() time.Duration {
	if r.techStart.IsZero() {
		return 0
	}
	end := r.techEnd
	if end.IsZero() {
		end = r.clock.Now()
	}
	return end.Sub(r.techStart)
}

// Choose is "Pre-provision with Windows Autopilot" then Next (Windows 10: "Windows Autopilot
// provisioning" then Continue) on "What would you like to do?".
func (t *Technician) Choose() error {
	if err := t.r.at(flow.StepPreProvisionChoice); err != nil {
		return err
	}
	t.r.log(flow.RecordButton, flow.ButtonData{Button: "preprovision"})
	t.r.advance()
	return nil
}

// Cancel leaves "What would you like to do?" for the page where the Windows key was pressed,
// with the plan as it was.
func (t *Technician) Cancel() error {
	if err := t.r.at(flow.StepPreProvisionChoice); err != nil {
		return err
	}
	r := t.r
	r.log(flow.RecordButton, flow.ButtonData{Button: "cancel"})
	r.session.Undivert()
	r.log(flow.RecordBacktrack, flow.BacktrackData{To: r.session.Current()})
	r.enterStep()
	return nil
}

// Provision is Next (Windows 10: Provision) on the pre-provisioning page: the device ESP
// starts, and the elapsed time with it.
func (t *Technician) Provision() error {
	if err := t.r.at(flow.StepPreProvision); err != nil {
		return err
	}
	if t.Refreshing {
		return ErrNotReady
	}
	r := t.r
	r.log(flow.RecordButton, flow.ButtonData{Button: "provision"})
	r.techStart, r.techEnd = r.clock.Now(), time.Time{}
	r.advance()
	return nil
}

// Reseal is the green screen's Reseal: the device shuts down, ready for its user; the run
// ends as OutcomeResealed. PowerOn starts the user flow.
func (t *Technician) Reseal() error {
	if err := t.r.at(flow.StepPreProvisionResult); err != nil {
		return err
	}
	r := t.r
	r.log(flow.RecordButton, flow.ButtonData{Button: "reseal"})
	r.log(flow.RecordEvent, flow.EventData{Event: "shut_down"})
	t.Resealed = true
	r.end(OutcomeResealed, "")
	return nil
}

// PowerOn turns a resealed device on again: a fresh run on the same device, the user flow of
// pre-provisioning (Boot.PreProvisioned), without a wipe.
func (t *Technician) PowerOn() error {
	r := t.r
	if r.Technician() != t || !t.Resealed || t.Powering {
		return ErrNotReady
	}
	t.Powering = true
	r.booted = false
	r.gen++
	gen := r.gen
	r.cancel()
	r.ctx, r.cancel = context.WithCancel(r.life)
	r.task("power_on", r.ctx, func(ctx context.Context) func() Outcome {
		info, err := r.backend.Boot(ctx)
		return func() Outcome {
			if gen != r.gen {
				return nil
			}
			if err != nil {
				return &BootFailed{Err: flow.AsError(err)}
			}
			r.booted2(info)
			return &Booted{}
		}
	})
	return nil
}

// newTechnicianESP is the ESP of the technician flow: Device preparation and Device setup,
// asked of the backend as pre-provisioning.
func newTechnicianESP(r *Run) *ESP {
	e := &ESP{r: r, Phases: []flow.ESPPhase{flow.ESPDevicePreparation, flow.ESPDeviceSetup}, Technician: true}
	e.start()
	return e
}

// userFlowStatus shows Device preparation complete on a pre-provisioned device: the user
// flow does not run it again (Microsoft's user flow, step 5). Its times are unknown (zero),
// so the device phases' timer starts with Device setup.
func (r *Run) userFlowStatus() {
	p := string(flow.ESPDevicePreparation)
	r.esp.Apply(flow.Event{Kind: flow.EventESPPhaseStart, Phase: p, State: flow.ItemWorking})
	for _, c := range flow.PreparationCategories() {
		r.esp.Apply(flow.Event{Kind: flow.EventESPItem, Phase: p, Category: c, State: flow.ItemComplete})
	}
	r.esp.Apply(flow.Event{Kind: flow.EventESPPhaseDone, Phase: p, State: flow.ItemComplete})
}

// devicePhases are the phases of the device ESP step: Device setup alone in the user flow of
// a pre-provisioned device, else Device preparation and Device setup.
func (r *Run) devicePhases() []flow.ESPPhase {
	if r.boot.Boot.PreProvisioned {
		return []flow.ESPPhase{flow.ESPDeviceSetup}
	}
	return []flow.ESPPhase{flow.ESPDevicePreparation, flow.ESPDeviceSetup}
}

package sim

import (
	"context"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// Emulated durations of the pre-provisioning technician flow (before jitter).
const (
	// TPMAttestationDelay is how long "Securing your hardware" attests the TPM: the device
	// asks its TPM maker's service for an endorsement key certificate and proves it holds the
	// key (Microsoft's "Windows Autopilot self-deploying mode" / networking requirements).
	TPMAttestationDelay = 8 * time.Second
	// TPMTimeoutDelay is how long attestation waits before the generic timeout 0x800705b4.
	TPMTimeoutDelay = 90 * time.Second
	// TPMAttestationRetries is how many times attestation is tried before 0x81039001.
	TPMAttestationRetries = 3
	// DeviceJoinDelay is how long the join with the device token takes.
	DeviceJoinDelay = 3 * time.Second
	// DeviceEnrollDelay is how long the device's own MDM enrollment takes.
	DeviceEnrollDelay = 2 * time.Second
)

// TPM attestation and pre-provisioning codes (reference §6; Microsoft's "Windows Autopilot
// known issues" and "Troubleshoot Autopilot device import and enrollment").
const (
	// CodeTPMTimeout is the generic timeout on "Securing your hardware" (no usable TPM 2.0).
	CodeTPMTimeout = "0x800705b4"
	// CodeTPMMaxRetries is E_AUTOPILOT_CLIENT_TPM_MAX_ATTESTATION_RETRY_EXCEEDED.
	CodeTPMMaxRetries = "0x81039001"
	// CodeTPMAttestation is the Windows 11 attestation failure with no workaround.
	CodeTPMAttestation = "0x81039023"
	// CodeTPMVulnerable is a TPM whose firmware has a known vulnerability.
	CodeTPMVulnerable = "0x81039024"
	// CodeAMDfTPM is the attestation failure of AMD platforms with the ASP firmware TPM.
	CodeAMDfTPM = "0x80070490"
	// CodeTPMNotReady is the device token refused after a failed attestation (the TPM is not
	// ready, or not 2.0): the join with a device token fails.
	CodeTPMNotReady = "0x801c03ea"
	// CodePreProvisioningNotAllowed is Intune refusing pre-provisioning for a profile whose
	// "Allow pre-provisioned deployment" is No (Microsoft's "Configure Autopilot profiles").
	CodePreProvisioningNotAllowed = "0x80180005"
)

// technician streams a phase of the pre-provisioning technician flow (req.PreProvisioning):
// no one has signed in, the device works with its own identity. Only Device preparation and
// Device setup run (Microsoft's technician flow, step 8); Device setup needs the device
// enrolled by its Device preparation.
func (b *Backend) technician(ctx context.Context, phase flow.ESPPhase) (flow.Stream, error) {
	switch phase {
	case flow.ESPDevicePreparation:
	case flow.ESPDeviceSetup:
		b.mu.Lock()
		enrolled := b.techEnrolled
		b.mu.Unlock()
		if !enrolled {
			return nil, flow.Errorf(flow.CodeNotEnrolled, "the technician flow has not enrolled the device: nothing to provision")
		}
	default:
		return nil, flow.Errorf(flow.CodeBadRequest, "the technician flow runs no %s: Account setup is the user's", phase)
	}
	return b.phaseStream(ctx, string(phase), func(e *emitter) {
		if !e.send(flow.Event{Kind: flow.EventESPPhaseStart, State: flow.ItemWorking}) {
			return
		}
		if phase == flow.ESPDevicePreparation {
			b.prepareTechnician(e)
			return
		}
		b.setup(e, phase, "")
		b.mu.Lock()
		b.preProvisioned = b.installedAll(phase)
		b.mu.Unlock()
	}), nil
}

// installedAll reports whether every item of phase p completed (with b.mu held): the
// technician's Device setup succeeded and Reseal leaves a pre-provisioned device.
func (b *Backend) installedAll(p flow.ESPPhase) bool {
	for _, s := range b.plan(p) {
		if !b.installed[p][string(s.cat)+"/"+strings.ToLower(s.id)] {
			return false
		}
	}
	return true
}

// prepareTechnician runs the technician's Device preparation, where every sub-item is real
// work (reference §3.4): "Securing your hardware" attests the TPM (about 8 s; a TPM fault
// fails it with its code after its own wait), "Joining your organization's network" joins
// with the device token (a hybrid profile waits for the offline domain join blob too, with
// no domain controller check: the device is resealed before it needs one, Microsoft's
// "Windows Autopilot for pre-provisioned deployment"), "Registering your device for mobile
// management" enrolls the device — refused with 0x80180005 when the profile does not allow
// pre-provisioning, or with 0x801c03ea for a TPM that is not ready — and "Preparing your
// device for mobile management" works about 5 s. A failed sub-item makes the later ones
// "Previous step failed" and fails the phase.
func (b *Backend) prepareTechnician(e *emitter) {
	send := e.send
	item := func(c flow.ESPCategory, s flow.ItemState) bool {
		return send(flow.Event{Kind: flow.EventESPItem, Category: c, State: s})
	}
	fail := func(c flow.ESPCategory, code string) {
		if !send(flow.Event{Kind: flow.EventESPItem, Category: c, State: flow.ItemFailed, Code: code}) {
			return
		}
		after := false
		for _, rest := range flow.PreparationCategories() {
			if after && !item(rest, flow.ItemPreviousFailed) {
				return
			}
			after = after || rest == c
		}
		send(flow.Event{Kind: flow.EventESPPhaseDone, State: flow.ItemFailed, Category: c, Code: code})
	}
	tpm := strings.ToLower(strings.TrimSpace(b.sc().TPMFailCode))
	if !item(flow.CategorySecuringHardware, flow.ItemWorking) {
		return
	}
	switch tpm {
	case "", CodeTPMNotReady:
		if !e.wait(b.jitter(TPMAttestationDelay)) {
			return
		}
	case CodeTPMTimeout:
		if e.wait(TPMTimeoutDelay) {
			fail(flow.CategorySecuringHardware, tpm)
		}
		return
	case CodeTPMMaxRetries:
		for range TPMAttestationRetries {
			if !e.wait(b.jitter(TPMAttestationDelay)) {
				return
			}
		}
		fail(flow.CategorySecuringHardware, tpm)
		return
	default:
		if e.wait(b.jitter(TPMAttestationDelay)) {
			fail(flow.CategorySecuringHardware, tpm)
		}
		return
	}
	if !item(flow.CategorySecuringHardware, flow.ItemComplete) || !item(flow.CategoryJoiningNetwork, flow.ItemWorking) {
		return
	}
	join := DeviceJoinDelay
	if b.tn().Profile.Join == flow.JoinHybrid {
		join += ODJBlobDelay
	}
	if !e.wait(b.jitter(join)) || !item(flow.CategoryJoiningNetwork, flow.ItemComplete) ||
		!item(flow.CategoryRegisteringMDM, flow.ItemWorking) || !e.wait(b.jitter(DeviceEnrollDelay)) {
		return
	}
	switch {
	case !b.tn().Profile.PreprovisioningAllowed:
		fail(flow.CategoryRegisteringMDM, CodePreProvisioningNotAllowed)
		return
	case tpm == CodeTPMNotReady:
		fail(flow.CategoryRegisteringMDM, tpm)
		return
	}
	b.mu.Lock()
	b.techEnrolled = true
	b.mu.Unlock()
	if !item(flow.CategoryRegisteringMDM, flow.ItemComplete) ||
		!item(flow.CategoryPreparingMDM, flow.ItemWorking) || !e.wait(b.jitter(PreparingMDMDelay)) ||
		!item(flow.CategoryPreparingMDM, flow.ItemComplete) {
		return
	}
	send(flow.Event{Kind: flow.EventESPPhaseDone, State: flow.ItemComplete})
}

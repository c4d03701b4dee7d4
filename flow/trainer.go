package flow

import (
	"context"
	"strings"
)

// FaultInfo is one failure of a backend's catalogue, as a trainer's panel and `oobe faults`
// list it.
type FaultInfo struct {
	// Name is how --fault, a scenario and the panel name it ("unlicensed").
	Name string `json:"name"`
	// Where is the page or ESP item it appears on.
	Where string `json:"where"`
	// Code is Windows' code shown there ("80180018", "0x81036502"); "" when none is shown.
	Code string `json:"code,omitempty"`
	// Description says what it means, in one line.
	Description string `json:"description"`
	// HybridOnly is true for a fault only a Microsoft Entra hybrid join meets.
	HybridOnly bool `json:"hybridOnly,omitempty"`
	// On is true while the fault is in force.
	On bool `json:"on,omitempty"`
}

// Trainer is the optional side of a Backend that a trainer drives during a run (the F9
// panel, --fault NAME@STEP): failures turned on and off on cue. A backend that does not
// implement it offers none of that; the run never requires it.
//
// A fault turned on takes effect at the next call that meets its place (an app fails when
// its install ends, a domain join when the domain controller is checked); what already
// happened stays as it happened. Turning it off restores the world as it was without it.
type Trainer interface {
	// Faults lists the catalogue, in the order a deployment meets the faults, with which
	// are on.
	Faults(ctx context.Context) ([]FaultInfo, error)
	// SetFault turns the fault named name on or off; an unknown name is CodeBadRequest.
	SetFault(ctx context.Context, name string, on bool) error
	// Rehearsal is what a person of the backend's world would type on a practice run (the
	// panel's jump to a step replays it), as the world is without its faults.
	Rehearsal(ctx context.Context) (Rehearsal, error)
}

// Rehearsal is what a person would type on a practice run: the network to join and its key,
// the account and its password (and verification code), a Windows Hello PIN. Its secrets are
// typed into the pages masked, as a person's, and never recorded.
type Rehearsal struct {
	// SSID is the Wi-Fi network to join ("" when the device is wired).
	SSID string `json:"ssid,omitempty"`
	// Hidden is true when the network must be typed by name.
	Hidden bool `json:"hidden,omitempty"`
	// Key is the network security key ("" for an open network).
	// SECRET: crosses a wire only in this field.
	Key string `json:"key,omitempty"`
	// UPN is the account that signs in.
	UPN string `json:"upn"`
	// Password is the account's password.
	// SECRET: crosses a wire only in this field.
	Password string `json:"password,omitempty"`
	// Code is the account's verification code when its MFA asks for one.
	// SECRET: crosses a wire only in this field.
	Code string `json:"code,omitempty"`
	// PIN is a Windows Hello PIN the policy accepts.
	// SECRET: crosses a wire only in this field.
	PIN string `json:"pin,omitempty"`
}

// String never shows the secrets: a rehearsal printed by mistake leaks nothing.
func (r Rehearsal) String() string {
	return "{SSID:" + r.SSID + " UPN:" + r.UPN + " secrets:[hidden]}"
}

// ScheduledFault is a fault that a run turns on when it first enters a step (--fault
// NAME@STEP).
type ScheduledFault struct {
	// Name is the fault's name.
	Name string `json:"name"`
	// At is the step whose entry turns it on.
	At StepID `json:"at"`
}

// ParseFaultSpec splits "NAME@STEP" into its fault name and step (At is "" for a plain
// NAME); the name is lower-cased. A step that is not one of AllSteps is an error.
func ParseFaultSpec(spec string) (ScheduledFault, error) {
	name, at, found := strings.Cut(strings.TrimSpace(spec), "@")
	f := ScheduledFault{Name: strings.ToLower(strings.TrimSpace(name))}
	if f.Name == "" {
		return f, Errorf(CodeBadRequest, "%q names no fault", spec)
	}
	if !found {
		return f, nil
	}
	f.At = StepID(strings.ToLower(strings.TrimSpace(at)))
	for _, s := range AllSteps {
		if s == f.At {
			return f, nil
		}
	}
	names := make([]string, len(AllSteps))
	for i, s := range AllSteps {
		names[i] = string(s)
	}
	return f, Errorf(CodeBadRequest, "%q: no step %q; the steps are %s", spec, f.At, strings.Join(names, ", "))
}

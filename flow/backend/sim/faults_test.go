package sim_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// TestScenarioFaultsAreChecked: a scenario's "faults" must name faults of the catalogue; an
// unknown one is an error at its JSON path.
func TestScenarioFaultsAreChecked(t *testing.T) {
	s := sim.DefaultScenario()
	s.Faults = []string{"unlicensed", "gremlins"}
	err := s.Validate()
	if err == nil || !strings.Contains(err.Error(), `$.faults[1]: no fault named "gremlins"`) || strings.Contains(err.Error(), "faults[0]") {
		t.Errorf("Validate = %v", err)
	}
}

// TestScenarioFaultsMayNameAStep: "NAME@STEP" is a fault turned on at that step; the step
// must be one of the OOBE's.
func TestScenarioFaultsMayNameAStep(t *testing.T) {
	s := sim.DefaultScenario()
	s.Faults = []string{"app-failure@esp-device", "unlicensed@nowhere"}
	err := s.Validate()
	if err == nil || !strings.Contains(err.Error(), `$.faults[1]`) || !strings.Contains(err.Error(), `no step "nowhere"`) || strings.Contains(err.Error(), "faults[0]") {
		t.Errorf("Validate = %v", err)
	}
}

// TestFaultsTurnOnAndOffLive (flow.Trainer): a scenario's fault is on from power-on, the
// panel's is on once set, and turning one off gives back the world without it: the MFA
// answer follows the fault as it is when the user answers.
func TestFaultsTurnOnAndOffLive(t *testing.T) {
	w := testTenant()
	w.Scenario.Faults = []string{"unlicensed", "mfa-denied@signin"}
	b := sim.New(w, sim.Options{Clock: flow.NewVirtualClock(epoch), Seed: 1})
	ctx := context.Background()
	on := func() []string {
		list, err := b.Faults(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range list {
			if f.On {
				out = append(out, f.Name)
			}
		}
		return out
	}
	if got := on(); !slices.Equal(got, []string{"unlicensed"}) {
		t.Errorf("on at power-on: %v (a fault @STEP is the run's to turn on)", got)
	}
	res, err := b.SignIn(ctx, flow.Credentials{UPN: "megan@x.com", Password: "Contrail#2026"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SetFault(ctx, "mfa-denied", true); err != nil {
		t.Fatal(err)
	}
	if got := on(); !slices.Equal(got, []string{"mfa-denied", "unlicensed"}) {
		t.Errorf("on: %v", got)
	}
	if err := b.WaitMFA(ctx, res.Ticket); !errors.Is(err, flow.ErrMFADenied) {
		t.Errorf("WaitMFA with mfa-denied on = %v", err)
	}
	if err := b.SetFault(ctx, "mfa-denied", false); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitMFA(ctx, res.Ticket); err != nil {
		t.Errorf("WaitMFA with mfa-denied off = %v", err)
	}
	if err := b.SetFault(ctx, "gremlins", true); !errors.Is(err, flow.ErrBadRequest) || !strings.Contains(err.Error(), "unlicensed") {
		t.Errorf("an unknown fault: %v", err)
	}
}

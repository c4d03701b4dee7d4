package sim_test

import (
	"slices"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// hybridTenant is the test tenant with a hybrid join profile that checks the domain
// controller; reachable sets the scenario's domain controller (nil: absent).
func hybridTenant(reachable *bool) *sim.World {
	tn := testTenant()
	tn.Profile.Join = flow.JoinHybrid
	tn.Profile.SkipDCCheck = false
	tn.Scenario.DomainController = sim.ScenarioDomainController{Reachable: reachable}
	return tn
}

// runPrep runs Device preparation of tn for its enrolled user and returns its events
// described, the status and how long the phase took.
func runPrep(t *testing.T, tn *sim.World) ([]string, flow.ESPStatus, time.Duration) {
	t.Helper()
	c := flow.NewVirtualClock(epoch)
	b := sim.New(tn, sim.Options{Clock: c})
	enroll(t, b, "megan@x.com", "Contrail#2026")
	start := c.Now()
	st := flow.NewESPStatus()
	evs := describe(provision(t, b, flow.ESPDevicePreparation, &st))
	return evs, st, c.Now().Sub(start)
}

var hybridFailed = []string{
	"start",
	"item:securingHardware=complete", "item:registeringMDM=complete",
	"item:joiningNetwork=working", "item:joiningNetwork=failed(0x80070774)",
	"item:preparingMDM=previousFailed",
	"done:failed(joiningNetwork/ 0x80070774)",
}

// TestProvisionHybridRestarts: a hybrid join waits for the offline domain join blob, checks
// the domain controller and always restarts before the phase ends.
func TestProvisionHybridRestarts(t *testing.T) {
	yes := true
	for _, r := range []*bool{nil, &yes} {
		got, st, took := runPrep(t, hybridTenant(r))
		want := []string{
			"start",
			// enrolled at sign-in (reference §1.4 step 2); the domain join is the real work
			"item:securingHardware=complete", "item:registeringMDM=complete",
			"item:joiningNetwork=working", "item:joiningNetwork=complete",
			"item:preparingMDM=working", "item:preparingMDM=complete",
			"reboot", "resumed",
			"done:complete",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("events =\n%v\nwant\n%v", got, want)
		}
		if st.Phase(flow.ESPDevicePreparation).State != flow.ItemComplete {
			t.Errorf("phase = %s", st.Phase(flow.ESPDevicePreparation).State)
		}
		min := (sim.ODJBlobDelay + sim.DCCheckDelay + sim.PreparingMDMDelay + sim.ESPRestartDelay) * 9 / 10
		if d := took; d < min {
			t.Errorf("phase took %v, want at least %v", d, min)
		}
	}
}

// TestProvisionHybridDCUnreachable: no domain controller answers: 0x80070774.
func TestProvisionHybridDCUnreachable(t *testing.T) {
	no := false
	got, st, _ := runPrep(t, hybridTenant(&no))
	if !slices.Equal(got, hybridFailed) {
		t.Fatalf("events =\n%v\nwant\n%v", got, hybridFailed)
	}
	ph, item, ok := st.Failed()
	if !ok || ph != flow.ESPDevicePreparation || item.Code != sim.HybridJoinFailCode || item.ID != string(flow.CategoryJoiningNetwork) {
		t.Errorf("Failed() = %s %+v %v", ph, item, ok)
	}
}

// TestProvisionHybridSkipDCCheck: skipping the connectivity check ignores reachability.
func TestProvisionHybridSkipDCCheck(t *testing.T) {
	no := false
	tn := hybridTenant(&no)
	tn.Profile.SkipDCCheck = true
	got, st, took := runPrep(t, tn)
	if slices.Contains(got, "item:joiningNetwork=failed(0x80070774)") || !slices.Contains(got, "reboot") || got[len(got)-1] != "done:complete" {
		t.Fatalf("events = %v", got)
	}
	if st.Phase(flow.ESPDevicePreparation).State != flow.ItemComplete {
		t.Errorf("phase = %s", st.Phase(flow.ESPDevicePreparation).State)
	}
	max := (sim.ODJBlobDelay + sim.PreparingMDMDelay + sim.ESPRestartDelay) * 11 / 10
	if d := took; d > max {
		t.Errorf("phase took %v: the skipped check still ran", d)
	}
}

// TestProvisionHybridAssignedUser: a user pre-assigned on a hybrid profile fails the join with
// 0x80070774 even with a reachable domain controller or the check skipped.
func TestProvisionHybridAssignedUser(t *testing.T) {
	for _, skip := range []bool{false, true} {
		tn := hybridTenant(nil)
		tn.Profile.SkipDCCheck = skip
		tn.DeviceIdentity = &flow.DeviceIdentity{Serial: "X1", UPN: "megan@x.com"}
		got, _, _ := runPrep(t, tn)
		if !slices.Equal(got, hybridFailed) {
			t.Fatalf("skip %v: events =\n%v\nwant\n%v", skip, got, hybridFailed)
		}
	}
}

// TestProvisionEntraIgnoresDC: an Entra join never checks a domain controller nor restarts.
func TestProvisionEntraIgnoresDC(t *testing.T) {
	no := false
	tn := hybridTenant(&no)
	tn.Profile.Join = flow.JoinEntra
	tn.DeviceIdentity = &flow.DeviceIdentity{Serial: "X1", UPN: "megan@x.com"}
	got, _, _ := runPrep(t, tn)
	if slices.Contains(got, "reboot") || got[len(got)-1] != "done:complete" {
		t.Fatalf("events = %v", got)
	}
}

package sim_test

import (
	"context"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
)

// technicianPhase runs one phase of the technician flow to its end.
func technicianPhase(t *testing.T, b *sim.Backend, p flow.ESPPhase, st *flow.ESPStatus) []flow.Event {
	t.Helper()
	s, err := b.Provision(context.Background(), flow.ProvisionRequest{Phase: p, PreProvisioning: true})
	if err != nil {
		t.Fatalf("Provision(%s, pre-provisioning): %v", p, err)
	}
	evs := collect(t, s)
	for _, ev := range evs {
		st.Apply(ev)
	}
	return evs
}

// TestTechnicianFlowProvisionsWithoutAUser (reference §3.4: Securing your hardware is real
// work in pre-provisioning; Microsoft's technician flow step 8: only the device phases): no
// ticket is needed, TPM attestation takes emulated time, Device setup needs Device
// preparation first, Account setup is refused, and after Device setup the next Boot (no
// Reset: Reseal and power on) reports the device pre-provisioned; Reset wipes that.
func TestTechnicianFlowProvisionsWithoutAUser(t *testing.T) {
	ctx := context.Background()
	w, clock := embeddedWorld(t)
	if w.Profile.PreprovisioningAllowed {
		t.Fatal("the embedded profile allows pre-provisioning: the test needs it off")
	}
	w.Profile.PreprovisioningAllowed = true
	b := sim.New(w, sim.Options{Clock: clock, Seed: 1})
	if _, err := b.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup, PreProvisioning: true}); flow.AsError(err).Code != flow.CodeNotEnrolled {
		t.Errorf("Device setup before Device preparation: %v", err)
	}
	if _, err := b.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPAccountSetup, PreProvisioning: true}); flow.AsError(err).Code != flow.CodeBadRequest {
		t.Errorf("Account setup in the technician flow: %v", err)
	}
	st := flow.NewESPStatus()
	start := clock.Now()
	technicianPhase(t, b, flow.ESPDevicePreparation, &st)
	ps := st.Phase(flow.ESPDevicePreparation)
	if ps.State != flow.ItemComplete || clock.Now().Sub(start) < sim.TPMAttestationDelay*9/10 {
		t.Fatalf("Device preparation %s after %v", ps.State, clock.Now().Sub(start))
	}
	technicianPhase(t, b, flow.ESPDeviceSetup, &st)
	if st.Phase(flow.ESPDeviceSetup).State != flow.ItemComplete {
		t.Fatalf("Device setup %s", st.Phase(flow.ESPDeviceSetup).State)
	}
	info, err := b.Boot(ctx)
	if err != nil || !info.Boot.PreProvisioned {
		t.Fatalf("Boot after the technician flow: %+v, %v", info.Boot, err)
	}
	if err := b.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if info, _ := b.Boot(ctx); info.Boot.PreProvisioned {
		t.Error("a wiped device still reports pre-provisioned")
	}
}

// TestScenarioAllowsPreProvisioning: a scenario's preprovisioningAllowed stands for the
// profile's setting; the fault preprovisioning-not-allowed turns it off again.
func TestScenarioAllowsPreProvisioning(t *testing.T) {
	w, clock := embeddedWorld(t)
	yes := true
	w.Scenario.PreprovisioningAllowed = &yes
	b := sim.New(w, sim.Options{Clock: clock, Wired: true})
	info, err := b.Boot(context.Background())
	if err != nil || info.Profile == nil || !info.Profile.Profile.PreprovisioningAllowed {
		t.Fatalf("profile at boot: %+v, %v", info.Profile, err)
	}
	w.Scenario.Faults = []string{"preprovisioning-not-allowed"}
	b = sim.New(w, sim.Options{Clock: clock, Wired: true})
	if info, _ := b.Boot(context.Background()); info.Profile.Profile.PreprovisioningAllowed {
		t.Error("the fault preprovisioning-not-allowed left it allowed")
	}
}

// embeddedWorld is the embedded tenant's world and a clock for a backend made from it.
func embeddedWorld(t *testing.T) (*sim.World, *flow.VirtualClock) {
	t.Helper()
	w, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return w, flow.NewVirtualClock(epoch)
}

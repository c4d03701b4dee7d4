package sim_test

import (
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/backendtest"
	"github.com/oobe-emu/oobe/flow/tenant"
)

// TestConformance: the simulated backend keeps every contract of flow.Backend, on the
// embedded tenant with a push user and with a code user, and on a hybrid world.
func TestConformance(t *testing.T) {
	w, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	fixture := func(upn, pw, code string, w *sim.World) func(t *testing.T) backendtest.Fixture {
		return func(t *testing.T) backendtest.Fixture {
			return backendtest.Fixture{
				Backend: sim.New(w, sim.Options{Clock: flow.NewVirtualClock(epoch), Seed: 7}),
				SSID:    "Larkspur-Corp", Key: "Runway-2026!",
				UPN: upn, Password: pw, Code: code,
				OtherOrganizationUPN: "alex@fabrikam.example",
			}
		}
	}
	t.Run("push", func(t *testing.T) {
		backendtest.Run(t, fixture("megan.rivera@larkspuraero.com", "Contrail#2026", "", w))
	})
	t.Run("code", func(t *testing.T) {
		backendtest.Run(t, fixture("tomas.okafor@larkspuraero.com", "Tailwind#2026", "246810", w))
	})
	t.Run("hybrid", func(t *testing.T) {
		h := *w
		h.Profile.Join = flow.JoinHybrid
		backendtest.Run(t, fixture("megan.rivera@larkspuraero.com", "Contrail#2026", "", &h))
	})
}

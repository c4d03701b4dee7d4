package run_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/internal/cputime"
)

// manyApps gives the tenant n device apps of a second each, all tracked by the ESP, and
// time for them.
func manyApps(n int) func(*sim.World) {
	return func(w *sim.World) {
		apps := make([]sim.ScenarioApp, 0, n)
		for i := range n {
			apps = append(apps, sim.ScenarioApp{
				ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: fmt.Sprintf("Line-of-business app %05d", i+1),
				Context: sim.ContextDevice, Seconds: 1,
			})
		}
		w.Scenario.Apps = apps
		w.Profile.ESP.BlockingAppIDs = nil
		w.Profile.ESP.TimeoutMinutes = max(60, 2*n/60) // time enough for them all
	}
}

// BenchmarkESPDeviceSetup measures a whole run from the sign-in to the privacy page, with the
// Enrollment Status Page tracking n device apps, through the run's controllers alone. Issue
// 7's target: 10,000 apps cost under 1 s of CPU more than 10.
func BenchmarkESPDeviceSetup(b *testing.B) {
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu := cputime.Used()
			for b.Loop() {
				h := newHarness(b, manyApps(n))
				h.toSignIn()
				h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
				h.on(flow.StepPrivacy)
				if got := h.r.ESP().Phase(flow.ESPDeviceSetup).State; got != flow.ItemComplete {
					b.Fatalf("device setup %s", got)
				}
				h.r.Close()
			}
			b.ReportMetric(float64(cputime.Used()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

package ui

import (
	"fmt"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

// BenchmarkViewNetwork measures one frame of the network page (the busiest page so far).
func BenchmarkViewNetwork(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {250, 70}} {
		b.Run(sizeName(size), func(b *testing.B) {
			d := newDriver(b, setup{w: size[0], h: size[1]})
			d.press("enter", "enter", "enter", "enter")
			if d.m.Step() != flow.StepNetwork {
				b.Fatalf("on %s", d.m.Step())
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = d.m.View()
			}
		})
	}
}

// manyApps gives the tenant n device apps (and makes the ESP track them all).
func manyApps(n int) func(*flow.Tenant) {
	return func(t *flow.Tenant) {
		apps := make([]flow.ScenarioApp, 0, n)
		for i := range n {
			apps = append(apps, flow.ScenarioApp{
				ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: fmt.Sprintf("Line-of-business app %03d", i+1),
				Context: flow.ContextDevice, Seconds: 1,
			})
		}
		t.Scenario.Apps = apps
		t.Profile.ESP.BlockingAppIDs = nil
	}
}

// espDriver signs in on the embedded tenant and stops while the 150th of n device apps installs.
func espDriver(tb testing.TB, n, w, h int) *driver {
	tb.Helper()
	d := newDriver(tb, setup{w: w, h: h, tweak: manyApps(n)})
	toSignIn(tb, d)
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	d.typeText("Contrail#2026")
	d.send(keyMsg("enter"))
	d.settle(func() bool {
		apps, ok := d.m.common.ESP.Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
		return ok && len(apps.Items) == n && apps.Items[n/2].State == flow.ItemWorking
	})
	return d
}

// BenchmarkViewESP300 measures one frame of the ESP with 300 apps (target: under 1 ms).
func BenchmarkViewESP300(b *testing.B) {
	for _, size := range [][2]int{{120, 40}, {250, 70}} {
		b.Run(sizeName(size), func(b *testing.B) {
			d := espDriver(b, 300, size[0], size[1])
			b.ReportAllocs()
			for b.Loop() {
				_ = d.m.View()
			}
		})
	}
}

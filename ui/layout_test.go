package ui

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// exhaustive runs the layout tests at every size from 20×8 to 250×70 (about 5 minutes on 2 cores:
// run it by hand after changing a layout).
var exhaustive = flag.Bool("exhaustive", false, "check the layout at every terminal size from 20x8 to 250x70")

// sampleWidths and sampleHeights are the usual sizes and the edges of the layout's
// breakpoints.
var (
	sampleWidths  = []int{20, 21, 33, 49, 50, 51, 64, 79, 80, 81, 100, 119, 120, 121, 160, 200, 249, 250}
	sampleHeights = []int{8, 9, 12, 15, 16, 17, 20, 24, 27, 28, 30, 40, 50, 69, 70}
)

// crossHeights and crossWidths are the heights every width is drawn at, and the widths every
// height is drawn at.
var (
	crossHeights = []int{8, 16, 24, 40, 70}
	crossWidths  = []int{20, 50, 80, 120, 250}
)

// sizesToCheck are the terminal sizes a state is drawn at: every width from 20 to 250 at the
// cross heights and every height from 8 to 70 at the cross widths, with the sample sizes
// (every size at all with -exhaustive); with sample, only the sample widths × heights.
func sizesToCheck(sample bool) [][2]int {
	var out [][2]int
	seen := map[[2]int]bool{}
	add := func(w, h int) {
		if !seen[[2]int{w, h}] {
			seen[[2]int{w, h}] = true
			out = append(out, [2]int{w, h})
		}
	}
	switch {
	case *exhaustive:
		for w := 20; w <= 250; w++ {
			for h := 8; h <= 70; h++ {
				add(w, h)
			}
		}
	case sample:
		for _, w := range sampleWidths {
			for _, h := range sampleHeights {
				add(w, h)
			}
		}
	default:
		for w := 20; w <= 250; w++ {
			for _, h := range crossHeights {
				add(w, h)
			}
		}
		for h := 8; h <= 70; h++ {
			for _, w := range crossWidths {
				add(w, h)
			}
		}
		for _, w := range sampleWidths {
			for _, h := range sampleHeights {
				add(w, h)
			}
		}
	}
	return out
}

// checkFrame fails when a frame is wider or taller than the terminal.
func checkFrame(t *testing.T, name string, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > h {
		t.Fatalf("%s at %dx%d: %d lines", name, w, h, len(lines))
	}
	for i, l := range lines {
		if lw := width(l); lw > w {
			t.Fatalf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, lw, ansi.Strip(l))
		}
	}
}

// checkBodies draws the page on top at body sizes from 1×1 to 126×40 and fails when what it
// draws is wider or taller than the frame it was given.
func checkBodies(t *testing.T, name string, d *driver) {
	t.Helper()
	p := d.m.nav.top()
	for w := 1; w <= 130; w += 5 {
		for h := 1; h <= 40; h += 3 {
			body := p.View(Frame{W: w, H: h, Spin: "*", Now: testStart}).Body
			lines := strings.Split(body, "\n")
			if len(lines) > h {
				t.Fatalf("%s body at %dx%d: %d lines", name, w, h, len(lines))
			}
			for i, l := range lines {
				if lw := width(l); lw > w {
					t.Fatalf("%s body at %dx%d: line %d is %d wide: %q", name, w, h, i, lw, ansi.Strip(l))
				}
			}
		}
	}
}

// everySizeStates are the states checked at the full set of sizes: one per page, and the
// busiest ones; the others at the sample sizes.
var everySizeStates = map[string]bool{
	"language": true, "region_search": true, "keyboard2": true, "network_wrong_key": true,
	"updates_restarting": true, "eula_decline": true, "signin": true, "signin_wrong_password": true,
	"mfa_push": true, "esp_device_setup": true, "privacy": true, "quality_updates": true,
	"hello_pin_short": true, "desktop": true,
}

// bodyStates are the states whose page is also drawn at every body size, however small.
var bodyStates = map[string]bool{
	"network_scanning": true, "privacy": true, "privacy_changed": true, "fsia": true, "quality_updates": true,
	"hello_intro": true, "hello_pin": true, "hello_pin_short": true, "hello_pin_ok": true, "desktop": true,
}

// TestLayoutEverySize renders every state of the tour across the terminal sizes from 20×8
// to 250×70 and checks that nothing panics, no line is wider and no frame taller than the
// terminal, and no page draws a body larger than its frame.
func TestLayoutEverySize(t *testing.T) {
	looks := []struct {
		s      setup
		sample bool
	}{
		{setup{}, false},
		{setup{theme: "win10", locale: "de-DE"}, true},
		{setup{ascii: true, theme: "high-contrast"}, true},
	}
	for _, look := range looks {
		s := look.s.withDefaults()
		t.Run(fmt.Sprintf("%s_%s", s.theme, s.locale), func(t *testing.T) {
			t.Parallel()
			d := newDriver(t, s)
			tour(t, d, func(name string) {
				sizes := sizesToCheck(look.sample || !everySizeStates[name])
				for _, sz := range sizes {
					d.resize(sz[0], sz[1])
					checkFrame(t, name, d.screen(), sz[0], sz[1])
				}
				d.resize(s.w, s.h)
				if bodyStates[name] {
					checkBodies(t, name, d)
				}
			})
		})
	}
}

// manyApps gives the tenant n device apps (and makes the ESP track them all).
func manyApps(n int) func(*sim.World) {
	return func(w *sim.World) {
		apps := make([]sim.ScenarioApp, 0, n)
		for i := range n {
			apps = append(apps, sim.ScenarioApp{
				ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: fmt.Sprintf("Line-of-business app %03d", i+1),
				Context: sim.ContextDevice, Seconds: 1,
			})
		}
		w.Scenario.Apps = apps
		w.Profile.ESP.BlockingAppIDs = nil
	}
}

// espDriver signs in on the embedded tenant and stops while the middle one of n device apps
// installs.
func espDriver(tb testing.TB, n, w, h int) *driver {
	tb.Helper()
	d := newDriver(tb, setup{w: w, h: h, tweak: manyApps(n)})
	toSignIn(tb, d)
	signIn(d, "megan.rivera@larkspuraero.com", "Contrail#2026")
	d.settle(func() bool {
		apps, ok := d.r.ESP().Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
		return ok && len(apps.Items) == n && apps.Items[n/2].State == flow.ItemWorking
	})
	return d
}

// TestLayoutESP300 renders the Enrollment Status Page tracking 300 apps while they install,
// and after one failed (the error view, then the diagnostics page).
func TestLayoutESP300(t *testing.T) {
	check := func(t *testing.T, d *driver, name string, sizes [][2]int) {
		t.Helper()
		for _, sz := range sizes {
			d.resize(sz[0], sz[1])
			checkFrame(t, name, d.screen(), sz[0], sz[1])
		}
	}
	d := espDriver(t, 300, 80, 24)
	check(t, d, "esp_300_working", sizesToCheck(false))

	d = newDriver(t, setup{tweak: func(w *sim.World) {
		manyApps(300)(w)
		w.Scenario.Apps[200].FailCode = "0x81036502"
		w.Profile.ESP.AllowLogCollection = true
	}})
	toSignIn(t, d)
	signIn(d, "megan.rivera@larkspuraero.com", "Contrail#2026")
	d.settle(func() bool { return espState(d) == run.ESPFailed })
	check(t, d, "esp_300_failed", sizesToCheck(true))
	d.press("ctrl+shift+d")
	d.sees("Windows Autopilot diagnostics")
	check(t, d, "esp_300_diagnostics", sizesToCheck(true))
}

package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// sampleWidths and sampleHeights span 20×8 to 250×70 with the usual sizes and the edges of the
// layout's breakpoints.
var (
	sampleWidths  = []int{20, 21, 33, 49, 50, 51, 64, 79, 80, 81, 100, 119, 120, 121, 160, 200, 249, 250}
	sampleHeights = []int{8, 9, 12, 15, 16, 17, 20, 24, 27, 28, 30, 40, 50, 69, 70}
)

// sizesToCheck is every terminal size from 20×8 to 250×70 whose index modulo parts is part;
// with sample, the spread of sampleWidths × sampleHeights instead.
func sizesToCheck(sample bool, part, parts int) [][2]int {
	var out [][2]int
	i := 0
	add := func(w, h int) {
		if i%parts == part {
			out = append(out, [2]int{w, h})
		}
		i++
	}
	if sample {
		for _, w := range sampleWidths {
			for _, h := range sampleHeights {
				add(w, h)
			}
		}
		return out
	}
	for w := 20; w <= 250; w++ {
		for h := 8; h <= 70; h++ {
			add(w, h)
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
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, lw, ansi.Strip(l))
		}
	}
}

// TestLayoutEverySize renders every page at every size from 20×8 to 250×70 (and every other
// state of the tour at a spread of sizes) and checks that nothing panics and no line is
// wider or taller than the terminal.
// everySizeStates are the states checked at every size: one per page, and the busiest ones.
var everySizeStates = map[string]bool{
	"language": true, "region_search": true, "keyboard2": true, "network_wrong_key": true,
	"updates_restarting": true, "eula_decline": true, "signin": true, "signin_wrong_password": true,
	"mfa_push": true, "esp_device_setup": true, "privacy": true, "quality_updates": true,
	"hello_pin_short": true, "desktop": true,
}

// The default look is checked at every size (in two halves that run in parallel), the other
// looks at a spread of sizes; with -short everything uses the spread.
func TestLayoutEverySize(t *testing.T) {
	type run struct {
		s           setup
		part, parts int
		sample      bool
	}
	short := testing.Short()
	runs := []run{
		{setup{}, 0, 2, short}, {setup{}, 1, 2, short},
		{setup{theme: "win10", locale: "de-DE"}, 0, 1, true},
		{setup{ascii: true, theme: "high-contrast"}, 0, 1, true},
	}
	for _, r := range runs {
		s := r.s.withDefaults()
		sizes := sizesToCheck(r.sample, r.part, r.parts)
		t.Run(fmt.Sprintf("%s_%s_%d", s.theme, s.locale, r.part), func(t *testing.T) {
			t.Parallel()
			d := newDriver(t, s)
			tour(t, d, func(name string) {
				sizes := sizes
				if !r.sample && !everySizeStates[name] {
					sizes = sizesToCheck(true, r.part, r.parts)
				}
				for _, sz := range sizes {
					d.resize(sz[0], sz[1])
					checkFrame(t, name, d.screen(), sz[0], sz[1])
				}
				d.resize(s.w, s.h)
			})
		})
	}
}

// TestLayoutESP300 renders the Enrollment Status Page tracking 300 apps while they install at
// every size, and after one failed (the error view, then the diagnostics page) at a spread.
func TestLayoutESP300(t *testing.T) {
	sizes := sizesToCheck(testing.Short(), 0, 1)
	failing := func(tn *flow.Tenant) {
		manyApps(300)(tn)
		tn.Scenario.Apps[200].FailCode = "0x81036502"
		tn.Profile.ESP.AllowLogCollection = true
	}
	check := func(t *testing.T, d *driver, name string) {
		t.Helper()
		for _, sz := range sizes {
			d.resize(sz[0], sz[1])
			checkFrame(t, name, d.screen(), sz[0], sz[1])
		}
	}
	d := espDriver(t, 300, 80, 24)
	check(t, d, "esp_300_working")
	sizes = sizesToCheck(true, 0, 1) // the error view and diagnostics: the spread of sizes

	d = newDriver(t, setup{tweak: failing})
	toSignIn(t, d)
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	d.typeText("Contrail#2026")
	d.press("enter")
	if s, ok := d.m.screen.(*espScreen); !ok || !s.failed {
		t.Fatalf("the ESP did not fail:\n%s", d.text())
	}
	check(t, d, "esp_300_failed")
	d.send(keyMsg("ctrl+shift+d"))
	if s := d.m.screen.(*espScreen); !s.diag {
		t.Fatalf("ctrl+shift+d did not open the diagnostics page:\n%s", d.text())
	}
	check(t, d, "esp_300_diagnostics")
}

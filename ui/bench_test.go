package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/internal/cputime"
)

// BenchmarkViewNetwork measures one frame of the network page (a busy page) at three sizes.
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

// BenchmarkViewESP300 measures one frame of the ESP while the 150th of 300 apps installs.
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

// BenchmarkESPDeviceSetupFrames measures Device setup with n apps through the real model at
// 80×24 and 120×40, calling View after every message as Bubble Tea does (the renderer shows
// at most 60 frames a second), with the program's frame pacing. Issue 7's target: 10,000
// apps cost under 1 s of CPU more than 10 (cpu-ms/op).
func BenchmarkESPDeviceSetupFrames(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, n := range []int{10, 1000, 10000} {
			b.Run(fmt.Sprintf("%s/apps=%d", sizeName(size), n), func(b *testing.B) {
				b.ReportAllocs()
				cpu := cputime.Used()
				for b.Loop() {
					d := newDriver(b, setup{w: size[0], h: size[1], tweak: func(w *sim.World) {
						manyApps(n)(w)
						w.Profile.ESP.TimeoutMinutes = max(60, 2*n/60)
					}})
					d.m.frameInterval = 16 * time.Millisecond // as cmd/oobe paces its frames
					toSignIn(b, d)
					signIn(d, "megan.rivera@larkspuraero.com", "Contrail#2026")
					for d.m.Step() != flow.StepPrivacy {
						if !d.next() {
							b.Fatalf("stopped on %s", d.m.Step())
						}
						_ = d.m.View()
					}
				}
				b.ReportMetric(float64(cputime.Used()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// flood sends text to the model one key press at a time, with a View after every key as Bubble
// Tea draws after every Update, and runs the commands the keys started.
func flood(d *driver, text string) {
	for _, r := range text {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
		_ = d.m.View()
	}
	d.idle()
}

// BenchmarkFloodRegionSearch measures 8,000 keys typed into the region search (issue 12: a
// search re-filtered from scratch for every key made this quadratic, 12.4 s).
func BenchmarkFloodRegionSearch(b *testing.B) {
	d := newDriver(b, setup{})
	d.press("enter")
	if d.m.Step() != flow.StepRegion {
		b.Fatalf("on %s", d.m.Step())
	}
	keys := strings.Repeat("united kingdom ", 8000/15+1)[:8000]
	b.ReportAllocs()
	cpu := cputime.Used()
	for b.Loop() {
		flood(d, keys)
		d.press("esc") // clears the search for the next round
	}
	b.ReportMetric(float64(cputime.Used()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkFloodSignInUser measures 100 KB of keys typed into the user name box of the
// sign-in (issue 12: 46.6 s of frozen UI).
func BenchmarkFloodSignInUser(b *testing.B) {
	d := newDriver(b, setup{})
	toSignIn(b, d)
	keys := strings.Repeat("megan.rivera", 100*1024/12)
	b.ReportAllocs()
	cpu := cputime.Used()
	for b.Loop() {
		flood(d, keys)
		d.press("ctrl+u") // empties the box for the next round
	}
	b.ReportMetric(float64(cputime.Used()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

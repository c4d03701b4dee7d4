package ui

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// TestNothingTicksWithoutAnimation checks that a spinner tick keeps ticking only while a
// spinner is on screen: everywhere else the tick chain ends, so an idle screen costs nothing.
func TestNothingTicksWithoutAnimation(t *testing.T) {
	animated := map[string]bool{
		"network_scanning": true, "network_connecting": true,
		"updates_checking": true, "updates_downloading": true, "updates_restarting": true,
		"mfa_push": true, "enrolling": true, "esp_device_setup": true, "esp_device_collapsed": true,
		"fsia": true, "esp_account_setup": true, "quality_updates": true,
	}
	d := newDriver(t, setup{})
	tour(t, d, func(name string) {
		ticks := d.m.tick(spinner.TickMsg{ID: d.m.spin.ID()}) != nil
		if ticks != animated[name] {
			t.Errorf("%s: tick continues = %v, want %v", name, ticks, animated[name])
		}
	})
}

// TestFramesArePaced: with a frame interval (the program's is 16 ms) the run's own progress
// that arrives within it is held back, and the held frame shows the latest state when its
// refresh comes; keys are drawn at once.
func TestFramesArePaced(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30})
	d.press("enter", "enter", "enter")
	d.m.frameInterval = time.Hour // every frame of progress is held until its refresh
	d.m.refreshAfter = func(time.Duration) tea.Cmd { return func() tea.Msg { return refreshMsg{} } }
	d.m.drawnAt = time.Now()
	d.key("enter") // Skip: a key is drawn at once
	if d.m.Step() != flow.StepNetwork || !strings.Contains(d.text(), "Searching for networks") {
		t.Fatalf("the key was not drawn at once:\n%s", d.text())
	}
	d.m.drawnAt = time.Now()
	for d.r.Network().State == run.NetScanning {
		if !d.next() {
			t.Fatal("the scan never ended")
		}
	}
	if !d.m.held || strings.Contains(d.text(), "Larkspur-Corp") {
		t.Fatalf("the scan's result was drawn within the interval (held %v):\n%s", d.m.held, d.text())
	}
	d.next() // the refresh
	d.sees("Larkspur-Corp")
	if d.m.held {
		t.Error("still held after the refresh")
	}
}

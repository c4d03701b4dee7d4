package ui

import (
	"testing"

	"charm.land/bubbles/v2/spinner"
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

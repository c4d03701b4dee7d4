package ui

import (
	"testing"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
)

// tour walks the default tenant from the first page to the sign-in placeholder through every
// state of every screen, calling visit with a name for each.
func tour(t *testing.T, d *driver, visit func(name string)) {
	t.Helper()
	at := func(step flow.StepID) {
		t.Helper()
		if got := d.m.Step(); got != step {
			t.Fatalf("on step %q, want %q:\n%s", got, step, d.text())
		}
	}
	at(flow.StepLanguage)
	visit("language")
	d.press("enter")
	at(flow.StepRegion)
	visit("region")
	loc := d.m.Catalog().Locale()
	d.typeText(string([]rune(assets.RegionName("DE", loc))[:4]))
	visit("region_search")
	d.press("enter")
	at(flow.StepKeyboard)
	visit("keyboard")
	d.press("enter")
	at(flow.StepKeyboard2)
	visit("keyboard2")
	d.press("shift+tab", "enter")
	visit("keyboard2_picker")
	uk, _ := assets.KeyboardByKLID("00000809")
	d.typeText(uk.DisplayName(loc))
	d.send(keyMsg("enter"))
	d.settle(func() bool { return d.m.Step() == flow.StepNetwork })
	visit("network_scanning")
	d.idle()
	visit("network")
	d.press("down", "down", "down", "enter") // LSA-Hangar-IoT
	visit("network_expanded")
	d.press("enter")
	d.typeText("Hangar-Sensors-9")
	visit("network_key")
	d.send(keyMsg("enter"))
	visit("network_connecting")
	d.idle()
	visit("network_no_internet")
	d.press("up", "up", "up", "enter", "enter") // Larkspur-Corp
	d.typeText("wrong-key")
	d.press("enter")
	visit("network_wrong_key")
	d.typeText("Runway-2026!")
	d.press("ctrl+r")
	visit("network_key_revealed")
	d.press("enter")
	visit("network_connected")
	d.press("end", "enter")
	visit("network_hidden")
	d.press("esc", "shift+tab") // from the list back round to Next
	d.send(keyMsg("enter"))
	d.settle(func() bool { return d.m.Step() == flow.StepUpdates })
	u := func() *updatesScreen { s, _ := d.m.screen.(*updatesScreen); return s }
	d.settle(func() bool { return u() != nil && u().phase == "checking" && u().progress >= 0.5 })
	visit("updates_checking")
	d.settle(func() bool { return u() != nil && u().phase == "downloading" && u().progress >= 0.5 })
	visit("updates_downloading")
	d.settle(func() bool { return u() != nil && u().restarting })
	visit("updates_restarting")
	d.settle(func() bool { return d.m.Step() == flow.StepEULA })
	visit("eula")
	d.press("pgdown")
	visit("eula_scrolled")
	d.press("tab", "enter")
	visit("eula_decline")
	d.press("esc", "enter")
	at(flow.StepSignIn)
	visit("signin")
}

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
	d.press("shift+tab", "enter") // Decline
	visit("eula_decline")
	d.press("esc", "enter")
	at(flow.StepSignIn)
	visit("signin")
	tourSignInToDesktop(t, d, visit)
}

// tourSignInToDesktop goes on from the sign-in page: another organization's account, a
// wrong password, the Authenticator push, the ESP, privacy, the first sign-in animation,
// account setup, quality updates, the PIN and the desktop.
func tourSignInToDesktop(t *testing.T, d *driver, visit func(name string)) {
	t.Helper()
	sign := func() *signInScreen { s, _ := d.m.screen.(*signInScreen); return s }
	d.typeText("pat@fabrikam.example")
	d.press("enter")
	visit("signin_other_org")
	d.press("enter") // Sign in again
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	visit("signin_password")
	d.typeText("Contrail#2025")
	d.press("enter")
	visit("signin_wrong_password")
	d.typeText("Contrail#2026")
	d.send(keyMsg("enter"))
	d.settle(func() bool { return sign() != nil && sign().state == signMFAPush })
	visit("mfa_push")
	d.settle(func() bool { return sign() != nil && sign().state == signEnrolling })
	visit("enrolling")
	esp := func() *espScreen { s, _ := d.m.screen.(*espScreen); return s }
	d.settle(func() bool { // the second device app installs
		apps, ok := d.m.common.ESP.Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
		return esp() != nil && ok && len(apps.Items) > 1 && apps.Items[1].State == flow.ItemWorking
	})
	visit("esp_device_setup")
	d.send(keyMsg("enter")) // collapse the phase
	visit("esp_device_collapsed")
	d.settle(func() bool { return d.m.Step() == flow.StepPrivacy })
	visit("privacy")
	d.press("space", "down", "space") // Location off, Find my device off
	visit("privacy_changed")
	d.press("tab")
	d.send(keyMsg("enter"))
	d.settle(func() bool { return d.m.Step() == flow.StepFSIA })
	visit("fsia")
	d.settle(func() bool {
		return esp() != nil && d.m.common.ESP.Phase(flow.ESPAccountSetup).State == flow.ItemWorking
	})
	visit("esp_account_setup")
	q := func() *qualityScreen { s, _ := d.m.screen.(*qualityScreen); return s }
	if d.m.common.Session.Profile.Windows == flow.Windows11 { // Windows 10 has no quality updates page
		d.settle(func() bool { return q() != nil && q().step >= 3 })
		visit("quality_updates")
	}
	d.settle(func() bool { return d.m.Step() == flow.StepHello })
	visit("hello_intro")
	d.press("enter")
	visit("hello_pin")
	d.typeText("1357")
	visit("hello_pin_short")
	d.typeText("91")
	d.press("tab")
	d.typeText("135791")
	visit("hello_pin_ok")
	d.press("enter")
	d.idle()
	if got := d.m.Step(); got != flow.StepDesktop {
		t.Fatalf("on step %q, want desktop:\n%s", got, d.text())
	}
	visit("desktop")
}

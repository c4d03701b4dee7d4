package ui

import (
	"testing"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// tour walks the default tenant from the first page to the desktop through every state of
// every page a person meets, calling visit with a name for each.
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
	d.key("enter")
	d.on(flow.StepNetwork)
	visit("network_scanning")
	d.idle()
	visit("network")
	d.press("down", "down", "down", "enter") // LSA-Hangar-IoT
	visit("network_expanded")
	d.press("enter")
	d.typeText("Hangar-Sensors-9")
	visit("network_key")
	d.key("enter")
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
	d.key("enter")
	d.on(flow.StepUpdates)
	updates := func(phase string, progress float64) func() bool {
		return func() bool {
			u := d.r.Updates()
			return u != nil && u.Phase == phase && u.Progress >= progress
		}
	}
	d.settle(updates("checking", 0.5))
	visit("updates_checking")
	d.settle(updates("downloading", 0.5))
	visit("updates_downloading")
	d.settle(func() bool { u := d.r.Updates(); return u != nil && u.Restarting })
	visit("updates_restarting")
	d.on(flow.StepEULA)
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
	signIn := func(st run.SignInState) func() bool {
		return func() bool { s := d.r.SignIn(); return s != nil && s.State == st }
	}
	d.typeText("pat@fabrikam.example")
	d.press("enter")
	visit("signin_other_org")
	d.press("enter") // Sign in again: the name stays to correct it
	for range len("pat@fabrikam.example") {
		d.key("backspace")
	}
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	visit("signin_password")
	d.typeText("Contrail#2025")
	d.press("enter")
	visit("signin_wrong_password")
	d.typeText("Contrail#2026")
	d.key("enter")
	d.settle(signIn(run.SignMFAPush))
	visit("mfa_push")
	d.settle(signIn(run.SignEnrolling))
	visit("enrolling")
	d.settle(func() bool { // the second device app installs
		apps, ok := d.r.ESP().Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
		return d.m.Step() == flow.StepESPDevice && ok && len(apps.Items) > 1 && apps.Items[1].State == flow.ItemWorking
	})
	visit("esp_device_setup")
	d.key("enter") // collapse the phase
	visit("esp_device_collapsed")
	d.on(flow.StepPrivacy)
	visit("privacy")
	d.press("space", "down", "space") // Location off, Find my device off
	visit("privacy_changed")
	d.press("tab")
	d.key("enter")
	d.on(flow.StepFSIA)
	visit("fsia")
	d.settle(func() bool {
		return d.m.Step() == flow.StepESPAccount && d.r.ESP().Phase(flow.ESPAccountSetup).State == flow.ItemWorking
	})
	visit("esp_account_setup")
	if d.r.Windows().Is11() { // Windows 10 has no quality updates page
		d.settle(func() bool { u := d.r.Updates(); return u != nil && u.Quality && u.Progress >= 0.3 })
		visit("quality_updates")
		d.on(flow.StepWindowsSignIn) // the update restarted the device: nobody is signed in
		visit("windows_signin_locked")
		d.press("enter")
		visit("windows_signin")
		d.typeText("megan.rivera@larkspuraero.com")
		d.press("enter")
		d.typeText("Contrail#2026")
		d.press("enter")
	}
	d.on(flow.StepHello)
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
	visit("hello_all_set")
	d.press("enter")
	d.idle()
	if got := d.m.Step(); got != flow.StepDesktop {
		t.Fatalf("on step %q, want desktop:\n%s", got, d.text())
	}
	visit("desktop")
}

package ui

import (
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// TestNotRegisteredShowsTheOrdinaryOOBE (issue 10, reference §1.1 step 3 and §1.2: "If a user
// sees the personal-vs-work choice … the device does not think it is Autopilot-registered"):
// with the not-registered fault, after the license come Let's name your device (a name Windows
// refuses is said on the page) and How would you like to set up this device?; work or school
// leads to a sign-in without the organization's name or branding.
func TestNotRegisteredShowsTheOrdinaryOOBE(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30, tweak: func(w *sim.World) { _ = sim.ApplyFault(w, "not-registered") }})
	d.press("enter", "enter", "enter", "enter", "enter", "enter")
	d.typeText("Runway-2026!")
	d.press("enter", "enter")
	d.on(flow.StepEULA)
	d.press("enter")
	d.on(flow.StepDeviceName)
	d.sees("Let's name your device", "Skip for now", "No more than 15 characters")
	d.typeText("1234")
	d.press("enter")
	d.sees("Windows can't use that name")
	for range 4 {
		d.key("backspace")
	}
	d.typeText("LAB-PC-07")
	d.press("enter")
	d.on(flow.StepSetupChoice)
	d.sees("How would you like to set up this device?", "Set up for personal use", "Set up for work or school")
	d.press("down", "enter")
	d.on(flow.StepSignIn)
	d.sees("Let's set things up for your work or school")
	d.seesNot("Larkspur")
	signIn(d, testUPN, "Contrail#2026")
	d.on(flow.StepPrivacy)
	if a := d.r.Answers(); a.DeviceName != "LAB-PC-07" || a.SetupFor != "work" {
		t.Errorf("answers %+v", a)
	}
}

// TestPersonalUseLeavesTheDeployment: Set up for personal use ends the organization's
// deployment; the page says why a trainer sees it, and Enter starts the device again.
func TestPersonalUseLeavesTheDeployment(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30, tweak: func(w *sim.World) { _ = sim.ApplyFault(w, "no-profile") }})
	d.press("enter", "enter", "enter", "enter", "enter", "enter")
	d.typeText("Runway-2026!")
	d.press("enter", "enter")
	d.on(flow.StepEULA)
	d.press("enter")
	d.on(flow.StepDeviceName)
	d.pressButton("skip")
	d.on(flow.StepSetupChoice)
	d.press("enter")
	d.sees("no organization manages it", "not known to Windows Autopilot", "Press Enter")
	if d.r.Ended() != "personal" {
		t.Fatalf("the run ended %q", d.r.Ended())
	}
	d.press("enter")
	d.on(flow.StepLanguage)
}

package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// faultOff turns the fault named name off from the trainer panel, as a trainer who fixed its
// cause would (a licence assigned, the proxy opened), and closes the panel.
func faultOff(t *testing.T, d *driver, name string) {
	t.Helper()
	d.key("f9")
	focusFault(t, d, name)
	d.key("enter")
	d.settle(func() bool { return strings.Contains(d.text(), "[ ] "+name) })
	d.key("f9")
}

// TestEveryFaultShowsAndHasAWayOut (issue 10: for each named fault, it appears at its place
// with its code, and the documented way out works): each fault is on from power-on; the
// trainee meets it where `oobe faults` says, with its code on screen; the trainer fixes the
// cause (the panel turns the fault off) and the way out Windows offers there — Try again,
// Next again, the Authenticator sent again, another connection, a restart — goes on with the
// deployment.
func TestEveryFaultShowsAndHasAWayOut(t *testing.T) {
	toESPError := func(t *testing.T, d *driver) {
		toSignIn(t, d)
		signIn(d, testUPN, "Contrail#2026")
		d.settle(func() bool { return espState(d) == run.ESPFailed })
	}
	cases := map[string]func(t *testing.T, d *driver, f sim.Fault){
		"enrollment": func(t *testing.T, d *driver, f sim.Fault) {
			toSignIn(t, d)
			signIn(d, testUPN, "Contrail#2026")
			d.settle(func() bool { return signState(d) == run.SignEnrollError })
			d.sees("Something went wrong", f.Code, "Try again")
			faultOff(t, d, f.Name)
			d.pressButton("retry")
			d.settle(func() bool { return d.m.Step() != flow.StepSignIn }) // enrolled
		},
		"user": func(t *testing.T, d *driver, f sim.Fault) {
			toSignIn(t, d)
			d.typeText(testUPN)
			d.press("enter")
			d.sees(f.Code)
			if signState(d) != run.SignUser {
				t.Fatalf("state %d after the user name, want the user name page", signState(d))
			}
			faultOff(t, d, f.Name)
			d.press("enter") // Next again, with the name still typed
			if signState(d) != run.SignPassword {
				t.Fatalf("state %d after Next again, want the password:\n%s", signState(d), d.text())
			}
		},
		"mfa-denied": func(t *testing.T, d *driver, f sim.Fault) {
			toSignIn(t, d)
			signIn(d, testUPN, "Contrail#2026")
			d.settle(func() bool { return signState(d) == run.SignMFADenied })
			faultOff(t, d, f.Name)
			d.pressButton("resend")
			d.settle(func() bool { return d.m.Step() != flow.StepSignIn }) // approved, enrolled
		},
		"no-internet": func(t *testing.T, d *driver, f sim.Fault) {
			d.press("enter", "enter", "enter", "enter", "enter", "enter")
			d.typeText("Runway-2026!")
			d.press("enter")
			d.waitFor("No internet")
			faultOff(t, d, f.Name)
			d.press("down", "enter", "enter") // another network: Larkspur-Guest, open
			d.waitFor("Connected")
			d.pressButton("next")
			d.settle(func() bool { return d.m.Step() != flow.StepNetwork })
		},
		"esp": func(t *testing.T, d *driver, f sim.Fault) {
			toESPError(t, d)
			if f.Code != "" {
				d.sees(f.Code)
			}
			faultOff(t, d, f.Name)
			d.pressButton("retry")
			d.settle(func() bool { return d.m.Step() != flow.StepESPDevice })
			if d.m.Step() != flow.StepPrivacy {
				t.Errorf("after Try again on %s, want privacy", d.m.Step())
			}
		},
		"stuck-identifying": func(t *testing.T, d *driver, f sim.Fault) {
			toSignIn(t, d)
			signIn(d, testUPN, "Contrail#2026")
			walkTo(t, d, flow.StepESPAccount)
			d.settle(func() bool { return espState(d) == run.ESPFailed })
			faultOff(t, d, f.Name)
			d.pressButton("retry")
			d.settle(func() bool { return d.m.Step() != flow.StepESPAccount })
		},
		"unregistered": func(t *testing.T, d *driver, f sim.Fault) {
			d.press("enter", "enter", "enter", "enter", "enter", "enter")
			d.typeText("Runway-2026!")
			d.press("enter", "enter")
			d.on(flow.StepEULA)
			d.press("enter")
			d.on(flow.StepDeviceName)
			d.sees("Let's name your device")
			faultOff(t, d, f.Name) // the hash uploaded, a profile assigned: restart to get it
			d.key("shift+f10")
			d.command("shutdown /r /t 0")
			// OOBE starts again with the earlier answers selected and the Wi-Fi rejoined
			for i := 0; d.m.Step() != flow.StepSignIn; i++ {
				if i > 40 {
					t.Fatalf("never reached the sign-in after the restart; on %s:\n%s", d.m.Step(), d.text())
				}
				if d.m.Step() == flow.StepNetwork {
					d.pressButton("next")
					continue
				}
				d.press("enter")
			}
			if !slices.Contains(d.r.Steps(), flow.StepESPDevice) || slices.Contains(d.r.Steps(), flow.StepSetupChoice) {
				t.Errorf("after the restart the plan is %v: want Autopilot's", d.r.Steps())
			}
			d.sees("Larkspur Aviation")
		},
	}
	kind := map[string]string{
		"no-internet": "no-internet", "mfa-denied": "mfa-denied", "idp-blocked": "user", "sign-in-urls-blocked": "user",
		"app-failure": "esp", "app-error-code": "esp", "esp-timeout": "esp", "stuck-identifying": "stuck-identifying",
		"not-registered": "unregistered", "no-profile": "unregistered",
	}
	for _, f := range sim.Faults() {
		k := kind[f.Name]
		if strings.HasPrefix(f.Where, "sign-in: enrollment") {
			k = "enrollment"
		}
		check, ok := cases[k]
		if !ok {
			continue // shown with its way out elsewhere: hybrid, restarts, network-lost, adfs, pre-provisioning
		}
		t.Run(f.Name, func(t *testing.T) {
			d := newDriver(t, setup{w: 100, h: 30, trainer: true, tweak: func(w *sim.World) { w.Scenario.Faults = []string{f.Name} }})
			check(t, d, f)
		})
	}
}

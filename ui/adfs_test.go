package ui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// TestADFSLetsADifferentUserSignIn (issue 10, reference §1.5 and §4: with ADFS/federation the
// assignment is not enforced): with the adfs fault the device is assigned to Megan and the
// tenant's domains are federated, so the organization's AD FS page takes the user name and
// the password; Tomás replaces Megan's name there and the device is set up for him. The
// record says the assignment was not enforced.
func TestADFSLetsADifferentUserSignIn(t *testing.T) {
	rec := &bytes.Buffer{}
	d := newDriver(t, setup{w: 100, h: 30, rec: rec, tweak: func(w *sim.World) {
		if err := sim.ApplyFault(w, "adfs"); err != nil {
			t.Fatal(err)
		}
	}})
	toSignIn(t, d)
	d.sees("Larkspur Aviation", "Sign in with your organizational account", "AD FS", testUPN, "User name", "Password")
	d.key("shift+tab") // from the password to the user name
	for range len(testUPN) {
		d.key("backspace")
	}
	d.typeText("tomas.okafor@larkspuraero.com")
	d.key("enter") // to the password
	d.typeText("Tailwind#2026")
	d.press("enter")
	d.waitFor("Enter code")
	d.typeText("246810")
	d.press("enter")
	d.on(flow.StepESPDevice)
	if u := d.r.User().UPN; u != "tomas.okafor@larkspuraero.com" {
		t.Errorf("the device was set up for %q", u)
	}
	if !strings.Contains(recorded(rec).String(), `"event":"assignment_not_enforced","detail":"assigned to megan.rivera@larkspuraero.com, signed in tomas.okafor@larkspuraero.com"`) {
		t.Errorf("no assignment_not_enforced event:\n%s", rec.String())
	}
}

// TestADFSWrongPasswordStaysOnItsPage: a wrong password on the AD FS page says so there, with
// the user name kept, and the right one goes on.
func TestADFSWrongPasswordStaysOnItsPage(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30, tweak: func(w *sim.World) {
		w.Organization.FederatedDomains = []string{"larkspuraero.com"}
	}})
	toSignIn(t, d)
	d.typeText(testUPN)
	d.press("enter")
	d.sees("Sign in with your organizational account", testUPN)
	d.typeText("nope")
	d.press("enter")
	d.waitFor("password is incorrect")
	d.sees("Sign in with your organizational account", testUPN)
	d.typeText("Contrail#2026")
	d.key("enter")
	d.on(flow.StepESPDevice)
	if u := d.r.User().UPN; u != testUPN {
		t.Errorf("signed in %q", u)
	}
}

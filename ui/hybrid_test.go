package ui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

// hybridTweak turns the embedded tenant into a Microsoft Entra hybrid join that checks the
// domain controller; reachable is the scenario's domain controller.
func hybridTweak(reachable bool) func(*flow.Tenant) {
	return func(ten *flow.Tenant) {
		ten.Profile.Join = flow.JoinHybrid
		ten.Profile.SkipDCCheck = false
		ten.Profile.ESP.Show = true
		ten.DeviceIdentity = nil
		ten.DomainJoin = &flow.DomainJoin{Domain: "larkspur.corp", Prefix: "LSA-HY-", RandomChars: 6}
		ten.Scenario.DomainController = flow.ScenarioDomainController{Reachable: &reachable}
	}
}

func hybridWinSignIn(d *driver) *winSignInScreen { s, _ := d.m.screen.(*winSignInScreen); return s }

// TestHybridJoinToDesktop: a hybrid join signs in with the Entra credentials, restarts at the
// end of Device preparation without asking for credentials, runs Device setup and privacy,
// then the Windows sign-in (Enter for Ctrl+Alt+Del; a wrong password is refused; DOMAIN\user
// signs in), the first sign-in animation, Account setup and its Sign out, the PIN (the policy
// enables Windows Hello for Business) and the desktop.
func TestHybridJoinToDesktop(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: flrRecorder(&buf), tweak: hybridTweak(true)})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })
	d.settle(func() bool {
		return d.m.common.ESP.Phase(flow.ESPDevicePreparation).Groups[1].Status == flow.ItemWorking
	})
	flrWant(t, d, "Device preparation", "Joining your organization's network")
	d.settle(func() bool { e := flrESP(d); return e != nil && e.restart })
	if !flrESP(d).FullScreen() {
		t.Error("the restart is not full screen")
	}
	flrWant(t, d, "Restarting")
	d.settle(func() bool { e := flrESP(d); return e != nil && !e.restart })
	d.settle(func() bool {
		e := flrESP(d)
		return e == nil || e.reentry || d.m.common.ESP.Phase(flow.ESPDeviceSetup).State == flow.ItemWorking
	})
	if e := flrESP(d); e == nil || e.reentry {
		t.Fatalf("a hybrid join asks for credentials after the restart:\n%s", d.text())
	}
	if st := d.m.common.ESP.Phase(flow.ESPDevicePreparation).State; st != flow.ItemComplete {
		t.Errorf("Device preparation = %s after the restart", st)
	}
	flrWant(t, d, "Device setup", "Working on it")
	d.settle(func() bool { return d.m.Step() == flow.StepPrivacy })
	if d.m.common.ESP.Phase(flow.ESPDeviceSetup).State != flow.ItemComplete {
		t.Error("privacy before Device setup completed")
	}
	d.press("tab") // Accept
	d.press("enter")
	if d.m.Step() != flow.StepWindowsSignIn {
		t.Fatalf("on %s after privacy, want the Windows sign-in:\n%s", d.m.Step(), d.text())
	}
	flrWant(t, d, "Press Ctrl+Alt+Del to unlock.", "press Enter instead")
	d.press("enter")
	w := hybridWinSignIn(d)
	if w == nil || !w.unlocked || w.user.Value() != "" {
		t.Fatalf("Enter did not unlock to an empty user name:\n%s", d.text())
	}
	flrWant(t, d, "Other user", "User name", "Password", "Sign in to: LARKSPUR")
	flrWantNot(t, d, flrMegan)
	d.typeText(`LARKSPUR\megan.rivera`)
	d.press("enter") // to the password
	d.typeText("Wrong#Horse7")
	d.press("enter")
	flrWant(t, d, "The user name or password is incorrect. Try again.")
	flrWantNot(t, d, "Wrong#Horse7")
	if d.m.Step() != flow.StepWindowsSignIn {
		t.Fatalf("a wrong password went on to %s", d.m.Step())
	}
	d.typeText("Contrail#2026") // the focus is back on the password
	d.send(keyMsg("enter"))
	d.settle(func() bool { return d.m.Step() == flow.StepFSIA })
	d.settle(func() bool { e := flrESP(d); return e != nil && e.signOut })
	if d.m.Step() != flow.StepESPAccount {
		t.Fatalf("on %s, want Account setup", d.m.Step())
	}
	flrWant(t, d, "Account setup", "Sign out")
	d.idle()
	if d.m.Step() != flow.StepESPAccount {
		t.Fatalf("the ESP moved on to %s without Sign out", d.m.Step())
	}
	d.press("enter") // Sign out
	d.idle()
	// the embedded policy enables Windows Hello for Business: the PIN set-up follows
	if d.m.Step() != flow.StepHello {
		t.Fatalf("on %s after Sign out, want the Windows Hello page:\n%s", d.m.Step(), d.text())
	}
	d.press("enter")
	d.typeText("135791")
	d.press("tab")
	d.typeText("135791")
	d.press("enter")
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("on %s after the PIN, want the desktop:\n%s", d.m.Step(), d.text())
	}
	flrWant(t, d, "hybrid")

	lines := flrLines(t, buf.String())
	if flrCount(lines, flow.RecordError, `"error":"windows_sign_in"`) != 1 {
		t.Errorf("the wrong Windows password is not recorded once:\n%s", buf.String())
	}
	if flrFind(lines, 0, flow.RecordAnswer, `"windowsUser":"LARKSPUR\\megan.rivera"`) < 0 {
		t.Errorf("the Windows sign-in is not recorded:\n%s", buf.String())
	}
	if flrFind(lines, 0, flow.RecordBackend, `"event":"signed_out"`) < 0 {
		t.Error("Sign out is not recorded")
	}
	if flrFind(lines, 0, flow.RecordBackend, `"event":"signed_in_after_restart"`) >= 0 {
		t.Error("credentials were asked again after the hybrid restart")
	}
	flrNoSecrets(t, "the record", buf.String())
}

// TestHybridWindowsSignInUPN: the UPN signs in on the Windows sign-in too; a DOMAIN\user of
// another domain is refused.
func TestHybridWindowsSignInUPN(t *testing.T) {
	d := newDriver(t, setup{tweak: hybridTweak(true)})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.settle(func() bool { return d.m.Step() == flow.StepPrivacy })
	d.press("tab")
	d.press("enter", "enter") // Accept; Enter for Ctrl+Alt+Del
	d.typeText(`FABRIKAM\megan.rivera`)
	d.press("enter")
	d.typeText("Contrail#2026")
	d.press("enter")
	flrWant(t, d, "The user name or password is incorrect.")
	d.press("shift+tab")
	for range len(`FABRIKAM\megan.rivera`) {
		d.press("backspace")
	}
	d.typeText(strings.ToUpper(flrMegan))
	d.press("enter")
	d.typeText("Contrail#2026")
	d.send(keyMsg("enter"))
	d.settle(func() bool { return d.m.Step() == flow.StepFSIA })
}

// TestHybridDCUnreachable: no domain controller answers: "Joining your organization's
// network" fails with 0x80070774 and the ESP shows its error view with the configured buttons.
func TestHybridDCUnreachable(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: flrRecorder(&buf), tweak: hybridTweak(false)})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.settle(func() bool { e := flrESP(d); return e != nil && e.failed })
	flrWant(t, d, "Something went wrong", "Joining your organization's network", "Failed: 0x80070774")
	if e := flrESP(d); e.restart {
		t.Error("the device restarted after a failed domain join")
	}
	p := d.m.common.Session.Profile
	flrCheckESPButtons(t, d, flow.Buttons(p.ESP, p.Windows), true)
	lines := flrLines(t, buf.String())
	if flrFind(lines, 0, flow.RecordError, `"error":"esp_failed"`, `"code":"0x80070774"`) < 0 {
		t.Errorf("the failure is not recorded with its code:\n%s", buf.String())
	}
}

package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
)

// toSignIn walks d from the first page to the organization sign-in.
func toSignIn(t testing.TB, d *driver) {
	t.Helper()
	d.press("enter", "enter", "enter", "enter", "enter", "enter")
	d.typeText("Runway-2026!")
	d.press("enter", "enter")
	d.settle(func() bool { return d.m.Step() == flow.StepEULA })
	d.press("enter")
	if d.m.Step() != flow.StepSignIn {
		t.Fatalf("on %s, want the sign-in page:\n%s", d.m.Step(), d.text())
	}
}

// TestSignInAssignedUser: a device record with an assigned user pre-fills the UPN, greets the
// user by the friendly name and asks only for the password; the escape link starts over with
// an empty username.
func TestSignInAssignedUser(t *testing.T) {
	d := newDriver(t, setup{tweak: func(tn *flow.Tenant) {
		tn.DeviceIdentity = &flow.DeviceIdentity{Serial: "8CG3471KQD", UPN: "megan.rivera@larkspuraero.com", FriendlyName: "Megan"}
	}})
	toSignIn(t, d)
	scr := d.text()
	for _, want := range []string{"Welcome, Megan!", "megan.rivera@larkspuraero.com", "Enter password"} {
		if !strings.Contains(scr, want) {
			t.Errorf("%q not on the assigned user's sign-in page:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "Back") {
		t.Errorf("an assigned user cannot go back to the username:\n%s", scr)
	}
	d.click("Start over")
	if s := d.m.screen.(*signInScreen); s.state != signUser || s.user.Value() != "" {
		t.Fatalf("the escape link left state %v with username %q", s.state, s.user.Value())
	}
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	d.typeText("Contrail#2026")
	d.press("enter")
	if d.m.Step() == flow.StepSignIn {
		t.Fatalf("still on sign-in after the right password:\n%s", d.text())
	}
}

// TestSignInEscapeLinkHidden: a profile that hides the change-account options shows no link.
func TestSignInEscapeLinkHidden(t *testing.T) {
	d := newDriver(t, setup{tweak: func(tn *flow.Tenant) { tn.Profile.EscapeLinkHidden = true }})
	toSignIn(t, d)
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	if scr := d.text(); !strings.Contains(scr, "Enter password") || strings.Contains(scr, "Start over") {
		t.Errorf("password page with the escape link hidden:\n%s", scr)
	}
}

// TestSignInWindows10Button: Windows 10 labels the sign-in button Next.
func TestSignInWindows10Button(t *testing.T) {
	d := newDriver(t, setup{theme: "win10"})
	toSignIn(t, d)
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	for _, line := range strings.Split(d.text(), "\n") {
		if strings.Contains(line, "Back") && (!strings.Contains(line, "Next") || strings.Contains(line, "Sign in")) {
			t.Errorf("Windows 10 buttons: %q, want Back and Next", line)
		}
	}
}

// TestSignInBadgeWithoutLogo: a tenant without a logo image shows the organization's initials.
func TestSignInBadgeWithoutLogo(t *testing.T) {
	d := newDriver(t, setup{tweak: func(tn *flow.Tenant) { tn.SquareLogo, tn.SquareLogoDark = nil, nil }})
	toSignIn(t, d)
	if scr := d.text(); !strings.Contains(scr, "LA") || strings.Contains(scr, "▀") {
		t.Errorf("sign-in page without a logo image:\n%s", scr)
	}
}

// TestFirstFrameIsFirstPage: with the boot report given up front, the very first frame is the
// first page, not "Just a moment".
func TestFirstFrameIsFirstPage(t *testing.T) {
	opts := testOptions(t, setup{})
	info, err := opts.Backend.Boot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	opts.Boot = &info
	m := New(opts)
	if m.Step() != flow.StepLanguage || !strings.Contains(stripANSI(m.View().Content), "Choose your language") {
		t.Fatalf("first frame on %q:\n%s", m.Step(), stripANSI(m.View().Content))
	}
}

// TestFastForward: F6 runs a real-time clock 30 times faster and back, says so in the help
// line and records it; on a virtual clock (tests) it is not offered.
func TestFastForward(t *testing.T) {
	opts := testOptions(t, setup{})
	info, err := opts.Backend.Boot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	opts.Boot = &info
	clock := flow.NewScaledClock(2)
	opts.Clock = clock
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if !strings.Contains(stripANSI(m.View().Content), "f6 fast-forward") {
		t.Fatalf("F6 not in the help line:\n%s", stripANSI(m.View().Content))
	}
	m.Update(keyMsg("f6"))
	if clock.Speed() != 60 || !strings.Contains(stripANSI(m.View().Content), "f6 normal speed") {
		t.Fatalf("after F6: speed %v\n%s", clock.Speed(), stripANSI(m.View().Content))
	}
	m.Update(keyMsg("f6"))
	if clock.Speed() != 2 {
		t.Fatalf("after F6 twice: speed %v, want 2", clock.Speed())
	}
	if d := newDriver(t, setup{}); strings.Contains(d.text(), "f6") {
		t.Errorf("F6 offered on a virtual clock:\n%s", d.text())
	}
}

package ui

import (
	"bytes"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// toSignIn walks d from the first page to the organization sign-in, as a person would.
func toSignIn(t testing.TB, d *driver) {
	t.Helper()
	d.press("enter", "enter", "enter", "enter", "enter", "enter")
	d.typeText("Runway-2026!")
	d.press("enter", "enter")
	d.on(flow.StepEULA)
	d.press("enter")
	if d.m.Step() != flow.StepSignIn {
		t.Fatalf("on %s, want the sign-in page:\n%s", d.m.Step(), d.text())
	}
}

// signIn types a username and a password on the branded sign-in page.
func signIn(d *driver, upn, password string) {
	d.typeText(upn)
	d.press("enter")
	d.typeText(password)
	d.key("enter")
}

// TestSignInAssignedUser: a device record with an assigned user pre-fills the UPN, greets the
// user by the friendly name and asks only for the password; the escape link starts over with
// an empty username (reference §1.5, §2.7).
func TestSignInAssignedUser(t *testing.T) {
	d := newDriver(t, setup{tweak: func(w *sim.World) {
		w.DeviceIdentity = &flow.DeviceIdentity{Serial: "8CG3471KQD", UPN: "megan.rivera@larkspuraero.com", FriendlyName: "Megan"}
	}})
	toSignIn(t, d)
	d.sees("Welcome, Megan!", "megan.rivera@larkspuraero.com", "Enter password")
	if _, ok := d.button("back"); ok {
		t.Errorf("an assigned user cannot go back to the username:\n%s", d.text())
	}
	d.click("Start over")
	d.sees("Work or school account")
	if strings.Contains(d.text(), "megan.rivera@larkspuraero.com") {
		t.Fatalf("the escape link kept the username:\n%s", d.text())
	}
	signIn(d, "megan.rivera@larkspuraero.com", "Contrail#2026")
	d.idle()
	if d.m.Step() == flow.StepSignIn {
		t.Fatalf("still on sign-in after the right password:\n%s", d.text())
	}
}

// TestSignInEscapeLinkHidden: a profile that hides the change-account options shows no link
// (reference §1.10).
func TestSignInEscapeLinkHidden(t *testing.T) {
	d := newDriver(t, setup{tweak: func(w *sim.World) { w.Profile.EscapeLinkHidden = true }})
	toSignIn(t, d)
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	d.sees("Enter password")
	d.seesNot("Start over")
}

// TestSignInWindows10Button: Windows 10 labels the sign-in button Next (reference §1.3).
func TestSignInWindows10Button(t *testing.T) {
	d := newDriver(t, setup{theme: "win10"})
	toSignIn(t, d)
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	if l := d.line("Back"); !strings.Contains(l, "Next") || strings.Contains(l, "Sign in") {
		t.Errorf("Windows 10 buttons: %q, want Back and Next", l)
	}
}

// TestWindowsIsARunInput: --windows 10 gives the Windows 10 behaviours in a Windows 11 look.
func TestWindowsIsARunInput(t *testing.T) {
	d := newDriver(t, setup{windows: flow.Windows10})
	toSignIn(t, d)
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter")
	if l := d.line("Back"); !strings.Contains(l, "Next") {
		t.Errorf("--windows 10 in the win11 theme: %q, want Next", l)
	}
	if !strings.Contains(d.text(), "╭") {
		t.Error("the win11 look (the card) is gone")
	}
}

// TestSignInBadgeWithoutLogo: a tenant without a logo image shows the organization's initials.
func TestSignInBadgeWithoutLogo(t *testing.T) {
	d := newDriver(t, setup{tweak: func(w *sim.World) { w.SquareLogo, w.SquareLogoDark = nil, nil }})
	toSignIn(t, d)
	if scr := d.text(); !strings.Contains(scr, "LA") || strings.Contains(scr, "▀") {
		t.Errorf("sign-in page without a logo image:\n%s", scr)
	}
}

// TestSignInLogoOnceAfterResize: after a resize into the wide layout the sign-in page draws
// the company logo once, in the left column, from the first frame on (two frames in a row
// are the same).
func TestSignInLogoOnceAfterResize(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30})
	toSignIn(t, d)
	d.resize(140, 40)
	first, second := d.text(), d.text()
	if first != second {
		t.Fatalf("two frames after the resize differ:\n%s\n---\n%s", first, second)
	}
	rows := 0
	for _, l := range strings.Split(first, "\n") {
		if strings.Count(l, "▀") > 0 && strings.Index(l, "▀") > 70 {
			rows++
		}
	}
	if rows > 0 {
		t.Errorf("the logo is drawn beside the form too in the wide layout:\n%s", first)
	}
	d.resize(100, 30)
	if a, b := d.text(), d.text(); a != b {
		t.Fatal("two frames after resizing back differ")
	}
}

// TestFirstFrameIsFirstPage: with the boot report taken before the program starts, the very
// first frame is the first page, not "Just a moment".
func TestFirstFrameIsFirstPage(t *testing.T) {
	m, _, _ := newTestModel(t, setup{})
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 64)}
	d.queue(m.Init())
	d.settle(func() bool { return m.Step() != "" })
	if !strings.Contains(stripANSI(m.View().Content), "Choose your language") {
		t.Fatalf("first frame on %q:\n%s", m.Step(), stripANSI(m.View().Content))
	}
}

// TestFastForward: F6 runs a paced clock 30 times faster and back, says so in the help line
// and records it; on a virtual clock that jumps (--speed max) it is not offered.
func TestFastForward(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30})
	if strings.Contains(d.text(), "f6") {
		t.Errorf("F6 offered with --speed max:\n%s", d.text())
	}
	var buf bytes.Buffer
	d = newDriver(t, setup{w: 100, h: 30, speed: 2, rec: &buf}) // as with --speed 2
	clock := d.clock.(flow.Throttle)
	d.sees("f6 fast-forward")
	d.press("f6")
	if clock.Speed() != 60 {
		t.Fatalf("after F6: speed %v", clock.Speed())
	}
	d.sees("f6 normal speed")
	d.press("f6")
	if clock.Speed() != 2 {
		t.Fatalf("after F6 twice: speed %v, want 2", clock.Speed())
	}

	// it ends with the page it was meant for: the next page runs at the normal speed
	d.press("f6", "enter") // language chosen: the region page
	if d.m.Step() != flow.StepRegion || clock.Speed() != 2 {
		t.Errorf("on %s the speed is %v, want the normal 2", d.m.Step(), clock.Speed())
	}
	d.seesNot("normal speed")
	if !strings.Contains(recorded(&buf).String(), `"button":"fast_forward","on":false`) {
		t.Errorf("the end of the fast-forward is not recorded:\n%s", recorded(&buf).String())
	}
}

// TestHelpOverlay: F1 lays the list of the page's keys over the page, centred, the page still
// visible around it; Esc closes it.
func TestHelpOverlay(t *testing.T) {
	d := newDriver(t, setup{tweak: func(w *sim.World) { w.Scenario.Handout = false }})
	d.press("f1")
	lines := strings.Split(d.text(), "\n")
	if len(lines) != 24 || !strings.Contains(lines[2], "Choose your language") {
		t.Fatalf("the page is not drawn around the overlay:\n%s", d.text())
	}
	box := -1
	for i, l := range lines {
		if strings.Contains(l, "Keys") {
			box = i
			if col := strings.Index(l, "Keys"); col < 12 {
				t.Errorf("the overlay is not centred (\"Keys\" at column %d):\n%s", col, d.text())
			}
		}
	}
	if box < 4 || box > 12 {
		t.Fatalf("no overlay in the middle of the screen:\n%s", d.text())
	}
	d.sees("F1, Esc or Enter closes this list.")
	d.press("esc")
	d.seesNot("F1, Esc or Enter closes this list.")
	d.sees("Choose your language")
}

// TestHelpLineKeepsQuit (issue 8): however narrow the terminal, the help line ends with F1
// (every key) and Ctrl+C; a fast-forward in progress stays visible too; the page's own keys
// give way first.
func TestHelpLineKeepsQuit(t *testing.T) {
	d := newDriver(t, setup{w: 80, h: 24, speed: 2})
	d.press("enter") // the region page: the longest help
	last := func() string { l := strings.Split(d.text(), "\n"); return l[len(l)-1] }
	for _, w := range []int{80, 60, 50} {
		d.resize(w, 24)
		if l := last(); !strings.HasSuffix(strings.TrimRight(l, " "), "f1 all keys • ctrl+c quit") {
			t.Errorf("at %d columns the help line is %q", w, l)
		}
	}
	d.resize(80, 24)
	d.press("f6")
	if l := last(); !strings.Contains(l, "f6 normal speed") || !strings.Contains(l, "ctrl+c quit") {
		t.Errorf("fast-forwarding, the help line is %q", l)
	}
}

// TestSignInWordsSurvive (issue 8): on the password page with its warning, at the sizes people
// use, no word of the warning, of the escape link or of the organization's text is lost to
// the logo column or to the height.
func TestSignInWordsSurvive(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {90, 26}} {
		d := newDriver(t, setup{w: sz[0], h: sz[1]})
		toSignIn(t, d)
		signIn(d, "megan.rivera@larkspuraero.com", "Contrail#2025")
		d.idle()
		screen := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "▄", " ", "▀", " ", "█", " ").Replace(d.text())), " ")
		c := d.m.Catalog()
		for _, text := range []string{c.T("signin.wrong_password"), c.T("signin.escape_link"), d.r.Device().Branding.SignInPageText} {
			for _, word := range strings.Fields(text) {
				if !strings.Contains(screen, word) {
					t.Errorf("%dx%d: %q of %q is not on screen:\n%s", sz[0], sz[1], word, text, d.text())
					break
				}
			}
		}
	}
}

// TestPracticeHandout (issue 8): the embedded demo is a practice run: its hand-out (the
// Wi-Fi key, the account and its password) shows in a box beside the page when the terminal
// has room, and in the F1 list whatever the width; a scenario without "handout" shows none;
// the hand-out never reaches the record.
func TestPracticeHandout(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{w: 200, h: 50, rec: &buf})
	d.sees("Practice hand-out", "Wi-Fi Larkspur-Corp", "Runway-2026!", "megan.rivera@larkspuraero.com", "Contrail#2026")
	if strings.Index(d.line("Runway-2026!"), "Runway-2026!") < strings.Index(d.line("Choose your language"), "Choose your language") {
		t.Errorf("the hand-out is not beside the page:\n%s", d.text())
	}
	d.resize(80, 24)
	d.seesNot("Practice hand-out")
	d.press("f1")
	d.sees("Practice hand-out", "Runway-2026!", "Contrail#2026")
	d.press("esc")
	noSecrets(t, "the record", recorded(&buf).String())

	d = newDriver(t, setup{w: 200, h: 50, tweak: func(w *sim.World) { w.Scenario.Handout = false }})
	d.seesNot("Practice hand-out", "Runway-2026!")
}

// TestMFADeniedIsNoDeadEnd (issue 8): after a denied Authenticator request the person can
// start over with a different account (the button, or Esc), not only retry.
func TestMFADeniedIsNoDeadEnd(t *testing.T) {
	for _, way := range []string{"button", "esc"} {
		d := newDriver(t, setup{})
		toSignIn(t, d)
		signIn(d, "jordan.blake@larkspuraero.com", "Holding#2026")
		d.idle()
		d.sees("The request was denied or timed out.")
		if way == "button" {
			d.pressButton("startover")
		} else {
			d.press("esc")
		}
		if s := d.r.SignIn(); s == nil || s.State != run.SignUser {
			t.Fatalf("%s: not back on the user name page:\n%s", way, d.text())
		}
		d.seesNot("jordan.blake")
	}
}

// TestSignInIdentityProviderBlocked (issue 10, reference §6): behind a proxy or firewall that
// blocks the identity provider, the sign-in page says so with Windows' code and stays on the
// user name, so the person can try again once the network is fixed.
func TestSignInIdentityProviderBlocked(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30, tweak: func(w *sim.World) {
		if err := sim.ApplyFault(w, "idp-blocked"); err != nil {
			t.Fatal(err)
		}
	}})
	toSignIn(t, d)
	d.typeText(testUPN)
	d.press("enter")
	d.sees("Something went wrong", "OOBEIDPS")
	if s := d.r.SignIn(); s.State != run.SignUser {
		t.Errorf("state %d, want the user name page", s.State)
	}
}

package ui

// Failure scenarios driven with real key presses through the root model: wrong password,
// another organization, MFA denied and codes, enrollment errors, ESP app failures with every
// combination of error buttons, the ESP timeout, the restart during Device setup with
// credential re-entry, and goldens of those states. Each test checks what the user sees and
// the run record, and that the record never holds a secret.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

const (
	flrMegan  = "megan.rivera@larkspuraero.com"
	flrTomas  = "tomas.okafor@larkspuraero.com"
	flrPriya  = "priya.natarajan@larkspuraero.com"
	flrJordan = "jordan.blake@larkspuraero.com"
)

// flrCredentials types a username and a password on the sign-in page; the final Enter is
// sent but what it starts is left pending, so the caller can stop anywhere after it.
func flrCredentials(t *testing.T, d *driver, upn, password string) {
	t.Helper()
	d.typeText(upn)
	d.press("enter")
	if s := d.r.SignIn(); s == nil || s.State != run.SignPassword {
		t.Fatalf("no password page after the username %s:\n%s", upn, d.text())
	}
	d.typeText(password)
	d.key("enter")
}

// signState is the sign-in controller's state (-1 off the sign-in page).
func signState(d *driver) run.SignInState {
	if s := d.r.SignIn(); s != nil {
		return s.State
	}
	return -1
}

// espState is the ESP controller's state (-1 off an ESP page).
func espState(d *driver) run.ESPState {
	if e := d.r.ESPStep(); e != nil {
		return e.State
	}
	return -1
}

// flrButtonIDs are the ids of the buttons on screen, in order.
func flrButtonIDs(d *driver) []string {
	var ids []string
	for _, b := range d.card().Buttons {
		ids = append(ids, b.ID)
	}
	return ids
}

// The ESP error view's buttons: id, label, and whether flow.Buttons offers it.
var flrESPButtons = []struct {
	id, label string
	on        func(flow.ESPButtons) bool
}{
	{"logs", "Collect logs", func(b flow.ESPButtons) bool { return b.CollectLogs }},
	{"diagnostics", "View diagnostics", func(b flow.ESPButtons) bool { return b.Diagnostics }},
	{"reset", "Reset device", func(b flow.ESPButtons) bool { return b.Reset }},
	{"continue", "Continue anyway", func(b flow.ESPButtons) bool { return b.Continue }},
	{"retry", "Try again", func(b flow.ESPButtons) bool { return b.TryAgain }},
}

// flrCheckESPButtons checks that the error view offers exactly the buttons flow.Buttons allows
// and, with labels, that each label is on screen whole (not cut off).
func flrCheckESPButtons(t *testing.T, d *driver, want flow.ESPButtons, labels bool) {
	t.Helper()
	ids := flrButtonIDs(d)
	scr := d.text()
	for _, b := range flrESPButtons {
		offered := slices.Contains(ids, b.id)
		if offered != b.on(want) {
			t.Errorf("button %q offered = %v, want %v (flow.Buttons = %+v)", b.label, offered, b.on(want), want)
		}
		if !labels {
			continue
		}
		switch on := strings.Contains(scr, b.label); {
		case on && !b.on(want):
			t.Errorf("label %q on screen, but flow.Buttons = %+v", b.label, want)
		case !on && b.on(want) && offered:
			t.Errorf("button %q is offered but its label is not on screen: the button row is cut off "+
				"(ui/frame.go renderButtons truncates a row wider than the body column):\n%s", b.label, scr)
		case !on && b.on(want):
			t.Errorf("label %q not on screen (flow.Buttons = %+v):\n%s", b.label, want, scr)
		}
	}
}

// focused reports whether button id has the focus.
func focused(d *driver, id string) bool {
	b, ok := d.button(id)
	return ok && b.Focused
}

// emptyUserBox reports whether the username box shows its hint (nothing typed).
func emptyUserBox(d *driver) bool {
	return strings.Contains(d.text(), "firstname.lastname@larkspuraero.com")
}

const (
	flrAppFailCode = "0x81036502"
	flrDefaultESP  = "Setup could not be completed. Please try again or contact your support person for help."
	flrTimeoutText = "Setup is taking longer than expected."
)

// flrAppIndex finds a scenario app by name.
func flrAppIndex(t testing.TB, ten *sim.World, name string) int {
	i := slices.IndexFunc(ten.Scenario.Apps, func(a sim.ScenarioApp) bool { return a.Name == name })
	if i < 0 {
		t.Fatalf("no app %q in the scenario", name)
	}
	return i
}

// flrAlwaysFails makes Company Portal (a blocking device app) fail for everyone, every time.
func flrAlwaysFails(t testing.TB) func(*sim.World) {
	return func(ten *sim.World) {
		i := flrAppIndex(t, ten, "Company Portal")
		ten.Scenario.Apps[i].FailCode = flrAppFailCode
		ten.Scenario.Apps[i].FailTimes = 0
		ten.Scenario.Apps[i].FailFor = nil
	}
}

// flrTweaks applies several tweaks in order.
func flrTweaks(fs ...func(*sim.World)) func(*sim.World) {
	return func(ten *sim.World) {
		for _, f := range fs {
			f(ten)
		}
	}
}

// flrMeganToESPError signs megan in and runs the ESP until its error view.
func flrMeganToESPError(t *testing.T, d *driver) {
	t.Helper()
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.idle()
	if espState(d) != run.ESPFailed {
		t.Fatalf("no ESP error view on step %s:\n%s", d.m.Step(), d.text())
	}
	d.sees("Something went wrong")
}

// TestFailureWrongPasswordThenRight: a wrong password shows the error under the box and keeps
// the user on the password page; the right one goes on to the Authenticator push and the ESP.
func TestFailureWrongPasswordThenRight(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: &buf})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2025")
	d.idle()
	if signState(d) != run.SignPassword {
		t.Fatalf("a wrong password left the password page:\n%s", d.text())
	}
	d.sees("Enter password", flrMegan, "Your account or password is incorrect.")
	if strings.Contains(d.text(), "•••") {
		t.Error("the wrong password stays in the box")
	}
	d.seesNot("Contrail#2025")

	d.typeText("Contrail#2026")
	d.seesNot("Your account or password is incorrect.") // typing clears the error
	d.key("enter")
	d.settle(func() bool { return signState(d) == run.SignMFAPush })
	d.sees("Approve sign in request", fmt.Sprint(d.r.SignIn().Number))
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })
	d.sees("Setting up your device for work")

	lines := record(t, &buf)
	if countLines(lines, flow.RecordError, `"error":"sign_in"`, `"user":"`+flrMegan+`"`) != 1 {
		t.Errorf("the wrong password is not recorded once as a sign-in error:\n%s", recorded(&buf).String())
	}
	if findLine(lines, 0, flow.RecordAnswer, `"upn":"`+flrMegan+`"`) < 0 {
		t.Error("the signed-in user is not recorded")
	}
	noSecrets(t, "the record", recorded(&buf).String())
}

// TestFailureOtherOrganization (issue 10): a username of another organization shows the
// error page in Microsoft's words, with Sign in again and, when the profile shows the escape
// link, Start over. They do different things: Sign in again keeps the name typed, to correct
// it; Start over empties the box for a different account.
func TestFailureOtherOrganization(t *testing.T) {
	for _, tc := range []struct {
		name       string
		hidden     bool
		wantIDs    []string
		pressLabel string
		press      string
	}{
		{"escape_link_shown/sign_in_again", false, []string{"startover", "again"}, "Sign in again", "again"},
		{"escape_link_shown/start_over", false, []string{"startover", "again"}, "Start over", "startover"},
		{"escape_link_hidden/sign_in_again", true, []string{"again"}, "Sign in again", "again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			d := newDriver(t, setup{rec: &buf, tweak: func(ten *sim.World) {
				ten.Profile.EscapeLinkHidden = tc.hidden
			}})
			toSignIn(t, d)
			d.typeText("someone@fabrikam.example")
			d.press("enter")
			if signState(d) != run.SignOrgError {
				t.Fatalf("no organization error:\n%s", d.text())
			}
			d.sees("That username looks like it belongs to another organization",
				"Try signing in again or start over with a different account.", "someone@fabrikam.example", "Sign in again")
			if tc.hidden {
				d.seesNot("Start over")
			} else {
				d.sees("Start over")
			}
			if got := flrButtonIDs(d); !slices.Equal(got, tc.wantIDs) {
				t.Fatalf("buttons %v, want %v", got, tc.wantIDs)
			}
			if !focused(d, "again") {
				t.Error("Sign in again does not have the focus")
			}

			d.pressButton(tc.press)
			if tc.press == "again" {
				if signState(d) != run.SignUser || d.line("someone@fabrikam.example") == "" {
					t.Fatalf("Sign in again: not back at the username box with the name typed:\n%s", d.text())
				}
				for range len("someone@fabrikam.example") {
					d.key("backspace")
				}
			} else if signState(d) != run.SignUser || !emptyUserBox(d) {
				t.Fatalf("%s: not back at an empty username box:\n%s", tc.pressLabel, d.text())
			}
			d.sees("Work or school account", "firstname.lastname@larkspuraero.com") // the hint: the box is empty
			d.seesNot("fabrikam")

			// and the right account signs in from there
			flrCredentials(t, d, flrMegan, "Contrail#2026")
			d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })

			lines := record(t, &buf)
			if findLine(lines, 0, flow.RecordError, `"error":"other_organization"`, `"domain":"fabrikam.example"`) < 0 {
				t.Errorf("the other organization is not recorded:\n%s", recorded(&buf).String())
			}
			if findLine(lines, 0, flow.RecordButton, `"button":"`+tc.press+`"`) < 0 {
				t.Errorf("the %s button is not recorded", tc.pressLabel)
			}
			noSecrets(t, "the record", recorded(&buf).String())
		})
	}
}

// TestFailureMFADenied: jordan denies the push; Send another request is denied again; a wrong
// verification code shows an error; jordan's scenario entry sets no code, so the default code
// (flow.DefaultMFACode) is accepted and the device enrolls.
func TestFailureMFADenied(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: &buf})
	toSignIn(t, d)
	flrCredentials(t, d, flrJordan, "Holding#2026")
	d.settle(func() bool { return signState(d) == run.SignMFAPush })
	d.sees("Approve sign in request", "Open your Authenticator app")
	d.idle()
	denied := func() {
		t.Helper()
		if signState(d) != run.SignMFADenied {
			t.Fatalf("not the denied view:\n%s", d.text())
		}
		d.sees(flrJordan, "The request was denied or timed out.", "Use a verification code", "Send another request")
	}
	denied()
	if !focused(d, "resend") {
		t.Error("Send another request does not have the focus")
	}

	d.key("enter") // Send another request
	d.settle(func() bool { return signState(d) == run.SignMFAPush })
	d.sees("Approve sign in request")
	d.idle()
	denied()

	d.pressButton("usecode")
	if signState(d) != run.SignMFACode {
		t.Fatalf("Use a verification code: not the code page:\n%s", d.text())
	}
	d.sees("Enter code", "Enter the code displayed in the Authenticator app")
	d.typeText("975310")
	d.press("enter")
	d.sees("Enter code", "That code didn't work. Check the code and try again.")
	if strings.Contains(d.text(), "975310") {
		t.Error("the wrong code stays in the box")
	}

	// jordan has no mfaCode: sim.VerifyCode accepts flow.DefaultMFACode for him
	d.typeText(sim.DefaultMFACode)
	d.key("enter")
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })

	lines := record(t, &buf)
	if n := countLines(lines, flow.RecordError, `"error":"mfa_denied"`); n != 2 {
		t.Errorf("%d denials recorded, want 2", n)
	}
	if n := countLines(lines, flow.RecordError, `"error":"wrong_code"`); n != 1 {
		t.Errorf("%d wrong codes recorded, want 1", n)
	}
	if findLine(lines, 0, flow.RecordEvent, `"event":"mfa_approved"`) < 0 || findLine(lines, 0, flow.RecordEvent, `"event":"enrolled"`) < 0 {
		t.Errorf("the code's approval and the enrollment are not recorded:\n%s", recorded(&buf).String())
	}
	noSecrets(t, "the record", recorded(&buf).String())
}

// TestFailureMFACodeWhilePushPending: choosing "I can't use my Microsoft Authenticator app"
// while the push is still pending abandons the push; its late denial must not throw the user
// out of the code page.
func TestFailureMFACodeWhilePushPending(t *testing.T) {
	d := newDriver(t, setup{})
	toSignIn(t, d)
	flrCredentials(t, d, flrJordan, "Holding#2026")
	d.settle(func() bool { return signState(d) == run.SignMFAPush })
	d.key("enter") // the link has the focus: use a code instead; the push is still out
	if signState(d) != run.SignMFACode {
		t.Fatalf("the link did not open the code page:\n%s", d.text())
	}
	d.send(keyMsg("2")) // the user starts typing the code…
	d.send(keyMsg("4"))
	d.idle() // …while the abandoned push is denied
	if d.m.Step() != flow.StepSignIn {
		t.Fatalf("left the sign-in page: on %s", d.m.Step())
	}
	if signState(d) != run.SignMFACode {
		t.Errorf("the late denial of the abandoned push left the code page; "+
			"it must be ignored once the user chose a code:\n%s", d.text())
	}
	if d.line("24") == "" {
		t.Errorf("the code box lost what was typed:\n%s", d.text())
	}
}

// TestFailureMFAByCodeAndRetry: tomas answers MFA with a code; the VPN app fails once for him
// with 0x87D1041C; the error view shows the buttons of the embedded ESP configuration; Try
// again completes the phase and the flow reaches privacy. At 80×24, the size most terminals
// start with.
func TestFailureMFAByCodeAndRetry(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: &buf})
	toSignIn(t, d)
	flrCredentials(t, d, flrTomas, "Tailwind#2026")
	d.idle()
	if signState(d) != run.SignMFACode {
		t.Fatalf("tomas: no code page:\n%s", d.text())
	}
	d.sees("Enter code", flrTomas, "Approve a request instead", "Verify")
	d.typeText("246810")
	d.key("enter")
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })
	d.idle()
	if espState(d) != run.ESPFailed {
		t.Fatalf("the VPN app did not fail the ESP:\n%s", d.text())
	}

	// what failed, on screen and in the status
	if l := d.line("Apps (", "installed)"); !strings.Contains(l, "Failed: 0x87D1041C") {
		t.Errorf("the Apps line does not show the failure: %q\n%s", l, d.text())
	}
	if l := d.line("Device setup"); !strings.Contains(l, "Error") {
		t.Errorf("the Device setup line does not show Error: %q", l)
	}
	// the failed app is named on the diagnostics page, not in the ESP list (issue 8)
	d.sees("Failed: 0x87D1041C")
	d.seesNot("Larkspur SecureLink VPN")
	apps, _ := d.r.ESP().Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
	later := []string{"Microsoft 365 Apps for enterprise", "Larkspur Flight Ops"}
	for _, it := range apps.Items {
		if slices.Contains(later, it.Name) && it.State != flow.ItemPreviousFailed {
			t.Errorf("%s is %s in the ESP status, want previousFailed", it.Name, it.State)
		}
	}
	// the diagnostics page names them: the failed app, and those that did not run after it
	d.send(ctrlShiftD)
	d.idle()
	if d.line("Larkspur SecureLink VPN", "0x87D1041C") == "" {
		t.Errorf("the diagnostics page does not name the failed app with its code:\n%s", d.text())
	}
	d.press("pgdown", "pgdown")
	for _, name := range later {
		if d.line(name, "Previous step fail") == "" { // (a long name truncates the state at 80 columns)
			t.Errorf("%s is not shown as \"Previous step failed\" on the diagnostics page:\n%s", name, d.text())
		}
	}
	d.press("esc")

	// the buttons of the embedded ESP configuration, and its custom message
	esp := d.r.Profile().ESP
	if !esp.BlockDeviceUse || !esp.AllowReset || !esp.AllowContinue || !esp.AllowLogCollection {
		t.Fatalf("the embedded ESP configuration changed: %+v", esp)
	}
	flrCheckESPButtons(t, d, flow.Buttons(esp, flow.Windows11), true)
	d.sees(esp.CustomErrorMessage)
	d.seesNot(flrDefaultESP)

	// View diagnostics shows what failed
	d.pressButton("diagnostics")
	d.sees("Windows Autopilot diagnostics", "User: "+flrTomas)
	if d.line("Larkspur SecureLink VPN", "0x87D1041C") == "" {
		t.Errorf("the diagnostics page does not show the failed app (screen_esp.go diagView cuts the list to the body height, no scrolling):\n%s", d.text())
	}
	d.press("enter") // Close
	d.sees("Something went wrong")

	// Try again: the VPN installs on the second attempt and the phase completes
	d.focusButton("retry")
	d.key("enter")
	d.settle(func() bool { return espState(d) != run.ESPFailed })
	d.sees("Setting up your device for work")
	d.idle()
	if d.m.Step() != flow.StepPrivacy {
		t.Fatalf("Try again: on %s, want privacy:\n%s", d.m.Step(), d.text())
	}
	ps := d.r.ESP().Phase(flow.ESPDeviceSetup)
	if ps.State != flow.ItemComplete || ps.Attempts != 2 {
		t.Errorf("Device setup %s after %d attempts, want complete after 2", ps.State, ps.Attempts)
	}

	lines := record(t, &buf)
	if countLines(lines, flow.RecordError, `"error":"esp_failed"`, `"code":"0x87D1041C"`, `"item":"Larkspur SecureLink VPN"`) != 1 {
		t.Errorf("the VPN failure is not recorded once:\n%s", recorded(&buf).String())
	}
	if findLine(lines, 0, flow.RecordButton, `"button":"retry"`) < 0 {
		t.Error("Try again is not recorded")
	}
	if findLine(lines, 0, flow.RecordStepEnter) < 0 || lines[len(lines)-1].Step != flow.StepPrivacy {
		t.Errorf("the record does not end on privacy")
	}
	noSecrets(t, "the record", recorded(&buf).String())
}

// TestFailureESPButtons: an app that always fails for megan, with every combination of the ESP
// error settings on Windows 10 and 11: exactly the buttons flow.Buttons allows, and each of them
// does what it says.
func TestFailureESPButtons(t *testing.T) {
	if got := ctrlShiftD.String(); got != "ctrl+shift+d" {
		t.Fatalf("the key sent as Ctrl+Shift+D reads %q", got)
	}
	for _, win := range []flow.WindowsVersion{flow.Windows10, flow.Windows11} {
		for mask := 0; mask < 16; mask++ {
			cfg := func(e *flow.ESPConfig) {
				e.BlockDeviceUse = mask&1 != 0
				e.AllowReset = mask&2 != 0
				e.AllowContinue = mask&4 != 0
				e.AllowLogCollection = mask&8 != 0
			}
			var probe flow.ESPConfig
			cfg(&probe)
			want := flow.Buttons(probe, win)
			name := fmt.Sprintf("win%d/block=%t_reset=%t_continue=%t_logs=%t", win, probe.BlockDeviceUse,
				probe.AllowReset, probe.AllowContinue, probe.AllowLogCollection)
			t.Run(name, func(t *testing.T) {
				var dir string
				start := func(t *testing.T) (*driver, *bytes.Buffer) {
					t.Helper()
					var buf bytes.Buffer
					dir = t.TempDir()
					d := newDriver(t, setup{w: 120, h: 40, windows: win, files: run.Dir(dir), rec: &buf, tweak: flrTweaks(flrAlwaysFails(t),
						func(ten *sim.World) { cfg(&ten.Profile.ESP) })})
					flrMeganToESPError(t, d)
					return d, &buf
				}

				t.Run("buttons", func(t *testing.T) {
					d, _ := start(t)
					flrCheckESPButtons(t, d, want, true)
					d.sees("Failed: " + flrAppFailCode)
					d.seesNot("Company Portal") // named on the diagnostics page only
					// Ctrl+Shift+D opens the diagnostics exactly when View diagnostics is offered
					d.send(ctrlShiftD)
					d.idle()
					if on := strings.Contains(d.text(), "Windows Autopilot diagnostics"); on != want.Diagnostics {
						t.Errorf("Ctrl+Shift+D opened the diagnostics = %v, want %v:\n%s", on, want.Diagnostics, d.text())
					}
				})
				if want.TryAgain {
					t.Run("try_again", func(t *testing.T) {
						d, buf := start(t)
						d.focusButton("retry")
						d.key("enter")
						d.settle(func() bool { return espState(d) != run.ESPFailed })
						d.sees("Setting up your device for work")
						d.idle()
						if espState(d) != run.ESPFailed {
							t.Fatalf("the app fails every time, yet no error view after Try again:\n%s", d.text())
						}
						d.sees("Something went wrong", "Failed: "+flrAppFailCode)
						flrCheckESPButtons(t, d, want, false)
						if a := d.r.ESP().Phase(flow.ESPDeviceSetup).Attempts; a != 2 {
							t.Errorf("Device setup ran %d times, want 2", a)
						}
						if n := countLines(record(t, buf), flow.RecordError, `"error":"esp_failed"`); n != 2 {
							t.Errorf("%d ESP failures recorded, want 2", n)
						}
					})
				}
				if want.Reset {
					t.Run("reset", func(t *testing.T) {
						d, buf := start(t)
						d.pressButton("reset")
						if d.m.Step() != flow.StepLanguage {
							t.Fatalf("Reset device: on %s, want the language page:\n%s", d.m.Step(), d.text())
						}
						d.sees("Choose your language")
						if a := d.r.Answers(); a.UPN != "" || a.Network != "" {
							t.Errorf("the new session keeps answers: %+v", a)
						}
						if st := d.r.ESP().Phase(flow.ESPDeviceSetup).State; st != flow.ItemWaiting {
							t.Errorf("the new session's Device setup is %s, want waiting", st)
						}
						lines := record(t, buf)
						end := findLine(lines, 0, flow.RecordEnd, `"outcome":"reset"`)
						if end < 0 || findLine(lines, end, flow.RecordStart) < 0 {
							t.Errorf("no end with outcome reset followed by a new start in the record:\n%s", recorded(buf).String())
						}
						noSecrets(t, "the record", recorded(buf).String())
						// the wiped device plays the scenario again: the same app fails the same way
						toSignIn(t, d)
						flrCredentials(t, d, flrMegan, "Contrail#2026")
						d.idle()
						if espState(d) != run.ESPFailed {
							t.Fatalf("after the reset the run did not fail again:\n%s", d.text())
						}
					})
				}
				if want.Continue {
					t.Run("continue_anyway", func(t *testing.T) {
						d, buf := start(t)
						d.pressButton("continue")
						if d.m.Step() != flow.StepPrivacy {
							t.Fatalf("Continue anyway: on %s, want privacy:\n%s", d.m.Step(), d.text())
						}
						d.sees("Choose privacy settings for your device")
						if findLine(record(t, buf), 0, flow.RecordEvent, `"event":"continue_anyway"`) < 0 {
							t.Error("Continue anyway is not recorded")
						}
					})
				}
				if want.CollectLogs {
					t.Run("collect_logs", func(t *testing.T) {
						d, buf := start(t)
						d.pressButton("logs")
						files, _ := filepath.Glob(filepath.Join(dir, "*"))
						if len(files) != 1 {
							t.Fatalf("Collect logs wrote %v, want one file", files)
						}
						// the screen names the file (a long path may wrap anywhere)
						squeezed := strings.Join(strings.Fields(strings.ReplaceAll(d.text(), "│", " ")), "")
						if !strings.Contains(squeezed, filepath.Base(files[0])) {
							t.Errorf("the screen does not name %s:\n%s", filepath.Base(files[0]), d.text())
						}
						d.sees("Diagnostics saved to", "Something went wrong")
						b, err := os.ReadFile(files[0])
						if err != nil {
							t.Fatal(err)
						}
						bundle := string(b)
						for _, s := range []string{flrMegan, "Larkspur-Corp", "US / 00000409",
							"Company Portal · failed " + flrAppFailCode, "8CG3471KQD",
							`"kind":"step.enter"`, `"error":"esp_failed"`} {
							if !strings.Contains(bundle, s) {
								t.Errorf("the diagnostics file lacks %q:\n%s", s, bundle)
							}
						}
						noSecrets(t, "the diagnostics file", bundle)
						if findLine(record(t, buf), 0, flow.RecordEvent, `"event":"logs_collected"`) < 0 {
							t.Error("the log collection is not recorded")
						}
					})
				}
				if want.Diagnostics {
					t.Run("view_diagnostics", func(t *testing.T) {
						d, _ := start(t)
						d.pressButton("diagnostics")
						d.sees("Windows Autopilot diagnostics", "Organization: Larkspur Aviation",
							"Serial number: 8CG3471KQD", "User: "+flrMegan, "Company Portal", flrAppFailCode, "Close")
						d.press("enter") // Close
						d.sees("Something went wrong")
						d.seesNot("Windows Autopilot diagnostics")
						d.send(ctrlShiftD)
						d.idle()
						d.sees("Windows Autopilot diagnostics")
						d.press("esc")
						d.sees("Something went wrong")
						flrCheckESPButtons(t, d, want, false)
					})
				}
			})
		}
	}
}

// TestFailureESPErrorMessage: the ESP configuration's custom error message replaces the
// default one; without one the default text shows.
func TestFailureESPErrorMessage(t *testing.T) {
	const custom = "Call the hangar desk on 4242 and quote the code above."
	for _, tc := range []struct {
		name, msg, want, notWant string
	}{
		{"custom", custom, custom, flrDefaultESP},
		{"default", "", flrDefaultESP, "Call the hangar desk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, setup{tweak: flrTweaks(flrAlwaysFails(t), func(ten *sim.World) {
				ten.Profile.ESP.CustomErrorMessage = tc.msg
			})})
			flrMeganToESPError(t, d)
			d.sees(tc.want)
			d.seesNot(tc.notWant, flrTimeoutText)
		})
	}
}

// flrSlowTenant makes Company Portal take 200 s with a one-minute ESP timeout.
func flrSlowTenant(t testing.TB) func(*sim.World) {
	return func(ten *sim.World) {
		ten.Profile.ESP.TimeoutMinutes = 1
		ten.Scenario.Apps[flrAppIndex(t, ten, "Company Portal")].Seconds = 200
	}
}

// TestFailureESPTimeout: with a one-minute timeout and a 200-second app, the ESP times out while
// the app is still working: the timeout text and the error view with the configured buttons.
func TestFailureESPTimeout(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  func(*flow.ESPConfig)
	}{
		{"embedded_configuration", func(*flow.ESPConfig) {}},
		{"retry_only", func(e *flow.ESPConfig) {
			e.BlockDeviceUse, e.AllowReset, e.AllowContinue, e.AllowLogCollection = true, false, false, false
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			d := newDriver(t, setup{w: 120, h: 40, rec: &buf, tweak: flrTweaks(flrSlowTenant(t),
				func(ten *sim.World) { tc.cfg(&ten.Profile.ESP) })})
			flrMeganToESPError(t, d)
			if e := d.r.ESPStep(); e == nil || !e.TimedOut {
				t.Fatalf("the ESP failed without timing out:\n%s", d.text())
			}
			d.sees(flrTimeoutText, d.r.Profile().ESP.CustomErrorMessage)
			if l := d.line("Apps (0 of 5 installed)"); !strings.Contains(l, "Working on it…") {
				t.Errorf("the app is not shown working at the timeout: %q\n%s", l, d.text())
			}
			flrCheckESPButtons(t, d, flow.Buttons(d.r.Profile().ESP, flow.Windows11), true)
			// reference §3.5: on expiry the phase turns into the error state
			if l := d.line("Device setup"); !strings.Contains(l, "Error") {
				t.Errorf("after the timeout the Device setup line reads %q, want the error state "+
					"(ui/screen_esp.go event: the timeout calls fail without marking the phase failed in c.ESP)", flat(l))
			}
			lines := record(t, &buf)
			if countLines(lines, flow.RecordError, `"error":"esp_timeout"`, `"phase":"deviceSetup"`) != 1 {
				t.Errorf("the timeout is not recorded once:\n%s", recorded(&buf).String())
			}
			if findLine(lines, 0, flow.RecordError, `"error":"esp_failed"`) >= 0 {
				t.Error("a timeout is recorded as an app failure")
			}
			noSecrets(t, "the record", recorded(&buf).String())
		})
	}
}

// TestFailureRestartCredentialReentry (reference §1.7): a restart during Device setup shows
// the full-screen restart, then the ESP goes on by itself; before Account setup the Windows
// sign-in screen asks for the credentials again, the user name not pre-filled; a wrong
// password and another user are refused; megan goes on to the first sign-in animation,
// Account setup and, after the quality update's restart, the Windows sign-in again (§3.7),
// Windows Hello and the desktop.
func TestFailureRestartCredentialReentry(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: &buf, tweak: func(ten *sim.World) { ten.Scenario.DeviceSetupReboot = true }})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.settle(func() bool { return espState(d) == run.ESPRestarting })
	if strings.Contains(d.text(), "╭") {
		t.Errorf("the restart is not full screen:\n%s", d.text())
	}
	d.sees("Restarting")
	d.seesNot("Setting up your device for work", "Device setup")
	d.settle(func() bool { return d.m.Step() != flow.StepESPDevice || espState(d) == run.ESPRunning })
	if d.m.Step() != flow.StepESPDevice {
		t.Fatalf("the ESP did not go on after the restart: on %s", d.m.Step())
	}
	d.sees("Setting up your device for work", "Device setup") // nobody needed to sign in yet
	d.settle(func() bool { return d.m.Step() == flow.StepPrivacy })
	d.press("tab") // Accept
	d.key("enter")
	d.settle(func() bool { return d.m.Step() == flow.StepWindowsSignIn })
	d.sees("Press any key to sign in.")
	d.seesNot("Ctrl+Alt+Del")
	d.press("space")
	d.sees("Other user", "User name", "name@example.com", "Password", "work or school account")
	if strings.Contains(d.text(), flrMegan) {
		t.Fatalf("the username is pre-filled after the restart:\n%s", d.text())
	}

	submit := func(upn, password string) {
		t.Helper()
		for range 40 { // empty the username box
			d.key("backspace")
		}
		d.typeText(upn)
		d.press("enter") // to the password
		d.typeText(password)
		d.press("enter")
	}
	submit(flrMegan, "Wrong#Horse7")
	d.sees("The user name or password is incorrect.")
	if d.m.Step() != flow.StepWindowsSignIn {
		t.Fatalf("a wrong password went on to %s", d.m.Step())
	}
	d.press("shift+tab") // from the password back to the username
	submit(flrTomas, "Tailwind#2026")
	d.sees("Sign in with the account you used to set up this device.")
	if d.m.Step() != flow.StepWindowsSignIn {
		t.Fatalf("another user went on to %s", d.m.Step())
	}
	d.press("shift+tab")
	submit(flrMegan, "Contrail#2026") // on through the first sign-in animation and Account setup
	if d.m.Step() != flow.StepWindowsSignIn || d.r.ESP().Phase(flow.ESPAccountSetup).State != flow.ItemComplete {
		t.Fatalf("after Account setup and the quality update: on %s, want the Windows sign-in again:\n%s", d.m.Step(), d.text())
	}
	d.press("enter")
	d.seesNot(flrMegan)
	d.typeText(flrMegan)
	d.press("enter")
	d.typeText("Contrail#2026")
	d.press("enter")
	d.settle(func() bool { return d.m.Step() == flow.StepHello })
	d.press("enter")
	d.typeText("135791")
	d.press("tab")
	d.typeText("135791")
	d.press("enter", "enter") // OK, then All set!'s OK
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("on %s, want the desktop:\n%s", d.m.Step(), d.text())
	}

	lines := record(t, &buf)
	restart := findLine(lines, 0, flow.RecordEvent, `"event":"restart"`)
	signIn := -1
	for i := max(restart, 0); i < len(lines) && signIn < 0; i++ {
		if lines[i].Kind == flow.RecordStepEnter && lines[i].Step == flow.StepWindowsSignIn {
			signIn = i
		}
	}
	account := findLine(lines, 0, flow.RecordEvent, `"event":"esp_phase_start"`, `"phase":"accountSetup"`)
	switch {
	case restart < 0 || signIn < 0:
		t.Errorf("the restart and the sign-in after it are not recorded:\n%s", recorded(&buf).String())
	case account < signIn:
		t.Errorf("Account setup started (line %d) before the user signed in again (line %d)", account, signIn)
	}
	if n := countLines(lines, flow.RecordError, `"error":"windows_sign_in"`); n != 2 {
		t.Errorf("%d refused sign-ins after the restart recorded, want 2", n)
	}
	if findLine(lines, 0, flow.RecordEnd, `"outcome":"desktop"`) < 0 {
		t.Error("the run does not end on the desktop")
	}
	noSecrets(t, "the record", recorded(&buf).String())
}

// TestFailureEnrollmentError: priya has no Intune licence: enrollment fails with 80180018; Try
// again fails the same way and Start over returns to an empty username box.
func TestFailureEnrollmentError(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: &buf})
	toSignIn(t, d)
	flrCredentials(t, d, flrPriya, "Crosswind#2026")
	d.idle()
	check := func() {
		t.Helper()
		if signState(d) != run.SignEnrollError {
			t.Fatalf("no enrollment error:\n%s", d.text())
		}
		d.sees("Something went wrong", "Error code: 80180018", "Try again", "Start over")
	}
	check()
	d.pressButton("retry")
	check()
	d.pressButton("startover")
	if signState(d) != run.SignUser || !emptyUserBox(d) {
		t.Fatalf("Start over: not an empty username box:\n%s", d.text())
	}
	lines := record(t, &buf)
	if n := countLines(lines, flow.RecordError, `"error":"enrollment_failed"`, `"code":"80180018"`); n != 2 {
		t.Errorf("%d enrollment errors recorded, want 2", n)
	}
	noSecrets(t, "the record", recorded(&buf).String())
}

// flrGoldenStates drives a fresh run to each state worth pinning.
var flrGoldenStates = []struct {
	name  string
	tweak func(testing.TB) func(*sim.World)
	drive func(*testing.T, *driver)
}{
	{"esp_working", nil, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrMegan, "Contrail#2026")
		d.settle(func() bool {
			apps, ok := d.r.ESP().Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
			return d.r.ESPStep() != nil && ok && len(apps.Items) > 1 && apps.Items[1].State == flow.ItemWorking
		})
	}},
	{"esp_failed", func(t testing.TB) func(*sim.World) {
		return flrTweaks(flrAlwaysFails(t), func(ten *sim.World) {
			e := &ten.Profile.ESP
			e.BlockDeviceUse, e.AllowReset, e.AllowContinue, e.AllowLogCollection = true, true, true, true
		})
	}, flrMeganToESPError},
	{"esp_timeout", flrSlowTenant, flrMeganToESPError},
	{"diagnostics", flrAlwaysFails, func(t *testing.T, d *driver) {
		flrMeganToESPError(t, d)
		d.pressButton("diagnostics")
	}},
	{"restart", func(testing.TB) func(*sim.World) {
		return func(ten *sim.World) { ten.Scenario.DeviceSetupReboot = true }
	}, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrMegan, "Contrail#2026")
		d.settle(func() bool { return espState(d) == run.ESPRestarting })
	}},
	{"signin_after_restart", func(testing.TB) func(*sim.World) {
		return func(ten *sim.World) { ten.Scenario.DeviceSetupReboot = true }
	}, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrMegan, "Contrail#2026")
		d.settle(func() bool { return d.m.Step() == flow.StepPrivacy })
		d.press("tab")
		d.key("enter")
		d.settle(func() bool { return d.m.Step() == flow.StepWindowsSignIn })
		d.press("enter")
	}},
	{"mfa_code", nil, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrTomas, "Tailwind#2026")
		d.idle()
	}},
	{"mfa_denied", nil, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrJordan, "Holding#2026")
		d.idle()
	}},
	{"enrollment_error", nil, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrPriya, "Crosswind#2026")
		d.idle()
	}},
}

// TestFailureGolden pins the failure states at 80×24 and 120×40.
func TestFailureGolden(t *testing.T) {
	for _, st := range flrGoldenStates {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(st.name+"/"+sizeName(size), func(t *testing.T) {
				s := setup{w: size[0], h: size[1]}
				if st.tweak != nil {
					s.tweak = st.tweak(t)
				}
				d := newDriver(t, s)
				st.drive(t, d)
				golden.RequireEqual(t, d.text())
			})
		}
	}
}

// ctrlShiftD is Ctrl+Shift+D as a terminal with the kitty keyboard protocol sends it.
var ctrlShiftD = tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl | tea.ModShift}

// TestDiagnosticsFallbackKey (issue 8): terminals without the kitty keyboard protocol send
// Ctrl+Shift+D as Ctrl+D; both open the diagnostics page, and the ESP's help line names the
// key.
func TestDiagnosticsFallbackKey(t *testing.T) {
	d := newDriver(t, setup{w: 120, h: 40})
	toSignIn(t, d)
	signIn(d, testUPN, "Contrail#2026")
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice && d.r.ESP().Phase(flow.ESPDeviceSetup).Running() })
	d.sees("ctrl+shift+d diagnostics")
	d.key("ctrl+d") // at once, before the ESP moves on
	d.sees("Windows Autopilot diagnostics")
}

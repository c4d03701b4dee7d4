package ui

// Failure scenarios driven with real key presses through the root model: wrong password,
// another organization, MFA denied and codes, enrollment errors, ESP app failures with every
// combination of error buttons, the ESP timeout, the restart during Device setup with
// credential re-entry, and goldens of those states. Each test checks what the user sees and
// the run record, and that the record never holds a secret.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/oobe-emu/oobe/flow"
)

// The scenario's secrets, and the wrong ones the tests type: none may reach a record or a
// diagnostics bundle.
var flrSecrets = []string{
	"Contrail#2026", "Tailwind#2026", "Crosswind#2026", "Holding#2026", // passwords
	"Runway-2026!", "Hangar-Sensors-9", "k9Qw-77zLmP2", "hpDirect7C24", "Flaps-Down-15", // Wi-Fi keys
	"Contrail#2025", "Wrong#Horse7", // wrong passwords typed below
}

// flrCodes are the verification codes typed below; they are matched as whole numbers so that
// digits inside timestamps do not count.
var flrCodes = []string{"246810", "975310"}

const (
	flrMegan  = "megan.rivera@larkspuraero.com"
	flrTomas  = "tomas.okafor@larkspuraero.com"
	flrPriya  = "priya.natarajan@larkspuraero.com"
	flrJordan = "jordan.blake@larkspuraero.com"
)

// flrRecorder records into buf with a fixed clock, so that timestamps cannot look like a code.
func flrRecorder(buf *bytes.Buffer) *flow.Recorder {
	return flow.NewRecorder(buf, func() time.Time { return testStart })
}

// flrNoSecrets fails when text (a record or a file) holds a password, key or code.
func flrNoSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range flrSecrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains the secret %q", what, s)
		}
	}
	for _, c := range flrCodes {
		if regexp.MustCompile(`(^|[^0-9])` + c + `([^0-9]|$)`).MatchString(text) {
			t.Errorf("%s contains the verification code %q", what, c)
		}
	}
}

// flrLines parses a JSON Lines record.
func flrLines(t *testing.T, record string) []flow.RecordLine {
	t.Helper()
	var out []flow.RecordLine
	sc := bufio.NewScanner(strings.NewReader(record))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l flow.RecordLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("record line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

// flrFind returns the index of the first record line at or after from of kind whose data
// holds every fragment (JSON of the data), or -1.
func flrFind(lines []flow.RecordLine, from int, kind flow.RecordKind, fragments ...string) int {
	for i := max(0, from); i < len(lines); i++ {
		if lines[i].Kind != kind {
			continue
		}
		b, _ := json.Marshal(lines[i].Data)
		ok := true
		for _, f := range fragments {
			ok = ok && strings.Contains(string(b), f)
		}
		if ok {
			return i
		}
	}
	return -1
}

// flrCount counts the record lines of kind whose data holds every fragment.
func flrCount(lines []flow.RecordLine, kind flow.RecordKind, fragments ...string) int {
	n := 0
	for i := flrFind(lines, 0, kind, fragments...); i >= 0; i = flrFind(lines, i+1, kind, fragments...) {
		n++
	}
	return n
}

// flrFlat is the screen's text as one line of words: wrapped sentences read whole again.
func flrFlat(s string) string {
	s = strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// flrWant fails unless every text is on screen (wrapping ignored).
func flrWant(t *testing.T, d *driver, texts ...string) {
	t.Helper()
	scr := flrFlat(d.text())
	for _, s := range texts {
		if !strings.Contains(scr, flrFlat(s)) {
			t.Fatalf("%q not on screen:\n%s", s, d.text())
		}
	}
}

// flrWantNot fails if any text is on screen (wrapping ignored).
func flrWantNot(t *testing.T, d *driver, texts ...string) {
	t.Helper()
	scr := flrFlat(d.text())
	for _, s := range texts {
		if strings.Contains(scr, flrFlat(s)) {
			t.Fatalf("%q on screen:\n%s", s, d.text())
		}
	}
}

// flrLine returns the first screen line holding all parts ("" when none does).
func flrLine(d *driver, parts ...string) string {
	for _, l := range strings.Split(d.text(), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return l
		}
	}
	return ""
}

func flrSignIn(d *driver) *signInScreen { s, _ := d.m.screen.(*signInScreen); return s }

func flrESP(d *driver) *espScreen { s, _ := d.m.screen.(*espScreen); return s }

// flrCredentials types a username and a password on the sign-in page; the final Enter is
// sent but what it starts is left pending, so the caller can stop anywhere after it.
func flrCredentials(t *testing.T, d *driver, upn, password string) {
	t.Helper()
	d.typeText(upn)
	d.press("enter")
	if s := flrSignIn(d); s == nil || s.state != signPassword {
		t.Fatalf("no password page after the username %s:\n%s", upn, d.text())
	}
	d.typeText(password)
	d.send(keyMsg("enter"))
}

// flrFocus tabs until the button id has the focus, as a keyboard user would.
func flrFocus(t *testing.T, d *driver, id string) {
	t.Helper()
	n := len(d.card().Buttons) + 3
	for i := 0; i < n; i++ {
		for _, b := range d.card().Buttons {
			if b.ID == id && b.Focused {
				return
			}
		}
		d.press("tab")
	}
	t.Fatalf("tab never reaches the button %q:\n%s", id, d.text())
}

// flrPress focuses button id with Tab and presses Enter.
func flrPress(t *testing.T, d *driver, id string) {
	t.Helper()
	flrFocus(t, d, id)
	d.press("enter")
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

const (
	flrAppFailCode = "0x81036502"
	flrDefaultESP  = "Setup could not be completed. Please try again or contact your support person for help."
	flrTimeoutText = "Setup is taking longer than expected."
)

// flrAppIndex finds a scenario app by name.
func flrAppIndex(t testing.TB, ten *flow.Tenant, name string) int {
	i := slices.IndexFunc(ten.Scenario.Apps, func(a flow.ScenarioApp) bool { return a.Name == name })
	if i < 0 {
		t.Fatalf("no app %q in the scenario", name)
	}
	return i
}

// flrAlwaysFails makes Company Portal (a blocking device app) fail for everyone, every time.
func flrAlwaysFails(t testing.TB) func(*flow.Tenant) {
	return func(ten *flow.Tenant) {
		i := flrAppIndex(t, ten, "Company Portal")
		ten.Scenario.Apps[i].FailCode = flrAppFailCode
		ten.Scenario.Apps[i].FailTimes = 0
		ten.Scenario.Apps[i].FailFor = nil
	}
}

// flrTweaks applies several tweaks in order.
func flrTweaks(fs ...func(*flow.Tenant)) func(*flow.Tenant) {
	return func(ten *flow.Tenant) {
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
	if e := flrESP(d); e == nil || !e.failed {
		t.Fatalf("no ESP error view on step %s:\n%s", d.m.Step(), d.text())
	}
	flrWant(t, d, "Something went wrong")
}

// TestFailureWrongPasswordThenRight: a wrong password shows the error under the box and keeps
// the user on the password page; the right one goes on to the Authenticator push and the ESP.
func TestFailureWrongPasswordThenRight(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: flrRecorder(&buf)})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2025")
	d.idle()
	s := flrSignIn(d)
	if s == nil || s.state != signPassword {
		t.Fatalf("a wrong password left the password page:\n%s", d.text())
	}
	flrWant(t, d, "Enter password", flrMegan, "Your account or password is incorrect.")
	if s.pass.Value() != "" {
		t.Error("the wrong password stays in the box")
	}
	flrWantNot(t, d, "Contrail#2025")

	d.typeText("Contrail#2026")
	flrWantNot(t, d, "Your account or password is incorrect.") // typing clears the error
	d.send(keyMsg("enter"))
	d.settle(func() bool { s := flrSignIn(d); return s != nil && s.state == signMFAPush })
	flrWant(t, d, "Approve sign in request", fmt.Sprint(s.res.MFANumber))
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })
	flrWant(t, d, "Setting up your device for work")

	lines := flrLines(t, buf.String())
	if flrCount(lines, flow.RecordError, `"error":"sign_in"`, `"upn":"`+flrMegan+`"`) != 1 {
		t.Errorf("the wrong password is not recorded once as a sign-in error:\n%s", buf.String())
	}
	if flrFind(lines, 0, flow.RecordAnswer, `"upn":"`+flrMegan+`"`) < 0 {
		t.Error("the signed-in user is not recorded")
	}
	flrNoSecrets(t, "the record", buf.String())
}

// TestFailureOtherOrganization: a username of another organization shows the error page with
// Sign in again and, when the profile shows the escape link, Start over; both lead back to an
// empty username box.
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
			d := newDriver(t, setup{rec: flrRecorder(&buf), tweak: func(ten *flow.Tenant) {
				ten.Profile.EscapeLinkHidden = tc.hidden
			}})
			toSignIn(t, d)
			d.typeText("someone@fabrikam.example")
			d.press("enter")
			if s := flrSignIn(d); s == nil || s.state != signOrgError {
				t.Fatalf("no organization error:\n%s", d.text())
			}
			flrWant(t, d, "That username looks like it belongs to another organization",
				"someone@fabrikam.example can't set up this device", "Sign in again")
			if tc.hidden {
				flrWantNot(t, d, "Start over")
			} else {
				flrWant(t, d, "Start over")
			}
			if got := flrButtonIDs(d); !slices.Equal(got, tc.wantIDs) {
				t.Fatalf("buttons %v, want %v", got, tc.wantIDs)
			}
			if !d.button("again").Focused {
				t.Error("Sign in again does not have the focus")
			}

			flrPress(t, d, tc.press)
			s := flrSignIn(d)
			if s == nil || s.state != signUser || s.user.Value() != "" {
				t.Fatalf("%s: not back at an empty username box:\n%s", tc.pressLabel, d.text())
			}
			flrWant(t, d, "Work or school account", "firstname.lastname@larkspuraero.com") // the hint: the box is empty
			flrWantNot(t, d, "fabrikam")

			// and the right account signs in from there
			flrCredentials(t, d, flrMegan, "Contrail#2026")
			d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })

			lines := flrLines(t, buf.String())
			if flrFind(lines, 0, flow.RecordError, `"error":"other_organization"`, `"domain":"fabrikam.example"`) < 0 {
				t.Errorf("the other organization is not recorded:\n%s", buf.String())
			}
			if flrFind(lines, 0, flow.RecordButton, `"button":"`+tc.press+`"`) < 0 {
				t.Errorf("the %s button is not recorded", tc.pressLabel)
			}
			flrNoSecrets(t, "the record", buf.String())
		})
	}
}

// TestFailureMFADenied: jordan denies the push; Send another request is denied again; a wrong
// verification code shows an error; jordan's scenario entry sets no code, so the default code
// (flow.DefaultMFACode) is accepted and the device enrolls.
func TestFailureMFADenied(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: flrRecorder(&buf)})
	toSignIn(t, d)
	flrCredentials(t, d, flrJordan, "Holding#2026")
	d.settle(func() bool { s := flrSignIn(d); return s != nil && s.state == signMFAPush })
	flrWant(t, d, "Approve sign in request", "Open your Authenticator app")
	d.idle()
	denied := func() {
		t.Helper()
		if s := flrSignIn(d); s == nil || s.state != signMFADenied {
			t.Fatalf("not the denied view:\n%s", d.text())
		}
		flrWant(t, d, flrJordan, "The request was denied or timed out.", "Use a verification code", "Send another request")
	}
	denied()
	if !d.button("resend").Focused {
		t.Error("Send another request does not have the focus")
	}

	d.send(keyMsg("enter")) // Send another request
	d.settle(func() bool { s := flrSignIn(d); return s != nil && s.state == signMFAPush })
	flrWant(t, d, "Approve sign in request")
	d.idle()
	denied()

	flrPress(t, d, "usecode")
	if s := flrSignIn(d); s == nil || s.state != signMFACode {
		t.Fatalf("Use a verification code: not the code page:\n%s", d.text())
	}
	flrWant(t, d, "Enter code", "Enter the code displayed in the Authenticator app")
	d.typeText("975310")
	d.press("enter")
	flrWant(t, d, "Enter code", "That code didn't work. Check the code and try again.")
	if s := flrSignIn(d); s.code.Value() != "" {
		t.Errorf("the wrong code stays in the box: %q", s.code.Value())
	}

	// jordan has no mfaCode: sim.VerifyCode accepts flow.DefaultMFACode for him
	if u, ok := d.m.common.Tenant.Scenario.User(flrJordan); !ok || u.MFACode != "" || u.Code() != flow.DefaultMFACode {
		t.Fatalf("jordan's scenario entry changed: %+v", u)
	}
	d.typeText(flow.DefaultMFACode)
	d.send(keyMsg("enter"))
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })

	lines := flrLines(t, buf.String())
	if n := flrCount(lines, flow.RecordError, `"error":"mfa_denied"`); n != 2 {
		t.Errorf("%d denials recorded, want 2", n)
	}
	if n := flrCount(lines, flow.RecordError, `"error":"wrong_code"`); n != 1 {
		t.Errorf("%d wrong codes recorded, want 1", n)
	}
	if flrFind(lines, 0, flow.RecordBackend, `"event":"mfa_approved"`) < 0 || flrFind(lines, 0, flow.RecordBackend, `"event":"enrolled"`) < 0 {
		t.Errorf("the code's approval and the enrollment are not recorded:\n%s", buf.String())
	}
	flrNoSecrets(t, "the record", buf.String())
}

// TestFailureMFACodeWhilePushPending: choosing "I can't use my Microsoft Authenticator app"
// while the push is still pending abandons the push; its late denial must not throw the user
// out of the code page.
func TestFailureMFACodeWhilePushPending(t *testing.T) {
	d := newDriver(t, setup{})
	toSignIn(t, d)
	flrCredentials(t, d, flrJordan, "Holding#2026")
	d.settle(func() bool { s := flrSignIn(d); return s != nil && s.state == signMFAPush })
	d.send(keyMsg("enter")) // the link has the focus: use a code instead; the push is still out
	if s := flrSignIn(d); s == nil || s.state != signMFACode {
		t.Fatalf("the link did not open the code page:\n%s", d.text())
	}
	d.send(keyMsg("2")) // the user starts typing the code…
	d.send(keyMsg("4"))
	d.idle() // …while the abandoned push is denied
	if s := flrSignIn(d); s != nil && s.state == signMFACode && s.code.Value() != "24" {
		t.Errorf("the code box holds %q, want 24", s.code.Value())
	}
	s := flrSignIn(d)
	if s == nil {
		t.Fatalf("left the sign-in page: on %s", d.m.Step())
	}
	if s.state != signMFACode {
		t.Errorf("the late denial of the abandoned push left the code page (state %v); "+
			"mfaDone should ignore ErrMFADenied once the user chose a code:\n%s", s.state, d.text())
	}
}

// TestFailureMFAByCodeAndRetry: tomas answers MFA with a code; the VPN app fails once for him
// with 0x87D1041C; the error view shows the buttons of the embedded ESP configuration; Try
// again completes the phase and the flow reaches privacy. At 80×24, the size most terminals
// start with.
func TestFailureMFAByCodeAndRetry(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: flrRecorder(&buf)})
	toSignIn(t, d)
	flrCredentials(t, d, flrTomas, "Tailwind#2026")
	d.idle()
	if s := flrSignIn(d); s == nil || s.state != signMFACode {
		t.Fatalf("tomas: no code page:\n%s", d.text())
	}
	flrWant(t, d, "Enter code", flrTomas, "Approve a request instead", "Verify")
	d.typeText("246810")
	d.send(keyMsg("enter"))
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice })
	d.idle()
	e := flrESP(d)
	if e == nil || !e.failed {
		t.Fatalf("the VPN app did not fail the ESP:\n%s", d.text())
	}

	// what failed, on screen and in the status
	if l := flrLine(d, "Apps (", "installed)"); !strings.Contains(l, "Failed: 0x87D1041C") {
		t.Errorf("the Apps line does not show the failure: %q\n%s", l, d.text())
	}
	if l := flrLine(d, "Device setup"); !strings.Contains(l, "Error") {
		t.Errorf("the Device setup line does not show Error: %q", l)
	}
	flrWant(t, d, "Larkspur SecureLink VPN", "Failed: 0x87D1041C")
	apps, _ := d.m.common.ESP.Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
	later := []string{"Microsoft 365 Apps for enterprise", "Larkspur Flight Ops"}
	for _, it := range apps.Items {
		if slices.Contains(later, it.Name) && it.State != flow.ItemPreviousFailed {
			t.Errorf("%s is %s in the ESP status, want previousFailed", it.Name, it.State)
		}
	}
	for _, name := range later {
		if flrLine(d, name, "Previous step failed") == "" {
			t.Errorf("%s is not shown as \"Previous step failed\" (screen_esp.go View lists only the failed items of a failed group):\n%s", name, d.text())
		}
	}

	// the buttons of the embedded ESP configuration, and its custom message
	esp := d.m.common.Session.Profile.ESP
	if !esp.BlockDeviceUse || !esp.AllowReset || !esp.AllowContinue || !esp.AllowLogCollection {
		t.Fatalf("the embedded ESP configuration changed: %+v", esp)
	}
	flrCheckESPButtons(t, d, flow.Buttons(esp, flow.Windows11), true)
	flrWant(t, d, esp.CustomErrorMessage)
	flrWantNot(t, d, flrDefaultESP)

	// View diagnostics shows what failed
	flrPress(t, d, "diagnostics")
	flrWant(t, d, "Windows Autopilot diagnostics", "User: "+flrTomas)
	if flrLine(d, "Larkspur SecureLink VPN", "0x87D1041C") == "" {
		t.Errorf("the diagnostics page does not show the failed app (screen_esp.go diagView cuts the list to the body height, no scrolling):\n%s", d.text())
	}
	d.press("enter") // Close
	flrWant(t, d, "Something went wrong")

	// Try again: the VPN installs on the second attempt and the phase completes
	flrFocus(t, d, "retry")
	d.send(keyMsg("enter"))
	d.settle(func() bool { e := flrESP(d); return e != nil && !e.failed })
	flrWant(t, d, "Setting up your device for work")
	d.idle()
	if d.m.Step() != flow.StepPrivacy {
		t.Fatalf("Try again: on %s, want privacy:\n%s", d.m.Step(), d.text())
	}
	ps := d.m.common.ESP.Phase(flow.ESPDeviceSetup)
	if ps.State != flow.ItemComplete || ps.Attempts != 2 {
		t.Errorf("Device setup %s after %d attempts, want complete after 2", ps.State, ps.Attempts)
	}

	lines := flrLines(t, buf.String())
	if flrCount(lines, flow.RecordError, `"error":"esp_failed"`, `"code":"0x87D1041C"`, `"item":"Larkspur SecureLink VPN"`) != 1 {
		t.Errorf("the VPN failure is not recorded once:\n%s", buf.String())
	}
	if flrFind(lines, 0, flow.RecordButton, `"button":"retry"`) < 0 {
		t.Error("Try again is not recorded")
	}
	if flrFind(lines, 0, flow.RecordStepEnter) < 0 || lines[len(lines)-1].Step != flow.StepPrivacy {
		t.Errorf("the record does not end on privacy")
	}
	flrNoSecrets(t, "the record", buf.String())
}

// TestFailureESPButtons: an app that always fails for megan, with every combination of the ESP
// error settings on Windows 10 and 11: exactly the buttons flow.Buttons allows, and each of them
// does what it says.
func TestFailureESPButtons(t *testing.T) {
	ctrlShiftD := tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl | tea.ModShift}
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
				start := func(t *testing.T) (*driver, *bytes.Buffer) {
					t.Helper()
					var buf bytes.Buffer
					d := newDriver(t, setup{w: 120, h: 40, rec: flrRecorder(&buf), tweak: flrTweaks(flrAlwaysFails(t),
						func(ten *flow.Tenant) { ten.Profile.Windows = win; cfg(&ten.Profile.ESP) })})
					flrMeganToESPError(t, d)
					return d, &buf
				}

				t.Run("buttons", func(t *testing.T) {
					d, _ := start(t)
					flrCheckESPButtons(t, d, want, true)
					flrWant(t, d, "Company Portal", "Failed: "+flrAppFailCode)
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
						flrFocus(t, d, "retry")
						d.send(keyMsg("enter"))
						d.settle(func() bool { e := flrESP(d); return e != nil && !e.failed })
						flrWant(t, d, "Setting up your device for work")
						d.idle()
						if e := flrESP(d); e == nil || !e.failed {
							t.Fatalf("the app fails every time, yet no error view after Try again:\n%s", d.text())
						}
						flrWant(t, d, "Something went wrong", "Failed: "+flrAppFailCode)
						flrCheckESPButtons(t, d, want, false)
						if a := d.m.common.ESP.Phase(flow.ESPDeviceSetup).Attempts; a != 2 {
							t.Errorf("Device setup ran %d times, want 2", a)
						}
						if n := flrCount(flrLines(t, buf.String()), flow.RecordError, `"error":"esp_failed"`); n != 2 {
							t.Errorf("%d ESP failures recorded, want 2", n)
						}
					})
				}
				if want.Reset {
					t.Run("reset", func(t *testing.T) {
						d, buf := start(t)
						flrPress(t, d, "reset")
						if d.m.Step() != flow.StepLanguage {
							t.Fatalf("Reset device: on %s, want the language page:\n%s", d.m.Step(), d.text())
						}
						flrWant(t, d, "Choose your language")
						c := d.m.common
						if c.Session.Answers.UPN != "" || c.Session.Answers.Network != "" {
							t.Errorf("the new session keeps answers: %+v", c.Session.Answers)
						}
						if st := c.ESP.Phase(flow.ESPDeviceSetup).State; st != flow.ItemWaiting {
							t.Errorf("the new session's Device setup is %s, want waiting", st)
						}
						lines := flrLines(t, buf.String())
						end := flrFind(lines, 0, flow.RecordEnd, `"outcome":"reset"`)
						if end < 0 || flrFind(lines, end, flow.RecordStart) < 0 {
							t.Errorf("no end with outcome reset followed by a new start in the record:\n%s", buf.String())
						}
						flrNoSecrets(t, "the record", buf.String())
						// the wiped device plays the scenario again: the same app fails the same way
						toSignIn(t, d)
						flrCredentials(t, d, flrMegan, "Contrail#2026")
						d.idle()
						if e := flrESP(d); e == nil || !e.failed {
							t.Fatalf("after the reset the run did not fail again:\n%s", d.text())
						}
					})
				}
				if want.Continue {
					t.Run("continue_anyway", func(t *testing.T) {
						d, buf := start(t)
						flrPress(t, d, "continue")
						if d.m.Step() != flow.StepPrivacy {
							t.Fatalf("Continue anyway: on %s, want privacy:\n%s", d.m.Step(), d.text())
						}
						flrWant(t, d, "Choose privacy settings for your device")
						if flrFind(flrLines(t, buf.String()), 0, flow.RecordBackend, `"event":"continue_anyway"`) < 0 {
							t.Error("Continue anyway is not recorded")
						}
					})
				}
				if want.CollectLogs {
					t.Run("collect_logs", func(t *testing.T) {
						dir := t.TempDir()
						t.Chdir(dir)
						d, buf := start(t)
						flrPress(t, d, "logs")
						files, _ := filepath.Glob(filepath.Join(dir, "*"))
						if len(files) != 1 {
							t.Fatalf("Collect logs wrote %v, want one file", files)
						}
						// the screen names the file (a long path may wrap anywhere)
						squeezed := strings.Join(strings.Fields(strings.ReplaceAll(d.text(), "│", " ")), "")
						if !strings.Contains(squeezed, filepath.Base(files[0])) {
							t.Errorf("the screen does not name %s:\n%s", filepath.Base(files[0]), d.text())
						}
						flrWant(t, d, "Diagnostics saved to", "Something went wrong")
						b, err := os.ReadFile(files[0])
						if err != nil {
							t.Fatal(err)
						}
						bundle := string(b)
						for _, s := range []string{"UPN:" + flrMegan, "Network:Larkspur-Corp", "Region:US",
							"Company Portal", flrAppFailCode, "Serial number: 8CG3471KQD",
							`"kind":"step.enter"`, `"error":"esp_failed"`} {
							if !strings.Contains(bundle, s) {
								t.Errorf("the diagnostics file lacks %q:\n%s", s, bundle)
							}
						}
						flrNoSecrets(t, "the diagnostics file", bundle)
						if flrFind(flrLines(t, buf.String()), 0, flow.RecordBackend, `"event":"logs_collected"`) < 0 {
							t.Error("the log collection is not recorded")
						}
					})
				}
				if want.Diagnostics {
					t.Run("view_diagnostics", func(t *testing.T) {
						d, _ := start(t)
						flrPress(t, d, "diagnostics")
						flrWant(t, d, "Windows Autopilot diagnostics", "Organization: Larkspur Aviation",
							"Serial number: 8CG3471KQD", "User: "+flrMegan, "Company Portal", flrAppFailCode, "Close")
						d.press("enter") // Close
						flrWant(t, d, "Something went wrong")
						flrWantNot(t, d, "Windows Autopilot diagnostics")
						d.send(ctrlShiftD)
						d.idle()
						flrWant(t, d, "Windows Autopilot diagnostics")
						d.press("esc")
						flrWant(t, d, "Something went wrong")
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
			d := newDriver(t, setup{tweak: flrTweaks(flrAlwaysFails(t), func(ten *flow.Tenant) {
				ten.Profile.ESP.CustomErrorMessage = tc.msg
			})})
			flrMeganToESPError(t, d)
			flrWant(t, d, tc.want)
			flrWantNot(t, d, tc.notWant, flrTimeoutText)
		})
	}
}

// flrSlowTenant makes Company Portal take 200 s with a one-minute ESP timeout.
func flrSlowTenant(t testing.TB) func(*flow.Tenant) {
	return func(ten *flow.Tenant) {
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
			d := newDriver(t, setup{w: 120, h: 40, rec: flrRecorder(&buf), tweak: flrTweaks(flrSlowTenant(t),
				func(ten *flow.Tenant) { tc.cfg(&ten.Profile.ESP) })})
			flrMeganToESPError(t, d)
			e := flrESP(d)
			if !e.timedOut {
				t.Fatalf("the ESP failed without timing out:\n%s", d.text())
			}
			flrWant(t, d, flrTimeoutText, d.m.common.Session.Profile.ESP.CustomErrorMessage)
			if l := flrLine(d, "Apps (0 of 5 installed)"); !strings.Contains(l, "Working on it…") {
				t.Errorf("the app is not shown working at the timeout: %q\n%s", l, d.text())
			}
			flrCheckESPButtons(t, d, flow.Buttons(d.m.common.Session.Profile.ESP, flow.Windows11), true)
			// reference §3.5: on expiry the phase turns into the error state
			if l := flrLine(d, "Device setup"); !strings.Contains(l, "Error") {
				t.Errorf("after the timeout the Device setup line reads %q, want the error state "+
					"(ui/screen_esp.go event: the timeout calls fail without marking the phase failed in c.ESP)", flrFlat(l))
			}
			lines := flrLines(t, buf.String())
			if flrCount(lines, flow.RecordError, `"error":"esp_timeout"`, `"phase":"deviceSetup"`) != 1 {
				t.Errorf("the timeout is not recorded once:\n%s", buf.String())
			}
			if flrFind(lines, 0, flow.RecordError, `"error":"esp_failed"`) >= 0 {
				t.Error("a timeout is recorded as an app failure")
			}
			flrNoSecrets(t, "the record", buf.String())
		})
	}
}

// TestFailureRestartCredentialReentry: a restart during Device setup shows the full-screen
// restart, then the Windows sign-in screen with an empty username; a wrong password and
// another user are refused; megan's password continues, and Account setup follows after
// privacy and the first sign-in animation, through to the desktop.
func TestFailureRestartCredentialReentry(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: flrRecorder(&buf), tweak: func(ten *flow.Tenant) { ten.Scenario.DeviceSetupReboot = true }})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.settle(func() bool { e := flrESP(d); return e != nil && e.restart })
	if !flrESP(d).FullScreen() {
		t.Error("the restart is not full screen")
	}
	flrWant(t, d, "Restarting")
	flrWantNot(t, d, "Setting up your device for work", "Device setup")

	d.settle(func() bool { e := flrESP(d); return e != nil && e.reentry })
	e := flrESP(d)
	flrWant(t, d, "Sign in", "Your device restarted. Sign in again to continue setting it up.",
		"Work or school account", "Enter password")
	if e.user.user.Value() != "" || strings.Contains(d.text(), flrMegan) {
		t.Fatalf("the username is pre-filled after the restart (%q):\n%s", e.user.user.Value(), d.text())
	}
	d.idle()
	if d.m.Step() != flow.StepESPDevice || !flrESP(d).reentry {
		t.Fatalf("the flow went on without the credentials: on %s\n%s", d.m.Step(), d.text())
	}

	submit := func(upn, password string) {
		t.Helper()
		for range len([]rune(e.user.user.Value())) {
			d.press("backspace")
		}
		d.typeText(upn)
		d.press("enter") // to the password
		d.typeText(password)
		d.press("enter")
	}
	submit(flrMegan, "Wrong#Horse7")
	flrWant(t, d, "Your account or password is incorrect.")
	if d.m.Step() != flow.StepESPDevice {
		t.Fatalf("a wrong password went on to %s", d.m.Step())
	}
	d.press("shift+tab") // from the password back to the username
	submit(flrTomas, "Tailwind#2026")
	flrWant(t, d, "Sign in with the account you used to set up this device.")
	if d.m.Step() != flow.StepESPDevice {
		t.Fatalf("another user went on to %s", d.m.Step())
	}
	d.press("shift+tab")
	submit(flrMegan, "Contrail#2026")
	if d.m.Step() != flow.StepPrivacy {
		t.Fatalf("megan's password: on %s, want privacy:\n%s", d.m.Step(), d.text())
	}

	d.press("tab") // Accept
	d.send(keyMsg("enter"))
	d.settle(func() bool { return d.m.Step() == flow.StepFSIA })
	d.settle(func() bool {
		return flrESP(d) != nil && d.m.common.ESP.Phase(flow.ESPAccountSetup).State == flow.ItemWorking
	})
	flrWant(t, d, "Account setup", "Working on it…")
	d.settle(func() bool { return d.m.Step() == flow.StepHello })
	d.press("enter")
	d.typeText("135791")
	d.press("tab")
	d.typeText("135791")
	d.press("enter")
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("on %s, want the desktop:\n%s", d.m.Step(), d.text())
	}

	lines := flrLines(t, buf.String())
	restart := flrFind(lines, 0, flow.RecordBackend, `"event":"restart"`)
	again := flrFind(lines, restart, flow.RecordBackend, `"event":"signed_in_after_restart"`)
	account := flrFind(lines, 0, flow.RecordBackend, `"event":"esp_phase_start"`, `"phase":"accountSetup"`)
	switch {
	case restart < 0 || again < 0:
		t.Errorf("the restart and the sign-in after it are not recorded:\n%s", buf.String())
	case account < again:
		t.Errorf("Account setup started (line %d) before the user signed in again (line %d)", account, again)
	}
	if n := flrCount(lines, flow.RecordError, `"error":"sign_in_after_restart"`); n != 2 {
		t.Errorf("%d refused sign-ins after the restart recorded, want 2", n)
	}
	if flrFind(lines, 0, flow.RecordEnd, `"outcome":"desktop"`) < 0 {
		t.Error("the run does not end on the desktop")
	}
	flrNoSecrets(t, "the record", buf.String())
}

// TestFailureEnrollmentError: priya has no Intune licence: enrollment fails with 80180018; Try
// again fails the same way and Start over returns to an empty username box.
func TestFailureEnrollmentError(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: flrRecorder(&buf)})
	toSignIn(t, d)
	flrCredentials(t, d, flrPriya, "Crosswind#2026")
	d.idle()
	check := func() {
		t.Helper()
		if s := flrSignIn(d); s == nil || s.state != signEnrollError {
			t.Fatalf("no enrollment error:\n%s", d.text())
		}
		flrWant(t, d, "Something went wrong", "Error code: 80180018", "Try again", "Start over")
	}
	check()
	flrPress(t, d, "retry")
	check()
	flrPress(t, d, "startover")
	if s := flrSignIn(d); s == nil || s.state != signUser || s.user.Value() != "" {
		t.Fatalf("Start over: not an empty username box:\n%s", d.text())
	}
	lines := flrLines(t, buf.String())
	if n := flrCount(lines, flow.RecordError, `"error":"enrollment"`, `"code":"80180018"`); n != 2 {
		t.Errorf("%d enrollment errors recorded, want 2", n)
	}
	flrNoSecrets(t, "the record", buf.String())
}

// flrGoldenStates drives a fresh run to each state worth pinning.
var flrGoldenStates = []struct {
	name  string
	tweak func(testing.TB) func(*flow.Tenant)
	drive func(*testing.T, *driver)
}{
	{"esp_working", nil, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrMegan, "Contrail#2026")
		d.settle(func() bool {
			apps, ok := d.m.common.ESP.Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
			return flrESP(d) != nil && ok && len(apps.Items) > 1 && apps.Items[1].State == flow.ItemWorking
		})
	}},
	{"esp_failed", func(t testing.TB) func(*flow.Tenant) {
		return flrTweaks(flrAlwaysFails(t), func(ten *flow.Tenant) {
			ten.Profile.Windows = flow.Windows11
			e := &ten.Profile.ESP
			e.BlockDeviceUse, e.AllowReset, e.AllowContinue, e.AllowLogCollection = true, true, true, true
		})
	}, flrMeganToESPError},
	{"esp_timeout", flrSlowTenant, flrMeganToESPError},
	{"diagnostics", flrAlwaysFails, func(t *testing.T, d *driver) {
		flrMeganToESPError(t, d)
		flrPress(t, d, "diagnostics")
	}},
	{"restart", func(testing.TB) func(*flow.Tenant) {
		return func(ten *flow.Tenant) { ten.Scenario.DeviceSetupReboot = true }
	}, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrMegan, "Contrail#2026")
		d.settle(func() bool { e := flrESP(d); return e != nil && e.restart })
	}},
	{"signin_after_restart", func(testing.TB) func(*flow.Tenant) {
		return func(ten *flow.Tenant) { ten.Scenario.DeviceSetupReboot = true }
	}, func(t *testing.T, d *driver) {
		toSignIn(t, d)
		flrCredentials(t, d, flrMegan, "Contrail#2026")
		d.idle()
		if e := flrESP(d); e == nil || !e.reentry {
			t.Fatalf("no sign-in after the restart:\n%s", d.text())
		}
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
				golden.RequireEqual(t, d.screen())
			})
		}
	}
}

package ui

// The pages after the sign-in: privacy, the first sign-in animation, the quality updates,
// Windows Hello and the finish page, each reached by walking the deployment as a person would.

import (
	"bytes"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

const testUPN = "megan.rivera@larkspuraero.com"

// toStep walks megan's deployment of the embedded tenant until step s is on screen:
// privacy accepted as it is, the PIN 135791.
func toStep(t *testing.T, d *driver, s flow.StepID) {
	t.Helper()
	toSignIn(t, d)
	signIn(d, testUPN, "Contrail#2026")
	walkTo(t, d, s)
}

// walkTo goes on with megan's deployment from the page after the sign-in until step s is on
// screen.
func walkTo(t *testing.T, d *driver, s flow.StepID) {
	t.Helper()
	for d.m.Step() != s {
		switch d.m.Step() {
		case flow.StepPrivacy:
			d.key("enter")
		case flow.StepHello:
			if hl := d.r.Hello(); !hl.PINPage || hl.AllSet {
				d.key("enter")
				continue
			}
			d.typeText("135791")
			d.key("tab")
			d.typeText("135791")
			d.key("enter")
		case flow.StepWindowsSignIn:
			if w := d.r.WindowsSignIn(); !w.Unlocked {
				d.key("enter")
				continue
			}
			d.typeText(testUPN)
			d.key("enter")
			d.typeText("Contrail#2026")
			d.key("enter")
			d.settle(func() bool { return d.m.Step() != flow.StepWindowsSignIn })
		case flow.StepESPAccount:
			if espState(d) == run.ESPSignOut {
				d.key("enter")
				continue
			}
			if espState(d) == run.ESPEntraPrompt { // a hybrid join's Entra prompt
				switch d.r.ESPStep().Prompt.State {
				case run.PromptCredentials:
					d.typeText(testUPN)
					d.key("enter")
					d.typeText("Contrail#2026")
					d.key("enter")
					d.settle(func() bool { p := d.r.ESPStep().Prompt; return p == nil || p.State != run.PromptChecking })
				default:
					d.key("enter") // OK, Done
				}
				continue
			}
			if !d.next() {
				t.Fatalf("nothing more happens on %s, want %s:\n%s", d.m.Step(), s, d.text())
			}
		default:
			if !d.next() {
				t.Fatalf("nothing more happens on %s, want %s:\n%s", d.m.Step(), s, d.text())
			}
		}
	}
}

func TestPrivacyToggles(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{w: 120, h: 40, rec: &buf})
	toStep(t, d, flow.StepPrivacy)
	d.sees("Choose privacy settings for your device", "Location", "Find my device",
		"Diagnostic data", "Inking & typing", "Tailored experiences", "Advertising ID", "Accept")
	d.seesNot("Online speech recognition") // Windows 10 only
	if n := strings.Count(d.text(), "Yes"); n != 6 {
		t.Fatalf("want 6 toggles on by default, %d Yes:\n%s", n, d.text())
	}
	d.press("space")                 // Location off
	d.press("down", "down", "space") // Diagnostic data: required only
	d.press("down", "space", "space")
	d.click("Advertising ID") // a click toggles too
	if n := strings.Count(d.text(), "No"); n != 3 {
		t.Fatalf("want 3 toggles off, %d No:\n%s", n, d.text())
	}
	d.press("tab", "tab") // past Accept round to the first toggle
	if l := d.line("Location"); !strings.Contains(l, "❯") {
		t.Fatalf("tab, tab from the last toggle does not reach the first: %q", l)
	}
	d.key("enter")
	if d.m.Step() == flow.StepPrivacy {
		t.Fatalf("Accept did not move on:\n%s", d.text())
	}
	want := map[string]bool{
		flow.PrivacyLocation: false, flow.PrivacyFindMyDevice: true, flow.PrivacyDiagnosticData: false,
		flow.PrivacyInking: true, flow.PrivacyTailoredExperiences: true, flow.PrivacyAdvertisingID: false,
	}
	if got := d.r.Answers().Privacy; !maps.Equal(got, want) {
		t.Fatalf("Answers.Privacy = %v, want %v", got, want)
	}
	if !strings.Contains(recorded(&buf).String(), `"privacy":{"advertisingId":false,"diagnosticData":false,`) {
		t.Fatalf("answer not recorded:\n%s", recorded(&buf).String())
	}
}

func TestPrivacyWindows10AndScrolling(t *testing.T) {
	d := newDriver(t, setup{theme: "win10"})
	toStep(t, d, flow.StepPrivacy)
	d.sees("Online speech recognition")
	d.seesNot("Advertising ID") // 80×24 cannot show all seven: the page scrolls
	for range 6 {
		d.press("down")
	}
	d.sees("Advertising ID")
	d.seesNot("Online speech recognition")
	d.press("space", "down") // Advertising ID off, then on to Accept
	if !focused(d, "accept") {
		t.Fatalf("Accept not focused after the last toggle")
	}
	d.key("space") // Space on Accept presses it
	a := d.r.Answers().Privacy
	if len(a) != 7 || a[flow.PrivacyAdvertisingID] || !a[flow.PrivacySpeech] {
		t.Fatalf("Answers.Privacy = %v", a)
	}
}

func TestFSIAGreetsAndMovesOn(t *testing.T) {
	d := newDriver(t, setup{})
	toStep(t, d, flow.StepPrivacy)
	d.key("enter")
	if d.m.Step() != flow.StepFSIA {
		t.Fatalf("on %s", d.m.Step())
	}
	if strings.Contains(d.text(), "╭") {
		t.Fatal("the first sign-in animation should cover the whole screen")
	}
	d.sees("Hi Megan Rivera", "This might take several minutes.")
	start := d.r.Now()
	d.settle(func() bool { return d.m.Step() != flow.StepFSIA })
	if got := d.r.Now().Sub(start); got != run.FSIAPause {
		t.Fatalf("the animation took %v of emulated time, want %v", got, run.FSIAPause)
	}
}

func TestFSIAGermanGreeting(t *testing.T) {
	d := newDriver(t, setup{locale: "de-DE"})
	toStep(t, d, flow.StepPrivacy)
	d.key("enter")
	d.sees("Hallo Megan Rivera", "Dies kann einige Minuten dauern.")
}

func TestQualityUpdatesRunOnTheClock(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: &buf})
	toStep(t, d, flow.StepQualityUpdates)
	start := d.r.Now()
	d.sees("Updates are available", "Downloading updates", "0%")
	d.settle(func() bool { return d.r.Updates().Progress >= 0.5 })
	d.sees("Installing monthly security updates", "50%")
	d.settle(func() bool { return d.r.Updates().Restarting })
	d.sees("Restarting")
	d.seesNot("Updates are available")
	d.waitFor("Finishing up")
	d.sees("100%")
	d.settle(func() bool { return d.m.Step() != flow.StepQualityUpdates })
	if got, want := d.r.Now().Sub(start), sim.QualitySteps*sim.QualityStep+sim.QualityRestart+sim.QualityStep; got != want {
		t.Fatalf("the updates took %v of emulated time, want %v", got, want)
	}
	for _, ev := range []string{"update.restart", "update.resumed", "update.done"} {
		if !strings.Contains(recorded(&buf).String(), ev) {
			t.Errorf("%s not recorded", ev)
		}
	}
}

// TestHelloPIN: the Windows Hello flow of the lab guides — "Use Windows Hello with your
// account" → OK → "Set up a PIN" with the policy's checklist → "All set!" → OK → desktop.
func TestHelloPIN(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: &buf})
	toStep(t, d, flow.StepHello)
	d.sees("Use Windows Hello with your account")
	if b, ok := d.button("ok"); !ok || b.Label != "OK" {
		t.Errorf("the intro's button is %q, want OK", b.Label)
	}
	d.press("enter")
	d.sees("Set up a PIN", "New PIN", "Confirm PIN", "Include letters and symbols",
		"✗ At least 6 characters", "✓ At most 127 characters")
	if b, _ := d.button("ok"); !b.Disabled {
		t.Fatal("OK enabled before a PIN was typed")
	}

	d.typeText("12a") // without letters and symbols, only digits go in
	d.sees("Only numbers are allowed")
	d.typeText("3456")
	d.seesNot("Only numbers are allowed")
	d.sees("✓ At least 6 characters", "••••••")
	if b, _ := d.button("ok"); !b.Disabled {
		t.Fatal("OK enabled before the PIN was confirmed")
	}

	d.press("enter") // Enter in New PIN goes to Confirm PIN
	d.typeText("9")
	d.sees("The PINs don't match")
	d.press("backspace")
	d.typeText("12345") // could still become the same PIN: no complaint yet
	d.seesNot("The PINs don't match")
	d.press("enter") // OK while they differ: now it says so
	d.sees("The PINs don't match")
	if d.m.Step() != flow.StepHello {
		t.Fatal("OK moved on with different PINs")
	}
	d.typeText("6")
	d.seesNot("The PINs don't match")
	if b, _ := d.button("ok"); b.Disabled {
		t.Fatalf("OK disabled with a valid, confirmed PIN:\n%s", d.text())
	}
	d.press("ctrl+r")
	d.sees("123456")
	d.press("ctrl+r")
	d.seesNot("123456")

	d.press("enter")
	d.sees("All set!", "use your PIN to sign in")
	d.seesNot("New PIN")
	if d.m.Step() != flow.StepHello {
		t.Fatalf("the PIN went straight on to %s, want All set! first", d.m.Step())
	}
	d.press("enter")
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("OK on All set! did not move on:\n%s", d.text())
	}
	rec := recorded(&buf).String()
	if strings.Contains(rec, "123456") {
		t.Fatalf("the PIN is in the record:\n%s", rec)
	}
	if !strings.Contains(rec, `"helloPin":"set"`) {
		t.Fatalf("the PIN set-up is not recorded:\n%s", rec)
	}
}

// helloPolicy gives the embedded tenant another Windows Hello for Business policy.
func helloPolicy(h flow.HelloConfig) func(*sim.World) {
	return func(w *sim.World) { w.Profile.Hello = h }
}

func TestHelloLettersAndSymbols(t *testing.T) {
	d := newDriver(t, setup{w: 120, h: 40})
	toStep(t, d, flow.StepHello)
	d.press("enter")
	d.seesNot("Can include uppercase letters")
	d.click("Include letters and symbols")
	d.sees("☑ Include letters and symbols", "Can include uppercase letters",
		"Can include lowercase letters", "Can include special characters: !")
	d.click("New PIN")
	d.typeText("Ab#12x")
	d.press("tab")
	d.typeText("Ab#12x")
	if b, _ := d.button("ok"); b.Disabled {
		t.Fatalf("OK disabled:\n%s", d.text())
	}
	// clearing the box keeps only the digits
	d.press("tab", "space", "ctrl+r")
	d.sees("☐ Include letters and symbols")
	if strings.Count(d.text(), "12 ") < 2 || strings.Contains(d.text(), "Ab#") {
		t.Fatalf("after clearing the box the PINs are not the digits 12:\n%s", d.text())
	}
}

func TestHelloPolicyRules(t *testing.T) {
	d := newDriver(t, setup{w: 120, h: 40, tweak: helloPolicy(flow.HelloConfig{
		State: "enabled", MinLength: 8, MaxLength: 12,
		Uppercase: flow.PINRequired, Lowercase: flow.PINAllowed, Special: flow.PINDisallowed,
	})})
	toStep(t, d, flow.StepHello)
	d.press("enter")
	// a required class ticks the box for good
	d.sees("☑ Include letters and symbols", "✗ At least 8 characters", "✓ At most 12 characters",
		"✗ At least one uppercase letter", "✓ No special characters")
	d.typeText("abcdefg!")
	d.sees("✓ At least 8 characters", "✗ No special characters")
	d.press("backspace")
	d.typeText("H")
	d.sees("✓ At least one uppercase letter", "✓ No special characters")
	d.press("tab", "tab") // Confirm PIN, then straight to Cancel: the box cannot be cleared
	if !focused(d, "cancel") {
		t.Fatalf("focus is not on Cancel:\n%s", d.text())
	}
	d.press("enter") // Cancel goes back to the intro
	d.sees("Use Windows Hello with your account")

	d = newDriver(t, setup{tweak: helloPolicy(flow.DefaultProfile().Hello)})
	toStep(t, d, flow.StepHello)
	d.press("enter")
	d.sees("✓ Numbers only")
	d.seesNot("Include letters and symbols")
	d.typeText("x")
	d.sees("The PIN can only contain numbers.")
}

func TestHelloWindows10Button(t *testing.T) {
	d := newDriver(t, setup{theme: "win10", locale: "de-DE"})
	toStep(t, d, flow.StepHello)
	d.sees("Windows Hello mit Ihrem Konto verwenden", "OK")
	d.press("enter")
	d.sees("PIN einrichten", "Neue PIN", "PIN bestätigen", "Mindestens 6 Zeichen")
}

func TestDesktopSummary(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{rec: &buf})
	toStep(t, d, flow.StepDesktop)
	d.idle()
	d.sees("You're all set", "LSA-8CG3471KQD", testUPN, "Microsoft Entra ID", "Enrollment Status Page",
		"Device preparation", "Device setup", "Account setup", "Total on the ESP", "Whole setup")
	if got := d.r.Answers().DeviceName; got != "LSA-8CG3471KQD" {
		t.Fatalf("Answers.DeviceName = %q", got)
	}
	if rec := recorded(&buf).String(); strings.Count(rec, `"kind":"end"`) != 1 || !strings.Contains(rec, `"outcome":"desktop"`) {
		t.Fatalf("end not recorded once:\n%s", rec)
	}
	d.press("enter") // Exit is the default
	if !d.quit {
		t.Fatal("Exit did not quit")
	}
}

// TestDesktopPhaseTimes: phase times in minutes and hours add up to a total in hours.
func TestDesktopPhaseTimes(t *testing.T) {
	d := newDriver(t, setup{w: 120, h: 40, tweak: func(w *sim.World) {
		w.Profile.ESP.TimeoutMinutes = 120
		w.Scenario.Apps = append(w.Scenario.Apps,
			sim.ScenarioApp{ID: "big-device-app", Name: "Big device app", Seconds: 170},
			sim.ScenarioApp{ID: "big-user-app", Name: "Big user app", Context: sim.ContextUser, Seconds: 3490})
	}})
	toStep(t, d, flow.StepDesktop)
	d.idle()
	for _, re := range []string{`Device setup\s+3 min \d+ s`, `Account setup\s+58 min \d+ s`, `Total on the ESP\s+1 h \d+ min`, `Whole setup\s+1 h \d+ min`} {
		if !regexp.MustCompile(re).MatchString(d.text()) {
			t.Errorf("%s not on screen:\n%s", re, d.text())
		}
	}
	d.seesNot("—")
}

// TestDesktopTimesSayWhatTheyAre (issue 8): a phase left with Continue anyway keeps its time,
// marked as such; the ESP total and the whole setup (power-on to desktop) are told apart.
func TestDesktopTimesSayWhatTheyAre(t *testing.T) {
	d := newDriver(t, setup{w: 120, h: 40})
	toSignIn(t, d)
	signIn(d, "tomas.okafor@larkspuraero.com", "Tailwind#2026")
	d.settle(func() bool { return signState(d) == run.SignMFACode })
	d.typeText("246810")
	d.key("enter")
	d.settle(func() bool { return d.m.Step() == flow.StepESPDevice && espState(d) == run.ESPFailed })
	d.pressButton("continue")
	walkTo(t, d, flow.StepWindowsSignIn) // after the quality update
	d.press("enter")
	d.typeText("tomas.okafor@larkspuraero.com")
	d.press("enter")
	d.typeText("Tailwind#2026")
	d.press("enter")
	walkTo(t, d, flow.StepDesktop)
	d.idle()
	times := d.r.PhaseTimes()
	if len(times) != 3 || times[1].Phase != flow.ESPDeviceSetup || !times[1].Continued {
		t.Fatalf("phase times %+v: want Device setup kept, continued", times)
	}
	d.sees("Device setup (error, continued anyway)", "Total on the ESP", "Whole setup")
	var esp time.Duration
	for _, pt := range times {
		esp += pt.D
	}
	if whole := d.r.Desktop().Elapsed; whole <= esp {
		t.Errorf("whole setup %v is not longer than the ESP's %v", whole, esp)
	}
}

func TestDesktopStartAgain(t *testing.T) {
	d := newDriver(t, setup{})
	toStep(t, d, flow.StepDesktop)
	d.idle()
	d.press("tab", "enter")
	if d.m.Step() != flow.StepLanguage || d.quit {
		t.Fatalf("Start again: on %q, quit=%v", d.m.Step(), d.quit)
	}
	d.sees("Choose your language")
}

func TestDesktopDefaultNames(t *testing.T) {
	noTemplate := func(w *sim.World) { w.Profile.DeviceNameTemplate = "" }
	name := func(tweak func(*sim.World), locale string) (string, *driver) {
		d := newDriver(t, setup{tweak: tweak, locale: locale})
		toStep(t, d, flow.StepDesktop)
		d.idle()
		return d.r.Answers().DeviceName, d
	}
	first, _ := name(noTemplate, "")
	if !regexp.MustCompile(`^DESKTOP-[A-Z0-9]{7}$`).MatchString(first) {
		t.Fatalf("default name %q", first)
	}
	if again, _ := name(noTemplate, ""); again != first {
		t.Fatalf("same seed, different names: %q, %q", first, again)
	}
	hybrid, d := name(func(w *sim.World) {
		w.DomainJoin = &flow.DomainJoin{Domain: "corp.larkspuraero.com", Prefix: "LSA-HJ-", RandomChars: 8}
		w.Profile.Join = flow.JoinHybrid
		w.DeviceIdentity = nil
	}, "de-DE")
	if !regexp.MustCompile(`^LSA-HJ-[A-Z0-9]{8}$`).MatchString(hybrid) {
		t.Fatalf("hybrid name %q", hybrid)
	}
	d.sees("Gerätename", hybrid, "Microsoft Entra ID und corp.larkspuraero.com (hybrid)", "Seite zum Registrierungsstatus", "Gesamte Einrichtung")
}

// TestESPRowsKeepTheirCounters (issue 8): on a narrow terminal, in German, every category row
// of the ESP keeps its name and counter whole; the state beside it is what gets cut.
func TestESPRowsKeepTheirCounters(t *testing.T) {
	for _, w := range []int{60, 70, 80} {
		d := newDriver(t, setup{locale: "de-DE", w: w, h: 24})
		d.press("enter", "enter", "enter", "enter", "enter", "enter")
		d.typeText("Runway-2026!")
		d.press("enter", "enter")
		d.on(flow.StepEULA)
		d.press("enter")
		signIn(d, testUPN, "Contrail#2026")
		d.settle(func() bool {
			apps, ok := d.r.ESP().Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
			return ok && len(apps.Items) > 1 && apps.Items[0].State == flow.ItemWorking
		})
		for _, row := range []string{"Sicherheitsrichtlinien (0 von 1 angewendet)", "Zertifikate (0 von 2 hinzugefügt)",
			"Netzwerkverbindungen (0 von 2 hinzugefügt)", "Apps (0 von 5 installiert)"} {
			if d.line(row) == "" {
				t.Errorf("at %d columns %q is not whole:\n%s", w, row, d.text())
			}
		}
	}
}

// TestRegionSearchEscAndRanking (issue 8): Esc on a search brings back the selection it
// started from (Enter then accepts that, not the last match); names that start with the
// search come first, then those whose words start with its words, then the rest.
func TestRegionSearchEscAndRanking(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30})
	d.press("enter") // the region page, United States selected
	pointer := d.m.env.Glyphs.Pointer
	d.typeText("swit")
	d.sees(pointer + "  Switzerland")
	d.press("esc")
	if l := d.line(pointer); !strings.Contains(l, "United States") {
		t.Fatalf("after Esc the selection is %q, want United States again", l)
	}
	d.press("enter")
	if got := d.r.Answers().Region; got != "US" {
		t.Errorf("Enter after Esc chose %q, want US", got)
	}

	d = newDriver(t, setup{w: 100, h: 30})
	d.press("enter")
	d.typeText("u s")
	lines := strings.Split(d.text(), "\n")
	us, uae := -1, -1
	for i, l := range lines {
		if strings.Contains(l, "United States") && us < 0 {
			us = i
		}
		if strings.Contains(l, "United Arab Emirates") && uae < 0 {
			uae = i
		}
	}
	if us < 0 || (uae >= 0 && uae < us) {
		t.Errorf("for \"u s\" United States (row %d) does not come before United Arab Emirates (row %d):\n%s", us, uae, d.text())
	}
	d.sees(pointer + "  United States")
}

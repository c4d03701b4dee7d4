package ui

import (
	"bytes"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// endDriver starts the app as usual, lets prep adjust the shared state (answers, profile),
// then puts the screen that build makes on screen as the root would on entering its step.
// The screen's Init commands are queued but not run.
func endDriver(t *testing.T, s setup, build func(*Common) Screen, prep func(*Common)) *driver {
	t.Helper()
	d := newDriver(t, s)
	d.idle()
	c := d.m.common
	if prep != nil {
		prep(c)
	}
	c.seq++
	d.m.screen = build(c)
	d.queue(d.m.screen.Init())
	return d
}

// card is the current screen's card at the body size the frame gives it.
func (d *driver) card() Card {
	title, sub := d.m.screen.Heading()
	g := d.m.frameGeometry(title, sub)
	return d.m.screen.View(g.bodyW, g.bodyH)
}

func (d *driver) button(id string) Button {
	d.t.Helper()
	for _, b := range d.card().Buttons {
		if b.ID == id {
			return b
		}
	}
	d.t.Fatalf("no button %q on screen:\n%s", id, d.text())
	return Button{}
}

func (d *driver) wantText(texts ...string) {
	d.t.Helper()
	scr := d.text()
	for _, s := range texts {
		if !strings.Contains(scr, s) {
			d.t.Fatalf("%q not on screen:\n%s", s, scr)
		}
	}
}

func (d *driver) wantNoText(texts ...string) {
	d.t.Helper()
	scr := d.text()
	for _, s := range texts {
		if strings.Contains(scr, s) {
			d.t.Fatalf("%q on screen:\n%s", s, scr)
		}
	}
}

const testUPN = "megan.rivera@larkspuraero.com"

func withUPN(c *Common) { c.Session.Answers.UPN = testUPN }

func TestPrivacyToggles(t *testing.T) {
	var buf bytes.Buffer
	d := endDriver(t, setup{w: 120, h: 40, rec: flow.NewRecorder(&buf, nil)}, newPrivacyScreen, nil)
	d.wantText("Choose privacy settings for your device", "Location", "Find my device",
		"Diagnostic data", "Inking & typing", "Tailored experiences", "Advertising ID", "Accept")
	d.wantNoText("Online speech recognition") // Windows 10 only
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
	if s := d.m.screen.(*privacyScreen); s.focus != 0 {
		t.Fatalf("focus after tab, tab from the last toggle: %d", s.focus)
	}
	d.press("enter")
	if d.m.Step() == flow.StepLanguage {
		t.Fatalf("Accept did not move on:\n%s", d.text())
	}
	want := map[string]bool{
		flow.PrivacyLocation: false, flow.PrivacyFindMyDevice: true, flow.PrivacyDiagnosticData: false,
		flow.PrivacyInking: true, flow.PrivacyTailoredExperiences: true, flow.PrivacyAdvertisingID: false,
	}
	if got := d.m.common.Session.Answers.Privacy; !maps.Equal(got, want) {
		t.Fatalf("Answers.Privacy = %v, want %v", got, want)
	}
	if !strings.Contains(buf.String(), `"privacy":{"advertisingId":false,"diagnosticData":false,`) {
		t.Fatalf("answer not recorded:\n%s", buf.String())
	}
}

func TestPrivacyWindows10AndScrolling(t *testing.T) {
	d := endDriver(t, setup{theme: "win10"}, newPrivacyScreen, nil)
	d.wantText("Online speech recognition")
	d.wantNoText("Advertising ID") // 80×24 cannot show all seven: the page scrolls
	for range 6 {
		d.press("down")
	}
	d.wantText("Advertising ID")
	d.wantNoText("Online speech recognition")
	d.press("space", "down") // Advertising ID off, then on to Accept
	if b := d.button("accept"); !b.Focused {
		t.Fatalf("Accept not focused after the last toggle")
	}
	d.press("space") // Space on Accept presses it
	a := d.m.common.Session.Answers.Privacy
	if len(a) != 7 || a[flow.PrivacyAdvertisingID] || !a[flow.PrivacySpeech] {
		t.Fatalf("Answers.Privacy = %v", a)
	}
}

func TestPrivacyKeepsEarlierChoices(t *testing.T) {
	d := endDriver(t, setup{}, newPrivacyScreen, func(c *Common) {
		c.Session.Answers.Privacy = map[string]bool{flow.PrivacyLocation: false}
	})
	d.press("enter")
	a := d.m.common.Session.Answers.Privacy
	if a[flow.PrivacyLocation] || !a[flow.PrivacyFindMyDevice] {
		t.Fatalf("Answers.Privacy = %v", a)
	}
}

func TestFSIAGreetsAndMovesOn(t *testing.T) {
	for _, tc := range []struct {
		name string
		prep func(*Common)
		want string
	}{
		{"known user", withUPN, "Hi Megan Rivera"},
		{"no user", nil, "Hi"},
		{"user not in the scenario", func(c *Common) { c.Session.Answers.UPN = "someone@larkspuraero.com" }, "Hi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := endDriver(t, setup{}, newFSIAScreen, tc.prep)
			if fs, ok := d.m.screen.(fullScreen); !ok || !fs.FullScreen() {
				t.Fatal("the first sign-in animation should cover the whole screen")
			}
			d.wantText(tc.want, "This might take several minutes.")
			if tc.want == "Hi" {
				d.wantNoText("Hi ")
			}
			start := d.m.common.Clock.Now()
			d.idle()
			if d.m.Step() == flow.StepLanguage {
				t.Fatalf("still on the animation:\n%s", d.text())
			}
			if got := d.m.common.Clock.Now().Sub(start); got != fsiaPause {
				t.Fatalf("the animation took %v of emulated time, want %v", got, fsiaPause)
			}
		})
	}
}

func TestFSIAGermanGreeting(t *testing.T) {
	d := endDriver(t, setup{locale: "de-DE"}, newFSIAScreen, withUPN)
	d.wantText("Hallo Megan Rivera", "Dies kann einige Minuten dauern.")
}

func TestQualityUpdatesRunOnTheClock(t *testing.T) {
	var buf bytes.Buffer
	d := endDriver(t, setup{rec: flow.NewRecorder(&buf, nil)}, newQualityScreen, nil)
	start := d.m.common.Clock.Now()
	q := d.m.screen.(*qualityScreen)
	d.wantText("Updates are available", "Downloading updates", "0%")
	d.settle(func() bool { return q.step == 5 })
	d.wantText("Installing monthly security updates", "50%")
	d.settle(func() bool { return q.restarting })
	if !q.FullScreen() {
		t.Fatal("the restart is not full screen")
	}
	d.wantText("Restarting")
	d.wantNoText("Updates are available")
	d.settle(func() bool { return !q.restarting })
	d.wantText("Finishing up", "100%")
	d.idle()
	if d.m.Step() == flow.StepLanguage {
		t.Fatalf("still on the updates:\n%s", d.text())
	}
	steps := qualitySteps + qualityRestartSteps + 1
	if got, want := d.m.common.Clock.Now().Sub(start), time.Duration(steps)*qualityStep; got != want {
		t.Fatalf("the updates took %v of emulated time, want %v", got, want)
	}
	for _, ev := range []string{"quality.start", "quality.restart", "quality.resumed", "quality.done"} {
		if !strings.Contains(buf.String(), ev) {
			t.Errorf("%s not recorded", ev)
		}
	}
}

func TestHelloPIN(t *testing.T) {
	var buf bytes.Buffer
	d := endDriver(t, setup{rec: flow.NewRecorder(&buf, nil)}, newHelloScreen, nil)
	d.wantText("Use Windows Hello with your account", "Set up PIN")
	d.press("enter")
	d.wantText("Set up a PIN", "New PIN", "Confirm PIN", "Include letters and symbols",
		"✗ At least 6 characters", "✓ At most 127 characters")
	if b := d.button("ok"); !b.Disabled {
		t.Fatal("OK enabled before a PIN was typed")
	}

	d.typeText("12a") // without letters and symbols, only digits go in
	d.wantText("Only numbers are allowed")
	d.typeText("3456")
	d.wantNoText("Only numbers are allowed")
	d.wantText("✓ At least 6 characters", "••••••")
	if b := d.button("ok"); !b.Disabled {
		t.Fatal("OK enabled before the PIN was confirmed")
	}

	d.press("enter") // Enter in New PIN goes to Confirm PIN
	d.typeText("9")
	d.wantText("The PINs don't match")
	d.press("backspace")
	d.typeText("12345") // could still become the same PIN: no complaint yet
	d.wantNoText("The PINs don't match")
	d.press("enter") // OK while they differ: now it says so
	d.wantText("The PINs don't match")
	if d.m.Step() != flow.StepLanguage {
		t.Fatal("OK moved on with different PINs")
	}
	d.typeText("6")
	d.wantNoText("The PINs don't match")
	if b := d.button("ok"); b.Disabled {
		t.Fatalf("OK disabled with a valid, confirmed PIN:\n%s", d.text())
	}
	d.press("ctrl+r")
	d.wantText("123456")
	d.press("ctrl+r")
	d.wantNoText("123456")

	d.press("enter")
	if d.m.Step() == flow.StepLanguage {
		t.Fatalf("OK did not move on:\n%s", d.text())
	}
	rec := buf.String()
	if strings.Contains(rec, "123456") {
		t.Fatalf("the PIN is in the record:\n%s", rec)
	}
	if !strings.Contains(rec, `"helloPin":"set"`) {
		t.Fatalf("the PIN set-up is not recorded:\n%s", rec)
	}
}

func TestHelloLettersAndSymbols(t *testing.T) {
	d := endDriver(t, setup{w: 120, h: 40}, newHelloScreen, nil)
	d.press("enter")
	d.wantNoText("Can include uppercase letters")
	d.click("Include letters and symbols")
	d.wantText("☑ Include letters and symbols", "Can include uppercase letters",
		"Can include lowercase letters", "Can include special characters: !")
	d.click("New PIN")
	d.typeText("Ab#12x")
	d.press("tab")
	d.typeText("Ab#12x")
	if b := d.button("ok"); b.Disabled {
		t.Fatalf("OK disabled:\n%s", d.text())
	}
	// clearing the box keeps only the digits
	d.press("tab", "space")
	s := d.m.screen.(*helloScreen)
	if s.letters || s.newIn.Value() != "12" || s.confIn.Value() != "12" {
		t.Fatalf("after clearing the box: letters=%v new=%q confirm=%q", s.letters, s.newIn.Value(), s.confIn.Value())
	}
}

func TestHelloPolicyRules(t *testing.T) {
	strict := func(c *Common) {
		c.Session.Profile.Hello = flow.HelloConfig{
			State: "enabled", MinLength: 8, MaxLength: 12,
			Uppercase: flow.PINRequired, Lowercase: flow.PINAllowed, Special: flow.PINDisallowed,
		}
	}
	d := endDriver(t, setup{w: 120, h: 40}, newHelloScreen, strict)
	d.press("enter")
	// a required class ticks the box for good
	d.wantText("☑ Include letters and symbols", "✗ At least 8 characters", "✓ At most 12 characters",
		"✗ At least one uppercase letter", "✓ No special characters")
	d.typeText("abcdefg!")
	d.wantText("✓ At least 8 characters", "✗ No special characters")
	d.press("backspace")
	d.typeText("H")
	d.wantText("✓ At least one uppercase letter", "✓ No special characters")
	d.press("tab", "tab") // Confirm PIN, then straight to Cancel: the box cannot be cleared
	if s := d.m.screen.(*helloScreen); s.focus != "cancel" {
		t.Fatalf("focus = %q, want cancel", s.focus)
	}
	d.press("enter") // Cancel goes back to the intro
	d.wantText("Use Windows Hello with your account")

	digits := func(c *Common) { c.Session.Profile.Hello = flow.DefaultProfile().Hello }
	d = endDriver(t, setup{}, newHelloScreen, digits)
	d.press("enter")
	d.wantText("✓ Numbers only")
	d.wantNoText("Include letters and symbols")
	d.typeText("x")
	d.wantText("The PIN can only contain numbers.")
}

func TestHelloWindows10Button(t *testing.T) {
	d := endDriver(t, setup{theme: "win10", locale: "de-DE"}, newHelloScreen, nil)
	d.wantText("Windows Hello mit Ihrem Konto verwenden", "OK")
	d.press("enter")
	d.wantText("PIN einrichten", "Neue PIN", "PIN bestätigen", "Mindestens 6 Zeichen")
}

func TestDesktopSummary(t *testing.T) {
	var buf bytes.Buffer
	d := endDriver(t, setup{rec: flow.NewRecorder(&buf, nil)}, newDesktopScreen, withUPN)
	d.idle()
	d.wantText("You're all set", "LSA-8CG3471KQD", testUPN, "Microsoft Entra ID", "Setup time", "—")
	if got := d.m.common.Session.Answers.DeviceName; got != "LSA-8CG3471KQD" {
		t.Fatalf("Answers.DeviceName = %q", got)
	}
	if rec := buf.String(); strings.Count(rec, `"kind":"end"`) != 1 || !strings.Contains(rec, `"outcome":"desktop"`) {
		t.Fatalf("end not recorded once:\n%s", rec)
	}
	d.press("enter") // Exit is the default
	if !d.quit {
		t.Fatal("Exit did not quit")
	}
}

func TestDesktopPhaseTimes(t *testing.T) {
	d := endDriver(t, setup{w: 120, h: 40}, newDesktopScreen, func(c *Common) {
		withUPN(c)
		c.PhaseTimes = []PhaseTime{
			{"Device preparation", 3*time.Minute + 12*time.Second},
			{"Device setup", 41 * time.Second},
			{"Account setup", 58*time.Minute + 30*time.Second},
		}
	})
	d.wantText("Device preparation", "3 min 12 s", "41 s", "58 min 30 s", "Total", "1 h 2 min")
	d.wantNoText("—")
}

func TestDesktopStartAgain(t *testing.T) {
	d := endDriver(t, setup{}, newDesktopScreen, nil)
	d.idle()
	d.press("tab", "enter")
	if _, ok := d.m.screen.(*desktopScreen); ok || d.m.Step() != flow.StepLanguage || d.quit {
		t.Fatalf("Start again: on %q, quit=%v", d.m.Step(), d.quit)
	}
}

func TestDesktopDefaultNames(t *testing.T) {
	d := endDriver(t, setup{}, newDesktopScreen, func(c *Common) { c.Session.Profile.DeviceNameTemplate = "" })
	name := d.m.screen.(*desktopScreen).name
	if !regexp.MustCompile(`^DESKTOP-[A-Z0-9]{7}$`).MatchString(name) {
		t.Fatalf("default name %q", name)
	}
	again := endDriver(t, setup{}, newDesktopScreen, func(c *Common) { c.Session.Profile.DeviceNameTemplate = "" })
	if n2 := again.m.screen.(*desktopScreen).name; n2 != name {
		t.Fatalf("same seed, different names: %q, %q", name, n2)
	}

	d = endDriver(t, setup{locale: "de-DE"}, newDesktopScreen, func(c *Common) {
		ten := *c.Tenant
		ten.DomainJoin = &flow.DomainJoin{Domain: "corp.larkspuraero.com", Prefix: "LSA-HJ-", RandomChars: 8}
		c.Tenant = &ten
		c.Session.Profile.Join = flow.JoinHybrid
	})
	name = d.m.screen.(*desktopScreen).name
	if !regexp.MustCompile(`^LSA-HJ-[A-Z0-9]{8}$`).MatchString(name) {
		t.Fatalf("hybrid name %q", name)
	}
	d.wantText("Gerätename", name, "Microsoft Entra ID und corp.larkspuraero.com (hybrid)", "Einrichtungsdauer")
}

// endScreens builds each screen of this file in its states worth drawing.
var endScreens = []struct {
	name  string
	build func(*Common) Screen
	prep  func(*Common)
	keys  []string
}{
	{"privacy", newPrivacyScreen, nil, nil},
	{"privacy_accept", newPrivacyScreen, nil, []string{"shift+tab"}},
	{"fsia", newFSIAScreen, withUPN, nil},
	{"quality", newQualityScreen, nil, nil},
	{"hello_intro", newHelloScreen, nil, nil},
	{"hello_pin", newHelloScreen, nil, []string{"enter", "1", "2", "a", "enter", "9"}},
	{"hello_letters", newHelloScreen, nil, []string{"enter", "tab", "tab", "space"}},
	{"desktop", newDesktopScreen, func(c *Common) {
		withUPN(c)
		c.PhaseTimes = []PhaseTime{{"Device preparation", time.Minute}, {"Device setup", 2 * time.Minute}, {"Account setup", time.Hour}}
	}, nil},
}

// TestEndScreensFit draws every state at 80×24, 120×40 and 50×16 in several looks and checks
// that no frame is wider or taller than the terminal, and that every body the screens draw
// for any size fits it.
func TestEndScreensFit(t *testing.T) {
	looks := []setup{{}, {theme: "win10", locale: "de-DE"}, {ascii: true, theme: "high-contrast"}}
	for _, look := range looks {
		for _, sc := range endScreens {
			look := look.withDefaults()
			t.Run(look.theme+"_"+look.locale+"_"+sc.name, func(t *testing.T) {
				d := endDriver(t, look, sc.build, sc.prep)
				for _, k := range sc.keys {
					d.send(keyMsg(k)) // without running the commands: the FSIA and updates stay put
				}
				for _, sz := range [][2]int{{80, 24}, {120, 40}, {50, 16}} {
					d.resize(sz[0], sz[1])
					checkFrame(t, sc.name, d.screen(), sz[0], sz[1])
				}
				for w := 1; w <= 130; w += 5 {
					for h := 1; h <= 40; h += 3 {
						body := d.m.screen.View(w, h).Body
						lines := strings.Split(body, "\n")
						if len(lines) > h {
							t.Fatalf("%s body at %dx%d: %d lines", sc.name, w, h, len(lines))
						}
						for i, l := range lines {
							if lw := ansi.StringWidth(l); lw > w {
								t.Fatalf("%s body at %dx%d: line %d is %d wide: %q", sc.name, w, h, i, lw, ansi.Strip(l))
							}
						}
					}
				}
			})
		}
	}
}

// TestEndScreensTicks checks that spinner ticks keep going only on the pages that show one.
func TestEndScreensTicks(t *testing.T) {
	animated := map[string]bool{"fsia": true, "quality": true}
	for _, sc := range endScreens {
		d := endDriver(t, setup{}, sc.build, sc.prep)
		id := 0
		switch s := d.m.screen.(type) {
		case *fsiaScreen:
			id = s.spin.ID()
		case *qualityScreen:
			id = s.spin.ID()
		}
		_, cmd := d.m.screen.Update(spinner.TickMsg{ID: id})
		if got := cmd != nil; got != animated[sc.name] {
			t.Errorf("%s: tick continues = %v, want %v", sc.name, got, animated[sc.name])
		}
	}
}

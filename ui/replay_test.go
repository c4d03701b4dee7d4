package ui

// Replaying answers files (--answers) and writing them (--write-answers), with the
// synchronous driver on the virtual clock: no test here waits for real time.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// demoAnswers answers every page of the embedded tenant for megan, the secrets from the
// environment.
const demoAnswers = `{
  "$schema": "oobe-answers/1",
  "language": "en-US",
  "region": "DE",
  "keyboard": "00000407",
  "keyboard2": "00000809",
  "network": {"ssid": "Larkspur-Corp", "connectAutomatically": true, "keyFrom": {"env": "OOBE_WIFI_KEY"}},
  "eula": "accept",
  "user": {"upn": "megan.rivera@larkspuraero.com", "passwordFrom": {"env": "OOBE_PASSWORD"}},
  "privacy": {"location": false, "findMyDevice": false},
  "pinFrom": {"env": "OOBE_PIN"}
}`

// demoEnv holds the demo's secrets.
var demoEnv = map[string]string{"OOBE_WIFI_KEY": "Runway-2026!", "OOBE_PASSWORD": "Contrail#2026", "OOBE_PIN": "135791"}

// loadScript writes text to a temporary answers file and loads it with the variables env.
func loadScript(t *testing.T, text string, env map[string]string) *answers.Script {
	t.Helper()
	path := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	sc, err := answers.Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// replayDriver replays sc on a fresh run (answers saved to save when set).
func replayDriver(t *testing.T, s setup, sc *answers.Script) *driver {
	t.Helper()
	s.script = sc
	return newDriver(t, s)
}

// saveTo saves a run's answers file to path.
func saveTo(path string) func(*answers.File) error {
	return func(f *answers.File) error { return answers.WriteFile(path, f) }
}

// recordSteps returns the steps entered, in order, and every replay line of a record.
func recordSteps(t *testing.T, record string) (steps []flow.StepID, replay []string) {
	t.Helper()
	for _, raw := range strings.Split(strings.TrimSpace(record), "\n") {
		lines, err := flow.ReadRecord(strings.NewReader(raw))
		if err != nil || len(lines) != 1 {
			t.Fatalf("record line %q: %v", raw, err)
		}
		switch l := lines[0]; l.Kind {
		case flow.RecordStepEnter:
			steps = append(steps, l.Step)
		case flow.RecordReplay:
			replay = append(replay, raw)
		}
	}
	return steps, replay
}

var allVisibleSteps = []flow.StepID{flow.StepLanguage, flow.StepRegion, flow.StepKeyboard, flow.StepKeyboard2,
	flow.StepNetwork, flow.StepUpdates, flow.StepEULA, flow.StepSignIn, flow.StepESPDevice,
	flow.StepPrivacy, flow.StepFSIA, flow.StepESPAccount, flow.StepQualityUpdates, flow.StepWindowsSignIn, flow.StepHello, flow.StepDesktop}

// demoWant is what the demo answers leave in the session.
func demoWant() flow.Answers {
	return flow.Answers{
		Language: "en-US", Region: "DE", Keyboard: "00000407", Keyboard2: "00000809",
		Network: "Larkspur-Corp", ConnectAutomatically: true, EULAAccepted: true,
		UPN: "megan.rivera@larkspuraero.com",
		Privacy: map[string]bool{
			flow.PrivacyLocation: false, flow.PrivacyFindMyDevice: false, flow.PrivacyDiagnosticData: true,
			flow.PrivacyInking: true, flow.PrivacyTailoredExperiences: true, flow.PrivacyAdvertisingID: true,
		},
		DeviceName: "LSA-8CG3471KQD",
	}
}

// TestReplayToDesktop: the demo answers take the embedded tenant from the first page to the
// desktop with no key pressed; every step is entered once, in order, and the record holds the
// answers but no secret.
func TestReplayToDesktop(t *testing.T) {
	var rec bytes.Buffer
	d := replayDriver(t, setup{rec: &rec}, loadScript(t, demoAnswers, demoEnv))
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("the replay stopped on %s:\n%s", d.m.Step(), d.text())
	}
	d.sees("LSA-8CG3471KQD", "megan.rivera@larkspuraero.com")
	if got := d.r.Answers(); !reflect.DeepEqual(got, demoWant()) {
		t.Errorf("answers\n %+v\nwant\n %+v", got, demoWant())
	}
	steps, replay := recordSteps(t, recorded(&rec).String())
	if !reflect.DeepEqual(steps, allVisibleSteps) {
		t.Errorf("steps entered %v\nwant %v", steps, allVisibleSteps)
	}
	for _, want := range []string{`"action":"select DE"`, `"action":"press add"`, `"action":"press connect"`,
		`"action":"toggle location"`, `"action":"press signin"`, `"action":"press ok"`} {
		if !strings.Contains(strings.Join(replay, "\n"), want) {
			t.Errorf("no replay line with %s in\n%s", want, strings.Join(replay, "\n"))
		}
	}
	if strings.Contains(recorded(&rec).String(), `"event":"stopped"`) {
		t.Errorf("the replay stopped somewhere:\n%s", strings.Join(replay, "\n"))
	}
	noSecrets(t, "the record", recorded(&rec).String())
}

// TestReplayIsVisible: with a delay, each action comes after it on the replay's clock, one
// at a time: the selection moves before the page is left, typed text appears a character at a
// time and secrets stay masked. The backend's clock is not moved by the pauses.
func TestReplayIsVisible(t *testing.T) {
	const delay = 1200 * time.Millisecond
	d := newDriver(t, setup{script: loadScript(t, demoAnswers, demoEnv), delay: delay})
	d.on(flow.StepRegion)
	before := d.r.Now()
	pointer := d.m.env.Glyphs.Pointer
	d.settle(func() bool { return strings.Contains(d.line(pointer), "Germany") })
	if d.m.Step() != flow.StepRegion {
		t.Fatal("the region page was left as the selection moved")
	}
	if got := d.r.Now().Sub(before); got != delay {
		t.Errorf("the selection moved after %v, want %v", got, delay)
	}
	d.sees(pointer + "  Germany")
	d.on(flow.StepKeyboard)
	if got := d.r.Now().Sub(before); got != 2*delay {
		t.Errorf("the page was left after %v, want %v", got, 2*delay)
	}

	masked := func(n int) func() bool {
		return func() bool { return d.line("│ "+strings.Repeat("•", n)+" ") != "" }
	}
	d.settle(masked(4))
	if strings.Contains(d.text(), "Runw") {
		t.Errorf("the key is not typed masked:\n%s", d.text())
	}
	start := d.r.Now()
	d.settle(masked(5))
	if got := d.r.Now().Sub(start); got != delay/16 {
		t.Errorf("characters typed %v apart, want %v", got, delay/16)
	}

	d.settle(func() bool { return regexp.MustCompile(`│ megan\s+│`).MatchString(d.text()) })
	d.seesNot("megan.rivera")
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("the replay stopped on %s:\n%s", d.m.Step(), d.text())
	}
	if spent := d.r.Now().Sub(testStart); spent < 40*delay {
		t.Errorf("the whole run took %v, want at least 40 delays of pauses", spent)
	}
}

// TestReplayPartial: a file that answers only the first pages replays them and stops at the
// first unanswered page, which stays interactive; a later answered page replays again.
func TestReplayPartial(t *testing.T) {
	var rec bytes.Buffer
	sc := loadScript(t, `{"$schema": "oobe-answers/1", "language": "de-DE", "region": "AT", "keyboard": "00000407", "eula": "accept"}`, nil)
	d := replayDriver(t, setup{rec: &rec}, sc)
	d.idle()
	if d.m.Step() != flow.StepKeyboard2 {
		t.Fatalf("on %s, want the unanswered second layout page:\n%s", d.m.Step(), d.text())
	}
	d.sees("zweites Tastaturlayout") // the language answer took effect
	d.idle()
	if d.m.Step() != flow.StepKeyboard2 {
		t.Fatal("an unanswered page moved on by itself")
	}
	d.press("enter") // Skip, by hand
	d.idle()
	if d.m.Step() != flow.StepNetwork {
		t.Fatalf("on %s, want the network page", d.m.Step())
	}
	d.press("enter", "enter") // expand Larkspur-Corp, Connect
	d.typeText("Runway-2026!")
	d.press("enter")
	d.idle()
	d.press("enter") // Next once online
	d.idle()         // the updates, then the licence: answered, so accepted by the replay
	if d.m.Step() != flow.StepSignIn {
		t.Fatalf("on %s, want the sign-in page after the replayed licence:\n%s", d.m.Step(), d.text())
	}
	a := d.r.Answers()
	if a.Language != "de-DE" || a.Region != "AT" || a.Keyboard != "00000407" || a.Keyboard2 != "" || !a.EULAAccepted {
		t.Errorf("answers %+v", a)
	}
}

// TestReplayMissingSecret: a network answered without its key waits on the key box for the
// person; the pages after it replay again.
func TestReplayMissingSecret(t *testing.T) {
	text := strings.Replace(demoAnswers, `, "keyFrom": {"env": "OOBE_WIFI_KEY"}`, "", 1)
	d := replayDriver(t, setup{}, loadScript(t, text, demoEnv))
	d.idle()
	if d.m.Step() != flow.StepNetwork || d.line("Enter the network security key") == "" {
		t.Fatalf("not waiting for the key on the network page (%s):\n%s", d.m.Step(), d.text())
	}
	d.typeText("Runway-2026!")
	d.press("enter")
	d.idle()
	if d.m.Step() != flow.StepNetwork {
		t.Fatalf("the network page was left by itself after the key typed by hand: %s", d.m.Step())
	}
	d.press("enter") // Next
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("the replay did not go on to the desktop after the page answered by hand: on %s\n%s", d.m.Step(), d.text())
	}
}

// TestReplayBack: Back during a replay goes back; the page gone back to, and the one come back
// to, are left to the person; the pages not seen yet replay again.
func TestReplayBack(t *testing.T) {
	var rec bytes.Buffer
	d := replayDriver(t, setup{rec: &rec}, loadScript(t, demoAnswers, demoEnv))
	d.settle(func() bool { return d.m.Step() == flow.StepKeyboard }) // its replay is pending
	d.press("esc")
	d.idle()
	if d.m.Step() != flow.StepRegion {
		t.Fatalf("Back during the replay: on %s, want region:\n%s", d.m.Step(), d.text())
	}
	if l := d.line(d.m.env.Glyphs.Pointer); !strings.Contains(l, "Germany") {
		t.Errorf("region page after Back selects %q, want the answer Germany", l)
	}
	d.press("enter") // the person confirms the region
	d.idle()
	if d.m.Step() != flow.StepKeyboard {
		t.Fatalf("on %s, want the keyboard page waiting for the person", d.m.Step())
	}
	d.press("enter")
	d.idle() // the second layout was not seen yet: replayed, and everything after it
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("the replay did not go on after Back: on %s\n%s", d.m.Step(), d.text())
	}
	if got := d.r.Answers(); !reflect.DeepEqual(got, demoWant()) {
		t.Errorf("answers\n %+v\nwant\n %+v", got, demoWant())
	}
	steps, replay := recordSteps(t, recorded(&rec).String())
	want := []flow.StepID{flow.StepLanguage, flow.StepRegion, flow.StepKeyboard, flow.StepRegion, flow.StepKeyboard}
	if !reflect.DeepEqual(steps[:5], want) {
		t.Errorf("steps %v, want %v first", steps, want)
	}
	if !strings.Contains(strings.Join(replay, "\n"), `"step":"keyboard","data":{"event":"stopped","reason":"input"}`) {
		t.Errorf("the Back key did not take the keyboard page over:\n%s", strings.Join(replay, "\n"))
	}
}

// TestReplayKeyTakesOver: a key on a replaying page hands that page to the person (here a
// different language is chosen); the next pages replay.
func TestReplayKeyTakesOver(t *testing.T) {
	d := replayDriver(t, setup{}, loadScript(t, demoAnswers, demoEnv))
	d.press("down") // Deutsch, before the replay's first action
	d.idle()
	if d.m.Step() != flow.StepLanguage {
		t.Fatalf("the language page went on after a key: on %s", d.m.Step())
	}
	d.press("enter")
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("on %s, want the desktop:\n%s", d.m.Step(), d.text())
	}
	if got := d.r.Answers().Language; got != "de-DE" {
		t.Errorf("language %q, want the person's de-DE", got)
	}
	d.sees("Gerätename")
}

// TestReplayAnswerNotAccepted: a wrong password stops the replay on the sign-in page with the
// error shown; the person types the right one and the replay goes on from the next page.
func TestReplayAnswerNotAccepted(t *testing.T) {
	var rec bytes.Buffer
	env := map[string]string{"OOBE_WIFI_KEY": "Runway-2026!", "OOBE_PASSWORD": "Wrong#Horse7", "OOBE_PIN": "135791"}
	d := replayDriver(t, setup{rec: &rec}, loadScript(t, demoAnswers, env))
	d.idle()
	if signState(d) != run.SignPassword {
		t.Fatalf("on %s, want the password page:\n%s", d.m.Step(), d.text())
	}
	d.sees("Your account or password is incorrect.")
	_, replay := recordSteps(t, recorded(&rec).String())
	if !strings.Contains(strings.Join(replay, "\n"), `"reason":"not accepted: type pass#0"`) {
		t.Errorf("the stop is not recorded:\n%s", strings.Join(replay, "\n"))
	}
	d.typeText("Contrail#2026")
	d.press("enter")
	d.idle()
	// the Windows sign-in after the quality update's restart: the replayed password is wrong
	// there too, so the person signs in
	if d.m.Step() != flow.StepWindowsSignIn {
		t.Fatalf("on %s, want the Windows sign-in:\n%s", d.m.Step(), d.text())
	}
	d.sees("The user name or password is incorrect.")
	d.typeText("Contrail#2026")
	d.press("enter")
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("on %s, want the desktop:\n%s", d.m.Step(), d.text())
	}
	noSecrets(t, "the record", recorded(&rec).String())
}

// TestReplayNetworkNotInRange: a network the scan does not find leaves the page to the person.
func TestReplayNetworkNotInRange(t *testing.T) {
	text := strings.Replace(demoAnswers, `"ssid": "Larkspur-Corp"`, `"ssid": "Somewhere-Else"`, 1)
	d := replayDriver(t, setup{}, loadScript(t, text, demoEnv))
	d.idle()
	if d.m.Step() != flow.StepNetwork || d.line("Larkspur-Corp") == "" {
		t.Fatalf("on %s, want the network list:\n%s", d.m.Step(), d.text())
	}
}

// TestReplayCodeRestartHiddenNetwork: tomas (verification code) on the hidden network, with a
// restart during Device setup: the code and the credentials after the restart are replayed
// too, a secret read from a file; the written file names every secret used, none inline.
func TestReplayCodeRestartHiddenNetwork(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lab.key"), []byte("Flaps-Down-15\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tomas.json")
	if err := os.WriteFile(path, []byte(`{
  "$schema": "oobe-answers/1",
  "language": "en-US", "region": "US", "keyboard": "00000409", "keyboard2": "",
  "network": {"ssid": "LSA-Lab", "hidden": true, "keyFrom": {"file": "lab.key"}},
  "eula": "accept",
  "user": {"upn": "tomas.okafor@larkspuraero.com", "passwordFrom": {"env": "TOMAS_PW"}},
  "mfaCodeFrom": {"env": "TOMAS_CODE"},
  "privacy": {},
  "pinFrom": {"env": "OOBE_PIN"}
}`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TOMAS_PW": "Tailwind#2026", "TOMAS_CODE": "246810", "OOBE_PIN": "2468a!", "OOBE_WIFI_KEY": "unused"}
	sc, err := answers.Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "written.json")
	var rec bytes.Buffer
	d := newDriver(t, setup{rec: &rec, script: sc, save: saveTo(out), tweak: func(ten *sim.World) {
		ten.Scenario.DeviceSetupReboot = true
		i := flrAppIndex(t, ten, "Larkspur SecureLink VPN")
		ten.Scenario.Apps[i].FailCode, ten.Scenario.Apps[i].FailFor, ten.Scenario.Apps[i].FailTimes = "", nil, 0
	}})
	d.idle()
	if d.m.Step() != flow.StepDesktop {
		t.Fatalf("the replay stopped on %s:\n%s", d.m.Step(), d.text())
	}
	a := d.r.Answers()
	if a.Network != "LSA-Lab" || a.UPN != "tomas.okafor@larkspuraero.com" || a.Keyboard2 != "" || len(a.Privacy) != 6 {
		t.Errorf("answers %+v", a)
	}
	if n := strings.Count(recorded(&rec).String(), `"button":"windows_sign_in"`); n != 2 {
		t.Errorf("%d Windows sign-ins replayed, want 2 (after the restart in Device setup and after the quality update)", n)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"hidden": true`, `"file": "lab.key"`, `"env": "TOMAS_PW"`, `"env": "TOMAS_CODE"`, `"env": "OOBE_PIN"`, `"keyboard2": ""`, `"privacy": {`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("%s missing from the written file:\n%s", want, raw)
		}
	}
	for _, secret := range []string{"Flaps-Down-15", "Tailwind#2026", "246810", "2468a!"} {
		if strings.Contains(string(raw), secret) || strings.Contains(recorded(&rec).String(), secret) {
			t.Errorf("the secret %q was written", secret)
		}
	}
}

// TestReplayProgram: the real program (goroutines, real command scheduling) replays the demo
// to the desktop by itself; Enter there exits, and the answers file is written.
func TestReplayProgram(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.json")
	m, _, _ := newTestModel(t, setup{script: loadScript(t, demoAnswers, demoEnv), save: saveTo(out)})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(
			tea.WithColorProfile(colorprofile.TrueColor),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		),
	)
	scr := newScreenWatcher(t, tm, 100, 30)
	scr.waitFor(t, "LSA-8CG3471KQD", "megan.rivera@larkspuraero.com")
	tm.Send(keyMsg("enter")) // Exit
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
	f, err := answers.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Answers(), demoWant(); !reflect.DeepEqual(got, want) {
		t.Errorf("written answers\n %+v\nwant\n %+v", got, want)
	}
}

// TestWriteAnswersThenReplay: a run walked with keys (every state of every page, wrong key
// and password included) writes its answers on the desktop, secrets only as references; the
// file replays that run with no key pressed: the same steps and the same answers.
func TestWriteAnswersThenReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.json")
	var rec1 bytes.Buffer
	d := newDriver(t, setup{rec: &rec1, save: saveTo(path)})
	tour(t, d, func(string) {})
	first := d.r.Answers()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no answers written on the desktop: %v", err)
	}
	noSecrets(t, "the answers file", string(raw))
	for _, want := range []string{`"$schema": "oobe-answers/1"`, `"keyFrom": {`, `"env": "OOBE_WIFI_KEY"`,
		`"env": "OOBE_PASSWORD"`, `"env": "OOBE_PIN"`, `"note": "Written by oobe`, `"region": "DE"`, `"keyboard2": "00000809"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("%s missing from the answers file:\n%s", want, raw)
		}
	}
	if strings.Contains(string(raw), "mfaCodeFrom") {
		t.Errorf("megan approved a push, yet a code is asked for:\n%s", raw)
	}

	sc, err := answers.Load(path, func(k string) string { return demoEnv[k] })
	if err != nil {
		t.Fatal(err)
	}
	var rec2 bytes.Buffer
	r := replayDriver(t, setup{rec: &rec2}, sc)
	r.idle()
	if r.m.Step() != flow.StepDesktop {
		t.Fatalf("the replay stopped on %s:\n%s", r.m.Step(), r.text())
	}
	if got := r.r.Answers(); !reflect.DeepEqual(got, first) {
		t.Errorf("replayed answers\n %+v\nwant the first run's\n %+v", got, first)
	}
	steps1, _ := recordSteps(t, recorded(&rec1).String())
	steps2, _ := recordSteps(t, recorded(&rec2).String())
	if !reflect.DeepEqual(steps1, steps2) {
		t.Errorf("steps replayed %v\nwant %v", steps2, steps1)
	}
}

// TestWriteAnswersOnQuit: quitting writes the pages completed so far, when the program has
// stopped (the run's Close, as cmd/oobe does); a fresh run that answered nothing does not
// overwrite them.
func TestWriteAnswersOnQuit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quit.json")
	d := newDriver(t, setup{save: saveTo(path)})
	d.press("enter", "enter") // language, region
	if d.m.Step() != flow.StepKeyboard {
		t.Fatalf("on %s", d.m.Step())
	}
	d.press("ctrl+c")
	if err := d.r.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := answers.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Language != "en-US" || f.Region != "US" || f.Keyboard != "" || f.Keyboard2 != nil || f.Network != nil {
		t.Errorf("quit wrote %+v", f)
	}
	d = newDriver(t, setup{save: saveTo(path)})
	d.press("ctrl+c") // nothing answered
	_ = d.r.Close()
	if f2, err := answers.Read(path); err != nil || f2.Region != "US" {
		t.Errorf("an empty run overwrote the answers: %+v, %v", f2, err)
	}

	d = newDriver(t, setup{save: saveTo(filepath.Join(path, "not-a-dir", "x.json"))})
	d.press("enter", "ctrl+c")
	if d.r.Close() == nil {
		t.Error("a failed write is not reported")
	}
}

// TestReplayGivesTheSameRecordAtAnySpeed: the demo replayed on a clock that jumps to the next
// wake-up (--speed max), on a paced clock at 1× (its wall skipping ahead) and at 10,000× on
// the real wall records the same lines at the same emulated times: processing takes no
// emulated time, whatever the speed.
func TestReplayGivesTheSameRecordAtAnySpeed(t *testing.T) {
	play := func(s setup) []flow.RecordLine {
		t.Helper()
		var rec bytes.Buffer
		s.rec = &rec
		d := replayDriver(t, s, loadScript(t, demoAnswers, demoEnv))
		d.idle()
		if d.m.Step() != flow.StepDesktop {
			t.Fatalf("the replay stopped on %s", d.m.Step())
		}
		return record(t, &rec)
	}
	want := play(setup{})
	for name, s := range map[string]setup{
		"1x":     {speed: 1, wall: &skipWall{now: testStart}},
		"10000x": {speed: 10000, wall: flow.RealWall{}},
	} {
		t.Run(name, func(t *testing.T) {
			got := play(s)
			for i := range max(len(got), len(want)) {
				if i >= len(got) || i >= len(want) {
					t.Fatalf("%d lines, want %d", len(got), len(want))
				}
				g, _ := json.Marshal(got[i])
				w, _ := json.Marshal(want[i])
				if string(g) != string(w) {
					t.Fatalf("line %d differs from --speed max:\n got %s\nwant %s", i+1, g, w)
				}
			}
		})
	}
}

// TestReplayedSecretsAreNeverShown (issue 12): a person who takes over while the replay has
// typed the Wi-Fi key, the password or the PIN cannot show it with Ctrl+R (the help no longer
// offers it); once they clear the box and type their own, Ctrl+R shows theirs.
func TestReplayedSecretsAreNeverShown(t *testing.T) {
	const delay = 1200 * time.Millisecond
	d := newDriver(t, setup{script: loadScript(t, demoAnswers, demoEnv), delay: delay, w: 100, h: 30})
	masked := func(n int) func() bool {
		return func() bool { return d.line("│ "+strings.Repeat("•", n)+" ") != "" }
	}
	check := func(where, secret string) {
		t.Helper()
		d.press("ctrl+r") // takes over, then asks to reveal
		d.seesNot(secret, secret[:3])
		if strings.Contains(d.line("ctrl+r"), "ctrl+r") {
			t.Errorf("%s: the help still offers ctrl+r:\n%s", where, d.text())
		}
	}
	d.settle(masked(len("Runway-2026!")))
	check("network key", "Runway-2026!")
	for range len("Runway-2026!") {
		d.press("backspace")
	}
	d.typeText("mine")
	d.press("ctrl+r")
	d.sees("mine")

	d = newDriver(t, setup{script: loadScript(t, demoAnswers, demoEnv), delay: delay, w: 100, h: 30})
	d.settle(func() bool { return d.m.Step() == flow.StepSignIn && signState(d) == run.SignPassword })
	d.settle(masked(len("Contrail#2026")))
	check("password", "Contrail#2026")

	d = newDriver(t, setup{script: loadScript(t, demoAnswers, demoEnv), delay: delay, w: 100, h: 30})
	d.settle(func() bool {
		s, ok := d.m.nav.top().(*helloPage)
		return ok && s.newIn.Value() == "135791"
	})
	check("PIN", "135791")
}

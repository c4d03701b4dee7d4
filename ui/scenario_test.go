package ui

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// screenWatcher replays the program's output into a virtual terminal so a test can wait
// until text is on screen, as a person would.
type screenWatcher struct {
	tm  *teatest.TestModel
	em  *vt.Emulator
	raw bytes.Buffer // every byte the program wrote so far
}

func newScreenWatcher(t *testing.T, tm *teatest.TestModel, w, h int) *screenWatcher {
	em := vt.NewEmulator(w, h)
	go func() { _, _ = io.Copy(io.Discard, em) }() // drain its replies to terminal queries (see leak_test.go)
	return &screenWatcher{tm: tm, em: em}
}

// waitFor waits until every text is on screen at once.
func (s *screenWatcher) waitFor(t *testing.T, texts ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second) // generous: CI machines are shared
	for {
		b, _ := io.ReadAll(s.tm.Output())
		s.raw.Write(b)
		_, _ = s.em.Write(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")))
		scr := s.em.String()
		all := true
		for _, text := range texts {
			if !strings.Contains(scr, text) {
				all = false
			}
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q not on screen:\n%s", texts, scr)
		}
		time.Sleep(5 * time.Millisecond) // polling the screen, not waiting for the app
	}
}

// TestScenarioToDesktop walks the real program with key presses from the first page to the
// desktop, in German, and checks the record of the run.
func TestScenarioToDesktop(t *testing.T) {
	var rec bytes.Buffer
	m, _, _ := newTestModel(t, setup{rec: &rec})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(
			tea.WithColorProfile(colorprofile.TrueColor),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		),
	)
	scr := newScreenWatcher(t, tm, 100, 30)
	keys := func(ks ...string) {
		for _, k := range ks {
			tm.Send(keyMsg(k))
		}
	}

	scr.waitFor(t, "Choose your language", "English (United States)")
	keys("down", "enter") // Deutsch
	scr.waitFor(t, "Ist dies das richtige Land bzw. die richtige Region?")
	tm.Type("österr")
	scr.waitFor(t, "Österreich")
	keys("enter")
	scr.waitFor(t, "Tastaturlayout", "Deutsch")
	keys("enter")
	scr.waitFor(t, "zweites Tastaturlayout")
	keys("enter") // Skip has the focus
	scr.waitFor(t, "Larkspur-Corp")
	keys("enter", "enter") // expand, Connect
	scr.waitFor(t, "Netzwerksicherheitsschlüssel")
	tm.Type("not-the-key")
	keys("enter")
	scr.waitFor(t, "ist falsch")
	tm.Type("Runway-2026!")
	keys("enter")
	scr.waitFor(t, "Verbunden, gesichert")
	keys("enter") // Next has the focus once online
	scr.waitFor(t, "Lizenzvertrag")
	keys("enter") // Accept
	scr.waitFor(t, "Willkommen bei Larkspur Aviation")
	tm.Type("megan.rivera@larkspuraero.com")
	keys("enter")
	scr.waitFor(t, "Kennwort eingeben")
	tm.Type("Contrail#2026")
	keys("enter")
	scr.waitFor(t, "Datenschutzeinstellungen")         // ESP device phases ran on the virtual clock
	keys("tab", "enter")                               // Accept
	scr.waitFor(t, "Drücken Sie eine beliebige Taste") // the quality update restarted the device
	keys("enter")
	scr.waitFor(t, "Anderer Benutzer")
	tm.Type("megan.rivera@larkspuraero.com")
	keys("enter")
	tm.Type("Contrail#2026")
	keys("enter")
	scr.waitFor(t, "Windows Hello")
	keys("enter")
	scr.waitFor(t, "PIN einrichten")
	tm.Type("135791")
	keys("tab")
	tm.Type("135791")
	keys("enter")
	scr.waitFor(t, "Alles erledigt!")
	keys("enter")
	scr.waitFor(t, "LSA-8CG3471KQD", "megan.rivera@larkspuraero.com")
	keys("enter") // Exit
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))

	// the record: every step entered in order, the answers, the wrong key as an error, no secret
	record := recorded(&rec).String()
	var steps []flow.StepID
	var sawWrongKey bool
	var outcome string
	for _, l := range recordOf(t, &rec) {
		switch l.Kind {
		case flow.RecordStepEnter:
			steps = append(steps, l.Step)
		case flow.RecordError:
			sawWrongKey = sawWrongKey || strings.Contains(fmt.Sprint(l.Data), "wrong_key")
		case flow.RecordEnd:
			outcome = fmt.Sprint(l.Data)
		}
	}
	want := []flow.StepID{flow.StepLanguage, flow.StepRegion, flow.StepKeyboard, flow.StepKeyboard2,
		flow.StepNetwork, flow.StepUpdates, flow.StepEULA, flow.StepSignIn, flow.StepESPDevice,
		flow.StepPrivacy, flow.StepFSIA, flow.StepESPAccount, flow.StepQualityUpdates, flow.StepWindowsSignIn, flow.StepHello, flow.StepDesktop}
	if strings.Join(toStrings(steps), ",") != strings.Join(toStrings(want), ",") {
		t.Errorf("steps entered %v, want %v", steps, want)
	}
	if !sawWrongKey {
		t.Error("the wrong key is not in the record")
	}
	if !strings.Contains(outcome, "desktop") {
		t.Errorf("outcome %q, want desktop", outcome)
	}
	for _, secret := range []string{"Runway-2026!", "not-the-key", "Contrail#2026", "135791"} {
		if strings.Contains(record, secret) {
			t.Errorf("the record contains the secret %q", secret)
		}
	}
	for _, answer := range []string{`"region":"AT"`, `"language":"de-DE"`, `"upn":"megan.rivera@larkspuraero.com"`,
		`"deviceName":"LSA-8CG3471KQD"`, `"kind":"esp.item"`} {
		if !strings.Contains(record, answer) {
			t.Errorf("%s missing from the record", answer)
		}
	}
}

func toStrings(s []flow.StepID) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

// TestTenantTextReachesTheTerminalAsText (issue 12): a tenant string holding escape
// sequences (a window title, a clipboard write, an 8-bit CSI) is drawn as text: the bytes the
// program writes carry none of them (each frame keeps only its styles: termtext.Frame).
func TestTenantTextReachesTheTerminalAsText(t *testing.T) {
	m, _, _ := newTestModel(t, setup{tweak: func(w *sim.World) {
		w.Branding.SignInPageText = "Crew only\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\x1b[2J\u009b2J, call the desk."
	}})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.TrueColor), tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	scr := newScreenWatcher(t, tm, 100, 30)
	for _, step := range []struct{ see, keys string }{
		{"Choose your language", "enter"}, {"Is this the right country or region?", "enter"},
		{"Is this the right keyboard layout", "enter"}, {"second keyboard layout", "enter"},
		{"Larkspur-Corp", "enter enter"}, {"network security key", ""},
	} {
		scr.waitFor(t, step.see)
		for _, k := range strings.Fields(step.keys) {
			tm.Send(keyMsg(k))
		}
	}
	tm.Type("Runway-2026!")
	tm.Send(keyMsg("enter"))
	scr.waitFor(t, "Connected, secured")
	tm.Send(keyMsg("enter"))
	scr.waitFor(t, "License Agreement")
	tm.Send(keyMsg("enter"))
	scr.waitFor(t, "Crew only")
	scr.waitFor(t, "call the desk.")
	tm.Send(keyMsg("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
	out := scr.raw.String()
	for _, bad := range []string{"pwned", "52;c;", "\u009b"} {
		if strings.Contains(out, bad) {
			t.Errorf("the program wrote %q to the terminal", bad)
		}
	}
}

// TestASCIIIsSevenBit (issue 8): with --ascii every byte of every frame is 7-bit, the
// tenant's data ("CaféDuPort") and the German catalog's words included, and the frame keeps
// its width.
func TestASCIIIsSevenBit(t *testing.T) {
	for _, locale := range []string{"en-US", "de-DE"} {
		d := newDriver(t, setup{ascii: true, locale: locale, w: 100, h: 30})
		tour(t, d, func(name string) {
			scr := d.screen()
			for i := 0; i < len(scr); i++ {
				if scr[i] >= 0x80 {
					t.Fatalf("%s %s: byte %#x at %d in %q", locale, name, scr[i], i, stripANSI(scr))
				}
			}
		})
	}
}

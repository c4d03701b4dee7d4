package ui

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"github.com/oobe-emu/oobe/flow"
)

// screenWatcher replays the program's output into a virtual terminal so a test can wait
// until text is on screen, as a person would.
type screenWatcher struct {
	tm *teatest.TestModel
	em *vt.Emulator
}

func newScreenWatcher(tm *teatest.TestModel, w, h int) *screenWatcher {
	em := vt.NewEmulator(w, h)
	go func() { _, _ = io.Copy(io.Discard, em) }() // drain its replies to terminal queries
	return &screenWatcher{tm: tm, em: em}
}

// waitFor waits until every text is on screen at once.
func (s *screenWatcher) waitFor(t *testing.T, texts ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := io.ReadAll(s.tm.Output())
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

// TestScenarioToSignIn walks the real program with key presses from the first page to the
// sign-in placeholder, in German, and checks the record of the run.
func TestScenarioToSignIn(t *testing.T) {
	var rec bytes.Buffer
	m := newTestModel(t, setup{rec: flow.NewRecorder(&rec, nil)})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(
			tea.WithColorProfile(colorprofile.TrueColor),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		),
	)
	scr := newScreenWatcher(tm, 100, 30)
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
	scr.waitFor(t, "Larkspur Aviation")
	keys("enter")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	// the record: every step entered in order, the answers, the wrong key as an error, no key
	record := rec.String()
	var steps []flow.StepID
	var sawWrongKey bool
	sc := bufio.NewScanner(strings.NewReader(record))
	for sc.Scan() {
		var l flow.RecordLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("record line %q: %v", sc.Text(), err)
		}
		if l.Kind == flow.RecordStepEnter {
			steps = append(steps, l.Step)
		}
		if l.Kind == flow.RecordError && strings.Contains(sc.Text(), "wrong_key") {
			sawWrongKey = true
		}
	}
	want := []flow.StepID{flow.StepLanguage, flow.StepRegion, flow.StepKeyboard, flow.StepKeyboard2,
		flow.StepNetwork, flow.StepUpdates, flow.StepEULA, flow.StepSignIn}
	if strings.Join(toStrings(steps), ",") != strings.Join(toStrings(want), ",") {
		t.Errorf("steps entered %v, want %v", steps, want)
	}
	if !sawWrongKey {
		t.Error("the wrong key is not in the record")
	}
	for _, secret := range []string{"Runway-2026!", "not-the-key"} {
		if strings.Contains(record, secret) {
			t.Errorf("the record contains the secret %q", secret)
		}
	}
	if !strings.Contains(record, `"region":"AT"`) || !strings.Contains(record, `"language":"de-DE"`) {
		t.Errorf("answers missing from the record:\n%s", record)
	}
}

func toStrings(s []flow.StepID) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/internal/cast"
)

// readCast parses the cast at path against the asciicast v2 format and fails if it holds any
// of the demo's secrets.
func readCast(t *testing.T, path string) (cast.Header, []cast.Event, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, evs, err := cast.Read(f)
	if err != nil {
		t.Fatalf("%s is not an asciicast v2 file: %v", path, err)
	}
	var out strings.Builder
	for _, e := range evs {
		out.WriteString(e.Data)
	}
	raw, _ := os.ReadFile(path)
	for _, s := range demoSecrets {
		secret := strings.SplitN(s, "=", 2)[1]
		if strings.Contains(out.String(), secret) || strings.Contains(string(raw), secret) {
			t.Errorf("the cast holds the secret %q", secret)
		}
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("the cast has mode %v, want 0600", st.Mode().Perm())
	}
	return h, evs, out.String()
}

// TestCastOfTheDemo: the demo answers replayed to the desktop with --cast give a valid
// asciicast v2 file of the terminal's size with TERM, real timing said in its title, the
// whole run in its output, and none of the secrets the demo typed.
func TestCastOfTheDemo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.cast")
	p := startEnv(t, demoSecrets, "--speed", "max", "--answers", "../../flow/answers/testdata/demo.answers.json",
		"--answers-delay", "30ms", "--cast", path, "--out", dir)
	p.waitFor(t, "You're all set")
	if _, err := p.pty.Write([]byte("\x03")); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	h, evs, out := readCast(t, path)
	if h.Width != 80 || h.Height != 24 || h.Env["TERM"] != "xterm-256color" || !strings.Contains(h.Title, "real timing") || !strings.Contains(h.Title, "--speed max") {
		t.Errorf("header %+v", h)
	}
	if len(evs) < 10 {
		t.Fatalf("only %d events", len(evs))
	}
	for _, e := range evs {
		if e.Kind == "r" {
			t.Errorf("a resize to %s in a terminal that never changed its size", e.Data)
		}
	}
	for _, want := range []string{"Choose your language", "Let's connect you to a network", "You're all set", "\x1b[?1049l"} {
		if !strings.Contains(out, want) {
			t.Errorf("the cast never shows %q", want)
		}
	}
}

// TestCastHidesARevealedKey: a person types the Wi-Fi key, shows it with Ctrl+R and hides it
// again; the terminal showed it, the cast never has it, and it goes on after it is hidden.
func TestCastHidesARevealedKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.cast")
	p := start(t, "--speed", "max", "--cast", path, "--cast-time", "emulated", "--out", dir)
	p.waitFor(t, "Choose your language")
	keys := func(s string) {
		t.Helper()
		if _, err := p.pty.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"Is this the right country", "Is this the right keyboard", "Want to add a second keyboard", "Let's connect you"} {
		keys("\r")
		p.waitFor(t, want)
	}
	keys("\r") // expand Larkspur-Corp
	p.waitFor(t, "Connect automatically")
	keys("\r") // Connect
	p.waitFor(t, "Enter the network security key")
	keys("Runway-2026!")
	keys("\x12") // Ctrl+R
	p.waitFor(t, "Runway-2026!")
	keys("\x12")
	p.waitFor(t, "••••••••••••")
	keys("\x03")
	p.wait(t)
	<-p.done
	if !strings.Contains(p.output(), "Runway-2026!") {
		t.Fatal("the terminal never showed the key: the test did not reveal it")
	}
	h, _, out := readCast(t, path)
	if !strings.Contains(h.Title, "emulated timing") {
		t.Errorf("title %q", h.Title)
	}
	if !strings.Contains(out, "••••••••••••") || !strings.Contains(out, "\x1b[?1049l") {
		t.Error("the cast stops at the reveal: the hidden key and the exit are not in it")
	}
}

package ui

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

func stripANSI(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func sizeName(s [2]int) string { return strconv.Itoa(s[0]) + "x" + strconv.Itoa(s[1]) }

// The scenario's secrets, and the wrong ones the tests type: none may reach a record or a
// diagnostics bundle.
var secrets = []string{
	"Contrail#2026", "Tailwind#2026", "Crosswind#2026", "Holding#2026", // passwords
	"Runway-2026!", "Hangar-Sensors-9", "k9Qw-77zLmP2", "hpDirect7C24", "Flaps-Down-15", // Wi-Fi keys
	"Contrail#2025", "Wrong#Horse7", // wrong passwords typed
}

// codes are the verification codes and PINs tests type; they are matched as whole numbers so
// that digits inside timestamps do not count.
var codes = []string{"246810", "975310", "135791"}

// noSecrets fails when text (a record or a file) holds a password, key, code or PIN.
func noSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains the secret %q", what, s)
		}
	}
	for _, c := range codes {
		if regexp.MustCompile(`(^|[^0-9])` + c + `([^0-9]|$)`).MatchString(text) {
			t.Errorf("%s contains the code %q", what, c)
		}
	}
}

// record parses a run record (checking it holds no secret).
func record(t *testing.T, buf *bytes.Buffer) []flow.RecordLine {
	t.Helper()
	noSecrets(t, "the record", recorded(buf).String())
	lines, err := flow.ReadRecord(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// recordOf parses a run record without judging it (the secrets typed by a test are its own).
func recordOf(t *testing.T, buf *bytes.Buffer) []flow.RecordLine {
	t.Helper()
	recorded(buf)
	lines, err := flow.ReadRecord(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// findLine returns the index of the first record line at or after from of kind whose data
// holds every fragment (JSON of the data), or -1.
func findLine(lines []flow.RecordLine, from int, kind flow.RecordKind, fragments ...string) int {
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

// countLines counts the record lines of kind whose data holds every fragment.
func countLines(lines []flow.RecordLine, kind flow.RecordKind, fragments ...string) int {
	n := 0
	for i := findLine(lines, 0, kind, fragments...); i >= 0; i = findLine(lines, i+1, kind, fragments...) {
		n++
	}
	return n
}

// TestWidthAgreesWithAnsi: the fast width of the frame gives what ansi.StringWidth gives on
// the lines the UI draws.
func TestWidthAgreesWithAnsi(t *testing.T) {
	for _, s := range []string{
		"", "plain", "\x1b[1;38;2;255;255;255mbold\x1b[m", "╭──╮ │ ❯ ☑ ☐ ✓ ✗ • … ▂▄▆█ ⚿ ⇄",
		"Österreich ÄÖÜ ß é", "日本語", "e\u0301", "\x1b]2;title\x07after", "tab\there", "🙂 smile",
	} {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Errorf("width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
}

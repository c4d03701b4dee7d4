package ui

import (
	"bufio"
	"encoding/json"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

func stripANSI(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func sizeName(s [2]int) string { return strconv.Itoa(s[0]) + "x" + strconv.Itoa(s[1]) }

// recordLine is one parsed line of a run record with its raw JSON.
type recordLine struct {
	flow.RecordLine
	Raw string
}

// recordLines parses a JSON Lines run record; a malformed line fails the test.
func recordLines(t *testing.T, record string) []recordLine {
	t.Helper()
	var out []recordLine
	sc := bufio.NewScanner(strings.NewReader(record))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l flow.RecordLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("record line %q: %v", sc.Text(), err)
		}
		out = append(out, recordLine{l, sc.Text()})
	}
	return out
}

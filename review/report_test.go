package review

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The records in testdata are real runs of the program: the demo answers replayed to the
// desktop, and the same with --fault app-failure, Try again pressed once, then Ctrl+C.

func readRuns(t *testing.T, paths ...string) []*Run {
	t.Helper()
	var runs []*Run
	for _, p := range paths {
		rs, err := ReadRecord(p)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, rs...)
	}
	return runs
}

// TestReportOfARun: the path through the screens in order with timings, the answers, the
// ESP phases; no error.
func TestReportOfARun(t *testing.T) {
	runs := readRuns(t, "testdata/demo.jsonl")
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	r := runs[0]
	var steps []string
	for _, v := range r.Visits {
		steps = append(steps, string(v.Step))
	}
	if got := strings.Join(steps, " "); got != "language region keyboard keyboard2 network updates eula signin esp-device privacy fsia esp-account quality-updates windows-signin whfb desktop" {
		t.Errorf("path %s", got)
	}
	if r.Outcome != "desktop" || r.Answers.UPN != "megan.rivera@larkspuraero.com" || r.Answers.DeviceName != "LSA-8CG3471KQD" {
		t.Errorf("outcome %q, answers %+v", r.Outcome, r.Answers)
	}
	if len(r.Phases) != 3 || r.Phases[0].Phase != "devicePreparation" || r.Phases[1].Duration <= 0 {
		t.Errorf("phases %+v", r.Phases)
	}
	var page bytes.Buffer
	if err := Report(&page, runs); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	for _, want := range []string{
		"Content-Security-Policy", "default-src &#39;none&#39;", // nothing is fetched
		"<svg", "Time on each step and ESP phase", // the chart, inline
		"Run " + r.ID, "megan.rivera@larkspuraero.com", "network Larkspur-Corp, connect automatically",
		"Windows Hello PIN set", "desktop",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, secret := range []string{"Runway-2026!", "Contrail#2026", "135791"} {
		if strings.Contains(html, secret) {
			t.Errorf("the report holds the secret %q", secret)
		}
	}
	checkSelfContained(t, html)
}

// TestReportSideBySide: two records are one page with both runs and a table comparing them;
// the failed run's error has its code, phase and app, and the button pressed after it.
func TestReportSideBySide(t *testing.T) {
	runs := readRuns(t, "testdata/demo.jsonl", "testdata/app-failure.jsonl")
	var page bytes.Buffer
	if err := Report(&page, runs); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	failed := runs[1]
	if len(failed.Errors) != 2 || failed.Errors[0].Code != "0x81036502" || strings.Join(failed.Errors[0].Then, ",") != "retry" {
		t.Fatalf("errors %+v", failed.Errors[0])
	}
	for _, want := range []string{"The runs compared", "2 runs, side by side", runs[0].ID, failed.ID,
		"<code>0x81036502</code>", "deviceSetup Company Portal", "<td>retry</td>", "quit"} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	checkSelfContained(t, html)
}

// checkSelfContained fails for any reference the page would fetch.
func checkSelfContained(t *testing.T, html string) {
	t.Helper()
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:|//)|@import|url\(`).FindString(html); m != "" {
		t.Errorf("the page fetches something: %s", m)
	}
}

// TestReadRecordRefusesBadInput: each kind of bad input is one line naming the file and the
// line.
func TestReadRecordRefusesBadInput(t *testing.T) {
	demo, err := os.ReadFile("testdata/demo.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	firstLines := strings.Join(strings.SplitN(string(demo), "\n", 4)[:3], "\n") + "\n"
	for name, c := range map[string]struct{ data, want string }{
		"empty":          {"", ": empty: not a run record"},
		"not JSON Lines": {"run,seq,kind\n1,2,3\n", ":1: not JSON"},
		"truncated":      {firstLines + `{"run":"x","seq":4,"ti`, ":4: the line is cut off"},
		"other program":  {`{"name":"left-pad","version":"1.3.0"}` + "\n", ":1: not a line of an oobe run record"},
		"unknown kind":   {strings.Replace(firstLines, `"kind":"step.enter"`, `"kind":"teleport"`, 1), `:2: unknown kind "teleport"`},
		"no start":       {strings.SplitN(string(demo), "\n", 3)[1] + "\n", ":1: run 20261201T131101-472361 begins without its start line"},
		"bad data":       {firstLines + strings.Replace(strings.SplitN(string(demo), "\n", 6)[4], `"button":"yes"`, `"button":7`, 1) + "\n", ":4: button data"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run.jsonl")
			if err := os.WriteFile(path, []byte(c.data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := ReadRecord(path)
			if err == nil || !strings.HasPrefix(err.Error(), path) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line starting %s and saying %q", err, path, c.want)
			}
		})
	}
}

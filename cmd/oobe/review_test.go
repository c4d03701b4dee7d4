package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd runs the program with args and returns its exit code, stdout and stderr.
func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, func(string) string { return "" }, &out, &errb)
	return code, out.String(), errb.String()
}

// TestReportCommand: two records make one page; bad input is one line naming the file and
// the line, exit 1; a missing argument is a usage error, exit 2.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	code, _, stderr := runCmd("report", "../../review/testdata/demo.jsonl", "../../review/testdata/app-failure.jsonl", "-o", page)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(page); !strings.Contains(string(data), "2 runs, side by side") {
		t.Error("the report does not hold both runs")
	}
	bad := filepath.Join(dir, "package.json")
	if err := os.WriteFile(bad, []byte("{\"name\": \"x\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCmd("report", bad)
	if code != 1 || stderr != "oobe report: "+bad+":1: not a line of an oobe run record (it has no run, seq and kind: another program's JSON?)\n" {
		t.Errorf("another program's JSON: exit %d, %q", code, stderr)
	}
	if code, _, stderr = runCmd("report"); code != 2 || !strings.Contains(stderr, "missing RECORD.jsonl") {
		t.Errorf("no record: exit %d, %q", code, stderr)
	}
}

// TestScreensAndDiffCommands: usage errors exit 2 with one line; the diff of the two sample
// tenants exits 3 and names the changes.
func TestScreensAndDiffCommands(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"screens"}, "-o DIR is required"},
		{[]string{"screens", "-o", "x", "--format", "gif"}, `--format "gif"`},
		{[]string{"screens", "-o", "x", "--size", "huge"}, `--size "huge"`},
		{[]string{"screens", "-o", "x", "--windows", "12"}, "--windows must be 10, 11 or all"},
		{[]string{"diff", "a"}, "give two tenants"},
		{[]string{"diff", "a", "b", "--format", "html"}, "--format html needs -o DIR"},
	} {
		code, _, stderr := runCmd(c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	code, stdout, stderr := runCmd("diff", "../../examples/tenants/fabrikam-entra", "../../examples/tenants/fabrikam-entra-eula-escape")
	if code != 3 || !strings.Contains(stdout, "screens: + eula added") || !strings.Contains(stdout, "escape link") || stderr != "" {
		t.Errorf("diff: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCmd("diff", "../../examples/tenants/fabrikam-entra", "../../examples/tenants/nowhere"); code != 1 || !strings.Contains(stderr, "nowhere") {
		t.Errorf("a missing tenant: exit %d, %q", code, stderr)
	}
}

// TestScreensCommand writes the gallery of the sample tenant.
func TestScreensCommand(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCmd("screens", "--tenant", "../../examples/tenants/fabrikam-entra", "--size", "80x24", "--format", "txt,html", "-o", out)
	if code != 0 || !strings.Contains(stdout, "pictures of Fabrikam Training Lab in 1 look(s)") {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(out, "*-desktop-finish_win11-dark_en-US_win11_80x24.txt")); len(m) != 1 {
		t.Errorf("no finish page: %v", m)
	}
}

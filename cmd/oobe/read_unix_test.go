//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestNamedPipeInputs: a named pipe with no writer given to --scenario, --answers or in a
// --tenant folder, or to oobe check, is one error line at once, not a hang before the first
// frame.
func TestNamedPipeInputs(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "scenario.json")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	const what = "a named pipe (FIFO), not a regular file"
	wantOneLine(t, []string{"--scenario", pipe}, "oobe: "+pipe+": cannot read: "+what)
	wantOneLine(t, []string{"--answers", pipe}, "oobe: --answers: "+pipe+": "+what)
	wantOneLine(t, []string{"--tenant", dir}, "oobe: "+pipe+": cannot read: "+what)
	code, out, errs := runArgs([]string{"check", dir}, env())
	if code == 0 || !strings.Contains(out+errs, "scenario.json: cannot read: "+what) {
		t.Errorf("oobe check on a pipe: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

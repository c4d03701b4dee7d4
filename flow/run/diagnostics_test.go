package run_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow/run"
)

// TestDirNeverFollowsOrReplaces: a diagnostics file is created exclusively with mode 0600 in
// a directory of mode 0700: a file or a symbolic link planted under the name it would take is
// left alone and the bundle takes the next free name.
func TestDirNeverFollowsOrReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	// plant links under the names of this second and the next (the name is the wall time)
	now := time.Now().UTC()
	for _, at := range []time.Time{now, now.Add(time.Second)} {
		name := filepath.Join(dir, "oobe-diagnostics-"+at.Format("20060102-150405")+".txt")
		if err := os.Symlink(victim, name); err != nil {
			t.Fatal(err)
		}
	}
	w, path, err := run.Dir(dir).Create("oobe-diagnostics", ".txt")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(w, "bundle")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, "-2.txt") {
		t.Errorf("bundle written to %s, want the next free name (-2)", path)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the planted link was followed: the victim now holds %q", b)
	}
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 {
		t.Errorf("bundle %s: %v, mode %v; want a regular file 0600", path, err, st.Mode())
	}

	fresh := filepath.Join(t.TempDir(), "new", "run")
	if _, _, err := run.Dir(fresh).Create("oobe-diagnostics", ".txt"); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(fresh); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("run directory: %v, mode %v; want 0700", err, st.Mode().Perm())
	}
}

//go:build unix

package tenant

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestNamedPipes: a named pipe with no writer, as a file of any importer or as a square
// logo, is refused at once instead of hanging the program before its first frame.
func TestNamedPipes(t *testing.T) {
	checkBad(t, []badFile{{"named pipe", mkfifo, ": cannot read: a named pipe (FIFO), not a regular file", false}})

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "organization.json"), []byte(orgJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	logo := filepath.Join(dir, "squareLogo.png")
	mkfifo(t, logo)
	tn, _, err := LoadPaths([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tn.SquareLogo != nil || !hasWarning(tn, logo+": cannot read: a named pipe (FIFO), not a regular file; the logo is not used") {
		t.Errorf("logo %d bytes, warnings %q", len(tn.SquareLogo), tn.Warnings)
	}
}

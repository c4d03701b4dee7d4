//go:build unix

package answers

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestNamedPipes: a named pipe with no writer as the answers file is refused at once instead
// of hanging before the first frame.
func TestNamedPipes(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(pipe); err == nil || err.Error() != pipe+": a named pipe (FIFO), not a regular file" {
		t.Errorf("answers file: %v", err)
	}
}

//go:build unix

package safefile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadFIFO: a named pipe with no writer is refused at once instead of blocking, whether
// given directly, through a symbolic link or inside a root.
func TestReadFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, link} {
		_, err := Read(p, Limit)
		wantErr(t, err, p, "a named pipe (FIFO), not a regular file", ErrNotRegular)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if err := os.Symlink("pipe.json", filepath.Join(dir, "rel.json")); err != nil {
		t.Fatal(err)
	}
	_, err = ReadIn(root, "rel.json", Limit)
	wantErr(t, err, "rel.json", "a named pipe (FIFO), not a regular file", ErrNotRegular)
	// os.DirFS opens blocking: the check before opening keeps it from waiting.
	_, err = ReadFS(os.DirFS(dir), "pipe.json", Limit)
	wantErr(t, err, "pipe.json", "a named pipe (FIFO), not a regular file", ErrNotRegular)
}

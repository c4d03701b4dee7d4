package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestUnreadableFile: pngart reads a regular file of at most 4 MiB only; anything else is one
// line naming the file and the problem, at once.
func TestUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.png")
	if err := os.WriteFile(big, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 4<<20)...), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		dir: "a directory, not a regular file",
		big: "larger than the 4 MiB limit",
	}
	if runtime.GOOS != "windows" {
		cases["/dev/zero"] = "a character device, not a regular file"
		pipe := filepath.Join(dir, "pipe.png")
		if err := mkfifo(pipe); err != nil {
			t.Fatal(err)
		}
		cases[pipe] = "a named pipe (FIFO), not a regular file"
	}
	for file, want := range cases {
		var stdout, stderr bytes.Buffer
		code := run([]string{file}, &stdout, &stderr, noTerminal)
		if code != 1 || stderr.String() != "pngart: "+file+": "+want+"\n" {
			t.Errorf("pngart %s: exit %d, stderr %q, want 1 and %q", file, code, stderr.String(), want)
		}
	}
}

//go:build unix

package answers

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestNamedPipes: a named pipe with no writer, as the answers file or as a secret file, is
// refused at once instead of hanging before the first frame.
func TestNamedPipes(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pipe.json", "pin"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pipe := filepath.Join(dir, "pipe.json")
	if _, err := Read(pipe); err == nil || err.Error() != pipe+": a named pipe (FIFO), not a regular file" {
		t.Errorf("answers file: %v", err)
	}
	answers := writeFile(t, filepath.Join(dir, "a.json"), `{"$schema": "oobe-answers/1", "pinFrom": {"file": "pin"}}`)
	for _, anywhere := range []bool{false, true} {
		_, err := LoadWith(answers, Options{SecretsAnywhere: anywhere})
		if want := `pinFrom: cannot read secret file "pin": a named pipe (FIFO), not a regular file`; err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("secret file, anywhere %v: %v", anywhere, err)
		}
	}
}

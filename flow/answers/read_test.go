package answers

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/internal/safefile"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestReadUnreadable: an answers file that is not a regular file, is over the size limit or
// nests too deep is one error line naming it, returned at once.
func TestReadUnreadable(t *testing.T) {
	dir := t.TempDir()
	over := writeFile(t, filepath.Join(dir, "over.json"), `{"$schema": "oobe-answers/1", "note": "`+strings.Repeat("x", safefile.Limit)+`"}`)
	deep := filepath.Join(dir, "deep.json")
	if err := os.WriteFile(deep, bytes.Repeat([]byte("["), 3_000_000), 0o600); err != nil {
		t.Fatal(err)
	}
	deepNote := writeFile(t, filepath.Join(dir, "note.json"), `{"$schema": "oobe-answers/1",
  "note": `+strings.Repeat(`{"a": "]]", "b": [`, 200))
	cases := []struct{ path, want string }{
		{dir, dir + ": a directory, not a regular file"},
		{over, over + ": larger than the 4 MiB limit"},
		{deep, deep + ":1:257: arrays and objects nested more than 256 deep, the limit"},
		{deepNote, deepNote + ":2:2314: arrays and objects nested more than 256 deep, the limit"},
	}
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "zero.json")
		symlink(t, "/dev/zero", link)
		cases = append(cases,
			struct{ path, want string }{"/dev/zero", "/dev/zero: a character device, not a regular file"},
			struct{ path, want string }{link, link + ": a character device, not a regular file"})
	}
	for _, c := range cases {
		_, err := Read(c.path)
		if err == nil || err.Error() != c.want {
			t.Errorf("Read(%s):\n%v, want\n%s", filepath.Base(c.path), err, c.want)
		}
	}
}

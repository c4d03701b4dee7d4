package safefile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// write creates file name in dir with data and returns its path.
func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// wantErr checks that err is a *fs.PathError naming path whose message says want and that
// it wraps target.
func wantErr(t *testing.T, err error, path, want string, target error) {
	t.Helper()
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != path {
		t.Fatalf("error %v does not name %s", err, path)
	}
	if pe.Err.Error() != want {
		t.Errorf("error says %q, want %q", pe.Err.Error(), want)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("%v does not wrap %v", err, target)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error on more than one line: %q", err)
	}
}

// TestReadLimit: a file up to the limit is read whole, one byte more is refused with a
// message naming the limit.
func TestReadLimit(t *testing.T) {
	dir := t.TempDir()
	at := write(t, dir, "at.json", bytes.Repeat([]byte("x"), 1024))
	over := write(t, dir, "over.json", bytes.Repeat([]byte("x"), 1025))
	if data, err := Read(at, 1024); err != nil || len(data) != 1024 {
		t.Fatalf("a file of exactly the limit: %d bytes, %v", len(data), err)
	}
	_, err := Read(over, 1024)
	wantErr(t, err, over, "larger than the 1 KiB limit", ErrTooLarge)
	_, err = Read(over, Limit)
	if err != nil {
		t.Fatalf("a small file under the real limit: %v", err)
	}
	if got := (tooLarge{Limit}).Error(); got != "larger than the 4 MiB limit" {
		t.Errorf("the real limit reads %q", got)
	}
}

// TestReadNotRegular: a directory and a device are refused, saying what they are; a missing
// file is the usual error.
func TestReadNotRegular(t *testing.T) {
	dir := t.TempDir()
	_, err := Read(dir, Limit)
	wantErr(t, err, dir, "a directory, not a regular file", ErrNotRegular)
	if _, err := Read(filepath.Join(dir, "nope"), Limit); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	_, err = Read("/dev/zero", Limit)
	wantErr(t, err, "/dev/zero", "a character device, not a regular file", ErrNotRegular)
}

// TestReadSymlink: a link to a regular file reads that file; a link to /dev/zero is refused.
func TestReadSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	target := write(t, dir, "real.json", []byte(`{}`))
	link := filepath.Join(dir, "link.json")
	zero := filepath.Join(dir, "zero.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	if data, err := Read(link, Limit); err != nil || string(data) != "{}" {
		t.Errorf("link to a regular file: %q, %v", data, err)
	}
	_, err := Read(zero, Limit)
	wantErr(t, err, zero, "a character device, not a regular file", ErrNotRegular)
}

// TestReadIn: names inside the root read; a path or a link leading outside is refused.
func TestReadIn(t *testing.T) {
	outer := t.TempDir()
	dir := filepath.Join(outer, "in")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	write(t, outer, "secret", []byte("s"))
	write(t, dir, "ok", []byte("fine"))
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if data, err := ReadIn(root, "ok", Limit); err != nil || string(data) != "fine" {
		t.Errorf("inside: %q, %v", data, err)
	}
	if _, err := ReadIn(root, "../secret", Limit); err == nil {
		t.Error("../secret read")
	}
	if runtime.GOOS == "windows" {
		return
	}
	if err := os.Symlink(filepath.Join(outer, "secret"), filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadIn(root, "link", Limit); err == nil {
		t.Error("a link to outside read")
	}
	if _, err := ReadIn(root, ".", Limit); !errors.Is(err, ErrNotRegular) {
		t.Errorf("the root itself: %v", err)
	}
}

// TestReadFS: the same rules for a file system.
func TestReadFS(t *testing.T) {
	fsys := fstest.MapFS{"d/a.json": {Data: []byte(`{}`)}, "d/big.json": {Data: make([]byte, 11)}, "d/sub/x": {}}
	if data, err := ReadFS(fsys, "d/a.json", 10); err != nil || string(data) != "{}" {
		t.Errorf("regular: %q, %v", data, err)
	}
	_, err := ReadFS(fsys, "d/big.json", 10)
	wantErr(t, err, "d/big.json", "larger than the 10 bytes limit", ErrTooLarge)
	_, err = ReadFS(fsys, "d/sub", 10)
	wantErr(t, err, "d/sub", "a directory, not a regular file", ErrNotRegular)
}

// TestTooDeep: brackets are counted outside strings only, and 3 million of them are found at
// the first one past the limit.
func TestTooDeep(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want int
	}{
		{`{"a": [1, {"b": []}]}`, 4, -1},
		{`{"a": [1, {"b": []}]}`, 3, 16},
		{`{"a": [1, {"b": []}]}`, 2, 10},
		{`["[[[[", "\"[[[["]`, 1, -1},
		{`[] [] [] []`, 1, -1},
		{`]]]] [[`, 1, 6},
		{``, 0, -1},
	}
	for _, c := range cases {
		if got := TooDeep([]byte(c.in), c.max); got != c.want {
			t.Errorf("TooDeep(%q, %d) = %d, want %d", c.in, c.max, got, c.want)
		}
	}
	deep := bytes.Repeat([]byte("["), 3_000_000)
	if got := TooDeep(deep, MaxDepth); got != MaxDepth {
		t.Errorf("3 million [: %d, want %d", got, MaxDepth)
	}
}

// TestSize: the limits read as people write them.
func TestSize(t *testing.T) {
	for n, want := range map[int64]string{4 << 20: "4 MiB", 10 << 10: "10 KiB", 1000: "1000 bytes", 1536 << 10: "1536 KiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

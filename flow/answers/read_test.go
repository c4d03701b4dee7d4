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

// TestSecretFilesStayInFolder: a secret file is read inside the answers file's folder only; a
// path or a symbolic link leading out of it is refused, naming the member and the flag that
// allows it, unless SecretsAnywhere.
func TestSecretFilesStayInFolder(t *testing.T) {
	outer := t.TempDir()
	dir := filepath.Join(outer, "in")
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(outer, "credentials"), "https://me:token@example.com\n")
	writeFile(t, filepath.Join(dir, "secrets", "pw"), "Contrail#2026\n")
	links := runtime.GOOS != "windows"
	if links {
		symlink(t, "../credentials", filepath.Join(dir, "rel-link"))
		symlink(t, filepath.Join(outer, "credentials"), filepath.Join(dir, "abs-link"))
		symlink(t, "..", filepath.Join(dir, "up"))
		symlink(t, "secrets/pw", filepath.Join(dir, "in-link"))
	}
	outside := `is outside the answers file's folder ` + dir + `; move it there, or allow it with --answers-secrets-anywhere`
	viaLink := `leads outside the answers file's folder ` + dir + ` through a symbolic link; copy the file there, or allow it with --answers-secrets-anywhere`
	cases := []struct {
		file, want string // want "" reads the password
		link       bool
	}{
		{"secrets/pw", "", false},
		{"secrets/../secrets/pw", "", false},
		{filepath.Join(dir, "secrets", "pw"), "", false},
		{"../credentials", outside, false},
		{"secrets/../../credentials", outside, false},
		{filepath.Join(outer, "credentials"), outside, false},
		{"in-link", "", true},
		{"rel-link", viaLink, true},
		{"abs-link", viaLink, true},
		{"up/credentials", viaLink, true},
	}
	for _, c := range cases {
		if c.link && !links {
			continue
		}
		answers := writeFile(t, filepath.Join(dir, "a.json"), `{"$schema": "oobe-answers/1",
  "user": {"upn": "a@b.c", "passwordFrom": {"file": "`+filepath.ToSlash(c.file)+`"}}}`)
		_, err := Load(answers, nil)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.file, err)
		case c.want != "" && (err == nil || !strings.HasSuffix(err.Error(), `a.json:2:44: user.passwordFrom: secret file "`+filepath.ToSlash(c.file)+`" `+c.want)):
			t.Errorf("%s: %v, want ... %s", c.file, err, c.want)
		}
		sc, err := LoadWith(answers, Options{SecretsAnywhere: true})
		if err != nil {
			t.Errorf("%s, anywhere: %v", c.file, err)
			continue
		}
		if want := map[bool]string{true: "Contrail#2026", false: "https://me:token@example.com"}[c.want == ""]; sc.Secrets.Password != want {
			t.Errorf("%s, anywhere: read %q, want %q", c.file, sc.Secrets.Password, want)
		}
	}
}

// TestSecretFileUnreadable: a secret file that is not a regular file or is over the limit
// is an error naming the member, inside the folder or anywhere.
func TestSecretFileUnreadable(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "dir"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "big"), strings.Repeat("x", safefile.Limit+1))
	cases := map[string]string{
		"dir": `cannot read secret file "dir": a directory, not a regular file`,
		"big": `cannot read secret file "big": larger than the 4 MiB limit`,
	}
	if runtime.GOOS != "windows" {
		symlink(t, "/dev/zero", filepath.Join(dir, "zero"))
		cases["zero"] = `cannot read secret file "zero": a character device, not a regular file`
	}
	for file, want := range cases {
		answers := writeFile(t, filepath.Join(dir, "a.json"), `{"$schema": "oobe-answers/1", "pinFrom": {"file": "`+file+`"}}`)
		if _, err := LoadWith(answers, Options{SecretsAnywhere: true}); err == nil || !strings.HasSuffix(err.Error(), "pinFrom: "+want) {
			t.Errorf("%s, anywhere: %v, want %s", file, err, want)
		}
		if file == "zero" {
			continue // inside the folder, a link to /dev/zero leads outside it
		}
		if _, err := Load(answers, nil); err == nil || !strings.HasSuffix(err.Error(), "pinFrom: "+want) {
			t.Errorf("%s: %v, want %s", file, err, want)
		}
	}
}

package answers

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: any bytes give a File or one *Error line naming the file at a place inside it; a
// File parsed is written and read back to the same file.
func FuzzParse(f *testing.F) {
	demo, err := os.ReadFile(filepath.Join("testdata", "demo.answers.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(demo)
	f.Add(append([]byte("\xef\xbb\xbf"), demo...))
	f.Add([]byte(`{"$schema": "oobe-answers/1", "network": {"ethernet": true}, "keyboard2": "", "privacy": {}}`))
	f.Add([]byte(`{"$schema": "oobe-answers/1", "user": {"upn": "a@b.c", "passwordFrom": {"file": "../x"}}, "pinFrom": {"env": "P"}}`))
	f.Add([]byte(`{"$schema": "oobe-answers/1", "user": {"upn": "a@b.c", "password": "x"}}`))
	f.Add([]byte(`{"$schema": "oobe-answers/1", "note": [[[[{"a": "]]"}]]]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("a.json", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "a.json" {
				t.Fatalf("error %v (%T) does not name the file", err, err)
			}
			if s := err.Error(); !strings.HasPrefix(s, "a.json") || strings.ContainsAny(s, "\r\n") {
				t.Fatalf("error not one line starting with the file name: %q", s)
			}
			if lines := 1 + bytes.Count(data, []byte("\n")); e.Line < 0 || e.Line > lines || (e.Line > 0) != (e.Col > 0) {
				t.Fatalf("error at %d:%d of a %d-line file", e.Line, e.Col, lines)
			}
			return
		}
		out, err := file.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("b.json", out)
		if err != nil {
			t.Fatalf("a parsed file does not read back: %v\n%s", err, out)
		}
		again, err := back.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("written, read and written again it changed:\n%s\n%s", out, again)
		}
	})
}

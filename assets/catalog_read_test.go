package assets

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/internal/safefile"
)

// TestParseCatalogErrors: a catalog over the size limit, nested too deep, broken or of the
// wrong shape is one error line naming the file, and where known the line and column.
func TestParseCatalogErrors(t *testing.T) {
	cases := []struct{ data, want string }{
		{strings.Repeat(" ", safefile.Limit+1), "x.json: larger than the 4 MiB limit"},
		{strings.Repeat("[", 3_000_000), "x.json:1:257: arrays and objects nested more than 256 deep, the limit"},
		{"{\n  \"a\": \"b\",\n}", "x.json:3:1: invalid character '}' looking for beginning of object key string"},
		{`{"a": 1}`, "x.json: json: cannot unmarshal number into Go value of type string"},
		{"null", "x.json: want a JSON object of message IDs to strings, got null"},
	}
	for _, c := range cases {
		_, err := parseCatalog("x.json", []byte(c.data))
		if err == nil || err.Error() != c.want {
			t.Errorf("%.20q: %v, want %s", c.data, err, c.want)
		}
	}
}

// FuzzParseCatalog: any input gives a catalog or one error line naming the file; a catalog
// parsed survives being written and read again unchanged.
func FuzzParseCatalog(f *testing.F) {
	for _, loc := range []string{"en-US", "de-DE"} {
		b, err := localeFS.ReadFile("locales/" + loc + ".json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"a": "{x}", "b\n": "\u00e9", "c": null}`))
	f.Add([]byte(`[[[[{"a": "b"}]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, err := parseCatalog("cat.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "cat.json:") || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error not one line naming the file: %q", err)
			}
			return
		}
		out, err := json.Marshal(msgs)
		if err != nil {
			t.Fatal(err)
		}
		back, err := parseCatalog("cat.json", out)
		if err != nil {
			t.Fatalf("a parsed catalog does not read back: %v", err)
		}
		if !maps.Equal(msgs, back) {
			t.Fatalf("round trip changed the catalog: %q → %q", msgs, back)
		}
		if !bytes.Equal(out, mustMarshal(t, back)) {
			t.Fatal("the catalog does not encode the same twice")
		}
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

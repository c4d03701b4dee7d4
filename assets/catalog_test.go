package assets

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
)

var placeholderPattern = regexp.MustCompile(`\{[A-Za-z0-9_]+\}`)

// placeholders returns the sorted, deduplicated {name} placeholders of s.
func placeholders(s string) []string {
	out := placeholderPattern.FindAllString(s, -1)
	sort.Strings(out)
	return slices.Compact(out)
}

func mustCatalog(t *testing.T, loc string) *Catalog {
	t.Helper()
	cs, err := catalogs()
	if err != nil {
		t.Fatalf("CatalogError: %v", err)
	}
	c := cs[loc]
	if c == nil {
		t.Fatalf("no catalog for %s", loc)
	}
	return c
}

func TestCatalogError(t *testing.T) {
	if err := CatalogError(); err != nil {
		t.Fatalf("CatalogError() = %v, want nil", err)
	}
	if locs := Locales(); !slices.Contains(locs, DefaultLocale) {
		t.Fatalf("Locales() = %v, missing %s", locs, DefaultLocale)
	}
}

func TestCatalogsMatchDefault(t *testing.T) {
	def := mustCatalog(t, DefaultLocale)
	defIDs := def.IDs()
	for _, loc := range Locales() {
		c := mustCatalog(t, loc)
		t.Run(loc, func(t *testing.T) {
			if c.Locale() != loc {
				t.Errorf("Locale() = %q, want %q", c.Locale(), loc)
			}
			var missing, extra []string
			for _, id := range defIDs {
				if !c.Has(id) {
					missing = append(missing, id)
				}
			}
			for _, id := range c.IDs() {
				if !def.Has(id) {
					extra = append(extra, id)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s.json lacks %d IDs of %s.json: %s", loc, len(missing), DefaultLocale, strings.Join(missing, ", "))
			}
			if len(extra) > 0 {
				t.Errorf("%s.json has %d IDs that %s.json lacks: %s", loc, len(extra), DefaultLocale, strings.Join(extra, ", "))
			}
			for _, id := range c.IDs() {
				s := c.T(id) // no kv: the raw message
				if strings.TrimFunc(s, unicode.IsSpace) == "" {
					t.Errorf("%s: message %q is empty", loc, id)
				}
				if !def.Has(id) {
					continue
				}
				got, want := placeholders(s), placeholders(def.T(id))
				if !slices.Equal(got, want) {
					t.Errorf("%s: message %q has placeholders %v, %s has %v", loc, id, got, DefaultLocale, want)
				}
			}
		})
	}
}

func TestLookupCatalog(t *testing.T) {
	tests := []struct {
		tag    string
		want   string
		wantOK bool
	}{
		{"en-US", "en-US", true},
		{"en_us", "en-US", true},
		{"de-DE", "de-DE", true},
		{"de_DE", "de-DE", true},
		{"de-AT", "de-DE", true},
		{"de_DE.UTF-8", "de-DE", true}, // the suffix is not stripped; the language match finds it
		{"xx-YY", "en-US", false},
		{"", "en-US", false},
	}
	for _, tt := range tests {
		c, ok := LookupCatalog(tt.tag)
		if c == nil {
			t.Errorf("LookupCatalog(%q) returned nil", tt.tag)
			continue
		}
		if c.Locale() != tt.want || ok != tt.wantOK {
			t.Errorf("LookupCatalog(%q) = %s, %v; want %s, %v", tt.tag, c.Locale(), ok, tt.want, tt.wantOK)
		}
	}
}

func TestT(t *testing.T) {
	// Every placeholder of every message is substituted.
	for _, loc := range Locales() {
		c := mustCatalog(t, loc)
		for _, id := range c.IDs() {
			raw := c.T(id)
			names := placeholders(raw)
			if len(names) == 0 {
				continue
			}
			var kv []string
			want := raw
			for _, p := range names {
				name := strings.Trim(p, "{}")
				val := "<" + strings.ToUpper(name) + ">"
				kv = append(kv, name, val)
				want = strings.ReplaceAll(want, p, val)
			}
			got := c.T(id, kv...)
			if got != want {
				t.Errorf("%s: T(%q, %v) = %q, want %q", loc, id, kv, got, want)
			}
			if rest := placeholders(got); len(rest) > 0 {
				t.Errorf("%s: T(%q, %v) left placeholders %v", loc, id, kv, rest)
			}
		}
	}

	// A fixed message, independent of the shipped wording.
	c := &Catalog{locale: "xx-XX", msgs: map[string]string{"m": "{a} and {b}, {a}; {c}"}}
	if got, want := c.T("m", "a", "1", "b", "2", "odd"), "1 and 2, 1; {c}"; got != want {
		t.Errorf("T substitution = %q, want %q", got, want)
	}

	// Unknown messages fall back to the ID, in every catalog.
	const unknown = "no.such.message"
	for _, loc := range Locales() {
		if got := mustCatalog(t, loc).T(unknown, "x", "y"); got != unknown {
			t.Errorf("%s: T(%q) = %q, want the ID", loc, unknown, got)
		}
	}

	// A message missing from a catalog falls back to en-US.
	def := mustCatalog(t, DefaultLocale)
	ids := def.IDs()
	if len(ids) == 0 {
		t.Fatal("en-US catalog is empty")
	}
	partial := &Catalog{locale: "xx-XX", msgs: map[string]string{}, fallback: def}
	if got, want := partial.T(ids[0]), def.T(ids[0]); got != want {
		t.Errorf("fallback T(%q) = %q, want %q", ids[0], got, want)
	}

	// The catalog returned for a broken build shows IDs.
	if got := (&Catalog{locale: DefaultLocale}).T("button.next"); got != "button.next" {
		t.Errorf("empty catalog T = %q, want the ID", got)
	}
}

// TestLocaleFilesWellFormed decodes every locale file token by token, so that a duplicate key
// (which json.Unmarshal silently resolves to the last value) is reported.
func TestLocaleFilesWellFormed(t *testing.T) {
	entries, err := localeFS.ReadDir("locales")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		n++
		b, err := localeFS.ReadFile(path.Join("locales", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b) {
			t.Errorf("%s: not valid JSON", e.Name())
			continue
		}
		if err := checkFlatStringObject(b); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
	if n == 0 {
		t.Fatal("no locale files")
	}
}

// checkFlatStringObject checks that b is one JSON object of string values with unique keys.
func checkFlatStringObject(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("top level is not an object")
	}
	seen := map[string]bool{}
	var dups []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string) // object keys are always strings
		if seen[key] {
			dups = append(dups, key)
		}
		seen[key] = true
		val, err := dec.Token()
		if err != nil {
			return err
		}
		if _, ok := val.(string); !ok {
			return errors.New("value of " + key + " is not a string")
		}
	}
	if _, err := dec.Token(); err != nil { // closing '}'
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the top-level object")
	}
	if len(dups) > 0 {
		return errors.New("duplicate keys: " + strings.Join(dups, ", "))
	}
	return nil
}

func TestCheckFlatStringObject(t *testing.T) {
	if err := checkFlatStringObject([]byte(`{"a": "1", "b": "2"}`)); err != nil {
		t.Errorf("good object: %v", err)
	}
	for _, bad := range []string{`{"a": "1", "a": "2"}`, `["a"]`, `{"a": {"b": "c"}}`, `{"a": 1}`} {
		if err := checkFlatStringObject([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

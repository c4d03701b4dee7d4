package assets

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/oobe-emu/oobe/internal/safefile"
)

//go:embed locales/*.json
var localeFS embed.FS

// DefaultLocale is the catalog every other catalog falls back to.
const DefaultLocale = "en-US"

// Catalog is the set of user-visible strings of one locale, keyed by message ID.
type Catalog struct {
	locale   string
	msgs     map[string]string
	fallback *Catalog
}

var catalogs = sync.OnceValues(loadCatalogs)

func loadCatalogs() (map[string]*Catalog, error) {
	entries, err := localeFS.ReadDir("locales")
	if err != nil {
		return nil, err
	}
	out := map[string]*Catalog{}
	for _, e := range entries {
		name := e.Name()
		b, err := safefile.ReadFS(localeFS, path.Join("locales", name), safefile.Limit)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("assets/locales/%s: %v", name, err)
		}
		msgs, err := parseCatalog("assets/locales/"+name, b)
		if err != nil {
			return nil, err
		}
		loc := strings.TrimSuffix(name, ".json")
		out[loc] = &Catalog{locale: loc, msgs: msgs}
	}
	def := out[DefaultLocale]
	if def == nil {
		return nil, fmt.Errorf("assets/locales: no %s catalog", DefaultLocale)
	}
	for loc, c := range out {
		if loc != DefaultLocale {
			c.fallback = def
		}
	}
	return out, nil
}

// parseCatalog decodes catalog file name: one JSON object of message IDs to strings, at most
// safefile.Limit bytes and safefile.MaxDepth deep like every file oobe reads. An error is one
// line naming the file (and the line:column when known).
func parseCatalog(name string, data []byte) (map[string]string, error) {
	if len(data) > safefile.Limit {
		return nil, fmt.Errorf("%s: larger than the %s limit", name, safefile.Size(safefile.Limit))
	}
	if off := safefile.TooDeep(data, safefile.MaxDepth); off >= 0 {
		line, col := position(data, off)
		return nil, fmt.Errorf("%s:%d:%d: arrays and objects nested more than %d deep, the limit", name, line, col, safefile.MaxDepth)
	}
	var msgs map[string]string
	if err := json.Unmarshal(data, &msgs); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := position(data, int(se.Offset)-1)
			return nil, fmt.Errorf("%s:%d:%d: %s", name, line, col, oneLine(se.Error()))
		}
		return nil, fmt.Errorf("%s: %s", name, oneLine(err.Error()))
	}
	if msgs == nil {
		return nil, fmt.Errorf("%s: want a JSON object of message IDs to strings, got null", name)
	}
	return msgs, nil
}

// position turns a byte offset of data into a 1-based line and a 1-based column in runes.
func position(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

// oneLine folds the white space of a decoder's message (it may quote a key holding a line
// break) so that the error stays on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// CatalogError reports a malformed embedded catalog, nil when all load.
func CatalogError() error { _, err := catalogs(); return err }

// Locales lists the locales that have a catalog, sorted.
func Locales() []string {
	cs, _ := catalogs()
	out := make([]string, 0, len(cs))
	for loc := range cs {
		out = append(out, loc)
	}
	sort.Strings(out)
	return out
}

// LookupCatalog returns the catalog for a locale tag, matching the language alone when the
// exact tag is missing ("de-AT" → "de-DE"); ok is false when it fell back to en-US.
func LookupCatalog(tag string) (c *Catalog, ok bool) {
	cs, err := catalogs()
	if err != nil {
		// Only a broken build gets here (the catalogs are embedded and tested): show IDs.
		return &Catalog{locale: DefaultLocale}, false
	}
	norm := strings.ReplaceAll(tag, "_", "-")
	for loc, c := range cs {
		if strings.EqualFold(loc, norm) {
			return c, true
		}
	}
	lang, _, _ := strings.Cut(norm, "-")
	for _, loc := range Locales() {
		l, _, _ := strings.Cut(loc, "-")
		if strings.EqualFold(l, lang) {
			return cs[loc], true
		}
	}
	return cs[DefaultLocale], false
}

// Locale is the catalog's locale tag.
func (c *Catalog) Locale() string { return c.locale }

// Has reports whether the catalog itself (not its fallback) defines id.
func (c *Catalog) Has(id string) bool { _, ok := c.msgs[id]; return ok }

// IDs lists the message IDs the catalog defines, sorted.
func (c *Catalog) IDs() []string {
	out := make([]string, 0, len(c.msgs))
	for id := range c.msgs {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// T returns message id with each {name} placeholder replaced by the value that follows name
// in kv (pairs of name, value). A missing message falls back to en-US, then to the ID itself.
func (c *Catalog) T(id string, kv ...string) string {
	s, ok := c.msgs[id]
	if !ok && c.fallback != nil {
		s, ok = c.fallback.msgs[id]
	}
	if !ok {
		return id
	}
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}

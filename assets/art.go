package assets

import (
	"embed"
	"io/fs"
	"path"
	"strings"
	"sync"
)

//go:embed art/*.txt
var artFS embed.FS

// artKey identifies one illustration: a page name and its variant.
type artKey struct {
	name  string
	ascii bool
}

// artSuffixASCII and artSuffix are the file name endings of the 7-bit and the Unicode variants.
const (
	artSuffixASCII = ".ascii.txt"
	artSuffix      = ".txt"
)

// artTable parses the embedded illustrations once. Unreadable files are skipped.
var artTable = sync.OnceValue(func() map[artKey]string {
	m := make(map[artKey]string)
	entries, err := fs.ReadDir(artFS, "art")
	if err != nil {
		return m
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		file := e.Name()
		var key artKey
		switch {
		case strings.HasSuffix(file, artSuffixASCII):
			key = artKey{name: strings.TrimSuffix(file, artSuffixASCII), ascii: true}
		case strings.HasSuffix(file, artSuffix):
			key = artKey{name: strings.TrimSuffix(file, artSuffix)}
		default:
			continue
		}
		if key.name == "" {
			continue
		}
		b, err := artFS.ReadFile(path.Join("art", file))
		if err != nil {
			continue
		}
		s := strings.ReplaceAll(string(b), "\r\n", "\n")
		m[key] = strings.TrimSuffix(s, "\n")
	}
	return m
})

// Art returns the illustration for a page name in Unicode or ASCII, "" when there is none.
func Art(name string, ascii bool) string {
	return artTable()[artKey{name: name, ascii: ascii}]
}

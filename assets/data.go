// Package assets holds the embedded data of the emulator: string catalogs, the default tenant, regions, keyboard layouts and license texts.
package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

//go:embed regions.json
var regionsJSON []byte

//go:embed keyboards.json
var keyboardsJSON []byte

//go:embed eula/*.txt
var eulaFS embed.FS

// eulaFallbackLocale is the license text shown when no text exists for the requested locale.
const eulaFallbackLocale = "en-US"

// defaultRegionISO is the region used when the environment names no usable one.
const defaultRegionISO = "US"

// Region is one entry of the region page: a country or area with the defaults Windows
// pre-selects when it is chosen.
type Region struct {
	// ISO2 is the ISO 3166-1 alpha-2 code, upper case ("DE").
	ISO2 string `json:"iso2"`
	// GeoID is the Windows geographical location identifier (decimal), 0 when unknown.
	GeoID int `json:"geoId"`
	// Locale is the default BCP-47 locale of the region ("de-DE").
	Locale string `json:"locale"`
	// Keyboard is the KLID of the default keyboard layout ("00000407").
	Keyboard string `json:"keyboard"`
	// Derived is true for a region not in regions.json: its locale is CLDR's likely one and
	// its keyboard one of that language (else US English).
	Derived bool `json:"-"`
}

// Keyboard is one keyboard layout, identified by its Windows keyboard layout ID (KLID).
type Keyboard struct {
	// KLID is the 8-hex-digit keyboard layout identifier, upper case ("0000040C").
	KLID string `json:"klid"`
	// Name is the English display name as Windows shows it ("German").
	Name string `json:"name"`
	// Names holds localized display names keyed by BCP-47 locale ("de-DE": "Deutsch").
	Names map[string]string `json:"names,omitempty"`
	// Locales lists the locales for which this layout is a typical default.
	Locales []string `json:"locales"`
}

var regionsOnce = sync.OnceValue(func() []Region {
	var rs []Region
	if err := json.Unmarshal(regionsJSON, &rs); err != nil {
		// The file is embedded and covered by tests: only a broken build gets here.
		panic(fmt.Sprintf("assets: regions.json: %v", err))
	}
	known := map[string]bool{}
	for i := range rs {
		rs[i].ISO2 = strings.ToUpper(rs[i].ISO2)
		rs[i].Keyboard = strings.ToUpper(rs[i].Keyboard)
		known[rs[i].ISO2] = true
	}
	// every other country or area CLDR (golang.org/x/text) knows, with its likely language
	// and that language's keyboard: regions.json only adds what CLDR lacks (GeoIDs, the
	// keyboards Windows picks where they differ)
	for _, code := range cldrRegions() {
		if !known[code] {
			rs = append(rs, derivedRegion(code))
		}
	}
	slices.SortFunc(rs, func(a, b Region) int { return strings.Compare(a.ISO2, b.ISO2) })
	return rs
})

// notOffered are the codes CLDR names that Windows' region list does not offer on their own:
// ISO 3166's exceptionally reserved ones, the United Nations and the eurozone.
var notOffered = map[string]bool{"AC": true, "CP": true, "DG": true, "EA": true, "IC": true, "TA": true, "EZ": true, "UN": true}

// cldrRegions lists the two-letter codes of every country or area with an English name in
// CLDR, in code order.
func cldrRegions() []string {
	names := display.English.Regions()
	var out []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.Canonicalize().String() != code || notOffered[code] || names.Name(r) == "" {
				continue // not a country, a code replaced by another ("DD" is "DE"), or not offered
			}
			out = append(out, code)
		}
	}
	return out
}

// derivedRegion is the region code with CLDR's likely language ("TR" → "tr-TR") and a
// keyboard of that language (US English when none is known).
func derivedRegion(code string) Region {
	r := Region{ISO2: code, Keyboard: "00000409", Derived: true, Locale: "en-" + code}
	reg, _ := language.ParseRegion(code)
	tag, _ := language.Compose(reg)
	if base, conf := tag.Base(); conf != language.No {
		r.Locale = base.String() + "-" + code
	}
	lang := languagePart(r.Locale)
	for _, k := range keyboardsOnce() {
		if slices.Contains(k.Locales, r.Locale) {
			r.Keyboard = k.KLID
			return r
		}
	}
	for _, k := range keyboardsOnce() {
		for _, l := range k.Locales {
			if strings.EqualFold(languagePart(l), lang) {
				r.Keyboard = k.KLID
				return r
			}
		}
	}
	return r
}

var keyboardsOnce = sync.OnceValue(func() []Keyboard {
	var ks []Keyboard
	if err := json.Unmarshal(keyboardsJSON, &ks); err != nil {
		// The file is embedded and covered by tests: only a broken build gets here.
		panic(fmt.Sprintf("assets: keyboards.json: %v", err))
	}
	for i := range ks {
		ks[i].KLID = strings.ToUpper(ks[i].KLID)
	}
	return ks
})

// Regions returns all known regions in the order of regions.json (by ISO code). The slice
// is a copy the caller may modify.
func Regions() []Region {
	return slices.Clone(regionsOnce())
}

// Keyboards returns all known keyboard layouts in the order of keyboards.json. The result
// is a deep copy the caller may modify.
func Keyboards() []Keyboard {
	src := keyboardsOnce()
	out := make([]Keyboard, len(src))
	for i, k := range src {
		out[i] = k.clone()
	}
	return out
}

func (k Keyboard) clone() Keyboard {
	k.Names = maps.Clone(k.Names)
	k.Locales = slices.Clone(k.Locales)
	return k
}

// KeyboardByKLID returns the layout with the given KLID, compared case-insensitively.
func KeyboardByKLID(klid string) (Keyboard, bool) {
	klid = strings.TrimSpace(klid)
	for _, k := range keyboardsOnce() {
		if strings.EqualFold(k.KLID, klid) {
			return k.clone(), true
		}
	}
	return Keyboard{}, false
}

// DisplayName returns the layout's name in locale: the name for that exact locale, else a
// name for another locale of the same language ("de-AT" uses "de-DE"), else the English Name.
func (k Keyboard) DisplayName(locale string) string {
	locale = normalizeLocale(locale)
	if locale == "" {
		return k.Name
	}
	keys := slices.Sorted(maps.Keys(k.Names))
	for _, key := range keys {
		if strings.EqualFold(normalizeLocale(key), locale) && k.Names[key] != "" {
			return k.Names[key]
		}
	}
	lang := languagePart(locale)
	for _, key := range keys {
		if strings.EqualFold(languagePart(normalizeLocale(key)), lang) && k.Names[key] != "" {
			return k.Names[key]
		}
	}
	return k.Name
}

// RegionByISO returns the region with the given ISO 3166-1 alpha-2 code, compared
// case-insensitively.
func RegionByISO(iso2 string) (Region, bool) {
	iso2 = strings.TrimSpace(iso2)
	for _, r := range regionsOnce() {
		if strings.EqualFold(r.ISO2, iso2) {
			return r, true
		}
	}
	return Region{}, false
}

// regionNames are the names Windows uses today where CLDR's data in golang.org/x/text (from
// 2017) differs, by language [approx: from the region lists of current Windows 11 builds].
// English also writes "and" where CLDR's short names write "&".
var regionNames = map[string]map[string]string{
	"en": {
		"TR": "Türkiye", "KR": "Korea", "KP": "North Korea", "MK": "North Macedonia", "SZ": "Eswatini",
		"HK": "Hong Kong SAR", "MO": "Macao SAR", "PS": "Palestinian Authority", "MM": "Myanmar",
		"CD": "Congo (DRC)", "CG": "Congo", "CV": "Cabo Verde", "VA": "Vatican City", "FM": "Micronesia",
		"US": "United States", "GB": "United Kingdom",
	},
	"de": {"MK": "Nordmazedonien", "SZ": "Eswatini", "TR": "Türkei", "CV": "Cabo Verde"},
}

// RegionName returns the name of the region iso2 in the UI language uiLocale
// ("DE", "de-DE" → "Deutschland"), as Windows names it (see regionNames). It falls back to
// the English name, then to the code.
func RegionName(iso2, uiLocale string) string {
	code := strings.ToUpper(strings.TrimSpace(iso2))
	region, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	lang := strings.ToLower(languagePart(normalizeLocale(uiLocale)))
	if tag, err := language.Parse(normalizeLocale(uiLocale)); err == nil {
		if name := regionNames[lang][code]; name != "" {
			return name
		}
		if n := display.Regions(tag); n != nil {
			if name := n.Name(region); name != "" {
				if lang == "en" {
					name = strings.ReplaceAll(name, " & ", " and ")
				}
				return name
			}
		}
	}
	if name := regionNames["en"][code]; name != "" {
		return name
	}
	if name := display.Regions(language.English).Name(region); name != "" {
		return strings.ReplaceAll(name, " & ", " and ")
	}
	return code
}

// LanguageName returns the name of the language tag in that language itself, in the
// Windows form "Language (Region)" with the first letter capitalised: "de-DE" → "Deutsch
// (Deutschland)", "en-US" → "English (United States)" (not CLDR's "American English"). A
// script written in the tag is named too ("sr-Latn-RS" → "Srpski (latinica, Srbija)"). It
// returns tag unchanged when the tag cannot be parsed or has no name.
func LanguageName(tag string) string {
	t, err := language.Parse(normalizeLocale(tag))
	if err != nil {
		return tag
	}
	base, _ := t.Base()
	// The base language is named in the full tag's own language and script, so that
	// "sr-Latn" reads "srpski", not the Cyrillic default "српски".
	var name string
	if n := display.Languages(t); n != nil {
		name = n.Name(base)
	}
	if name == "" {
		name = display.Self.Name(t)
		if name == "" {
			return tag
		}
		return capitalise(name)
	}
	var qualifiers []string
	if script, conf := t.Script(); conf == language.Exact {
		if n := display.Scripts(t); n != nil {
			if s := n.Name(script); s != "" {
				qualifiers = append(qualifiers, s)
			}
		}
	}
	if region, conf := t.Region(); conf == language.Exact {
		if n := display.Regions(t); n != nil {
			if r := n.Name(region); r != "" {
				qualifiers = append(qualifiers, r)
			}
		}
	}
	if len(qualifiers) > 0 {
		name += " (" + strings.Join(qualifiers, ", ") + ")"
	}
	return capitalise(name)
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToTitle(r)) + s[size:]
}

// EULA returns the license agreement text for locale. A locale without its own text uses
// another text of the same language ("de-AT" → de-DE), else the en-US text.
func EULA(locale string) string {
	texts := eulaTexts()
	locale = normalizeLocale(locale)
	if s, ok := texts[strings.ToLower(locale)]; ok {
		return s
	}
	if lang := strings.ToLower(languagePart(locale)); lang != "" {
		keys := slices.Sorted(maps.Keys(texts))
		for _, key := range keys {
			if languagePart(key) == lang {
				return texts[key]
			}
		}
	}
	return texts[strings.ToLower(eulaFallbackLocale)]
}

// eulaTexts maps lower-case locale ("de-de") to license text.
var eulaTexts = sync.OnceValue(func() map[string]string {
	entries, err := eulaFS.ReadDir("eula")
	if err != nil {
		panic(fmt.Sprintf("assets: eula: %v", err))
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		name := e.Name()
		b, err := eulaFS.ReadFile("eula/" + name)
		if err != nil {
			panic(fmt.Sprintf("assets: eula/%s: %v", name, err))
		}
		out[strings.ToLower(strings.TrimSuffix(name, ".txt"))] = string(b)
	}
	return out
})

// DefaultRegionFromEnv derives the default region from the POSIX locale variables LC_ALL,
// LC_MESSAGES and LANG, read through getenv in that order. The first variable naming a
// region present in Regions wins: "de_DE.UTF-8" → "DE", "en_GB" → "GB"; a bare language
// ("fr") uses its most likely region. Without a usable value it returns "US".
func DefaultRegionFromEnv(getenv func(string) string) string {
	if getenv == nil {
		return defaultRegionISO
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if iso, ok := regionFromPOSIXLocale(getenv(name)); ok {
			return iso
		}
	}
	return defaultRegionISO
}

// regionFromPOSIXLocale extracts a known region from a value like "de_DE.UTF-8@euro".
func regionFromPOSIXLocale(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, ".@"); i >= 0 {
		v = v[:i]
	}
	if v == "" || v == "C" || v == "POSIX" {
		return "", false
	}
	v = strings.ReplaceAll(v, "_", "-")
	// An explicit two-letter region wins, even if the language part is unknown to x/text.
	parts := strings.Split(v, "-")
	for _, p := range parts[1:] {
		if len(p) == 2 {
			if r, ok := RegionByISO(p); ok {
				return r.ISO2, true
			}
			return "", false
		}
	}
	tag, err := language.Parse(v)
	if err != nil {
		return "", false
	}
	region, conf := tag.Region()
	if conf == language.No {
		return "", false
	}
	if r, ok := RegionByISO(region.String()); ok {
		return r.ISO2, true
	}
	return "", false
}

// normalizeLocale turns "de_DE.UTF-8" or " de-de " into a BCP-47 shaped "de-de"/"de-DE"
// string without codeset or modifier; it does not change letter case.
func normalizeLocale(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	return strings.ReplaceAll(s, "_", "-")
}

// languagePart returns the language subtag of a locale ("de-AT" → "de").
func languagePart(locale string) string {
	lang, _, _ := strings.Cut(locale, "-")
	return lang
}

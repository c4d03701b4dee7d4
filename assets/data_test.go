package assets

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var klidPattern = regexp.MustCompile(`^[0-9A-F]{8}$`)

func TestRegionsData(t *testing.T) {
	rs := Regions()
	if len(rs) < 40 {
		t.Fatalf("got %d regions, want at least 40", len(rs))
	}
	seen := map[string]bool{}
	geo := map[int]string{}
	for _, r := range rs {
		if len(r.ISO2) != 2 || strings.ToUpper(r.ISO2) != r.ISO2 {
			t.Errorf("region %q: iso2 must be two upper-case letters", r.ISO2)
		}
		if seen[r.ISO2] {
			t.Errorf("duplicate region %q", r.ISO2)
		}
		seen[r.ISO2] = true
		if r.GeoID != 0 {
			if other, dup := geo[r.GeoID]; dup {
				t.Errorf("regions %s and %s share GeoID %d", other, r.ISO2, r.GeoID)
			}
			geo[r.GeoID] = r.ISO2
		}
		if r.Locale == "" {
			t.Errorf("region %s has no locale", r.ISO2)
		}
		k, ok := KeyboardByKLID(r.Keyboard)
		if !ok {
			t.Errorf("region %s: keyboard %q not in keyboards.json", r.ISO2, r.Keyboard)
			continue
		}
		if !r.Derived && !slices.Contains(k.Locales, r.Locale) {
			t.Errorf("region %s: locale %s not among the locales of keyboard %s %v", r.ISO2, r.Locale, k.KLID, k.Locales)
		}
		if name := RegionName(r.ISO2, "en-US"); name == r.ISO2 {
			t.Errorf("region %s has no English name", r.ISO2)
		}
	}
	if !slices.IsSortedFunc(rs, func(a, b Region) int { return strings.Compare(a.ISO2, b.ISO2) }) {
		t.Error("regions.json is not sorted by iso2")
	}
}

func TestRegionsKnownGeoIDs(t *testing.T) {
	// §7.2 of the domain reference.
	want := map[string]int{
		"AU": 12, "AT": 14, "BE": 21, "BR": 32, "CA": 39, "CN": 45, "DK": 61, "FI": 77,
		"FR": 84, "DE": 94, "IN": 113, "IE": 68, "IL": 117, "IT": 118, "JP": 122, "KR": 134,
		"MX": 166, "NL": 176, "NZ": 183, "NO": 177, "PL": 191, "PT": 193, "SA": 205,
		"SG": 215, "ZA": 209, "ES": 217, "SE": 221, "CH": 223, "TR": 235, "AE": 224,
		"GB": 242, "US": 244,
	}
	for iso, geo := range want {
		r, ok := RegionByISO(iso)
		if !ok {
			t.Errorf("region %s missing", iso)
			continue
		}
		if r.GeoID != geo {
			t.Errorf("region %s: GeoID %d, want %d", iso, r.GeoID, geo)
		}
	}
}

func TestRegionsReturnsCopy(t *testing.T) {
	rs := Regions()
	rs[0].ISO2 = "XX"
	if Regions()[0].ISO2 == "XX" {
		t.Error("Regions returned the shared slice")
	}
	ks := Keyboards()
	ks[0].Names["de-DE"] = "changed"
	ks[0].Locales[0] = "changed"
	if k := Keyboards()[0]; k.Names["de-DE"] == "changed" || k.Locales[0] == "changed" {
		t.Error("Keyboards returned shared maps or slices")
	}
}

func TestKeyboardsData(t *testing.T) {
	ks := Keyboards()
	// Every layout of the §7.1 table of the domain reference.
	for _, klid := range []string{
		"00000409", "00020409", "00010409", "00000809", "00001809", "00001009", "00011009",
		"00000C0C", "0000040C", "0000080C", "00000813", "0000100C", "00000807", "00000407",
		"0000040A", "0000080A", "00000410", "00000816", "00000416", "00010416", "00000413",
		"00000406", "0000041D", "00000414", "0000040B", "00000415", "00000405", "0000040E",
		"00000419", "00000422", "00020422", "0000041F", "00000408", "0002040D", "0000040D",
		"00000401", "00000411", "00000412", "00000804", "00000404", "00004009", "0000041E",
	} {
		if _, ok := KeyboardByKLID(klid); !ok {
			t.Errorf("keyboard %s missing", klid)
		}
	}
	seen := map[string]bool{}
	for _, k := range ks {
		if !klidPattern.MatchString(k.KLID) {
			t.Errorf("keyboard %q: KLID must be 8 upper-case hex digits", k.KLID)
		}
		if seen[k.KLID] {
			t.Errorf("duplicate keyboard %s", k.KLID)
		}
		seen[k.KLID] = true
		if k.Name == "" || k.Names["de-DE"] == "" {
			t.Errorf("keyboard %s: needs an English and a German name", k.KLID)
		}
		if len(k.Locales) == 0 {
			t.Errorf("keyboard %s has no locales", k.KLID)
		}
	}
}

func TestKeyboardByKLID(t *testing.T) {
	k, ok := KeyboardByKLID("0000040c")
	if !ok || k.KLID != "0000040C" {
		t.Fatalf("KeyboardByKLID(0000040c) = %+v, %v", k, ok)
	}
	if _, ok := KeyboardByKLID("DEADBEEF"); ok {
		t.Error("KeyboardByKLID found an unknown layout")
	}
}

func TestKeyboardDisplayName(t *testing.T) {
	tests := []struct{ klid, locale, want string }{
		{"00000407", "de-DE", "Deutsch"},
		{"00000407", "de_de", "Deutsch"},
		{"00000407", "de-AT", "Deutsch"},
		{"00000407", "de", "Deutsch"},
		{"00000407", "en-US", "German"},
		{"00000407", "", "German"},
		{"00000807", "de-CH", "Deutsch (Schweiz)"},
		{"00000809", "de-DE", "Vereinigtes Königreich"},
		{"00020409", "de-DE", "USA (international)"},
		{"0000040C", "de-DE", "Französisch (Legacy, AZERTY)"},
		{"00000409", "de-DE", "US"},
		{"0000040C", "fr-FR", "French (Legacy, AZERTY)"},
	}
	for _, tt := range tests {
		k, ok := KeyboardByKLID(tt.klid)
		if !ok {
			t.Fatalf("keyboard %s missing", tt.klid)
		}
		if got := k.DisplayName(tt.locale); got != tt.want {
			t.Errorf("%s.DisplayName(%q) = %q, want %q", tt.klid, tt.locale, got, tt.want)
		}
	}
}

func TestRegionByISO(t *testing.T) {
	r, ok := RegionByISO("de")
	if !ok || r.ISO2 != "DE" || r.GeoID != 94 || r.Locale != "de-DE" || r.Keyboard != "00000407" {
		t.Fatalf("RegionByISO(de) = %+v, %v", r, ok)
	}
	if _, ok := RegionByISO("XX"); ok {
		t.Error("RegionByISO found XX")
	}
}

func TestRegionName(t *testing.T) {
	tests := []struct{ iso, ui, want string }{
		{"DE", "de-DE", "Deutschland"},
		{"DE", "en-US", "Germany"},
		{"de", "en-US", "Germany"},
		{"GB", "de-DE", "Vereinigtes Königreich"},
		{"FR", "fr-FR", "France"},
		{"DE", "not a locale!", "Germany"},
		{"DE", "", "Germany"},
		{"1", "en-US", "1"},
	}
	for _, tt := range tests {
		if got := RegionName(tt.iso, tt.ui); got != tt.want {
			t.Errorf("RegionName(%q, %q) = %q, want %q", tt.iso, tt.ui, got, tt.want)
		}
	}
}

func TestLanguageName(t *testing.T) {
	if got := LanguageName("de-DE"); !strings.HasPrefix(got, "Deutsch") {
		t.Errorf("LanguageName(de-DE) = %q, want prefix Deutsch", got)
	}
	if got := LanguageName("en-US"); got != "English (United States)" {
		t.Errorf("LanguageName(en-US) = %q", got)
	}
	if got := LanguageName("fr-FR"); !strings.HasPrefix(got, "Français") {
		t.Errorf("LanguageName(fr-FR) = %q, want capitalised prefix Français", got)
	}
	if got := LanguageName("!!"); got != "!!" {
		t.Errorf("LanguageName(!!) = %q, want the input back", got)
	}
}

func TestEULA(t *testing.T) {
	en, de := EULA("en-US"), EULA("de-DE")
	if en == "" || de == "" {
		t.Fatal("empty license text")
	}
	if en == de {
		t.Error("EULA(de-DE) equals EULA(en-US)")
	}
	if EULA("xx") != en {
		t.Error("EULA(xx) does not fall back to en-US")
	}
	if EULA("") != en {
		t.Error("EULA(\"\") does not fall back to en-US")
	}
	if EULA("de-AT") != de || EULA("de_DE.UTF-8") != de {
		t.Error("German variants do not use the de-DE text")
	}
	for _, text := range []string{en, de} {
		if !strings.Contains(text, "--record") {
			t.Error("license text does not explain --record")
		}
		if n := strings.Count(text, "\n"); n < 50 || n > 100 {
			t.Errorf("license text has %d lines, want about 60–90", n)
		}
	}
}

func TestDefaultRegionFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"empty", nil, "US"},
		{"LANG de", map[string]string{"LANG": "de_DE.UTF-8"}, "DE"},
		{"LANG en_GB", map[string]string{"LANG": "en_GB"}, "GB"},
		{"LC_ALL wins", map[string]string{"LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "de_DE", "LANG": "en_GB"}, "FR"},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "de_CH.UTF-8", "LANG": "en_GB"}, "CH"},
		{"C skipped", map[string]string{"LC_ALL": "C", "LANG": "nl_NL.UTF-8"}, "NL"},
		{"C.UTF-8 only", map[string]string{"LANG": "C.UTF-8"}, "US"},
		{"POSIX only", map[string]string{"LC_ALL": "POSIX"}, "US"},
		{"modifier", map[string]string{"LANG": "sr_RS.UTF-8@latin"}, "RS"},
		{"script", map[string]string{"LANG": "zh_Hant_TW"}, "TW"},
		{"BCP-47 form", map[string]string{"LANG": "pt-BR"}, "BR"},
		{"lower-case region", map[string]string{"LANG": "de_at"}, "AT"},
		{"unknown region", map[string]string{"LANG": "en_XX.UTF-8"}, "US"},
		{"unknown region then LANG", map[string]string{"LC_ALL": "en_XX", "LANG": "it_IT"}, "IT"},
		{"bare language", map[string]string{"LANG": "ja"}, "JP"},
		{"garbage", map[string]string{"LANG": "???"}, "US"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DefaultRegionFromEnv(func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("DefaultRegionFromEnv(%v) = %q, want %q", tt.env, got, tt.want)
			}
			if _, ok := RegionByISO(got); !ok {
				t.Errorf("DefaultRegionFromEnv returned %q, which is not in Regions()", got)
			}
		})
	}
	if got := DefaultRegionFromEnv(nil); got != "US" {
		t.Errorf("DefaultRegionFromEnv(nil) = %q, want US", got)
	}
}

func TestLanguageNameForms(t *testing.T) {
	for _, tt := range []struct{ tag, want string }{
		{"de-DE", "Deutsch (Deutschland)"},
		{"de-CH", "Deutsch (Schweiz)"},
		{"de_AT", "Deutsch (Österreich)"},
		{"en-GB", "English (United Kingdom)"},
		{"fr-CA", "Français (Canada)"},
		{"de", "Deutsch"},
		{"sr-Latn-RS", "Srpski (latinica, Srbija)"},
		{"en-US", "English (United States)"},
	} {
		if got := LanguageName(tt.tag); got != tt.want {
			t.Errorf("LanguageName(%q) = %q, want %q", tt.tag, got, tt.want)
		}
	}
}

// TestRegionListIsWindows (issue 8, reference §7.2): the region page offers every country and
// area Windows does (about 250: CLDR's, less codes replaced by others and the exceptionally
// reserved ones), each once, under the names Windows uses today, in every catalog language.
func TestRegionListIsWindows(t *testing.T) {
	rs := Regions()
	if len(rs) < 240 || len(rs) > 260 {
		t.Errorf("%d regions, want about 250", len(rs))
	}
	for _, loc := range Locales() {
		seen := map[string]string{}
		for _, r := range rs {
			name := RegionName(r.ISO2, loc)
			if other, dup := seen[name]; dup {
				t.Errorf("%s: %s and %s are both %q", loc, other, r.ISO2, name)
			}
			seen[name] = r.ISO2
		}
	}
	for _, c := range []struct{ iso, loc, want string }{
		{"TR", "en-US", "Türkiye"}, {"KR", "en-US", "Korea"}, {"MK", "en-US", "North Macedonia"},
		{"BA", "en-US", "Bosnia and Herzegovina"}, {"SZ", "de-DE", "Eswatini"}, {"DE", "de-DE", "Deutschland"},
	} {
		if got := RegionName(c.iso, c.loc); got != c.want {
			t.Errorf("RegionName(%s, %s) = %q, want %q", c.iso, c.loc, got, c.want)
		}
	}
	for _, code := range []string{"DD", "UK", "AC", "EU", "UN", "ZZ"} {
		if _, ok := RegionByISO(code); ok {
			t.Errorf("%s is offered", code)
		}
	}
	if r, ok := RegionByISO("AM"); !ok || r.Locale != "hy-AM" || !r.Derived {
		t.Errorf("Armenia: %+v, %v; want derived, hy-AM", r, ok)
	}
}

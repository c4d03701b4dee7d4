package themes

import (
	"image/color"
	"reflect"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

var wantNames = []string{"win11-dark", "win11-light", "win10", "high-contrast"}

func TestNamesAndBuiltinOrder(t *testing.T) {
	if got := Names(); !reflect.DeepEqual(got, wantNames) {
		t.Fatalf("Names() = %v, want %v", got, wantNames)
	}
	for i, th := range Builtin() {
		if th.Name != wantNames[i] {
			t.Errorf("Builtin()[%d].Name = %q, want %q", i, th.Name, wantNames[i])
		}
		if th.Description == "" || strings.Contains(th.Description, "\n") {
			t.Errorf("%s: description must be one non-empty line, got %q", th.Name, th.Description)
		}
		if th.Windows10 != (th.Name == "win10") {
			t.Errorf("%s: Windows10 = %v", th.Name, th.Windows10)
		}
		if th.Dark != (th.Name != "win11-light") {
			t.Errorf("%s: Dark = %v", th.Name, th.Dark)
		}
	}
	if Default().Name != DefaultName {
		t.Errorf("Default().Name = %q, want %q", Default().Name, DefaultName)
	}
}

func TestLookup(t *testing.T) {
	for _, n := range wantNames {
		th, err := Lookup(n)
		if err != nil {
			t.Errorf("Lookup(%q) error: %v", n, err)
			continue
		}
		if th.Name != n {
			t.Errorf("Lookup(%q).Name = %q", n, th.Name)
		}
	}
	if th, err := Lookup(" WIN10 "); err != nil || th.Name != "win10" {
		t.Errorf("Lookup(\" WIN10 \") = %q, %v; want win10", th.Name, err)
	}
	for _, bad := range []string{"x", "", "win12"} {
		_, err := Lookup(bad)
		if err == nil {
			t.Errorf("Lookup(%q): want error", bad)
			continue
		}
		want := `unknown theme "` + bad + `" (want one of: win11-dark, win11-light, win10, high-contrast)`
		if err.Error() != want {
			t.Errorf("Lookup(%q) error = %q, want %q", bad, err, want)
		}
	}
}

func TestPalettesComplete(t *testing.T) {
	for _, th := range Builtin() {
		cols := th.Palette.Colors()
		if n := reflect.TypeOf(Palette{}).NumField(); len(cols) != n {
			t.Fatalf("Colors() has %d entries, Palette has %d fields", len(cols), n)
		}
		v := reflect.ValueOf(th.Palette)
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).IsNil() {
				t.Errorf("%s: Palette.%s is nil", th.Name, v.Type().Field(i).Name)
			}
		}
	}
	w10, _ := Lookup("win10")
	if !reflect.DeepEqual(w10.Palette.Card, w10.Palette.Background) {
		t.Errorf("win10: card must not differ from background")
	}
}

// glyphStrings returns every string field of g by name, Spinner frames included.
func glyphStrings(g Glyphs) map[string]string {
	out := map[string]string{}
	v := reflect.ValueOf(g)
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		switch f.Type.Kind() {
		case reflect.String:
			out[f.Name] = v.Field(i).String()
		case reflect.Slice:
			for j := 0; j < v.Field(i).Len(); j++ {
				out[f.Name+"["+string(rune('0'+j))+"]"] = v.Field(i).Index(j).String()
			}
		}
	}
	return out
}

func TestASCIIGlyphs(t *testing.T) {
	g := ASCII()
	if g.Name != "ascii" || !g.IsASCII() {
		t.Fatalf("ASCII().Name = %q", g.Name)
	}
	if len(g.Spinner) < 2 {
		t.Errorf("ASCII spinner has %d frames", len(g.Spinner))
	}
	for name, s := range glyphStrings(g) {
		if s == "" {
			t.Errorf("ASCII().%s is empty", name)
		}
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7e {
				t.Errorf("ASCII().%s = %q has non-printable-ASCII byte %#x", name, s, s[i])
			}
		}
	}
}

func TestUnicodeGlyphs(t *testing.T) {
	g := Unicode()
	if g.Name != "unicode" || g.IsASCII() {
		t.Fatalf("Unicode().Name = %q", g.Name)
	}
	for name, s := range glyphStrings(g) {
		if name == "Name" {
			continue
		}
		if w := lipgloss.Width(s); w != 1 {
			t.Errorf("Unicode().%s = %q has width %d, want 1", name, s, w)
		}
	}
}

func TestGlyphPairsSameWidth(t *testing.T) {
	for _, g := range []Glyphs{Unicode(), ASCII()} {
		pairs := [][2]string{
			{g.CheckboxOn, g.CheckboxOff}, {g.RadioOn, g.RadioOff}, {g.Eye, g.EyeOff},
			{g.ChevronDown, g.ChevronUp}, {g.ScrollUp, g.ScrollDown}, {g.BarFull, g.BarEmpty},
			{g.Check, g.Cross},
		}
		for _, p := range pairs {
			if lipgloss.Width(p[0]) != lipgloss.Width(p[1]) {
				t.Errorf("%s: %q and %q differ in width", g.Name, p[0], p[1])
			}
		}
		for i, f := range g.Spinner {
			if lipgloss.Width(f) != lipgloss.Width(g.Spinner[0]) {
				t.Errorf("%s: spinner frame %d %q differs in width", g.Name, i, f)
			}
		}
	}
}

func TestSignal(t *testing.T) {
	for _, g := range []Glyphs{Unicode(), ASCII(), {}, {Name: "ascii"}} {
		prev := ""
		for n := -1; n <= 5; n++ {
			s := g.Signal(n)
			if w := lipgloss.Width(s); w != 4 {
				t.Errorf("%q.Signal(%d) = %q, width %d, want 4", g.Name, n, s, w)
			}
			if strings.Contains(s, "\x1b") {
				t.Errorf("%q.Signal(%d) = %q contains escape codes", g.Name, n, s)
			}
			if n >= 1 && n <= 4 && s == prev {
				t.Errorf("%q.Signal(%d) = Signal(%d) = %q", g.Name, n, n-1, s)
			}
			prev = s
			have, missing := g.SignalParts(n)
			if w := lipgloss.Width(have + missing); w != 4 {
				t.Errorf("%q.SignalParts(%d) = %q+%q, width %d, want 4", g.Name, n, have, missing, w)
			}
		}
	}
	if got := ASCII().Signal(3); got != "|||." {
		t.Errorf("ASCII().Signal(3) = %q, want \"|||.\"", got)
	}
	if got := Unicode().Signal(4); got != "▂▄▆█" {
		t.Errorf("Unicode().Signal(4) = %q", got)
	}
	if ASCII().Signal(-1) != ASCII().Signal(0) || ASCII().Signal(5) != ASCII().Signal(4) {
		t.Errorf("Signal does not clamp")
	}
}

func TestSpinnerFrame(t *testing.T) {
	g := ASCII()
	n := len(g.Spinner)
	if g.SpinnerFrame(n+1) != g.Spinner[1] || g.SpinnerFrame(-1) != g.Spinner[n-1] {
		t.Errorf("SpinnerFrame does not wrap")
	}
	if (Glyphs{}).SpinnerFrame(3) != "" {
		t.Errorf("SpinnerFrame on empty set should be empty")
	}
}

func TestUTF8Locale(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		goos string
		want bool
	}{
		{"LANG utf-8", map[string]string{"LANG": "de_DE.UTF-8"}, "linux", true},
		{"LANG C", map[string]string{"LANG": "C"}, "linux", false},
		{"LANG POSIX", map[string]string{"LANG": "POSIX"}, "linux", false},
		{"LC_ALL C wins", map[string]string{"LC_ALL": "C", "LANG": "en_US.utf8"}, "linux", false},
		{"LC_CTYPE before LANG", map[string]string{"LC_CTYPE": "C.UTF-8", "LANG": "C"}, "darwin", true},
		{"LC_ALL before LC_CTYPE", map[string]string{"LC_ALL": "en_GB.UTF-8", "LC_CTYPE": "C"}, "linux", true},
		{"all empty", map[string]string{}, "linux", false},
		{"windows", map[string]string{}, "windows", true},
		{"windows with C", map[string]string{"LANG": "C"}, "windows", true},
		{"utf8 lower", map[string]string{"LANG": "en_US.utf8"}, "linux", true},
		{"latin1", map[string]string{"LANG": "de_DE.ISO-8859-1"}, "linux", false},
	}
	for _, tt := range tests {
		env := func(k string) string { return tt.env[k] }
		if got := UTF8Locale(env, tt.goos); got != tt.want {
			t.Errorf("%s: UTF8Locale = %v, want %v", tt.name, got, tt.want)
		}
	}
	if UTF8Locale(nil, "linux") {
		t.Errorf("nil env should give false")
	}
	if !UTF8Locale(nil, "windows") {
		t.Errorf("nil env on windows should give true")
	}
	if ForLocale(true).Name != "unicode" || ForLocale(false).Name != "ascii" {
		t.Errorf("ForLocale picks the wrong set")
	}
}

// allStyles returns every style of s by field name.
func allStyles(s Styles) map[string]lipgloss.Style {
	out := map[string]lipgloss.Style{}
	v := reflect.ValueOf(s)
	for i := 0; i < v.NumField(); i++ {
		out[v.Type().Field(i).Name] = v.Field(i).Interface().(lipgloss.Style)
	}
	return out
}

// isNoColor reports whether c is lipgloss's "unset" colour.
func isNoColor(c color.Color) bool {
	_, ok := c.(lipgloss.NoColor)
	return c == nil || ok
}

func hasColorSGR(s string) bool {
	return strings.Contains(s, "38;") || strings.Contains(s, "48;")
}

func TestNoColorProfiles(t *testing.T) {
	for _, th := range Builtin() {
		for _, p := range []colorprofile.Profile{colorprofile.Ascii, colorprofile.NoTTY} {
			for _, g := range []Glyphs{Unicode(), ASCII()} {
				s := th.StylesFor(p, g)
				for name, st := range allStyles(s) {
					out := st.Render("Next")
					if hasColorSGR(out) {
						t.Errorf("%s/%v/%s: %s has colour SGR: %q", th.Name, p, g.Name, name, out)
					}
					if !isNoColor(st.GetForeground()) || !isNoColor(st.GetBackground()) ||
						!isNoColor(st.GetBorderTopForeground()) || !isNoColor(st.GetBorderTopBackground()) {
						t.Errorf("%s/%v/%s: %s sets a colour", th.Name, p, g.Name, name)
					}
					if g.IsASCII() {
						for _, r := range out {
							if r > 0x7e {
								t.Errorf("%s/%v: %s with ASCII glyphs renders non-ASCII %q", th.Name, p, name, out)
								break
							}
						}
					}
				}
				btn, foc := s.Button.Render("Next"), s.ButtonFocused.Render("Next")
				if btn == foc {
					t.Errorf("%s/%v: ButtonFocused renders like Button: %q", th.Name, p, foc)
				}
				if !s.ButtonFocused.GetReverse() || !strings.Contains(foc, "7") {
					t.Errorf("%s/%v: ButtonFocused not reverse: %q", th.Name, p, foc)
				}
				if !s.ItemSelected.GetReverse() || s.Item.Render("x") == s.ItemSelected.Render("x") {
					t.Errorf("%s/%v: ItemSelected indistinguishable from Item", th.Name, p)
				}
				if !s.ButtonPrimary.GetBold() || !s.Title.GetBold() {
					t.Errorf("%s/%v: ButtonPrimary/Title not bold", th.Name, p)
				}
				if !s.Muted.GetFaint() || !s.ItemDisabled.GetFaint() || !s.ButtonDisabled.GetFaint() {
					t.Errorf("%s/%v: Muted/disabled not faint", th.Name, p)
				}
				if !s.Link.GetUnderline() {
					t.Errorf("%s/%v: Link not underlined", th.Name, p)
				}
				if s.Input.Render("x") == s.InputFocused.Render("x") {
					t.Errorf("%s/%v: InputFocused indistinguishable from Input", th.Name, p)
				}
			}
		}
	}
}

func TestTrueColor(t *testing.T) {
	for _, th := range Builtin() {
		for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI} {
			s := th.Styles(p)
			if out := s.ItemSelected.Render("Item"); !hasColorSGR(out) {
				t.Errorf("%s/%v: ItemSelected has no colour: %q", th.Name, p, out)
			}
			if out := s.App.Render("x"); !strings.Contains(out, "48;") {
				t.Errorf("%s/%v: App has no background: %q", th.Name, p, out)
			}
			if s.Button.Render("Next") == s.ButtonFocused.Render("Next") {
				t.Errorf("%s/%v: ButtonFocused renders like Button", th.Name, p)
			}
			if s.Button.Render("Next") == s.ButtonPrimary.Render("Next") {
				t.Errorf("%s/%v: ButtonPrimary renders like Button", th.Name, p)
			}
		}
	}
}

func TestStylesShape(t *testing.T) {
	for _, th := range append(Builtin(), Theme{}, Theme{Windows10: true}) {
		for _, p := range []colorprofile.Profile{colorprofile.Unknown, colorprofile.NoTTY, colorprofile.Ascii,
			colorprofile.ANSI, colorprofile.ANSI256, colorprofile.TrueColor, colorprofile.Profile(200)} {
			s := th.Styles(p)
			for name, st := range allStyles(s) {
				if st.GetWidth() != 0 || st.GetHeight() != 0 {
					t.Errorf("%q/%v: %s sets a fixed size", th.Name, p, name)
				}
				_ = st.Render("some text\nover two lines")
			}
			for _, b := range []lipgloss.Style{s.Button, s.ButtonPrimary, s.ButtonFocused, s.ButtonDisabled, s.Badge} {
				if got := lipgloss.Width(b.Render("Next")); got != 6 {
					t.Errorf("%q/%v: button renders %d cells wide, want 6 (\" Next \")", th.Name, p, got)
				}
			}
			if th.Windows10 {
				if s.Card.GetBorderTopSize() != 0 {
					t.Errorf("%q: Windows 10 card must have no border", th.Name)
				}
			} else if s.Card.GetBorderTopSize() != 1 {
				t.Errorf("%q: Windows 11 card must have a border", th.Name)
			}
			if top, right, bottom, left := s.Card.GetPadding(); top != 1 || bottom != 1 || left != 2 || right != 2 {
				t.Errorf("%q: card padding = %d %d %d %d, want 1 2 1 2", th.Name, top, right, bottom, left)
			}
		}
	}
}

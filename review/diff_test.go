package review

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/tenant"
)

// TestDiffOfTheLicensePageAndTheEscapeLink (issue 11's acceptance): the samples' Entra profile
// against the same profile with the license page and the escape link shown differs in
// exactly those two screen changes.
func TestDiffOfTheLicensePageAndTheEscapeLink(t *testing.T) {
	a, err := loadDir("../examples/tenants/fabrikam-entra")()
	if err != nil {
		t.Fatal(err)
	}
	b, err := loadDir("../examples/tenants/fabrikam-entra-eula-escape")()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range Diff(a, b, flow.Windows11) {
		got = append(got, c.String())
	}
	want := []string{
		"screens: + eula added (the profile shows the license terms)",
		`signin: escape link (Sign in with another account / Start over): "hidden" → "shown" (hideEscapeLink)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if back := Diff(b, a, flow.Windows11); len(back) != 2 || back[0].What != "- eula removed" || back[0].Why != "EULA hidden by the profile (hideEULA)" {
		t.Errorf("B against A: %v", back)
	}
	if same := Diff(a, a, flow.Windows11); len(same) != 0 {
		t.Errorf("a tenant differs from itself: %v", same)
	}
}

// TestDiffNamesTextsButtonsTimeoutAndName: another tenant changes the branding, the ESP's
// message and buttons, the device name.
func TestDiffNamesTextsButtonsTimeoutAndName(t *testing.T) {
	a, _ := loadDir("../examples/tenants/fabrikam-entra")()
	b, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	b.Profile.ESP.TimeoutMinutes = 90
	var all strings.Builder
	for _, c := range Diff(a, b, flow.Windows11) {
		all.WriteString(c.String() + "\n")
	}
	for _, want := range []string{
		"screens: + privacy added", "sign-in page text (en-US)", "username hint (en-US)",
		`esp-device: error message: "Setup couldn't finish. Call the Fabrikam Lab desk`,
		`esp-device: timeout per phase: "60 min" → "90 min"`,
		`button Continue anyway on failure: "hidden" → "shown"`,
		`desktop: device name: "FAB-5CG4281QZT" → "LSA-8CG3471KQD"`,
	} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("no change %q in:\n%s", want, all.String())
		}
	}
}

// TestDiffPicturesSideBySide: with pictures, the license page is shown for B only and the
// sign-in page, whose escape link changed, side by side.
func TestDiffPicturesSideBySide(t *testing.T) {
	out := t.TempDir()
	la, lb := loadDir("../examples/tenants/fabrikam-entra"), loadDir("../examples/tenants/fabrikam-entra-eula-escape")
	a, _ := la()
	b, _ := lb()
	if err := DiffPictures(out, "A", "B", la, lb, look120, Diff(a, b, flow.Windows11)); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, want := range []string{"eula page <span class=\"muted\">(only with B)", "signin page <span class=\"muted\">(changed)", "not shown with A", "hideEscapeLink"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	checkSelfContained(t, html)
}

package check

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

const samplesDir = "../../samples"

func folder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func ids(ss []Screen) []flow.StepID {
	var out []flow.StepID
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

const (
	entra       = `"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile"`
	hybrid      = `"@odata.type": "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile"`
	oneLanguage = `{"$schema": "oobe-scenario/1", "device": {"serial": "ABC123"}, "displayLanguages": ["en-US"],
		"wifi": [{"ssid": "W", "signal": 3, "security": "open", "internet": true}],
		"users": [{"upn": "a@x.com", "password": "p", "mfa": "code"}]}`
)

func TestSamples(t *testing.T) {
	if _, err := os.Stat(samplesDir); err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
	r := Path(samplesDir, Options{})
	if !r.Valid || r.Errors != 0 || r.Tenant == nil || len(r.Profiles) != 3 {
		t.Fatalf("result = %+v", r)
	}
	p := r.Profiles[0]
	if !p.Applies || p.Name != "Fabrikam Lab - User-driven Entra join" || p.ComputerName != "FAB-5CG4281QZT" || p.OOBEConfig != 1310 {
		t.Errorf("first profile = %+v", p)
	}
	for _, q := range r.Profiles[1:] {
		if q.Applies {
			t.Errorf("%s applies too", q.File)
		}
	}
	if l := r.Tenant.Branding.Localizations; len(l) != 2 || l[1].Locale != "fr-FR" || l[1].Fields["signInText"] != "blank, default" ||
		l[1].Fields["backgroundColor"] != "overridden" || l[0].Fields["backgroundColor"] != "default" {
		t.Errorf("localizations = %+v", l)
	}
	if d := r.Tenant.DomainJoin; d == nil || d.NameLength != 15 {
		t.Errorf("domain join = %+v", d)
	}
	if !r.Tenant.Device.Registered || r.Tenant.Device.AssignedUser != "alex.wilber@fabrikamlab.com" {
		t.Errorf("device = %+v", r.Tenant.Device)
	}
}

// TestScreensAndNotes: the screen lists and the notes on what they do not model.
func TestScreensAndNotes(t *testing.T) {
	esp := `{"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration", "priority": 1,
		"showInstallationProgress": true, "installQualityUpdates": false}`
	tests := []struct {
		name     string
		profile  string
		wifi     []flow.StepID
		ethernet []flow.StepID
		notes    []string // substrings of notes
		noNotes  []string
		computer string
	}{
		{"locale and keyboard skipped",
			`{` + entra + `, "locale": "de-DE", "outOfBoxExperienceSetting": {"keyboardSelectionPageSkipped": true, "eulaHidden": true, "privacySettingsHidden": true}, "deviceNameTemplate": "LAB-%RAND:4%"}`,
			[]flow.StepID{"region", "keyboard", "keyboard2", "network", "updates", "signin", "esp-device", "fsia", "esp-account", "whfb", "desktop"},
			[]flow.StepID{"updates", "signin", "esp-device", "fsia", "esp-account", "whfb", "desktop"},
			[]string{"region and keyboard pages are skipped", "[mfa]", "a@x.com: code"}, []string{"language: shown", "hybrid"}, "LAB-"},
		{"no language: pages stay on Ethernet",
			`{` + entra + `, "outOfBoxExperienceSetting": {"keyboardSelectionPageSkipped": true}}`,
			[]flow.StepID{"region", "keyboard", "keyboard2", "network", "updates", "eula", "signin", "esp-device", "privacy", "fsia", "esp-account", "whfb", "desktop"},
			[]flow.StepID{"region", "keyboard", "keyboard2", "updates", "eula", "signin", "esp-device", "privacy", "fsia", "esp-account", "whfb", "desktop"},
			[]string{"keyboard skipping needs a language"}, nil, ""},
		{"language without keyboard skipping",
			`{` + entra + `, "locale": "fr-FR"}`,
			nil, []flow.StepID{"region", "keyboard", "keyboard2", "updates", "eula", "signin", "esp-device", "privacy", "fsia", "esp-account", "whfb", "desktop"},
			[]string{"the language fr-FR is set but the keyboard is not configured automatically"}, nil, ""},
		{"hybrid",
			`{` + hybrid + `, "hybridAzureADJoinSkipConnectivityCheck": false}`,
			nil, []flow.StepID{"region", "keyboard", "keyboard2", "updates", "eula", "signin", "esp-device", "privacy", "windows-signin", "fsia", "esp-account", "windows-signin", "desktop"},
			[]string{"restarts after Device preparation", "Ctrl+Alt+Del", "must reach a domain controller", "80070774", "hybrid-joined device normally skips Windows Hello", "windows-signin",
				"Stay signed in to all your apps", "the Windows sign-in once more", "times out after 100 minutes"}, []string{"does not show the second Entra prompt"}, ""},
		{"self-deploying",
			`{` + entra + `, "outOfBoxExperienceSetting": {"deviceUsageType": "shared"}}`,
			nil, nil, []string{"self-deploying mode has no user"}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := folder(t, map[string]string{"p.json": tc.profile, "e.json": esp, "s.json": oneLanguage})
			r := Path(dir, Options{})
			if !r.Valid || len(r.Profiles) != 1 {
				t.Fatalf("result %+v", r)
			}
			p := r.Profiles[0]
			if tc.wifi != nil && !slices.Equal(ids(p.WiFi), tc.wifi) {
				t.Errorf("Wi-Fi %v, want %v", ids(p.WiFi), tc.wifi)
			}
			if tc.ethernet != nil && !slices.Equal(ids(p.Ethernet), tc.ethernet) {
				t.Errorf("Ethernet %v, want %v", ids(p.Ethernet), tc.ethernet)
			}
			all := strings.Join(p.Notes, "\n")
			for _, n := range tc.notes {
				if !strings.Contains(all, n) {
					t.Errorf("notes lack %q:\n%s", n, all)
				}
			}
			for _, n := range tc.noNotes {
				if strings.Contains(all, n) {
					t.Errorf("notes have %q:\n%s", n, all)
				}
			}
			if !strings.HasPrefix(p.ComputerName, tc.computer) {
				t.Errorf("computer name %q, want %s…", p.ComputerName, tc.computer)
			}
		})
	}
}

func TestSignInDetail(t *testing.T) {
	identity := `{"@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity", "serialNumber": "ABC123",
		"userPrincipalName": "a@x.com", "addressableUserName": "Ann"}`
	org := `{"@odata.context": "x#organization", "displayName": "X", "verifiedDomains": [{"name": "x.com", "isDefault": true}]}`
	branding := `{"@odata.context": "x#branding", "id": "0", "usernameHintText": "someone@x.com"}`
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"assigned user", map[string]string{"p.json": `{` + entra + `, "outOfBoxExperienceSetting": {"escapeLinkHidden": true}}`, "i.json": identity, "o.json": org},
			`password only, UPN a@x.com pre-filled, greeting "Ann", no escape link`},
		{"hint", map[string]string{"p.json": `{` + entra + `}`, "b.json": branding, "o.json": org}, `username hint "someone@x.com"`},
		{"hybrid", map[string]string{"p.json": `{` + hybrid + `}`, "b.json": branding}, `Entra credentials, username hint "someone@x.com"`},
	}
	for _, tc := range tests {
		r := Path(folder(t, tc.files), Options{})
		if len(r.Profiles) == 0 {
			t.Fatalf("%s: %+v", tc.name, r)
		}
		var got string
		for _, s := range r.Profiles[0].WiFi {
			if s.ID == flow.StepSignIn {
				got = s.Detail
			}
		}
		if got != tc.want {
			t.Errorf("%s: sign-in detail %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestInvalidAndEmpty(t *testing.T) {
	dir := folder(t, map[string]string{"p.json": `{` + entra + `, "locale": 5}`})
	r := Path(dir, Options{})
	if r.Valid || r.Errors != 1 || r.Tenant != nil || len(r.Profiles) != 0 || len(r.Files) != 1 {
		t.Errorf("invalid folder: %+v", r)
	}
	r = Path(filepath.Join(dir, "missing"), Options{})
	if r.Valid || r.Problem == "" {
		t.Errorf("missing path: %+v", r)
	}
	if Valid(nil) || Valid([]Result{{Valid: true}, {}}) || !Valid([]Result{{Valid: true}}) {
		t.Error("Valid")
	}
	// Only an organization: the profile defaults apply.
	r = Path(folder(t, map[string]string{"o.json": `{"verifiedDomains": [], "displayName": "O"}`}), Options{})
	if !r.Valid || len(r.Profiles) != 1 || r.Profiles[0].Kind != "defaults" || !r.Profiles[0].Applies {
		t.Errorf("defaults profile: %+v", r.Profiles)
	}
}

func TestWriters(t *testing.T) {
	dir := folder(t, map[string]string{"p.json": `{` + entra + `, "displayName": "P"}`, "s.json": oneLanguage})
	bad := folder(t, map[string]string{"p.json": `{`})
	rs := Paths([]string{dir, bad}, Options{})
	var js bytes.Buffer
	if err := WriteJSON(&js, rs); err != nil {
		t.Fatal(err)
	}
	var out Output
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Valid || len(out.Results) != 2 || !out.Results[0].Valid || out.Results[1].Valid || out.Results[0].Profiles[0].Name != "P" {
		t.Errorf("JSON = %+v", out)
	}
	var txt bytes.Buffer
	if err := WriteText(&txt, rs); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"== " + dir + ": valid", "== " + bad + ": NOT VALID (1 error", `Profile "P" — p.json — APPLIES`,
		"p.json:1:2: unexpected end of JSON input", "scenario         s.json; display languages en-US"} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, txt.String())
		}
	}
	if (Screen{ID: "signin", Detail: "x"}).String() != "signin (x)" || (Screen{ID: "fsia"}).String() != "fsia" {
		t.Error("Screen.String")
	}
}

package tenant

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// samplesDir holds the sample Graph exports (samples/ at the repository root).
const samplesDir = "../../samples"

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m["t/"+name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

func mustLoad(t *testing.T, files map[string]string) *sim.World {
	t.Helper()
	tn, _ := mustLoadOpts(t, files, Options{})
	return tn
}

// mustLoadOpts loads files (names relative to the folder) with opts and fails on error.
func mustLoadOpts(t *testing.T, files map[string]string, opts Options) (*sim.World, *Report) {
	t.Helper()
	tn, rep, err := LoadFS(mapFS(files), "t", opts)
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	return tn, rep
}

// hasFinding reports whether rep holds a finding of severity sev whose line contains every part.
func hasFinding(rep *Report, sev Severity, parts ...string) bool {
	for _, f := range rep.All() {
		if f.Severity != sev {
			continue
		}
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(f.String(), p)
		}
		if ok {
			return true
		}
	}
	return false
}

func findingLines(rep *Report) []string {
	var out []string
	for _, f := range rep.All() {
		out = append(out, f.Severity.String()+": "+f.String())
	}
	return out
}

func hasWarning(tn *sim.World, parts ...string) bool {
	for _, w := range tn.Warnings {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(w, p)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestLoadSamples(t *testing.T) {
	if _, err := os.Stat(samplesDir); err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
	tn, rep, err := LoadFS(os.DirFS(samplesDir), ".", Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !hasFinding(rep, SeverityInfo, "deployment-profile-entra.json", "oldest", "deployment-profile-hybrid-skipcheck.json") {
		t.Errorf("no finding naming the ignored hybrid profile: %q", findingLines(rep))
	}
	if !hasFinding(rep, SeverityInfo, "AutopilotConfigurationFile.json", "matches the Graph profile deployment-profile-entra.json") {
		t.Errorf("no finding comparing AutopilotConfigurationFile.json with its profile: %q", findingLines(rep))
	}
	p := tn.Profile
	checks := []struct {
		name      string
		got, want any
	}{
		{"profile id", p.ID, "afabda9a-ccc0-478f-834d-581095733920"},
		{"join", p.Join, flow.JoinEntra},
		{"mode", p.Mode, flow.ModeUserDriven},
		{"locale mode", p.LocaleMode, flow.LocaleFixed},
		{"locale", p.Locale, "en-GB"},
		{"user type", p.UserType, flow.UserStandard},
		{"EULA hidden", p.EULAHidden, true},
		{"privacy hidden", p.PrivacyHidden, true},
		{"keyboard skipped", p.KeyboardSkipped, true},
		{"escape link hidden", p.EscapeLinkHidden, true},
		{"preprovisioning", p.PreprovisioningAllowed, false},
		{"name template", p.DeviceNameTemplate, "FAB-%SERIAL%"},
		{"ESP shown", p.ESP.Show, true},
		{"ESP blocking", p.ESP.BlockDeviceUse, true},
		{"ESP timeout", p.ESP.TimeoutMinutes, 60},
		{"ESP Try again needs blocking; Reset device", p.ESP.AllowReset, true},
		{"ESP Collect logs", p.ESP.AllowLogCollection, true},
		{"ESP Continue anyway", p.ESP.AllowContinue, false},
		{"ESP blocking apps", len(p.ESP.BlockingAppIDs), 3},
		{"ESP quality updates", p.ESP.InstallQualityUpdates, true},
		{"ESP only OOBE", p.ESP.OnlyAutopilot, true},
		{"ESP only first user", p.ESP.OnlyFirstUser, true},
		{"ESP custom message", strings.HasPrefix(p.ESP.CustomErrorMessage, "Setup couldn't finish."), true},
		{"org id", tn.Organization.ID, "830ee90b-c3fc-4221-aff3-23dade68d311"},
		{"org name", tn.Organization.DisplayName, "Fabrikam Training Lab"},
		{"default domain", tn.Organization.DefaultDomain, "fabrikamlab.com"},
		{"initial domain", tn.Organization.InitialDomain, "fabrikamlab.onmicrosoft.com"},
		{"background", tn.Branding.BackgroundColor, "#0F3D6E"},
		{"hint", tn.Branding.UsernameHint, "firstname.lastname@fabrikamlab.com"},
		{"sign-in text length", len([]rune(tn.Branding.SignInPageText)), 108},
		{"square logo", tn.Branding.SquareLogoURL, "https://aadcdn.msftauthimages.net/830ee90b-gqz-4n1x8kfw2tq7vyr0m5ha3uxcjbde6p9slo4iw/logintenantbranding/0/tilelogo?ts=638420113254421117"},
		{"serial", tn.DeviceIdentity.Serial, "5CG4281QZT"},
		{"assigned UPN", tn.DeviceIdentity.UPN, "alex.wilber@fabrikamlab.com"},
		{"greeting", tn.DeviceIdentity.FriendlyName, "Alex"},
		{"scenario serial from the identity", tn.Scenario.Device.Serial, "5CG4281QZT"},
		{"domain", tn.DomainJoin.Domain, "corp.fabrikamlab.com"},
		{"prefix", tn.DomainJoin.Prefix, "FABHY-"},
		{"random chars", tn.DomainJoin.RandomChars, 9},
		{"OU", tn.DomainJoin.OU, "OU=Autopilot,OU=Workstations,DC=corp,DC=fabrikamlab,DC=com"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	de := tn.Branding.For("de-DE")
	if de.UsernameHint != "vorname.nachname@fabrikamlab.com" || !strings.HasPrefix(de.SignInPageText, "Geräte des Fabrikam") {
		t.Errorf("de-DE text/hint not overridden: %+v", de)
	}
	if de.BackgroundColor != "#0F3D6E" || de.SquareLogoURL != tn.Branding.SquareLogoURL {
		t.Errorf("de-DE must inherit colour and logo: %+v", de)
	}
	fr := tn.Branding.For("fr-FR")
	if fr.BackgroundColor != "#1B4F8A" {
		t.Errorf("fr-FR colour = %q, want #1B4F8A", fr.BackgroundColor)
	}
	if fr.SignInPageText != tn.Branding.SignInPageText || fr.UsernameHint != tn.Branding.UsernameHint {
		t.Errorf("fr-FR \" \" text/hint must fall back to the default: %+v", fr)
	}

	if len(tn.Warnings) > 0 {
		t.Errorf("the samples give warnings: %q", tn.Warnings)
	}
	for _, f := range []string{"deployment-profile-entra.json", "esp-configuration.json", "organization.json",
		"organizational-branding.json", "organizational-branding-localizations.json", "autopilot-device-identity.json"} {
		if !slices.Contains(tn.Sources, f) {
			t.Errorf("Sources %q lacks %s", tn.Sources, f)
		}
	}

	// The same device on Wi-Fi sees region/keyboard/keyboard2/network; wired with the profile
	// prefetched, they are skipped (samples README). After sign-in: esp-device, fsia,
	// esp-account, quality-updates, whfb, desktop (no privacy page).
	after := []flow.StepID{flow.StepESPDevice, flow.StepFSIA, flow.StepESPAccount, flow.StepQualityUpdates, flow.StepHello, flow.StepDesktop}
	wifi := flow.Plan(p, flow.Boot{Languages: []string{"en-US"}})
	want := append([]flow.StepID{flow.StepRegion, flow.StepKeyboard, flow.StepKeyboard2, flow.StepNetwork, flow.StepUpdates, flow.StepSignIn}, after...)
	if !slices.Equal(wifi, want) {
		t.Errorf("Wi-Fi plan = %v, want %v", wifi, want)
	}
	wired := flow.Plan(p, flow.Boot{Languages: []string{"en-US"}, Wired: true, ProfileKnown: true})
	if want := append([]flow.StepID{flow.StepUpdates, flow.StepSignIn}, after...); !slices.Equal(wired, want) {
		t.Errorf("wired plan = %v, want %v", wired, want)
	}
}

func TestLoadSamplesHybridAlone(t *testing.T) {
	if _, err := os.Stat(samplesDir); err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
	files := map[string]string{}
	for _, f := range []string{"deployment-profile-hybrid-skipcheck.json", "domain-join-configuration.json"} {
		b, err := os.ReadFile(samplesDir + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		files[f] = string(b)
	}
	tn := mustLoad(t, files)
	p := tn.Profile
	if p.Join != flow.JoinHybrid || !p.SkipDCCheck || p.UserType != flow.UserAdministrator || !p.EULAHidden ||
		p.PrivacyHidden || p.KeyboardSkipped || p.LocaleMode != flow.LocaleOSDefault || p.DeviceNameTemplate != "" {
		t.Errorf("hybrid profile = %+v", p)
	}
	if tn.DomainJoin == nil || tn.DomainJoin.Domain != "corp.fabrikamlab.com" {
		t.Errorf("domain join = %+v", tn.DomainJoin)
	}
}

func TestLoadEmbedded(t *testing.T) {
	tn, err := LoadEmbedded()
	if err != nil {
		t.Fatalf("LoadEmbedded: %v", err)
	}
	if len(tn.Warnings) > 0 {
		t.Errorf("embedded tenant has warnings: %q", tn.Warnings)
	}
	p := tn.Profile
	if p.Join != flow.JoinEntra || p.Mode != flow.ModeUserDriven || p.LocaleMode != flow.LocaleUserSelect ||
		p.KeyboardSkipped || p.EULAHidden || p.PrivacyHidden || p.EscapeLinkHidden || p.UserType != flow.UserStandard {
		t.Errorf("profile does not show the whole first part of OOBE: %+v", p)
	}
	if p.DeviceNameTemplate != "LSA-%SERIAL%" {
		t.Errorf("name template = %q", p.DeviceNameTemplate)
	}
	name := strings.ReplaceAll(p.DeviceNameTemplate, "%SERIAL%", tn.Scenario.Device.Serial)
	if len(name) > 15 {
		t.Errorf("computer name %q longer than 15", name)
	}
	if !p.ESP.Show || !p.ESP.BlockDeviceUse || p.Hello.State != "enabled" {
		t.Errorf("ESP/Hello = %+v / %+v", p.ESP, p.Hello)
	}
	o := tn.Organization
	if o.DisplayName != "Larkspur Aviation" || o.DefaultDomain != "larkspuraero.com" || o.InitialDomain != "larkspuraero.onmicrosoft.com" {
		t.Errorf("organization = %+v", o)
	}
	if de := tn.Branding.For("de-DE"); de.UsernameHint == tn.Branding.UsernameHint || de.BackgroundColor != tn.Branding.BackgroundColor {
		t.Errorf("de-DE branding = %+v", de)
	}
	s := tn.Scenario
	if !slices.Equal(s.DisplayLanguages, []string{"en-US", "de-DE"}) || s.Ethernet.Present {
		t.Errorf("scenario languages/ethernet = %v %+v", s.DisplayLanguages, s.Ethernet)
	}
	if n := len(s.WiFi); n < 6 || n > 8 {
		t.Errorf("%d Wi-Fi networks, want 6–8", n)
	}
	if u, ok := s.User("Megan.Rivera@larkspuraero.com"); !ok || u.Password != "Contrail#2026" || u.MFA != flow.MFAPush {
		t.Errorf("demo user = %+v, %v", u, ok)
	}
	if n, ok := s.Network("LSA-Lab"); !ok || !n.Hidden || n.Key != "Flaps-Down-15" {
		t.Errorf("hidden network = %+v, %v", n, ok)
	}
	for _, u := range s.Users {
		if !o.OwnsUPN(u.UPN) {
			t.Errorf("user %s outside the tenant's domains", u.UPN)
		}
	}
	if err := s.Validate(); err != nil {
		t.Errorf("scenario invalid: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	good := `{"$schema": "oobe-scenario/1"}`
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each must be one whole line of the error
	}{
		{"trailing comma", map[string]string{"p.json": `{"a": 1,}`},
			[]string{"p.json:1:9: invalid character '}' looking for beginning of object key string"}},
		{"multi-line CRLF", map[string]string{"p.json": "{\r\n  \"eulaHidden\": true,\r\n}\r\n"},
			[]string{"p.json:3:1: invalid character '}' looking for beginning of object key string"}},
		{"column counts runes", map[string]string{"p.json": "{\"é\": x}"},
			[]string{"p.json:1:7: invalid character 'x' looking for beginning of value"}},
		{"truncated", map[string]string{"p.json": "{\n\"a\": [1,"},
			[]string{"p.json:2:9: unexpected end of JSON input"}},
		{"empty", map[string]string{"p.json": "  \n"},
			[]string{"p.json: empty file, want a JSON object"}},
		{"trailing data", map[string]string{"p.json": "{}\n{}"},
			[]string{"p.json:2:1: unexpected data after the top-level value"}},
		{"wrong type in profile", map[string]string{"deployment-profile.json": `{
			"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
			"outOfBoxExperienceSetting": {"eulaHidden": "yes"}}`},
			[]string{"deployment-profile.json: $.outOfBoxExperienceSetting.eulaHidden: want boolean, got string"}},
		{"wrong types in a collection", map[string]string{"loc.json": `{
			"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization('x')/branding/localizations",
			"value": [{"id": "0"}, {"id": "de-DE", "signInPageText": 5, "cdnList": "a"}]}`},
			[]string{
				"loc.json: $.value[1].signInPageText: want string, got number",
				"loc.json: $.value[1].cdnList: want array, got string",
			}},
		{"odata key path", map[string]string{"o.json": `{"@odata.context": "x#organization", "verifiedDomains": [{"name": "a", "isDefault": 1}]}`},
			[]string{"o.json: $.verifiedDomains[0].isDefault: want boolean, got number"}},
		{"integer wanted", map[string]string{"esp.json": `{"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration", "installProgressTimeoutInMinutes": 1.5}`},
			[]string{"esp.json: $.installProgressTimeoutInMinutes: want integer, got number 1.5"}},
		{"scenario type", map[string]string{"s.json": `{"$schema": "oobe-scenario/1", "wifi": [{"ssid": "a", "signal": "four"}]}`},
			[]string{`s.json: $.wifi[0].signal: want integer, got string "four"`}},
		{"number as a string", map[string]string{"s.json": `{"$schema": "oobe-scenario/1", "wifi": [{"ssid": "a", "signal": "4"}]}`},
			[]string{`s.json: $.wifi[0].signal: want integer, got string "4" (numbers given as strings are accepted only in lenient mode)`}},
		{"scenario values", map[string]string{"s.json": `{"$schema": "oobe-scenario/1",
			"wifi": [{"ssid": "a", "signal": 7, "security": "open"}],
			"users": [{"upn": "x", "password": "p", "mfa": "sms"}]}`},
			[]string{
				"s.json: $.wifi[0].signal: want 1 to 4, got 7",
				`s.json: $.users[0].upn: want name@domain, got "x"`,
				`s.json: $.users[0].mfa: want none, push or code, got "sms"`,
			}},
		{"scenario version", map[string]string{"s.json": `{"$schema": "oobe-scenario/2"}`},
			[]string{`s.json: $.$schema: unsupported scenario version "oobe-scenario/2", want "oobe-scenario/1"`}},
		{"one broken file among good ones", map[string]string{"a.json": good, "b.json": `{`},
			[]string{"b.json:1:2: unexpected end of JSON input"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tn, err := Load(mapFS(tc.files), "t")
			if err == nil {
				t.Fatalf("no error; tenant %+v", tn)
			}
			if tn != nil {
				t.Errorf("a partial tenant was returned with the error")
			}
			lines := strings.Split(err.Error(), "\n")
			for _, w := range tc.want {
				if !slices.Contains(lines, w) {
					t.Errorf("error lines %q\nlack %q", lines, w)
				}
			}
			if len(lines) != len(tc.want) {
				t.Errorf("got %d error lines, want %d: %q", len(lines), len(tc.want), lines)
			}
		})
	}
}

func TestLoadFolderErrors(t *testing.T) {
	if _, err := Load(fstest.MapFS{"t/readme.md": {Data: []byte("x")}}, "t"); err == nil || !strings.Contains(err.Error(), "no .json files") {
		t.Errorf("folder without JSON: err = %v", err)
	}
	if _, err := Load(fstest.MapFS{}, "missing"); err == nil {
		t.Error("missing folder: no error")
	}
	if _, err := Load(nil, "."); err == nil {
		t.Error("nil fs: no error")
	}
}

func TestClassifyByContent(t *testing.T) {
	tests := []struct {
		name string
		obj  string
		hint string
		want Kind
	}{
		{"scenario marker", `{"$schema": "oobe-scenario/1"}`, "", KindScenario},
		{"entra profile type", `{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile"}`, "", KindProfile},
		{"hybrid profile type", `{"@odata.type": "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile"}`, "", KindProfile},
		{"profile by keys", `{"outOfBoxExperienceSettings": {}}`, "", KindProfile},
		{"profile by context", `{"@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/windowsAutopilotDeploymentProfiles/$entity"}`, "", KindProfile},
		{"ESP type", `{"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration"}`, "", KindESP},
		{"ESP by keys", `{"showInstallationProgress": true}`, "", KindESP},
		{"Hello type", `{"@odata.type": "#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration"}`, "", KindHello},
		{"Hello by keys", `{"pinMinimumLength": 6}`, "", KindHello},
		{"enrollment limit", `{"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration"}`, "", KindOtherEnrollment},
		{"platform restriction", `{"@odata.type": "#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration"}`, "", KindOtherEnrollment},
		{"identity type", `{"@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity"}`, "", KindIdentity},
		{"identity by keys", `{"serialNumber": "X", "userPrincipalName": ""}`, "", KindIdentity},
		{"domain join type", `{"@odata.type": "#microsoft.graph.windowsDomainJoinConfiguration"}`, "", KindDomainJoin},
		{"domain join by keys", `{"computerNameStaticPrefix": "A-"}`, "", KindDomainJoin},
		{"organization by context", `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization(id,displayName)/$entity"}`, "", KindOrganization},
		{"organization by keys", `{"verifiedDomains": []}`, "", KindOrganization},
		{"branding by context", `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#branding", "id": "0"}`, "", KindBranding},
		{"localization in a collection", `{"id": "de-DE"}`, "https://graph.microsoft.com/v1.0/$metadata#organization('x')/branding/localizations", KindBrandingLocalization},
		{"default entry in a collection", `{"id": "0"}`, "https://graph.microsoft.com/v1.0/$metadata#organization('x')/branding/localizations", KindBranding},
		{"branding by keys", `{"usernameHintText": "x"}`, "", KindBranding},
		{"localization by keys", `{"id": "fr-FR", "signInPageText": "x"}`, "", KindBrandingLocalization},
		{"configuration file", `{"CloudAssignedTenantId": "x", "CloudAssignedOobeConfig": 1310}`, "", KindConfigFile},
		{"other device configuration", `{"@odata.type": "#microsoft.graph.windows10GeneralConfiguration"}`, "", KindUnknown},
		{"nothing known", `{"hello": "world"}`, "", KindUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := parseJSON("x.json", []byte(tc.obj))
			if err != nil {
				t.Fatal(err)
			}
			if got := classify(v.(map[string]any), strings.ToLower(tc.hint)); got != tc.want {
				t.Errorf("classify = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLoadIgnoresFileNames(t *testing.T) {
	tn := mustLoad(t, map[string]string{
		"zz-1.json": `{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "displayName": "P", "locale": "fr-CA"}`,
		"aa-2.JSON": `{"verifiedDomains": [{"name": "x.onmicrosoft.com", "isInitial": true}], "displayName": "X"}`,
		"notes.txt": `not json`,
		"junk.json": `{"something": "else"}`,
		"list.json": `[1, 2]`,
	})
	if tn.Profile.Name != "P" || tn.Profile.LocaleMode != flow.LocaleFixed || tn.Profile.Locale != "fr-CA" {
		t.Errorf("profile = %+v", tn.Profile)
	}
	if tn.Organization.DisplayName != "X" || tn.Organization.DefaultDomain != "x.onmicrosoft.com" {
		t.Errorf("organization = %+v", tn.Organization)
	}
	if !hasWarning(tn, "junk.json", "not recognised") || !hasWarning(tn, "list.json", "array") {
		t.Errorf("warnings = %q", tn.Warnings)
	}
	if !slices.Equal(tn.Sources, []string{"aa-2.JSON", "zz-1.json"}) {
		t.Errorf("sources = %q", tn.Sources)
	}
	if !slices.Equal(tn.Scenario.WiFi, embeddedScenario().WiFi) {
		t.Errorf("missing scenario not taken from the embedded one: %+v", tn.Scenario.WiFi)
	}
	// The embedded demo users move to the tenant's domain.
	for _, u := range tn.Scenario.Users {
		if !strings.HasSuffix(u.UPN, "@x.onmicrosoft.com") {
			t.Errorf("demo user %s not moved to the tenant's domain", u.UPN)
		}
	}
}

func TestLocale(t *testing.T) {
	const typ = `"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile"`
	tests := []struct {
		name     string
		fields   string
		mode     flow.LocaleMode
		tag      string
		warnWith string
	}{
		{"missing", ``, flow.LocaleOSDefault, "", ""},
		{"os-default", `"locale": "os-default"`, flow.LocaleOSDefault, "", ""},
		{"empty", `"locale": ""`, flow.LocaleUserSelect, "", ""},
		{"null", `"locale": null`, flow.LocaleUserSelect, "", ""},
		{"user-select", `"locale": "user-select"`, flow.LocaleUserSelect, "", ""},
		{"fixed", `"locale": "de-DE"`, flow.LocaleFixed, "de-DE", ""},
		{"script subtag", `"locale": "sr-Latn-RS"`, flow.LocaleFixed, "sr-Latn-RS", ""},
		{"legacy only", `"language": "ja-JP"`, flow.LocaleFixed, "ja-JP", ""},
		{"both agree", `"locale": "en-GB", "language": "en-GB"`, flow.LocaleFixed, "en-GB", ""},
		{"empty and null agree", `"locale": "", "language": null`, flow.LocaleUserSelect, "", ""},
		{"both disagree", `"locale": "en-GB", "language": "en-US"`, flow.LocaleFixed, "en-GB", "legacy language"},
		{"not a tag", `"locale": "English (UK)"`, flow.LocaleOSDefault, "", "not a language tag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := typ
			if tc.fields != "" {
				body += ", " + tc.fields
			}
			tn := mustLoad(t, map[string]string{"p.json": "{" + body + "}"})
			if tn.Profile.LocaleMode != tc.mode || tn.Profile.Locale != tc.tag {
				t.Errorf("locale = %s %q, want %s %q", tn.Profile.LocaleMode, tn.Profile.Locale, tc.mode, tc.tag)
			}
			if got := hasWarning(tn, "p.json", "locale"); tc.warnWith != "" && !hasWarning(tn, "p.json", tc.warnWith) {
				t.Errorf("no warning with %q: %q", tc.warnWith, tn.Warnings)
			} else if tc.warnWith == "" && got {
				t.Errorf("unexpected locale warning: %q", tn.Warnings)
			}
		})
	}
}

func TestOOBESettingsNewAndLegacy(t *testing.T) {
	const typ = `"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile"`
	tests := []struct {
		name    string
		fields  string
		want    flow.Profile
		warning string
	}{
		{"defaults", ``, flow.Profile{UserType: flow.UserAdministrator, Mode: flow.ModeUserDriven}, "no outOfBoxExperienceSetting"},
		{"legacy only", `"outOfBoxExperienceSettings": {"hidePrivacySettings": true, "hideEULA": true, "userType": "standard",
			"deviceUsageType": "singleUser", "skipKeyboardSelectionPage": true, "hideEscapeLink": true}, "enableWhiteGlove": true`,
			flow.Profile{PrivacyHidden: true, EULAHidden: true, UserType: flow.UserStandard, Mode: flow.ModeUserDriven,
				KeyboardSkipped: true, EscapeLinkHidden: true, PreprovisioningAllowed: true}, ""},
		{"new only", `"outOfBoxExperienceSetting": {"privacySettingsHidden": true, "eulaHidden": false, "userType": "standard",
			"keyboardSelectionPageSkipped": true}, "preprovisioningAllowed": true`,
			flow.Profile{PrivacyHidden: true, UserType: flow.UserStandard, Mode: flow.ModeUserDriven, KeyboardSkipped: true,
				PreprovisioningAllowed: true}, ""},
		{"new wins and warns", `"outOfBoxExperienceSetting": {"eulaHidden": true}, "outOfBoxExperienceSettings": {"hideEULA": false, "hidePrivacySettings": true}`,
			flow.Profile{EULAHidden: true, PrivacyHidden: true, UserType: flow.UserAdministrator, Mode: flow.ModeUserDriven},
			"p.json: $.outOfBoxExperienceSetting.eulaHidden: true but the legacy outOfBoxExperienceSettings.hideEULA is false; using the new value"},
		{"null objects", `"outOfBoxExperienceSetting": null, "outOfBoxExperienceSettings": {"userType": "standard"}`,
			flow.Profile{UserType: flow.UserStandard, Mode: flow.ModeUserDriven}, ""},
		{"self-deploying", `"outOfBoxExperienceSetting": {"deviceUsageType": "shared"}`,
			flow.Profile{UserType: flow.UserAdministrator, Mode: flow.ModeSelfDeploying}, "self-deploying"},
		{"unknown user type", `"outOfBoxExperienceSetting": {"userType": "unknownFutureValue"}`,
			flow.Profile{UserType: flow.UserAdministrator, Mode: flow.ModeUserDriven}, "unknownFutureValue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := typ
			if tc.fields != "" {
				body += ", " + tc.fields
			}
			p := mustLoad(t, map[string]string{"p.json": "{" + body + "}"})
			got := p.Profile
			w := tc.want
			if got.PrivacyHidden != w.PrivacyHidden || got.EULAHidden != w.EULAHidden || got.UserType != w.UserType ||
				got.Mode != w.Mode || got.KeyboardSkipped != w.KeyboardSkipped || got.EscapeLinkHidden != w.EscapeLinkHidden ||
				got.PreprovisioningAllowed != w.PreprovisioningAllowed {
				t.Errorf("profile = %+v, want %+v", got, w)
			}
			if tc.warning != "" && !hasWarning(p, "p.json", tc.warning) {
				t.Errorf("no warning %q: %q", tc.warning, p.Warnings)
			}
		})
	}
}

const enrollmentCollection = `{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceEnrollmentConfigurations",
  "value": [
    {"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration", "id": "t_DefaultLimit", "priority": 0, "limit": 15},
    {"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
     "id": "t_DefaultWindows10EnrollmentCompletionPageConfiguration", "displayName": "All users and all devices",
     "priority": 0, "showInstallationProgress": false, "blockDeviceSetupRetryByUser": true, "installProgressTimeoutInMinutes": 0},
    {"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
     "id": "b_Windows10EnrollmentCompletionPageConfiguration", "displayName": "Second", "priority": 2,
     "showInstallationProgress": true},
    {"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
     "id": "a_Windows10EnrollmentCompletionPageConfiguration", "displayName": "First", "priority": 1,
     "showInstallationProgress": true, "blockDeviceSetupRetryByUser": true, "installProgressTimeoutInMinutes": 0,
     "allowDeviceUseOnInstallFailure": true},
    {"@odata.type": "#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration",
     "id": "t_DefaultWindowsHelloForBusiness", "priority": 0, "state": "disabled", "pinMinimumLength": 8,
     "pinMaximumLength": 4, "pinSpecialCharactersUsage": "required"}
  ]
}`

func TestEnrollmentConfigurations(t *testing.T) {
	tn := mustLoad(t, map[string]string{"enroll.json": enrollmentCollection})
	e := tn.Profile.ESP
	if !e.Show || e.BlockDeviceUse || !e.AllowContinue || e.TimeoutMinutes != 60 {
		t.Errorf("ESP = %+v, want the priority-1 profile (non-blocking, timeout fixed to 60)", e)
	}
	_, rep := mustLoadOpts(t, map[string]string{"enroll.json": enrollmentCollection}, Options{})
	if !hasFinding(rep, SeverityInfo, "enroll.json: $.value[3]:", `"First"`, `"Second"`, "lowest priority number") {
		t.Errorf("no finding naming the ignored ESP: %q", findingLines(rep))
	}
	if !hasWarning(tn, "enroll.json: $.value[3].installProgressTimeoutInMinutes: 0 must be > 0") {
		t.Errorf("no timeout warning: %q", tn.Warnings)
	}
	h := tn.Profile.Hello
	if h.State != "disabled" || h.MinLength != 8 || h.MaxLength != 8 || h.Special != flow.PINRequired || h.Uppercase != flow.PINDisallowed {
		t.Errorf("Hello = %+v", h)
	}

	// Only the default ESP: it applies; missing fields take the reference defaults.
	tn = mustLoad(t, map[string]string{"esp.json": `{"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
		"id": "t_DefaultWindows10EnrollmentCompletionPageConfiguration", "priority": 0, "showInstallationProgress": true}`})
	want := flow.ESPConfig{Show: true, TimeoutMinutes: 60, BlockDeviceUse: true}
	if e := tn.Profile.ESP; e.Show != want.Show || e.TimeoutMinutes != want.TimeoutMinutes || e.BlockDeviceUse != want.BlockDeviceUse ||
		e.AllowReset || e.AllowContinue || e.AllowLogCollection || e.InstallQualityUpdates || len(e.BlockingAppIDs) != 0 {
		t.Errorf("default ESP = %+v", e)
	}
}

func TestBrandingWithoutDefault(t *testing.T) {
	tn := mustLoad(t, map[string]string{"loc.json": `{
		"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization('x')/branding/localizations",
		"value": [{"id": "0", "backgroundColor": "#111111", "squareLogoRelativeUrl": "t/0/tilelogo", "cdnList": ["cdn.example"]},
		          {"id": "nl-NL", "usernameHintText": "voornaam@x.nl", "squareLogoRelativeUrl": "t/nl/tilelogo"}]}`})
	if tn.Branding.BackgroundColor != "#111111" || tn.Branding.SquareLogoURL != "https://cdn.example/t/0/tilelogo" {
		t.Errorf("default from the collection's \"0\" entry = %+v", tn.Branding)
	}
	nl := tn.Branding.For("nl-NL")
	if nl.SquareLogoURL != "https://cdn.example/t/nl/tilelogo" || nl.UsernameHint != "voornaam@x.nl" || nl.BackgroundColor != "#111111" {
		t.Errorf("nl-NL = %+v", nl)
	}
}

func TestDuplicatesWarn(t *testing.T) {
	tn := mustLoad(t, map[string]string{
		"a.json": `{"verifiedDomains": [], "displayName": "A"}`,
		"b.json": `{"verifiedDomains": [], "displayName": "B"}`,
	})
	if tn.Organization.DisplayName != "A" || !hasWarning(tn, "a.json: 2 objects of type organization found", "ignoring b.json") {
		t.Errorf("organization %q, warnings %q", tn.Organization.DisplayName, tn.Warnings)
	}
}

// TestFederatedDomains (reference §1.5): a verified domain of type Federated is one whose
// users sign in on the organization's own identity provider (AD FS); Managed ones are not.
func TestFederatedDomains(t *testing.T) {
	tn := mustLoad(t, map[string]string{
		"organization.json": `{"displayName": "X", "verifiedDomains": [
			{"name": "x.onmicrosoft.com", "isInitial": true, "type": "Managed"},
			{"name": "x.example", "isDefault": true, "type": "Federated"}]}`,
	})
	o := tn.Organization
	if !slices.Equal(o.FederatedDomains, []string{"x.example"}) || !o.Federated("a@X.example") || o.Federated("a@x.onmicrosoft.com") {
		t.Errorf("organization = %+v", o)
	}
}

// hybridFiles returns the example hybrid tenant's files with the embedded scenario changed by
// edit (its JSON as a map).
func hybridFiles(t *testing.T, edit func(map[string]any)) map[string]string {
	t.Helper()
	files := map[string]string{}
	dir := "../../examples/tenants/larkspur-hybrid"
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".json") {
			b, err := os.ReadFile(dir + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			files[e.Name()] = string(b)
		}
	}
	raw, err := os.ReadFile("../../assets/tenant/scenario.json")
	if err != nil {
		t.Fatal(err)
	}
	var scen map[string]any
	if err := json.Unmarshal(raw, &scen); err != nil {
		t.Fatal(err)
	}
	edit(scen)
	b, _ := json.Marshal(scen)
	files["scenario.json"] = string(b)
	return files
}

// TestHybridUnsupportedWarnings (reference §4; Microsoft's hybrid tutorial, step 7, "Off-
// premises/Internet scenarios and VPN connectivity"; Configuration Manager's "How to enroll
// with Autopilot", Limitations; "Deploy Microsoft Entra hybrid joined devices by using Intune
// and Windows Autopilot", Device enrollment requirements): oobe check warns about a VPN with
// user certificates, a Store UWP VPN plug-in, the Configuration Manager client among the apps
// and a proxy not found by WPAD — and about none of them when the data does not say so.
func TestHybridUnsupportedWarnings(t *testing.T) {
	warnings := []string{"user certificate", "UWP plug-in", "Configuration Manager client", "Web Proxy Auto-Discovery"}
	_, rep := mustLoadOpts(t, hybridFiles(t, func(s map[string]any) {
		apps := s["apps"].([]any)
		apps = append(apps,
			map[string]any{"id": "vpn-client", "name": "Larkspur VPN client", "context": "device", "seconds": 20},
			map[string]any{"id": "ccm", "name": "Configuration Manager client", "context": "device", "seconds": 60, "configurationManagerClient": true})
		s["apps"] = apps
		s["vpn"] = map[string]any{"name": "Larkspur VPN", "appId": "vpn-client", "userCertificate": true, "storePlugin": true}
		s["proxy"] = map[string]any{"server": "proxy.larkspur.corp:8080"}
	}), Options{})
	for _, w := range warnings {
		if !hasFinding(rep, SeverityWarning, w) {
			t.Errorf("no warning about %q in\n%s", w, strings.Join(findingLines(rep), "\n"))
		}
	}
	_, rep = mustLoadOpts(t, hybridFiles(t, func(s map[string]any) {
		apps := append(s["apps"].([]any), map[string]any{"id": "vpn-client", "name": "Larkspur VPN client", "context": "device", "seconds": 20})
		s["apps"] = apps
		s["vpn"] = map[string]any{"name": "Larkspur VPN", "appId": "vpn-client"}
		s["proxy"] = map[string]any{"server": "proxy.larkspur.corp:8080", "wpad": true}
	}), Options{})
	for _, w := range warnings {
		if hasFinding(rep, SeverityWarning, w) {
			t.Errorf("a warning about %q for data that does not say so:\n%s", w, strings.Join(findingLines(rep), "\n"))
		}
	}
}

// TestHybridCoManagementWarning (Configuration Manager, "How to enroll with Autopilot",
// Limitations): a Graph co-management settings policy that installs the Configuration Manager
// client is warned about on a hybrid join, on its member; one that does not is not.
func TestHybridCoManagementWarning(t *testing.T) {
	for _, install := range []bool{true, false} {
		files := hybridFiles(t, func(map[string]any) {})
		files["comanagement.json"] = fmt.Sprintf(`{"@odata.type": "#microsoft.graph.deviceComanagementAuthorityConfiguration", "id": "c0", "displayName": "Co-management", "installConfigurationManagerAgent": %v, "configurationManagerAgentCommandLineArgument": "CCMSETUPCMD=..."}`, install)
		_, rep := mustLoadOpts(t, files, Options{})
		if got := hasFinding(rep, SeverityWarning, "comanagement.json", "installConfigurationManagerAgent", "Configuration Manager client"); got != install {
			t.Errorf("installConfigurationManagerAgent %v: warning %v\n%s", install, got, strings.Join(findingLines(rep), "\n"))
		}
	}
}

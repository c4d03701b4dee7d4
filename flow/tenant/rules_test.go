package tenant

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

const entraType = `"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile"`
const hybridType = `"@odata.type": "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile"`

func TestUnknownKeys(t *testing.T) {
	tn, rep := mustLoadOpts(t, map[string]string{
		"p.json": `{` + entraType + `, "displayName": "P", "futureSetting": 1, "description": "known, unused",
			"outOfBoxExperienceSetting": {"eulaHidden": true, "newToggle": false, "@odata.type": "microsoft.graph.outOfBoxExperienceSetting"},
			"assignments@odata.context": "x", "roleScopeTagIds": ["0"]}`,
		"o.json": `{"@odata.context": "x#organization", "displayName": "O", "verifiedDomains": [{"name": "o.com", "isDefault": true, "weird": 1}]}`,
	}, Options{})
	if !tn.Profile.EULAHidden {
		t.Error("known keys not read next to unknown ones")
	}
	want := []string{"p.json: $.futureSetting: unknown key", "p.json: $.outOfBoxExperienceSetting.newToggle: unknown key",
		"o.json: $.verifiedDomains[0].weird: unknown key"}
	var got []string
	for _, f := range rep.All() {
		if strings.Contains(f.Message, "unknown key") {
			if f.Severity != SeverityInfo {
				t.Errorf("unknown key reported as %s: %s", f.Severity, f)
			}
			got = append(got, f.String())
		}
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("no info %q in %q", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("unknown keys %q, want exactly %d (documented and @odata keys are not listed)", got, len(want))
	}
}

func TestSamplesHaveNoUnknownKeys(t *testing.T) {
	if _, err := os.Stat(samplesDir); err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
	_, rep, err := LoadPaths([]string{samplesDir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.All() {
		if strings.Contains(f.Message, "unknown key") {
			t.Errorf("documented key reported as unknown: %s", f)
		}
	}
}

func TestNameTemplateRules(t *testing.T) {
	tests := []struct {
		tpl, join string
		lenient   bool
		keep      bool
		sev       Severity
		msg       string // "" = no finding about the template
	}{
		{"FAB-%SERIAL%", entraType, false, true, 0, ""},
		{"MMD-%RAND:11%", entraType, false, true, 0, ""},
		{"Kiosk-%RAND:9%", entraType, false, true, 0, ""},
		{"LSA-%serial%", entraType, false, false, SeverityError, "p.json: $.deviceNameTemplate: \"LSA-%serial%\" is not a valid name template: macros are case-sensitive"},
		{"LSA %SERIAL%", entraType, false, false, SeverityError, "is not allowed"},
		{"LONGPREFIX-%RAND:9%", entraType, false, false, SeverityError, "limit is 15"},
		{"X-%FOO%", entraType, false, false, SeverityError, "unknown macro %FOO%"},
		{"12345", entraType, false, false, SeverityError, "all digits"},
		{"LSA-%serial%", entraType, true, false, SeverityWarning, "ignored in lenient mode"},
		{"KIOSK", entraType, false, true, SeverityWarning, "every device gets the same name"},
		{"A-%SERIAL%-%RAND:3%", entraType, false, true, SeverityWarning, "%RAND% wins"},
		{"X-%SERIAL%", hybridType, false, false, SeverityWarning, `p.json: $.deviceNameTemplate: "X-%SERIAL%" ignored: hybrid join never uses a name template`},
		{"not valid at all", hybridType, false, false, SeverityWarning, "ignored: hybrid join"},
	}
	for _, tc := range tests {
		t.Run(tc.tpl+" "+tc.join[40:50], func(t *testing.T) {
			files := map[string]string{"p.json": fmt.Sprintf(`{%s, "deviceNameTemplate": %q}`, tc.join, tc.tpl)}
			tn, rep, err := LoadFS(mapFS(files), "t", Options{Lenient: tc.lenient})
			if tc.sev == SeverityError {
				if err == nil || !strings.Contains(err.Error(), tc.msg) || tn != nil {
					t.Fatalf("error %v, want %q and no tenant", err, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tn.Profile.DeviceNameTemplate; (got == tc.tpl) != tc.keep {
				t.Errorf("template = %q, keep %v", got, tc.keep)
			}
			found := false
			for _, f := range rep.All() {
				if strings.Contains(f.Path, "deviceNameTemplate") {
					found = true
					if tc.msg == "" || f.Severity != tc.sev || !strings.Contains(f.String(), tc.msg) {
						t.Errorf("finding %s %q, want %s %q", f.Severity, f, tc.sev, tc.msg)
					}
				}
			}
			if !found && tc.msg != "" {
				t.Errorf("no finding %q: %q", tc.msg, findingLines(rep))
			}
		})
	}
}

func TestBrandingLimitsAndHTML(t *testing.T) {
	hint64 := strings.Repeat("ä", 60) + "@x.c"         // 64 characters, 124 bytes
	text1024 := strings.Repeat("Größe ", 170) + "ende" // 1024 characters
	tests := []struct {
		name, hint, text string
		warn             string
		info             string
	}{
		{"limits counted in characters", hint64, text1024, "", ""},
		{"hint too long", hint64 + "x", "t", "$.usernameHintText: 65 characters, the limit is 64", ""},
		{"text too long", "h", text1024 + "!", "$.signInPageText: 1025 characters, the limit is 1024", ""},
		{"HTML kept literally", "h", `Read the <a href="https://x">rules</a> &amp; sign in`, "", "$.signInPageText: contains HTML markup; Windows shows it literally"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tn, rep := mustLoadOpts(t, map[string]string{"b.json": fmt.Sprintf(
				`{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#branding", "id": "0", "usernameHintText": %q, "signInPageText": %q}`,
				tc.hint, tc.text)}, Options{})
			if tn.Branding.SignInPageText != tc.text || tn.Branding.UsernameHint != tc.hint {
				t.Errorf("texts changed: %q / %q", tn.Branding.UsernameHint, tn.Branding.SignInPageText)
			}
			warns := rep.Of(SeverityWarning)
			if tc.warn == "" && slices.ContainsFunc(warns, func(f Finding) bool { return f.File == "b.json" }) {
				t.Errorf("unexpected warnings %q", findingLines(rep))
			}
			if tc.warn != "" && !hasFinding(rep, SeverityWarning, "b.json: "+tc.warn) {
				t.Errorf("no warning %q: %q", tc.warn, findingLines(rep))
			}
			if tc.info != "" && !hasFinding(rep, SeverityInfo, tc.info) {
				t.Errorf("no info %q: %q", tc.info, findingLines(rep))
			}
		})
	}
}

func TestBrandingLocalizationFallback(t *testing.T) {
	tn := mustLoad(t, map[string]string{
		"b.json": `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#branding", "id": "0", "backgroundColor": "#0F3D6E",
			"signInPageText": "Default", "usernameHintText": "first@x.com", "squareLogoRelativeUrl": "t/0/tilelogo", "cdnList": ["cdn.example"]}`,
		"l.json": `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization('x')/branding/localizations", "value": [
			{"id": "de-DE", "signInPageText": "Deutsch", "usernameHintText": null, "backgroundColor": null, "cdnList": []},
			{"id": "fr-FR", "signInPageText": " ", "usernameHintText": " ", "backgroundColor": "#1B4F8A"},
			{"id": "it-IT", "squareLogoRelativeUrl": "t/it/tilelogo"}]}`,
	})
	tests := []struct {
		locale string
		want   flow.Branding
	}{
		{"de-DE", flow.Branding{BackgroundColor: "#0F3D6E", SignInPageText: "Deutsch", UsernameHint: "first@x.com", SquareLogoURL: "https://cdn.example/t/0/tilelogo"}},
		{"fr-FR", flow.Branding{BackgroundColor: "#1B4F8A", SignInPageText: "Default", UsernameHint: "first@x.com", SquareLogoURL: "https://cdn.example/t/0/tilelogo"}},
		{"it-IT", flow.Branding{BackgroundColor: "#0F3D6E", SignInPageText: "Default", UsernameHint: "first@x.com", SquareLogoURL: "https://cdn.example/t/it/tilelogo"}},
		{"en-US", flow.Branding{BackgroundColor: "#0F3D6E", SignInPageText: "Default", UsernameHint: "first@x.com", SquareLogoURL: "https://cdn.example/t/0/tilelogo"}},
	}
	for _, tc := range tests {
		got := tn.Branding.For(tc.locale)
		got.Localizations = nil
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.locale, got, tc.want)
		}
	}
}

// TestGUIDsCaseInsensitive: GUIDs from different files compare case-insensitively.
func TestGUIDsCaseInsensitive(t *testing.T) {
	prof := `{` + entraType + `, "id": "AFABDA9A-CCC0-478F-834D-581095733920", "displayName": "P",
		"outOfBoxExperienceSetting": {"privacySettingsHidden": true, "eulaHidden": true, "userType": "standard",
		"keyboardSelectionPageSkipped": true, "escapeLinkHidden": true}, "locale": "en-GB", "deviceNameTemplate": "FAB-%SERIAL%"}`
	org := `{"@odata.context": "x#organization", "id": "830EE90B-C3FC-4221-AFF3-23DADE68D311", "displayName": "O",
		"verifiedDomains": [{"name": "fabrikamlab.com", "isDefault": true}]}`
	esp := `{"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration", "priority": 1, "showInstallationProgress": true,
		"selectedMobileAppIds": ["df617e55-2c33-4d3e-aff1-272c8cb739b6", "DF617E55-2C33-4D3E-AFF1-272C8CB739B6"]}`
	scen := `{"$schema": "oobe-scenario/1", "apps": [{"id": "DF617E55-2c33-4d3e-aff1-272c8cb739b6", "name": "A"}]}`
	tn, rep := mustLoadOpts(t, map[string]string{"c.json": configJSON(nil), "p.json": prof, "o.json": org, "e.json": esp, "s.json": scen}, Options{})
	if !hasFinding(rep, SeverityInfo, "c.json: matches the Graph profile p.json") {
		t.Errorf("the configuration file is not matched to its profile by id: %q", findingLines(rep))
	}
	if hasFinding(rep, SeverityWarning, "CloudAssignedTenantId") {
		t.Errorf("tenant ids of different case reported as different: %q", findingLines(rep))
	}
	if !hasFinding(rep, SeverityWarning, "e.json: $.selectedMobileAppIds[1]: DF617E55-2C33-4D3E-AFF1-272C8CB739B6 is listed twice") {
		t.Errorf("duplicate app id in another case not found: %q", findingLines(rep))
	}
	if len(tn.Profile.ESP.BlockingAppIDs) != 1 || hasFinding(rep, SeverityWarning, "not among the scenario's apps") {
		t.Errorf("blocking apps %v / %q", tn.Profile.ESP.BlockingAppIDs, findingLines(rep))
	}
	// A different tenant id is reported.
	_, rep = mustLoadOpts(t, map[string]string{"c.json": configJSON(map[string]any{"CloudAssignedTenantId": "00000000-c3fc-4221-aff3-23dade68d311"}), "o.json": org}, Options{})
	if !hasFinding(rep, SeverityWarning, "c.json: $.CloudAssignedTenantId: 00000000-c3fc-4221-aff3-23dade68d311 is not the organization's id") {
		t.Errorf("tenant id mismatch not reported: %q", findingLines(rep))
	}
	// A configuration file that disagrees with its profile.
	_, rep = mustLoadOpts(t, map[string]string{"c.json": configJSON(map[string]any{"CloudAssignedOobeConfig": 264}), "p.json": prof}, Options{})
	if !hasFinding(rep, SeverityWarning, "c.json: differs from the Graph profile p.json with the same id", "EULA hidden true in the profile, false in the file") {
		t.Errorf("differences not reported: %q", findingLines(rep))
	}
}

func TestSelfDeployingGraphProfile(t *testing.T) {
	tn, rep := mustLoadOpts(t, map[string]string{"p.json": `{` + entraType + `, "outOfBoxExperienceSetting": {"deviceUsageType": "shared"}}`}, Options{})
	if tn.Profile.Mode != flow.ModeSelfDeploying || !hasFinding(rep, SeverityWarning, "$.outOfBoxExperienceSetting.deviceUsageType: shared is self-deploying mode") {
		t.Errorf("mode %s, findings %q", tn.Profile.Mode, findingLines(rep))
	}
	if OOBEConfigFor(tn.Profile)&(BitTPMAttestation|BitAADDeviceAuth) == 0 {
		t.Error("self-deploying bits missing from the equivalent bitmask")
	}
}

const espType = `"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration"`
const helloType = `"@odata.type": "#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration"`

// TestESPSelection: reference §3.3 on collections with mixed deviceEnrollmentConfigurations.
func TestESPSelection(t *testing.T) {
	def := `{` + espType + `, "id": "t_DefaultWindows10EnrollmentCompletionPageConfiguration", "displayName": "Default", "priority": 0,
		"deviceEnrollmentConfigurationType": "windows10EnrollmentCompletionPageConfiguration", "showInstallationProgress": false}`
	esp := func(name string, prio int, assignments string) string {
		a := ""
		if assignments != "-" {
			a = `, "assignments": [` + assignments + `]`
		}
		return fmt.Sprintf(`{%s, "id": "%s_Windows10EnrollmentCompletionPageConfiguration", "displayName": %q, "priority": %d, "showInstallationProgress": true%s}`,
			espType, name, name, prio, a)
	}
	devices := `{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}`
	group := `{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}}`
	users := `{"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}`
	excluded := `{"target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g2"}}`
	hello := func(state string, prio int) string {
		return fmt.Sprintf(`{%s, "id": "h%d", "displayName": "H%d", "priority": %d, "state": %q}`, helloType, prio, prio, prio, state)
	}
	limit := `{"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration", "id": "t_DefaultLimit", "priority": 0, "limit": 15}`
	coll := func(items ...string) string {
		return `{"@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceEnrollmentConfigurations", "value": [` +
			strings.Join(items, ",") + `]}`
	}
	tests := []struct {
		name      string
		items     []string
		wantESP   string // display name of the chosen ESP; "" = default
		wantShow  bool
		wantHello string
	}{
		{"lowest priority number wins", []string{limit, def, esp("B", 2, "-"), esp("A", 1, "-"), hello("disabled", 0)}, "A", true, flow.HelloDisabled},
		{"assigned to devices beats a better unassigned one", []string{def, esp("A", 1, ""), esp("B", 2, group)}, "B", true, flow.HelloNotConfigured},
		{"device beats user", []string{def, esp("A", 1, users), esp("B", 5, devices)}, "B", true, flow.HelloNotConfigured},
		{"user when no device one", []string{def, esp("A", 1, users), esp("B", 2, excluded)}, "A", true, flow.HelloNotConfigured},
		{"default when no custom one applies", []string{esp("A", 1, excluded), def}, "", false, flow.HelloNotConfigured},
		{"hello from the same list", []string{def, hello("notConfigured", 0), hello("enabled", 1), limit}, "", false, flow.HelloEnabled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tn, rep := mustLoadOpts(t, map[string]string{"e.json": coll(tc.items...)}, Options{})
			if tn.Profile.ESP.Show != tc.wantShow || tn.Profile.Hello.State != tc.wantHello {
				t.Errorf("ESP show %v, Hello %s; want %v, %s", tn.Profile.ESP.Show, tn.Profile.Hello.State, tc.wantShow, tc.wantHello)
			}
			f, _ := rep.File("e.json")
			if f.Kind != KindCollection && f.Kind != KindESP {
				t.Errorf("file kind %v", f.Kind)
			}
			var used []string
			for _, o := range f.Objects {
				if o.Used && o.Kind == KindESP {
					used = append(used, o.Name)
				}
			}
			want := `"Default" (default)`
			if tc.wantESP != "" {
				want = fmt.Sprintf("%q (priority", tc.wantESP)
			}
			if len(used) != 1 || !strings.HasPrefix(used[0], want) {
				t.Errorf("used ESPs %q, want %s…", used, want)
			}
		})
	}
}

// TestExpandedRelationships: $expand'ed assignments, domainJoinConfiguration and a device
// identity's deploymentProfile.
func TestExpandedRelationships(t *testing.T) {
	hybrid := `{` + hybridType + `, "id": "67a90f9c-50ec-4bf4-81fd-6187dd7b3259", "displayName": "Hybrid", "createdDateTime": "2024-10-02T11:17:52Z",
		"hybridAzureADJoinSkipConnectivityCheck": true,
		"assignments": [{"id": "a", "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g"}}],
		"domainJoinConfiguration": {"@odata.type": "#microsoft.graph.windowsDomainJoinConfiguration", "id": "dj",
			"computerNameStaticPrefix": "FABHY-", "computerNameSuffixRandomCharCount": 9, "activeDirectoryDomainName": "corp.fabrikamlab.com"}}`
	older := `{` + entraType + `, "id": "afabda9a-ccc0-478f-834d-581095733920", "displayName": "Older, unassigned", "createdDateTime": "2020-01-01T00:00:00Z",
		"assignments": []}`
	tn, rep := mustLoadOpts(t, map[string]string{"h.json": hybrid, "e.json": older}, Options{})
	if tn.Profile.Name != "Hybrid" || tn.Profile.Join != flow.JoinHybrid || !tn.Profile.SkipDCCheck {
		t.Errorf("profile = %+v; findings %q", tn.Profile, findingLines(rep))
	}
	if tn.DomainJoin == nil || tn.DomainJoin.Prefix != "FABHY-" || tn.DomainJoin.RandomChars != 9 || tn.DomainJoin.Domain != "corp.fabrikamlab.com" {
		t.Errorf("inline domain join = %+v", tn.DomainJoin)
	}
	if f, _ := rep.File("e.json"); f.Objects[0].Used || !strings.Contains(f.Objects[0].Note, "not assigned") {
		t.Errorf("unassigned profile: %+v", f.Objects)
	}

	// The profile $expand'ed into the device identity wins over the oldest one, whatever the
	// case of its id.
	identity := `{"@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity", "serialNumber": "S1", "userPrincipalName": "",
		"deploymentProfile": {"id": "67A90F9C-50EC-4BF4-81FD-6187DD7B3259", "displayName": "Hybrid",
			"@odata.type": "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile"}}`
	older2 := strings.Replace(older, `"assignments": []`, `"assignments": [{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}]`, 1)
	tn, rep = mustLoadOpts(t, map[string]string{"h.json": hybrid, "e.json": older2, "i.json": identity}, Options{})
	if tn.Profile.Join != flow.JoinHybrid {
		t.Errorf("identity's profile not chosen: %+v; %q", tn.Profile, findingLines(rep))
	}
	if tn.Scenario.Device.Serial != "S1" {
		t.Errorf("device serial = %q", tn.Scenario.Device.Serial)
	}
}

func TestDeviceIdentity(t *testing.T) {
	tn := mustLoad(t, map[string]string{
		"i.json": `{"@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/windowsAutopilotDeviceIdentities/$entity",
			"serialNumber": " 5CG4281QZT ", "userPrincipalName": "alex@x.com", "addressableUserName": "Alex", "manufacturer": "HP", "model": "M", "groupTag": "G"}`,
		"o.json": `{"verifiedDomains": [{"name": "x.com", "isDefault": true}], "displayName": "X"}`,
	})
	want := flow.DeviceIdentity{Serial: "5CG4281QZT", UPN: "alex@x.com", FriendlyName: "Alex", Manufacturer: "HP", Model: "M", GroupTag: "G"}
	if tn.DeviceIdentity == nil || *tn.DeviceIdentity != want {
		t.Errorf("identity = %+v", tn.DeviceIdentity)
	}
	if u, ok := tn.Scenario.User("alex@x.com"); !ok || u.DisplayName != "Alex" || u.Password == "" {
		t.Errorf("assigned user not playable: %+v %v", u, ok)
	}
}

func TestScenarioSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	folderScen := write("tenant/s.json", `{"$schema": "oobe-scenario/1", "wifi": [{"ssid": "Folder", "signal": 3, "security": "open", "internet": true}]}`)
	write("tenant/o.json", `{"verifiedDomains": [{"name": "x.com", "isDefault": true}], "displayName": "X"}`)
	optScen := write("other.json", `{"$schema": "oobe-scenario/1", "wifi": [{"ssid": "Option", "signal": 3, "security": "open", "internet": true}],
		"users": [{"upn": "a@elsewhere.com", "password": "p", "mfa": "none", "licensed": true}]}`)
	notScen := write("profile.json", `{`+entraType+`}`)
	tenantDir := filepath.Join(dir, "tenant")

	tn, rep, err := LoadPaths([]string{tenantDir}, Options{})
	if err != nil || tn.Scenario.WiFi[0].SSID != "Folder" || rep.ScenarioSource != folderScen {
		t.Fatalf("folder scenario: %v %+v %q", err, tn, rep.ScenarioSource)
	}
	tn, rep, err = LoadPaths([]string{tenantDir}, Options{Scenario: optScen})
	if err != nil || tn.Scenario.WiFi[0].SSID != "Option" || rep.ScenarioSource != optScen {
		t.Fatalf("--scenario does not win: %v %q", err, rep.ScenarioSource)
	}
	if !hasFinding(rep, SeverityInfo, folderScen, "replaced by the scenario file given") {
		t.Errorf("ignored folder scenario not reported: %q", findingLines(rep))
	}
	if !hasFinding(rep, SeverityWarning, "scenario user a@elsewhere.com is not in the tenant's domains") {
		t.Errorf("foreign scenario user not reported: %q", findingLines(rep))
	}
	if _, _, err = LoadPaths([]string{tenantDir}, Options{Scenario: notScen}); err == nil ||
		!strings.Contains(err.Error(), notScen+": want an emulator scenario, but the file holds a deployment profile") {
		t.Errorf("--scenario with a profile: %v", err)
	}
	// Only the scenario: everything else takes its defaults.
	tn, _, err = LoadPaths(nil, Options{Scenario: optScen})
	if err != nil || tn.Scenario.WiFi[0].SSID != "Option" {
		t.Errorf("scenario alone: %v", err)
	}
	// No scenario anywhere: the embedded one, adapted.
	tn, rep, err = LoadPaths([]string{filepath.Join(tenantDir, "o.json")}, Options{})
	if err != nil || rep.ScenarioSource != "embedded" || len(tn.Scenario.Users) == 0 || !tn.Organization.OwnsUPN(tn.Scenario.Users[0].UPN) {
		t.Errorf("embedded scenario: %v %q %+v", err, rep.ScenarioSource, tn.Scenario.Users)
	}
}

// TestKinds: single-file flags (Options.Kinds) require a file of that kind.
func TestKinds(t *testing.T) {
	files := map[string]string{
		"p.json": `{` + entraType + `}`,
		"e.json": enrollmentCollection,
		"l.json": `{"@odata.context": "x/branding/localizations", "value": [{"id": "de-DE", "signInPageText": "x"}]}`,
		"c.json": configJSON(nil),
		"o.json": `{"verifiedDomains": []}`,
	}
	tests := []struct {
		file string
		kind Kind
		err  string
	}{
		{"p.json", KindProfile, ""},
		{"e.json", KindESP, ""},
		{"l.json", KindBranding, ""},
		{"c.json", KindConfigFile, ""},
		{"c.json", KindProfile, "c.json: want a deployment profile, but the file holds an AutopilotConfigurationFile.json"},
		{"o.json", KindESP, "o.json: want an Enrollment Status Page configuration, but the file holds an organization"},
		{"p.json", KindBranding, "p.json: want organizational branding or branding localizations, but the file holds a deployment profile"},
	}
	for _, tc := range tests {
		_, _, err := LoadFS(mapFS(map[string]string{tc.file: files[tc.file]}), "t", Options{Kinds: map[string]Kind{tc.file: tc.kind}})
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s as %v: %v", tc.file, tc.kind, err)
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("%s as %v: error %v, want %q", tc.file, tc.kind, err, tc.err)
		}
	}
}

func TestLoadPathsFolders(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "Autopilot Deployment Profiles"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, ".git"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "Autopilot Deployment Profiles", "P.json"), []byte(`{`+entraType+`, "displayName": "Nested"}`), 0o644))
	must(os.WriteFile(filepath.Join(dir, ".git", "x.json"), []byte(`{`), 0o644))
	must(os.WriteFile(filepath.Join(dir, "notes.txt"), []byte(`not json`), 0o644))
	tn, rep, err := LoadPaths([]string{dir}, Options{})
	if err != nil || tn.Profile.Name != "Nested" || len(rep.Files) != 1 {
		t.Fatalf("nested folder: %v %+v", err, rep)
	}
	// The same file through a folder and a flag is read once, with the flag's kind.
	p := filepath.Join(dir, "Autopilot Deployment Profiles", "P.json")
	_, rep, err = LoadPaths([]string{dir, p}, Options{Kinds: map[string]Kind{p: KindESP}})
	if err == nil || len(rep.Files) != 1 {
		t.Errorf("file given twice: %v, %d files", err, len(rep.Files))
	}
	if _, _, err := LoadPaths([]string{filepath.Join(dir, "missing")}, Options{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing path: %v", err)
	}
	empty := t.TempDir()
	if _, _, err := LoadPaths([]string{empty}, Options{}); err == nil || !strings.Contains(err.Error(), "no .json files") {
		t.Errorf("empty folder: %v", err)
	}
	if _, _, err := LoadPaths(nil, Options{}); err == nil {
		t.Error("nothing given: no error")
	}
	// A file given directly is read whatever its name.
	txt := filepath.Join(dir, "profile.txt")
	must(os.WriteFile(txt, []byte(`{`+entraType+`, "displayName": "Txt"}`), 0o644))
	if tn, _, err := LoadPaths([]string{txt}, Options{}); err != nil || tn.Profile.Name != "Txt" {
		t.Errorf("file with another extension: %v", err)
	}
}

// TestErrorLinesAreLocated: every error names its file and a line:column or a JSON path.
func TestErrorLinesAreLocated(t *testing.T) {
	files := map[string]string{
		"a.json": "{\n  \"x\": tru\n}",
		"b.json": `{` + entraType + `, "outOfBoxExperienceSetting": {"eulaHidden": 1}, "deviceNameTemplate": "%serial%"}`,
		"c.json": configJSON(map[string]any{"CloudAssignedOobeConfig": "x"}),
		// Values are checked in objects without type errors.
		"d.json": configJSON(map[string]any{"CloudAssignedDomainJoinMethod": 3}),
	}
	_, rep, err := LoadFS(mapFS(files), "t", Options{})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(rep.Of(SeverityError)) {
		t.Errorf("%d lines for %d errors", len(lines), len(rep.Of(SeverityError)))
	}
	for _, f := range rep.Of(SeverityError) {
		if f.File == "" || (f.Line == 0 && f.Path == "" && !strings.Contains(f.Message, "missing")) {
			t.Errorf("unlocated error %q", f)
		}
	}
	for _, w := range []string{
		`a.json:2:11: invalid character '\n' in literal true (expecting 'e')`,
		"b.json: $.outOfBoxExperienceSetting.eulaHidden: want boolean, got number",
		`c.json: $.CloudAssignedOobeConfig: want integer, got string "x"`,
		"d.json: $.CloudAssignedDomainJoinMethod: want 0 (Entra join) or 1 (hybrid join), got 3",
	} {
		if !slices.Contains(lines, w) {
			t.Errorf("lines %q lack %q", lines, w)
		}
	}
}

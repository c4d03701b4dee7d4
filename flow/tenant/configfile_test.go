package tenant

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// configJSON returns an AutopilotConfigurationFile.json like the sample, with keys set (nil
// deletes a key).
func configJSON(set map[string]any) string {
	m := map[string]any{
		"CloudAssignedTenantId":                "830ee90b-c3fc-4221-aff3-23dade68d311",
		"CloudAssignedDeviceName":              "FAB-%SERIAL%",
		"CloudAssignedAutopilotUpdateTimeout":  1800000,
		"CloudAssignedAutopilotUpdateDisabled": 1,
		"CloudAssignedForcedEnrollment":        1,
		"Version":                              2049,
		"Comment_File":                         "Profile Fabrikam Lab - User-driven Entra join",
		"CloudAssignedAadServerData":           `{"ZeroTouchConfig":{"CloudAssignedTenantUpn":"","ForcedEnrollment":1,"CloudAssignedTenantDomain":"fabrikamlab.com"}}`,
		"CloudAssignedRegion":                  "en-GB",
		"CloudAssignedTenantDomain":            "fabrikamlab.com",
		"CloudAssignedDomainJoinMethod":        0,
		"CloudAssignedOobeConfig":              1310,
		"ZtdCorrelationId":                     "afabda9a-ccc0-478f-834d-581095733920",
		"CloudAssignedLanguage":                "en-GB",
	}
	for k, v := range set {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.MarshalIndent(m, "", "    ")
	return string(b)
}

func TestDecodeOOBEConfig(t *testing.T) {
	tests := []struct {
		v       int64
		names   []string
		unknown int64
	}{
		{28, []string{"SkipExpressSettings", "SkipOemRegistration", "SkipEula"}, 0},
		{264, []string{"SkipOemRegistration", "SkipWindowsUpgradeUX"}, 0},
		{286, []string{"OobeUserNotLocalAdmin", "SkipExpressSettings", "SkipOemRegistration", "SkipEula", "SkipWindowsUpgradeUX"}, 0},
		{1310, []string{"OobeUserNotLocalAdmin", "SkipExpressSettings", "SkipOemRegistration", "SkipEula", "SkipWindowsUpgradeUX", "SkipKeyboard"}, 0},
		{131, []string{"SkipCortanaOptIn", "OobeUserNotLocalAdmin", "AadTpmRequired"}, 0},
		{27, []string{"SkipCortanaOptIn", "OobeUserNotLocalAdmin", "SkipOemRegistration", "SkipEula"}, 0},
		{96, []string{"TpmAttestation", "AadDeviceAuth"}, 0},
		{512, []string{"EnablePatchDownload"}, 0},
		{0, nil, 0},
		{4096 + 8, []string{"SkipOemRegistration"}, 4096},
	}
	for _, tc := range tests {
		bits, unknown := DecodeOOBEConfig(tc.v)
		var names []string
		sum := int64(0)
		for _, b := range bits {
			names = append(names, b.Name)
			sum += b.Value
		}
		if !slices.Equal(names, tc.names) || unknown != tc.unknown || sum+unknown != tc.v {
			t.Errorf("DecodeOOBEConfig(%d) = %v + %d, want %v + %d", tc.v, names, unknown, tc.names, tc.unknown)
		}
	}
}

func TestOOBEConfigFor(t *testing.T) {
	tests := []struct {
		name string
		p    flow.Profile
		want int
	}{
		{"converter base", flow.Profile{UserType: flow.UserAdministrator}, 264},
		{"sample Entra profile", flow.Profile{UserType: flow.UserStandard, PrivacyHidden: true, EULAHidden: true, KeyboardSkipped: true}, 1310},
		{"sample hybrid profile", flow.Profile{UserType: flow.UserAdministrator, EULAHidden: true}, 280},
		{"self-deploying", flow.Profile{Mode: flow.ModeSelfDeploying}, 264 + 96},
	}
	for _, tc := range tests {
		if got := OOBEConfigFor(tc.p); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestConfigFile checks AutopilotConfigurationFile.json → profile, one rule per row.
func TestConfigFile(t *testing.T) {
	tests := []struct {
		name    string
		set     map[string]any
		lenient bool
		check   func(t *testing.T, p flow.Profile, tn *sim.World)
		finding []string // severity: line parts (one finding must contain them all)
		err     string   // a substring of the error; "" = no error
	}{
		{name: "sample values", check: func(t *testing.T, p flow.Profile, tn *sim.World) {
			want := flow.Profile{ID: "afabda9a-ccc0-478f-834d-581095733920", Name: "Fabrikam Lab - User-driven Entra join",
				Join: flow.JoinEntra, Mode: flow.ModeUserDriven, LocaleMode: flow.LocaleFixed, Locale: "en-GB",
				KeyboardSkipped: true, EULAHidden: true, PrivacyHidden: true, EscapeLinkHidden: true, UserType: flow.UserStandard,
				DeviceNameTemplate: "FAB-%SERIAL%"}
			if p.ID != want.ID || p.Name != want.Name || p.Join != want.Join || p.Mode != want.Mode || p.LocaleMode != want.LocaleMode ||
				p.Locale != want.Locale || p.KeyboardSkipped != want.KeyboardSkipped || p.EULAHidden != want.EULAHidden ||
				p.PrivacyHidden != want.PrivacyHidden || p.EscapeLinkHidden != want.EscapeLinkHidden || p.UserType != want.UserType ||
				p.DeviceNameTemplate != want.DeviceNameTemplate {
				t.Errorf("profile = %+v", p)
			}
			if tn.Organization.ID != "830ee90b-c3fc-4221-aff3-23dade68d311" || tn.Organization.DefaultDomain != "fabrikamlab.com" {
				t.Errorf("organization from the file = %+v", tn.Organization)
			}
		}},
		{name: "missing tenant id", set: map[string]any{"CloudAssignedTenantId": nil}, err: "c.json: missing required key CloudAssignedTenantId"},
		{name: "missing bitmask", set: map[string]any{"CloudAssignedOobeConfig": nil}, err: "c.json: missing required key CloudAssignedOobeConfig"},
		{name: "tenant id with braces", set: map[string]any{"CloudAssignedTenantId": "{830ee90b-c3fc-4221-aff3-23dade68d311}"},
			err: "c.json: $.CloudAssignedTenantId: want a GUID without braces"},
		{name: "tenant id not a GUID", set: map[string]any{"CloudAssignedTenantId": "fabrikamlab"}, err: `want a GUID like`},
		{name: "upper-case GUIDs are fine", set: map[string]any{"CloudAssignedTenantId": "830EE90B-C3FC-4221-AFF3-23DADE68D311"},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {}},
		{name: "join method 2", set: map[string]any{"CloudAssignedDomainJoinMethod": 2},
			err: "c.json: $.CloudAssignedDomainJoinMethod: want 0 (Entra join) or 1 (hybrid join), got 2"},
		{name: "hybrid ignores the name template", set: map[string]any{"CloudAssignedDomainJoinMethod": 1, "HybridJoinSkipDCConnectivityCheck": 1},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if p.Join != flow.JoinHybrid || p.DeviceNameTemplate != "" || !p.SkipDCCheck {
					t.Errorf("hybrid profile = %+v", p)
				}
			}, finding: []string{"warning", "$.CloudAssignedDeviceName", "ignored: hybrid join never uses a name template"}},
		{name: "skip DC check on Entra", set: map[string]any{"HybridJoinSkipDCConnectivityCheck": 1},
			finding: []string{"warning", "$.HybridJoinSkipDCConnectivityCheck", "ignored"}},
		{name: "self-deploying bits unsupported", set: map[string]any{"CloudAssignedOobeConfig": 1310 + 32 + 64},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if p.Mode != flow.ModeUserDriven {
					t.Errorf("mode = %s", p.Mode)
				}
			}, finding: []string{"warning", "$.CloudAssignedOobeConfig", "self-deploying", "does not support"}},
		{name: "unknown bits", set: map[string]any{"CloudAssignedOobeConfig": 4096 + 264},
			finding: []string{"warning", "undocumented bits 4096"}},
		{name: "negative bitmask", set: map[string]any{"CloudAssignedOobeConfig": -1}, err: "want a bitmask of 0 or more"},
		{name: "bitmask decoded bit by bit", set: map[string]any{"CloudAssignedOobeConfig": 264 + 16},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if !p.EULAHidden || p.PrivacyHidden || p.KeyboardSkipped || p.UserType != flow.UserAdministrator {
					t.Errorf("280 = %+v", p)
				}
			}},
		{name: "keyboard skipped without language", set: map[string]any{"CloudAssignedLanguage": nil, "CloudAssignedRegion": nil},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if p.LocaleMode != flow.LocaleOSDefault || !p.KeyboardSkipped {
					t.Errorf("profile = %+v", p)
				}
			}, finding: []string{"warning", "bit 1024 (skip keyboard) needs CloudAssignedLanguage"}},
		{name: "empty language is user-select", set: map[string]any{"CloudAssignedLanguage": "", "CloudAssignedRegion": nil},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if p.LocaleMode != flow.LocaleUserSelect {
					t.Errorf("locale mode = %s", p.LocaleMode)
				}
			}},
		{name: "user-select language", set: map[string]any{"CloudAssignedLanguage": "user-select", "CloudAssignedRegion": nil},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if p.LocaleMode != flow.LocaleUserSelect {
					t.Errorf("locale mode = %s", p.LocaleMode)
				}
			}},
		{name: "region differs", set: map[string]any{"CloudAssignedRegion": "en-US"}, finding: []string{"warning", "$.CloudAssignedRegion", `"en-US" differs`}},
		{name: "server data decoded as a string", set: map[string]any{
			"CloudAssignedAadServerData": `{"ZeroTouchConfig":{"CloudAssignedTenantUpn":"alex.wilber@fabrikamlab.com","ForcedEnrollment":1,"CloudAssignedTenantDomain":"fabrikamlab.com"}}`},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if tn.DeviceIdentity == nil || tn.DeviceIdentity.UPN != "alex.wilber@fabrikamlab.com" {
					t.Errorf("assigned UPN not taken from ZeroTouchConfig: %+v", tn.DeviceIdentity)
				}
				if _, ok := tn.Scenario.User("alex.wilber@fabrikamlab.com"); !ok {
					t.Error("the assigned user is not a scenario user")
				}
			}},
		{name: "server data not JSON", set: map[string]any{"CloudAssignedAadServerData": `{ZeroTouchConfig:1}`},
			err: "c.json: $.CloudAssignedAadServerData: the string does not hold valid JSON (character 2:"},
		{name: "server data wrong inner type", set: map[string]any{"CloudAssignedAadServerData": `{"ZeroTouchConfig":{"ForcedEnrollment":"yes"}}`},
			err: `c.json: $.CloudAssignedAadServerData.ZeroTouchConfig.ForcedEnrollment: want integer, got string "yes"`},
		{name: "server data as an object", set: map[string]any{"CloudAssignedAadServerData": map[string]any{"ZeroTouchConfig": map[string]any{"ForcedEnrollment": 1}}},
			err: "want a string holding JSON, got object (accepted only in lenient mode)"},
		{name: "server data as an object, lenient", lenient: true,
			set:     map[string]any{"CloudAssignedAadServerData": map[string]any{"ZeroTouchConfig": map[string]any{"ForcedEnrollment": 1}}},
			finding: []string{"warning", "an object instead of a string holding JSON"}},
		{name: "server data disagrees", set: map[string]any{"CloudAssignedAadServerData": `{"ZeroTouchConfig":{"ForcedEnrollment":0,"CloudAssignedTenantDomain":"contoso.com"}}`},
			finding: []string{"warning", "ZeroTouchConfig.ForcedEnrollment is 0 but CloudAssignedForcedEnrollment is 1"}},
		{name: "forced enrollment 0 shows the escape link", set: map[string]any{"CloudAssignedForcedEnrollment": 0,
			"CloudAssignedAadServerData": `{"ZeroTouchConfig":{"ForcedEnrollment":0}}`},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if p.EscapeLinkHidden {
					t.Error("escape link hidden")
				}
			}},
		{name: "number as a string, strict", set: map[string]any{"CloudAssignedOobeConfig": "1310"},
			err: `c.json: $.CloudAssignedOobeConfig: want integer, got string "1310" (numbers given as strings are accepted only in lenient mode)`},
		{name: "number as a string, lenient", set: map[string]any{"CloudAssignedOobeConfig": "1310"}, lenient: true,
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {
				if !p.KeyboardSkipped || p.UserType != flow.UserStandard {
					t.Errorf("bitmask from a string not decoded: %+v", p)
				}
			}, finding: []string{"warning", "c.json: $.CloudAssignedOobeConfig: number given as a string \"1310\"; accepted in lenient mode"}},
		{name: "boolean for a number, lenient", set: map[string]any{"CloudAssignedForcedEnrollment": true}, lenient: true,
			finding: []string{"warning", "$.CloudAssignedForcedEnrollment: boolean true given for a number; read as 1"}},
		{name: "boolean for a number, strict", set: map[string]any{"CloudAssignedForcedEnrollment": true},
			err: "$.CloudAssignedForcedEnrollment: want integer, got boolean"},
		{name: "unknown key is information", set: map[string]any{"CloudAssignedFooBar": 1},
			finding: []string{"info", "c.json: $.CloudAssignedFooBar: unknown key"}},
		{name: "profile cache keys tolerated", set: map[string]any{"CloudAssignedMdmId": "0000000a-0000-0000-c000-000000000000", "IsAutopilotDisabled": 0},
			check: func(t *testing.T, p flow.Profile, tn *sim.World) {}},
		{name: "invalid name template", set: map[string]any{"CloudAssignedDeviceName": "FAB %serial%"},
			err: `c.json: $.CloudAssignedDeviceName: "FAB %serial%" is not a valid name template`},
		{name: "version", set: map[string]any{"Version": 1}, finding: []string{"info", "$.Version", "2049"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tn, rep, err := LoadFS(mapFS(map[string]string{"c.json": configJSON(tc.set)}), "t", Options{Lenient: tc.lenient})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				if tn != nil {
					t.Error("a tenant came with the error")
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadFS: %v", err)
			}
			if f, _ := rep.File("c.json"); f.Kind != KindConfigFile {
				t.Errorf("file kind = %v", f.Kind)
			}
			if tc.check != nil {
				tc.check(t, tn.Profile, tn)
			}
			if tc.finding != nil {
				sev := map[string]Severity{"info": SeverityInfo, "warning": SeverityWarning}[tc.finding[0]]
				if !hasFinding(rep, sev, tc.finding[1:]...) {
					t.Errorf("no %s with %q in %q", tc.finding[0], tc.finding[1:], findingLines(rep))
				}
			}
		})
	}
}

func utf16LE(s string, bom bool) []byte {
	var out []byte
	if bom {
		out = append(out, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func utf16BE(s string, bom bool) []byte {
	var out []byte
	if bom {
		out = append(out, 0xFE, 0xFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

// TestEncodings checks the encoding rules: a configuration file must be ASCII/ANSI (Windows
// ignores UTF-8 with BOM and UTF-16; lenient mode loads them with a warning); Windows-1252
// bytes are decoded; Graph exports in UTF-16 or with a BOM are decoded.
func TestEncodings(t *testing.T) {
	cfg := strings.Replace(configJSON(nil), "Profile Fabrikam Lab - User-driven Entra join", "Profile Équipe Café", 1)
	ansi := []byte(strings.NewReplacer("É", "\xc9", "é", "\xe9").Replace(cfg))
	profile := `{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "displayName": "Équipe Café", "locale": "fr-FR"}`
	tests := []struct {
		name    string
		data    []byte
		lenient bool
		enc     Encoding
		err     string // substring of the error, "" for none
		finding []string
		title   string // the profile name expected after decoding
	}{
		{name: "ASCII configuration file", data: []byte(configJSON(nil)), enc: EncodingASCII, title: "Fabrikam Lab - User-driven Entra join"},
		{name: "ANSI configuration file", data: ansi, enc: EncodingWindows1252, title: "Équipe Café",
			finding: []string{"info", "ANSI (Windows-1252)"}},
		{name: "UTF-8 BOM configuration file", data: append([]byte("\xef\xbb\xbf"), cfg...), enc: EncodingUTF8BOM,
			err: "c.json: Windows would ignore this file: it is UTF-8 with BOM"},
		{name: "UTF-8 BOM configuration file, lenient", data: append([]byte("\xef\xbb\xbf"), cfg...), lenient: true, enc: EncodingUTF8BOM,
			finding: []string{"warning", "Windows would ignore this file", "loaded anyway in lenient mode"}, title: "Équipe Café"},
		{name: "UTF-16 LE configuration file", data: utf16LE(cfg, true), enc: EncodingUTF16LEBOM,
			err: "c.json: Windows would ignore this file: it is UTF-16 LE with BOM"},
		{name: "UTF-16 LE configuration file, lenient", data: utf16LE(cfg, true), lenient: true, enc: EncodingUTF16LEBOM,
			finding: []string{"warning", "Windows would ignore this file"}, title: "Équipe Café"},
		{name: "UTF-16 BE configuration file", data: utf16BE(cfg, true), enc: EncodingUTF16BEBOM, err: "Windows would ignore this file"},
		{name: "UTF-16 without BOM", data: utf16LE(cfg, false), enc: EncodingUTF16LE, err: "Windows would ignore this file: it is UTF-16 LE"},
		{name: "UTF-8 configuration file without BOM is read as ANSI", data: []byte(cfg), enc: EncodingUTF8, title: "Ã‰quipe CafÃ©",
			finding: []string{"warning", "UTF-8 without BOM: Windows reads AutopilotConfigurationFile.json as ANSI"}},
		{name: "Graph export in UTF-16 (PowerShell 5.1)", data: utf16LE(profile, true), enc: EncodingUTF16LEBOM, title: "Équipe Café",
			finding: []string{"info", "UTF-16 LE with BOM", "decoded"}},
		{name: "Graph export with BOM", data: append([]byte("\xef\xbb\xbf"), profile...), enc: EncodingUTF8BOM, title: "Équipe Café",
			finding: []string{"info", "UTF-8 with BOM; decoded"}},
		{name: "Graph export in ANSI", data: []byte(strings.NewReplacer("É", "\xc9", "é", "\xe9").Replace(profile)), enc: EncodingWindows1252,
			title: "Équipe Café", finding: []string{"warning", "not valid UTF-8: decoded as Windows-1252"}},
		{name: "UTF-8 Graph export", data: []byte(profile), enc: EncodingUTF8, title: "Équipe Café"},
		{name: "truncated UTF-16", data: append(utf16LE(profile, true), 'x'), enc: EncodingUTF16LEBOM,
			err: "c.json:1:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := mapFS(nil)
			fs["t/c.json"] = &fstest.MapFile{Data: tc.data}
			tn, rep, err := LoadFS(fs, "t", Options{Lenient: tc.lenient})
			if rep != nil {
				if f, _ := rep.File("c.json"); f.Encoding != tc.enc {
					t.Errorf("encoding = %q, want %q", f.Encoding, tc.enc)
				}
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if tn != nil {
					t.Error("tenant with an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadFS: %v", err)
			}
			if tn.Profile.Name != tc.title {
				t.Errorf("name = %q, want %q", tn.Profile.Name, tc.title)
			}
			if tc.finding != nil {
				sev := map[string]Severity{"info": SeverityInfo, "warning": SeverityWarning}[tc.finding[0]]
				if !hasFinding(rep, sev, tc.finding[1:]...) {
					t.Errorf("no %s with %q in %q", tc.finding[0], tc.finding[1:], findingLines(rep))
				}
			}
		})
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		in   []byte
		out  string
		enc  Encoding
		bad  bool
		name string
	}{
		{[]byte("{}"), "{}", EncodingASCII, false, "ascii"},
		{[]byte("\x80\x9f\xff"), "€Ÿÿ", EncodingWindows1252, false, "1252 specials"},
		{[]byte("\xef\xbb\xbf{\"a\":\"é\"}"), `{"a":"é"}`, EncodingUTF8BOM, false, "bom"},
		{[]byte("\xef\xbb\xbf\xff"), "\uFFFD", EncodingUTF8BOM, true, "bom, invalid"},
		{utf16LE("😀", true), "😀", EncodingUTF16LEBOM, false, "surrogate pair"},
		{[]byte{0xFF, 0xFE, 0x3D, 0xD8}, "\uFFFD", EncodingUTF16LEBOM, true, "unpaired surrogate"},
		{[]byte{0xFE, 0xFF, 0x00}, "\uFFFD", EncodingUTF16BEBOM, true, "odd length"},
	}
	for _, tc := range tests {
		got, enc, bad := decodeText(tc.in)
		if string(got) != tc.out || enc != tc.enc || bad != tc.bad {
			t.Errorf("%s: %q %s %v, want %q %s %v", tc.name, got, enc, bad, tc.out, tc.enc, tc.bad)
		}
	}
}

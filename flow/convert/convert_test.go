package convert

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
)

// samplesDir holds the sample Graph exports (samples/ at the repository root).
var samplesDir = filepath.Join("..", "..", "samples")

// loadSamples loads the named sample files together, as a tenant folder holding only them.
func loadSamples(t *testing.T, names ...string) *sim.World {
	t.Helper()
	if _, err := os.Stat(samplesDir); err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
	fsys := fstest.MapFS{}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(samplesDir, n))
		if err != nil {
			t.Fatal(err)
		}
		fsys[n] = &fstest.MapFile{Data: data}
	}
	tn, err := tenant.Load(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

// TestEntraSampleByteForByte: the Entra sample profile with the sample organization converts
// to exactly the sample AutopilotConfigurationFile.json.
func TestEntraSampleByteForByte(t *testing.T) {
	tn := loadSamples(t, "deployment-profile-entra.json", "organization.json")
	want, err := os.ReadFile(filepath.Join(samplesDir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Convert(tn.Profile, tn.Organization)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Data, want) {
		t.Errorf("output differs from the sample:\n--- got\n%s\n--- want\n%s", res.Data, want)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("unexpected warnings: %q", res.Warnings)
	}
	data, err := ConfigFile(tn.Profile, tn.Organization)
	if err != nil || !bytes.Equal(data, want) {
		t.Errorf("ConfigFile differs from Convert (err %v)", err)
	}
}

// decode parses a converted file and its CloudAssignedAadServerData string.
func decode(t *testing.T, data []byte) (top map[string]any, ztc map[string]any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, data)
	}
	s, ok := top["CloudAssignedAadServerData"].(string)
	if !ok {
		t.Fatalf("CloudAssignedAadServerData is %T, want a string", top["CloudAssignedAadServerData"])
	}
	var inner map[string]map[string]any
	dec = json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&inner); err != nil {
		t.Fatalf("CloudAssignedAadServerData is not JSON: %v: %q", err, s)
	}
	return top, inner["ZeroTouchConfig"]
}

func num(v any) string {
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	return "not a number"
}

// TestHybridSample: the README's values for the hybrid profile, and the file layout.
func TestHybridSample(t *testing.T) {
	tn := loadSamples(t, "deployment-profile-hybrid-skipcheck.json", "domain-join-configuration.json", "organization.json")
	res, err := Convert(tn.Profile, tn.Organization)
	if err != nil {
		t.Fatal(err)
	}
	top, ztc := decode(t, res.Data)
	for k, want := range map[string]string{
		"CloudAssignedOobeConfig":              "280",
		"CloudAssignedDomainJoinMethod":        "1",
		"HybridJoinSkipDCConnectivityCheck":    "1",
		"CloudAssignedForcedEnrollment":        "1",
		"Version":                              "2049",
		"CloudAssignedAutopilotUpdateDisabled": "1",
		"CloudAssignedAutopilotUpdateTimeout":  "1800000",
	} {
		if got := num(top[k]); got != want {
			t.Errorf("%s = %s, want %s", k, got, want)
		}
	}
	for _, k := range []string{"CloudAssignedLanguage", "CloudAssignedRegion", "CloudAssignedDeviceName"} {
		if v, ok := top[k]; ok {
			t.Errorf("%s = %v, want absent", k, v)
		}
	}
	for k, want := range map[string]string{
		"CloudAssignedTenantId":     "830ee90b-c3fc-4221-aff3-23dade68d311",
		"CloudAssignedTenantDomain": "fabrikamlab.com",
		"ZtdCorrelationId":          "67a90f9c-50ec-4bf4-81fd-6187dd7b3259",
		"Comment_File":              "Profile Fabrikam Lab - Hybrid join over VPN",
	} {
		if got := top[k]; got != want {
			t.Errorf("%s = %v, want %q", k, got, want)
		}
	}
	if num(ztc["ForcedEnrollment"]) != "1" || ztc["CloudAssignedTenantDomain"] != "fabrikamlab.com" || ztc["CloudAssignedTenantUpn"] != "" {
		t.Errorf("ZeroTouchConfig = %v", ztc)
	}
	golden := filepath.Join("testdata", "hybrid-skipcheck.AutopilotConfigurationFile.json")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, res.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Data, want) {
		t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", golden, res.Data, want)
	}
}

var fabrikam = flow.Organization{
	ID: "830ee90b-c3fc-4221-aff3-23dade68d311", DefaultDomain: "fabrikamlab.com",
	InitialDomain: "fabrikamlab.onmicrosoft.com",
}

// base is a user-driven Entra profile with every OOBE option at its Graph default.
func base() flow.Profile {
	p := flow.DefaultProfile()
	p.ID = "afabda9a-ccc0-478f-834d-581095733920"
	p.Name = "Test"
	return p
}

// TestBitsAndFlags changes one setting at a time and checks the values it drives.
func TestBitsAndFlags(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(*flow.Profile)
		want   map[string]string // key → JSON value as written ("" = absent)
		warned string
	}{
		{"defaults", func(*flow.Profile) {}, map[string]string{
			"CloudAssignedOobeConfig": "264", "CloudAssignedDomainJoinMethod": "0", "CloudAssignedForcedEnrollment": "0",
			"CloudAssignedLanguage": "", "CloudAssignedRegion": "", "CloudAssignedDeviceName": "",
			"HybridJoinSkipDCConnectivityCheck": "",
		}, ""},
		{"standard user", func(p *flow.Profile) { p.UserType = flow.UserStandard }, map[string]string{"CloudAssignedOobeConfig": "266"}, ""},
		{"privacy hidden", func(p *flow.Profile) { p.PrivacyHidden = true }, map[string]string{"CloudAssignedOobeConfig": "268"}, ""},
		{"EULA hidden", func(p *flow.Profile) { p.EULAHidden = true }, map[string]string{"CloudAssignedOobeConfig": "280"}, ""},
		{"keyboard skipped with language", func(p *flow.Profile) {
			p.KeyboardSkipped, p.LocaleMode, p.Locale = true, flow.LocaleFixed, "de-DE"
		}, map[string]string{"CloudAssignedOobeConfig": "1288", "CloudAssignedLanguage": `"de-DE"`, "CloudAssignedRegion": `"de-DE"`}, ""},
		{"keyboard skipped, os-default", func(p *flow.Profile) { p.KeyboardSkipped = true },
			map[string]string{"CloudAssignedOobeConfig": "1288", "CloudAssignedLanguage": "", "CloudAssignedRegion": ""}, "sets no language"},
		{"keyboard skipped, user select", func(p *flow.Profile) { p.KeyboardSkipped, p.LocaleMode = true, flow.LocaleUserSelect },
			map[string]string{"CloudAssignedOobeConfig": "1288", "CloudAssignedLanguage": ""}, "sets no language"},
		{"language without keyboard skipping", func(p *flow.Profile) { p.LocaleMode, p.Locale = flow.LocaleFixed, "fr-CA" },
			map[string]string{"CloudAssignedOobeConfig": "264", "CloudAssignedLanguage": "", "CloudAssignedRegion": ""}, ""},
		{"self-deploying", func(p *flow.Profile) { p.Mode = flow.ModeSelfDeploying }, map[string]string{"CloudAssignedOobeConfig": "360"}, "does not support self-deploying"},
		{"escape link hidden", func(p *flow.Profile) { p.EscapeLinkHidden = true }, map[string]string{"CloudAssignedForcedEnrollment": "1"}, ""},
		{"name template", func(p *flow.Profile) { p.DeviceNameTemplate = "LAB-%RAND:5%" }, map[string]string{"CloudAssignedDeviceName": `"LAB-%RAND:5%"`}, ""},
		{"hybrid", func(p *flow.Profile) { p.Join = flow.JoinHybrid }, map[string]string{
			"CloudAssignedDomainJoinMethod": "1", "HybridJoinSkipDCConnectivityCheck": "",
		}, ""},
		{"hybrid skip DC check", func(p *flow.Profile) { p.Join, p.SkipDCCheck = flow.JoinHybrid, true }, map[string]string{
			"CloudAssignedDomainJoinMethod": "1", "HybridJoinSkipDCConnectivityCheck": "1",
		}, ""},
		{"skip DC check on Entra ignored", func(p *flow.Profile) { p.SkipDCCheck = true }, map[string]string{"HybridJoinSkipDCConnectivityCheck": ""}, ""},
		{"hybrid drops name template", func(p *flow.Profile) { p.Join, p.DeviceNameTemplate = flow.JoinHybrid, "X-%SERIAL%" },
			map[string]string{"CloudAssignedDeviceName": ""}, "never uses a name template"},
		{"pre-provisioning", func(p *flow.Profile) { p.PreprovisioningAllowed = true }, map[string]string{"CloudAssignedOobeConfig": "264"}, "pre-provisioning"},
		{"everything", func(p *flow.Profile) {
			p.UserType, p.PrivacyHidden, p.EULAHidden, p.KeyboardSkipped = flow.UserStandard, true, true, true
			p.LocaleMode, p.Locale, p.Mode = flow.LocaleFixed, "en-US", flow.ModeSelfDeploying
		}, map[string]string{"CloudAssignedOobeConfig": "1406"}, "self-deploying"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base()
			c.edit(&p)
			res, err := Convert(p, fabrikam)
			if err != nil {
				t.Fatal(err)
			}
			lines := map[string]string{}
			for _, l := range strings.Split(strings.TrimSuffix(string(res.Data), "\r\n"), "\r\n") {
				if k, v, ok := strings.Cut(strings.TrimSpace(l), ":  "); ok {
					lines[strings.Trim(k, `"`)] = strings.TrimSuffix(v, ",")
				}
			}
			for k, want := range c.want {
				if got := lines[k]; got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if c.warned == "" && len(res.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", res.Warnings)
			}
			if c.warned != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), c.warned) {
				t.Errorf("warnings %q lack %q", res.Warnings, c.warned)
			}
			top, ztc := decode(t, res.Data)
			if num(ztc["ForcedEnrollment"]) != num(top["CloudAssignedForcedEnrollment"]) {
				t.Errorf("ForcedEnrollment %v inside ZeroTouchConfig, %v at the top", ztc["ForcedEnrollment"], top["CloudAssignedForcedEnrollment"])
			}
		})
	}
}

// TestOobeConfigBits: each setting adds exactly its bit to the base 264.
func TestOobeConfigBits(t *testing.T) {
	if got := OobeConfig(base()); got != 264 || BaseOobeConfig != 264 {
		t.Fatalf("base %d (const %d), want 264", got, BaseOobeConfig)
	}
	for _, c := range []struct {
		name string
		edit func(*flow.Profile)
		bits int
	}{
		{"standard", func(p *flow.Profile) { p.UserType = flow.UserStandard }, BitStandardUser},
		{"privacy", func(p *flow.Profile) { p.PrivacyHidden = true }, BitPrivacyHidden},
		{"eula", func(p *flow.Profile) { p.EULAHidden = true }, BitEULAHidden},
		{"keyboard", func(p *flow.Profile) { p.KeyboardSkipped = true }, BitKeyboardSkipped},
		{"self-deploying", func(p *flow.Profile) { p.Mode = flow.ModeSelfDeploying }, BitTPMAttestation | BitAADDeviceAuth},
		{"escape link (no bit)", func(p *flow.Profile) { p.EscapeLinkHidden = true }, 0},
		{"hybrid (no bit)", func(p *flow.Profile) { p.Join = flow.JoinHybrid }, 0},
	} {
		p := base()
		c.edit(&p)
		if got := OobeConfig(p); got != 264+c.bits {
			t.Errorf("%s: %d, want %d", c.name, got, 264+c.bits)
		}
	}
}

// TestASCIIOnly: names with non-ASCII, HTML-like and control characters come out as ASCII
// escapes that decode back to the original.
func TestASCIIOnly(t *testing.T) {
	names := []string{
		"Profil für Büro – München",
		"Ventes & Marketing <FR> l'équipe",
		"日本語プロファイル",
		"emoji 🚀 and \"quotes\" \\ tab\there\nnewline\x01",
	}
	for _, name := range names {
		p := base()
		p.Name = name
		org := fabrikam
		org.DefaultDomain = "contoso.com"
		res, err := Convert(p, org)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range res.Data {
			if c >= 0x80 {
				t.Fatalf("%q: byte %d is 0x%02x, not ASCII:\n%s", name, i, c, res.Data)
			}
		}
		top, _ := decode(t, res.Data)
		if got := top["Comment_File"]; got != "Profile "+name {
			t.Errorf("Comment_File decodes to %q, want %q", got, "Profile "+name)
		}
	}
	if got, want := quote("a<b>&'é🚀"), `"a\u003cb\u003e\u0026\u0027\u00e9\ud83d\ude80"`; got != want {
		t.Errorf("quote = %s, want %s", got, want)
	}
}

// TestLayout: CRLF only, four-space indent, two spaces after the colon, final CRLF.
func TestLayout(t *testing.T) {
	res, err := Convert(base(), fabrikam)
	if err != nil {
		t.Fatal(err)
	}
	s := string(res.Data)
	if !strings.HasPrefix(s, "{\r\n") || !strings.HasSuffix(s, "\r\n}\r\n") {
		t.Errorf("not framed by {CRLF … CRLF}CRLF: %q", s)
	}
	if strings.Count(s, "\n") != strings.Count(s, "\r\n") {
		t.Error("bare LF in output")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	for _, l := range lines[1 : len(lines)-1] {
		if !strings.HasPrefix(l, `    "`) || !strings.Contains(l, `":  `) {
			t.Errorf("line %q is not PowerShell 5.1 style", l)
		}
	}
	if strings.HasSuffix(lines[len(lines)-2], ",") {
		t.Error("trailing comma on the last member")
	}
}

// TestErrors: missing required values fail with one line naming each.
func TestErrors(t *testing.T) {
	p := base()
	p.ID = ""
	_, err := Convert(p, flow.Organization{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"ZtdCorrelationId", "CloudAssignedTenantId", "CloudAssignedTenantDomain"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
	// The initial domain stands in for a missing default domain.
	res, err := Convert(base(), flow.Organization{ID: fabrikam.ID, InitialDomain: "fabrikamlab.onmicrosoft.com"})
	if err != nil {
		t.Fatal(err)
	}
	if top, _ := decode(t, res.Data); top["CloudAssignedTenantDomain"] != "fabrikamlab.onmicrosoft.com" {
		t.Errorf("CloudAssignedTenantDomain = %v", top["CloudAssignedTenantDomain"])
	}
	// A tenant id that is not a GUID converts with a warning.
	res, err = Convert(base(), flow.Organization{ID: "{" + fabrikam.ID + "}", DefaultDomain: "x.com"})
	if err != nil || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "not a GUID") {
		t.Errorf("braced tenant id: err %v, warnings %q", err, res.Warnings)
	}
}

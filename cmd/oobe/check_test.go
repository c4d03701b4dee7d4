package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// samplesDir holds the sample Graph exports (samples/ at the repository root).
const samplesDir = "../../samples"

func needSamples(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(samplesDir); err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
}

func runArgs(args []string, e func(string) string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, e, &out, &errb)
	return code, out.String(), errb.String()
}

// TestCheckSamples: `oobe check samples` prints each sample's settings and screens as the
// samples README says.
func TestCheckSamples(t *testing.T) {
	needSamples(t)
	code, out, errs := runArgs([]string{"check", samplesDir}, env())
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		": valid (0 errors, 0 warnings,",
		"Fabrikam Training Lab (tenant id 830ee90b-c3fc-4221-aff3-23dade68d311)",
		"fabrikamlab.onmicrosoft.com (initial), fabrikamlab.com (default)",
		`assigned user    alex.wilber@fabrikamlab.com, greeting "Alex"`,
		// deployment-profile-entra.json
		`Profile "Fabrikam Lab - User-driven Entra join" — deployment-profile-entra.json — APPLIES to this device`,
		"join             entra, mode userDriven",
		"locale           en-GB (fixed)",
		"user type        standard",
		"FAB-%SERIAL% with serial 5CG4281QZT → FAB-5CG4281QZT (14 characters)",
		"CloudAssignedOobeConfig 1310 (2+4+8+16+256+1024)",
		"region → keyboard → keyboard2 → network → updates → signin (password only, UPN alex.wilber@fabrikamlab.com pre-filled, greeting \"Alex\", no escape link) → esp-device (Device preparation, Device setup) → fsia → esp-account (Account setup, first user only) → quality-updates → whfb",
		"screens Ethernet updates → signin (password only",
		// hybrid
		`Profile "Fabrikam Lab - Hybrid join over VPN" — deployment-profile-hybrid-skipcheck.json — does not apply`,
		"skip DC check    yes",
		"user type        administrator",
		"Domain Join prefix FABHY- + 9 random characters (15 characters)",
		"CloudAssignedOobeConfig 280 (8+16+256)",
		"esp-device (Device preparation incl. offline domain join, Device setup) → privacy → windows-signin → fsia",
		"Ctrl+Alt+Del, on-premises AD credentials",
		"expect a VPN app in Device setup",
		"OU=Autopilot,OU=Workstations,DC=corp,DC=fabrikamlab,DC=com",
		// ESP
		"blocking         yes: Block device use until all apps and profiles are installed (Graph blockDeviceSetupRetryByUser false)",
		"timeout 60 minutes per phase",
		"3 selected:",
		"quality updates  yes",
		"account setup    first user only",
		"on failure       Try again, Reset device, Collect logs, View diagnostics; not offered: Continue anyway",
		`error text       custom: "Setup couldn't finish.`,
		// branding
		`username hint    "firstname.lastname@fabrikamlab.com" (34/64 characters)`,
		"(108/1024 characters)",
		"background       #0F3D6E",
		"square logo      https://aadcdn.msftauthimages.net/830ee90b-gqz-4n1x8kfw2tq7vyr0m5ha3uxcjbde6p9slo4iw/logintenantbranding/0/tilelogo?ts=638420113254421117",
		"de-DE            overrides text, hint; background, logo from the default",
		`fr-FR            overrides background; text, hint blank (" ") → default`,
		// AutopilotConfigurationFile.json
		"AutopilotConfigurationFile.json \"Fabrikam Lab - User-driven Entra join\" (Entra join) [ASCII, CRLF]",
		"CloudAssignedOobeConfig 1310 = 2 OobeUserNotLocalAdmin + 4 SkipExpressSettings + 8 SkipOemRegistration + 16 SkipEula + 256 SkipWindowsUpgradeUX + 1024 SkipKeyboard",
		`ZeroTouchConfig: CloudAssignedTenantUpn "", ForcedEnrollment 1, CloudAssignedTenantDomain "fabrikamlab.com"`,
		"DomainJoinMethod 0, ForcedEnrollment 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
	// No EULA and no privacy page for the Entra profile.
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "screens Wi-Fi") && strings.Contains(l, "greeting \"Alex\"") && (strings.Contains(l, "eula") || strings.Contains(l, "privacy")) {
			t.Errorf("EULA or privacy page in the Entra plan: %s", l)
		}
	}
}

// TestCheckJSON: --json prints the same data for scripts.
func TestCheckJSON(t *testing.T) {
	needSamples(t)
	code, out, _ := runArgs([]string{"check", "--json", samplesDir}, env())
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Valid   bool
		Results []struct {
			Valid    bool
			Files    []struct{ File, Kind, Encoding string }
			Profiles []struct {
				File, Join, Locale, ComputerName string
				Applies                          bool
				OOBEConfig                       int
				WiFi, Ethernet                   []struct{ ID string }
			}
			Tenant struct{ ESP struct{ Buttons []string } }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !doc.Valid || len(doc.Results) != 1 || len(doc.Results[0].Files) != 9 || len(doc.Results[0].Profiles) != 3 {
		t.Fatalf("document = %+v", doc)
	}
	p := doc.Results[0].Profiles[0]
	if !p.Applies || p.Join != "entra" || p.ComputerName != "FAB-5CG4281QZT" || p.OOBEConfig != 1310 {
		t.Errorf("applying profile = %+v", p)
	}
	ids := func(ss []struct{ ID string }) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	after := []string{"esp-device", "fsia", "esp-account", "quality-updates", "whfb", "desktop"}
	if got := ids(p.Ethernet); !slices.Equal(got, append([]string{"updates", "signin"}, after...)) {
		t.Errorf("Ethernet screens %v", got)
	}
	if got := ids(p.WiFi); !slices.Equal(got[len(got)-12:], append([]string{"region", "keyboard", "keyboard2", "network", "updates", "signin"}, after...)) {
		t.Errorf("Wi-Fi screens %v", got)
	}
	if b := doc.Results[0].Tenant.ESP.Buttons; !slices.Equal(b, []string{"Try again", "Reset device", "Collect logs", "View diagnostics"}) {
		t.Errorf("ESP buttons %v", b)
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

const goodConfig = `{"CloudAssignedTenantId": "830ee90b-c3fc-4221-aff3-23dade68d311", "CloudAssignedTenantDomain": "x.com",
 "CloudAssignedOobeConfig": 286, "CloudAssignedDomainJoinMethod": 0, "CloudAssignedForcedEnrollment": 1,
 "ZtdCorrelationId": "afabda9a-ccc0-478f-834d-581095733920",
 "CloudAssignedAadServerData": "{\"ZeroTouchConfig\":{\"CloudAssignedTenantUpn\":\"\",\"ForcedEnrollment\":1,\"CloudAssignedTenantDomain\":\"x.com\"}}"}`

// TestCheckExitCodes: 0 valid, 1 not valid, 2 usage errors; errors printed one per line.
func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	broken := writeFile(t, dir, "broken.json", []byte("{\n  \"@odata.type\": \"#microsoft.graph.azureADWindowsAutopilotDeploymentProfile\",\n  \"locale\": en-GB\n}"))
	typed := writeFile(t, dir, "typed.json", []byte(`{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "outOfBoxExperienceSetting": {"eulaHidden": "yes"}}`))
	unicode := writeFile(t, dir, "AutopilotConfigurationFile.json", utf16LE(goodConfig))
	ansi := writeFile(t, dir, "ansi.json", []byte(strings.Replace(goodConfig, `"x.com",`, `"x.com", "Comment_File": "Profile Caf`+"\xe9"+`",`, 1)))
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"no path", []string{"check"}, 2, nil, "oobe check: no file or folder given"},
		{"unknown flag", []string{"check", "--frobnicate", dir}, 2, nil, "unknown flag: --frobnicate"},
		{"help", []string{"check", "--help"}, 0, []string{"oobe check [flags] PATH...", "--json", "--lenient", "--scenario"}, ""},
		{"missing path", []string{"check", filepath.Join(dir, "nope")}, 1, []string{"NOT VALID", "error: stat"}, ""},
		{"syntax error", []string{"check", broken}, 1, []string{"NOT VALID (1 error", "broken.json:3:13: invalid character 'e' looking for beginning of value"}, ""},
		{"type error", []string{"check", typed}, 1, []string{"typed.json: $.outOfBoxExperienceSetting.eulaHidden: want boolean, got string"}, ""},
		{"UTF-16 configuration file", []string{"check", unicode}, 1, []string{"Windows would ignore this file: it is UTF-16 LE with BOM"}, ""},
		{"UTF-16 configuration file, lenient", []string{"check", "--lenient", unicode}, 0, []string{"valid (0 errors, 1 warning", "loaded anyway in lenient mode"}, ""},
		{"lenient from the environment", []string{"check", unicode}, 0, []string{"loaded anyway in lenient mode"}, ""},
		{"ANSI configuration file", []string{"check", ansi}, 0, []string{`Profile "Café"`, "[Windows-1252]", "CloudAssignedOobeConfig 286 = 2 OobeUserNotLocalAdmin + 4 SkipExpressSettings + 8 SkipOemRegistration + 16 SkipEula + 256 SkipWindowsUpgradeUX"}, ""},
		{"one bad path among good ones", []string{"check", ansi, broken}, 1, []string{"ansi.json: valid", "broken.json: NOT VALID"}, ""},
		{"JSON on error", []string{"check", "--json", broken}, 1, []string{`"valid": false`, `"line": 3`, `"column": 13`}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := env()
			if strings.Contains(tc.name, "environment") {
				e = env("OOBE_LENIENT", "true")
			}
			code, out, errs := runArgs(tc.args, e)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.code, out, errs)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errs, tc.stderr) {
				t.Errorf("stderr %q lacks %q", errs, tc.stderr)
			}
		})
	}
}

// TestTenantFlags: the import runs before the terminal check; any import error prints its
// lines on stderr and exits 1 without touching the terminal.
func TestTenantFlags(t *testing.T) {
	dir := t.TempDir()
	bad := t.TempDir()
	writeFile(t, bad, "p.json", []byte("{\n  \"@odata.type\": \"#microsoft.graph.azureADWindowsAutopilotDeploymentProfile\",\n  \"deviceNameTemplate\": \"X %serial%\",\n}"))
	writeFile(t, bad, "e.json", []byte(`{"showInstallationProgress": "true"}`))
	esp := writeFile(t, dir, "esp.json", []byte(`{"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration", "priority": 1, "showInstallationProgress": true}`))
	prof := writeFile(t, dir, "profile.json", []byte(`{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "displayName": "P"}`))
	cfg := writeFile(t, dir, "cfg.json", utf16LE(goodConfig))
	scen := writeFile(t, dir, "scen.json", []byte(`{"$schema": "oobe-scenario/1", "wifi": [{"ssid": "A", "signal": 9, "security": "open"}]}`))
	goodScen := writeFile(t, dir, "good-scen.json", []byte(`{"$schema": "oobe-scenario/1", "wifi": [{"ssid": "A", "signal": 3, "security": "open", "internet": true}]}`))
	const noTTY = "needs an interactive terminal"
	tests := []struct {
		name   string
		args   []string
		env    func(string) string
		code   int
		stderr []string // each must appear as a line
		noTTY  bool     // the import succeeded: the terminal check was reached
	}{
		{"embedded by default", nil, env(), 1, nil, true},
		{"broken folder", []string{"--tenant", bad}, env(), 1, []string{
			"oobe: " + filepath.Join(bad, "e.json") + `: $.showInstallationProgress: want boolean, got string`,
			"oobe: " + filepath.Join(bad, "p.json") + ":4:1: invalid character '}' looking for beginning of object key string",
		}, false},
		{"broken folder from OOBE_TENANT", nil, env("OOBE_TENANT", bad), 1, []string{
			"oobe: " + filepath.Join(bad, "e.json") + `: $.showInstallationProgress: want boolean, got string`,
			"oobe: " + filepath.Join(bad, "p.json") + ":4:1: invalid character '}' looking for beginning of object key string",
		}, false},
		{"missing folder", []string{"--tenant", filepath.Join(dir, "nope")}, env(), 1, []string{"oobe: stat " + filepath.Join(dir, "nope") + ": no such file or directory"}, false},
		{"single files", []string{"--profile", prof, "--esp", esp}, env(), 1, nil, true},
		{"profile flag given an ESP", []string{"--profile", esp}, env(), 1, []string{
			"oobe: " + esp + ": want a deployment profile, but the file holds an Enrollment Status Page configuration"}, false},
		{"UTF-16 configuration file", []string{"--config-file", cfg}, env(), 1, []string{
			"oobe: " + cfg + ": Windows would ignore this file: it is UTF-16 LE with BOM, and AutopilotConfigurationFile.json must be ANSI or ASCII (the device would go through normal OOBE); save it as ANSI, or load it anyway in lenient mode"}, false},
		{"UTF-16 configuration file, lenient", []string{"--config-file", cfg, "--lenient"}, env(), 1, nil, true},
		{"invalid scenario", []string{"--scenario", scen}, env(), 1, []string{"oobe: " + scen + ": $.wifi[0].signal: want 1 to 4, got 9"}, false},
		{"scenario alone", []string{"--scenario", goodScen}, env(), 1, nil, true},
		{"samples", []string{"--tenant", samplesDir}, env(), 1, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "samples" {
				needSamples(t)
			}
			code, _, errs := runArgs(tc.args, tc.env)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errs)
			}
			lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
			for _, w := range tc.stderr {
				if !slices.Contains(lines, w) {
					t.Errorf("stderr lines %q\nlack %q", lines, w)
				}
			}
			if got := strings.Contains(errs, noTTY); got != tc.noTTY {
				t.Errorf("terminal check reached = %v, want %v; stderr %q", got, tc.noTTY, errs)
			}
			if !tc.noTTY && len(lines) != len(tc.stderr) {
				t.Errorf("%d stderr lines, want %d: %q", len(lines), len(tc.stderr), lines)
			}
		})
	}
}

// TestHelpListsTenantFlags keeps --help honest about the tenant flags.
func TestHelpListsTenantFlags(t *testing.T) {
	_, out, _ := runArgs([]string{"--help"}, env())
	for _, f := range []string{"--tenant", "--profile", "--esp", "--branding", "--config-file", "--scenario", "--lenient", "oobe check"} {
		if !strings.Contains(out, f) {
			t.Errorf("--help lacks %s", f)
		}
	}
}

// TestCheckPrintsNoEscapes: tenant strings that carry terminal escape sequences (a window
// title, a clipboard write by OSC 52, clearing the screen) and control characters reach the
// terminal as plain text only: the text output holds no control character but the line
// ends, and the JSON output carries the strings as they are, escaped.
func TestCheckPrintsNoEscapes(t *testing.T) {
	needSamples(t)
	dir := t.TempDir()
	entries, err := os.ReadDir(samplesDir)
	if err != nil {
		t.Fatal(err)
	}
	const (
		org     = "Fabrikam\x1b]0;pwned\x07 Training\x1b]52;c;cHduZWQ=\x07 Lab\x1b[2J"
		orgSeen = "Fabrikam Training Lab (tenant id"
	)
	replace := map[string][2]string{
		"organization.json":             {`"Fabrikam Training Lab"`, jsonString(t, org)},
		"deployment-profile-entra.json": {`"Fabrikam Lab - User-driven Entra join"`, jsonString(t, "Fabrikam\r\n== forged: valid\u009b2J\x1bc")},
		"organizational-branding.json":  {`"Fabrikam Training Lab devices`, `"\u001b]8;;https://evil.example\u001b\\Fabrikam Training Lab devices`},
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(samplesDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := replace[e.Name()]; ok {
			if !bytes.Contains(data, []byte(r[0])) {
				t.Fatalf("%s lacks %s", e.Name(), r[0])
			}
			data = bytes.Replace(data, []byte(r[0]), []byte(r[1]), 1)
		}
		writeFile(t, dir, e.Name(), data)
	}

	code, out, errs := runArgs([]string{"check", dir}, env())
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Fatalf("the output holds %U at byte %d: %q", r, i, out[max(0, i-40):min(len(out), i+40)])
		}
	}
	for _, want := range []string{orgSeen, `Profile "Fabrikam\r\n== forged: valid` /* quoted */, "Fabrikam Training Lab devices are for course use only."} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\n== forged") {
		t.Errorf("a newline in a tenant string started a line of its own:\n%s", out)
	}

	code, out, _ = runArgs([]string{"check", "--json", dir}, env())
	if code != 0 {
		t.Fatalf("--json: exit %d", code)
	}
	var doc struct {
		Results []struct {
			Tenant struct{ Organization struct{ Name string } }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json: not JSON: %v\n%s", err, out)
	}
	if len(doc.Results) != 1 || doc.Results[0].Tenant.Organization.Name != org {
		t.Errorf("--json: the organization is %+v, want the name as exported %q", doc, org)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("--json: raw escape bytes in the JSON text")
	}
}

// jsonString is s as a JSON string literal.
func jsonString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTenantErrorsPrintNoEscapes: the import errors the emulator prints quote file names and
// contents; an escape sequence in them reaches stderr as text only.
func TestTenantErrorsPrintNoEscapes(t *testing.T) {
	bad := t.TempDir()
	writeFile(t, bad, "e\x1b]0;pwned\x07.json", []byte(`{"showInstallationProgress": "true"}`))
	code, _, errs := runArgs([]string{"--tenant", bad}, env())
	if code != 1 || !strings.Contains(errs, "e.json: $.showInstallationProgress: want boolean, got string") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if strings.ContainsAny(errs, "\x1b\x07") {
		t.Errorf("stderr holds an escape sequence: %q", errs)
	}
}

// TestCheckReportsEveryFinding (issue 8): in strict mode a file with several type errors is
// reported whole, every error in turn, not only the first; --profile says the one problem
// of a file in one line.
func TestCheckReportsEveryFinding(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.json")
	if err := os.WriteFile(p, []byte(`{
  "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
  "displayName": 7,
  "outOfBoxExperienceSetting": {"deviceUsageType": "shared", "privacySettingsHidden": "yes"}
}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"check", p}, env(), &out, &errb); code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"$.displayName: want string, got number", "$.outOfBoxExperienceSetting.privacySettingsHidden: want boolean, got string"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check lacks %q:\n%s", want, out.String())
		}
	}
	single := filepath.Join(dir, "s.json")
	if err := os.WriteFile(single, []byte(`{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "displayName": 7}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"--profile", single}, env(), &out, &errb); code != 1 || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("--profile with one problem: exit %d, stderr %q; want one line", code, errb.String())
	}
}

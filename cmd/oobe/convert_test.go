package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Invented fixtures for "oobe convert".
const (
	convProfile = `{
  "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
  "id": "1b2c3d4e-0000-4000-8000-00000000abcd",
  "displayName": "Lab",
  "locale": "de-DE",
  "deviceNameTemplate": "LAB-%RAND:6%",
  "outOfBoxExperienceSetting": {
    "privacySettingsHidden": true, "eulaHidden": true, "userType": "standard",
    "deviceUsageType": "singleUser", "keyboardSelectionPageSkipped": true, "escapeLinkHidden": false
  }
}`
	convSelfDeploying = `{
  "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
  "id": "1b2c3d4e-0000-4000-8000-00000000abce",
  "displayName": "Kiosk",
  "outOfBoxExperienceSetting": {"deviceUsageType": "shared", "escapeLinkHidden": true}
}`
	convOrg = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization/$entity",
  "id": "0f1e2d3c-1111-4222-8333-444455556666",
  "displayName": "Contoso Lab",
  "verifiedDomains": [
    {"name": "contosolab.onmicrosoft.com", "isDefault": false, "isInitial": true},
    {"name": "contosolab.example", "isDefault": true, "isInitial": false}
  ]
}`
)

// writeFiles writes name → content into a new temporary folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runConv(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(append([]string{"convert"}, args...), env(), &out, &errb)
	return code, out.String(), errb.String()
}

// TestConvertExitCodes: usage errors exit 2, bad input 1, each with one line on stderr naming
// the file; help goes to stdout.
func TestConvertExitCodes(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"profile.json": convProfile,
		"org.txt.json": convOrg,
		"broken.json":  "{\n  \"id\": ,\n}",
		"empty.json":   "",
		"wrongtype.json": `{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "id": "x",
			"outOfBoxExperienceSetting": {"eulaHidden": "yes"}}`,
	})
	alone := writeFiles(t, map[string]string{"profile.json": convProfile})
	p := func(n string) string { return filepath.Join(dir, n) }
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"no argument", nil, 2, "", "missing PROFILE.json"},
		{"two profiles", []string{"a.json", "b.json"}, 2, "", `unexpected argument "b.json"`},
		{"unknown flag", []string{"--frobnicate", "a.json"}, 2, "", "unknown flag: --frobnicate"},
		{"org without value", []string{"a.json", "--org"}, 2, "", "flag needs an argument"},
		{"empty -o", []string{"a.json", "-o", ""}, 2, "", "-o needs a file name"},
		{"help", []string{"--help"}, 0, "oobe convert PROFILE.json [--org ORG.json] [-o OUT]", ""},
		{"missing file", []string{p("nope.json")}, 1, "", p("nope.json") + ": no such file"},
		{"invalid JSON", []string{p("broken.json")}, 1, "", p("broken.json") + ":2:"},
		{"empty file", []string{p("empty.json")}, 1, "", p("empty.json") + ": empty file"},
		{"wrong type", []string{p("wrongtype.json")}, 1, "", p("wrongtype.json") + ": $.outOfBoxExperienceSetting.eulaHidden"},
		{"not a profile", []string{p("org.txt.json")}, 1, "", p("org.txt.json") + ": want a deployment profile"},
		{"no organization", []string{filepath.Join(alone, "profile.json")}, 1, "", "give --org ORG.json"},
		{"--org not an organization", []string{p("profile.json"), "--org", p("broken.json")}, 1, "", p("broken.json") + ":2:"},
		{"--org is a profile", []string{p("profile.json"), "--org", filepath.Join(alone, "profile.json")}, 1, "", filepath.Join(alone, "profile.json") + ": want an organization"},
		{"-o into a missing folder", []string{p("profile.json"), "-o", filepath.Join(dir, "no", "such", "x.json")}, 1, "", filepath.Join(dir, "no", "such", "x.json") + ": no such file"},
		{"organization next to the profile", []string{p("profile.json")}, 0, `"CloudAssignedOobeConfig":  1310`, ""},
		{"--org", []string{filepath.Join(alone, "profile.json"), "--org", p("org.txt.json")}, 0, `"CloudAssignedTenantDomain":  "contosolab.example"`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runConv(c.args...)
			if code != c.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, c.code, errs)
			}
			if !strings.Contains(out, c.stdout) {
				t.Errorf("stdout %q lacks %q", out, c.stdout)
			}
			if !strings.Contains(errs, c.stderr) {
				t.Errorf("stderr %q lacks %q", errs, c.stderr)
			}
			if n := strings.Count(errs, "\n"); n > 1 {
				t.Errorf("stderr has %d lines, want at most one: %q", n, errs)
			}
			if c.code != 0 && out != "" {
				t.Errorf("failed run wrote to stdout: %q", out)
			}
		})
	}
}

// TestConvertOutput: -o writes the file (and nothing to stdout); the values are those of the
// profile; a self-deploying profile converts with a warning.
func TestConvertOutput(t *testing.T) {
	dir := writeFiles(t, map[string]string{"profile.json": convProfile, "kiosk.json": convSelfDeploying, "organization.json": convOrg})
	outPath := filepath.Join(dir, "AutopilotConfigurationFile.json")
	code, out, errs := runConv(filepath.Join(dir, "profile.json"), "-o", outPath)
	if code != 0 || out != "" || errs != "" {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errs)
	}
	data, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\r\n" +
		`    "CloudAssignedTenantId":  "0f1e2d3c-1111-4222-8333-444455556666",` + "\r\n" +
		`    "CloudAssignedDeviceName":  "LAB-%RAND:6%",` + "\r\n" +
		`    "CloudAssignedAutopilotUpdateTimeout":  1800000,` + "\r\n" +
		`    "CloudAssignedAutopilotUpdateDisabled":  1,` + "\r\n" +
		`    "CloudAssignedForcedEnrollment":  0,` + "\r\n" +
		`    "Version":  2049,` + "\r\n" +
		`    "Comment_File":  "Profile Lab",` + "\r\n" +
		`    "CloudAssignedAadServerData":  "{\"ZeroTouchConfig\":{\"CloudAssignedTenantUpn\":\"\",\"ForcedEnrollment\":0,\"CloudAssignedTenantDomain\":\"contosolab.example\"}}",` + "\r\n" +
		`    "CloudAssignedRegion":  "de-DE",` + "\r\n" +
		`    "CloudAssignedTenantDomain":  "contosolab.example",` + "\r\n" +
		`    "CloudAssignedDomainJoinMethod":  0,` + "\r\n" +
		`    "CloudAssignedOobeConfig":  1310,` + "\r\n" +
		`    "ZtdCorrelationId":  "1b2c3d4e-0000-4000-8000-00000000abcd",` + "\r\n" +
		`    "CloudAssignedLanguage":  "de-DE"` + "\r\n" +
		"}\r\n"
	if string(data) != want {
		t.Errorf("file:\n%s\nwant:\n%s", data, want)
	}

	code, out, errs = runConv(filepath.Join(dir, "kiosk.json"))
	if code != 0 {
		t.Fatalf("self-deploying: code %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, `"CloudAssignedOobeConfig":  360,`) || !strings.Contains(out, `"CloudAssignedForcedEnrollment":  1,`) {
		t.Errorf("self-deploying output:\n%s", out)
	}
	if !strings.Contains(errs, "warning: "+filepath.Join(dir, "kiosk.json")+": self-deploying") || strings.Count(errs, "\n") != 1 {
		t.Errorf("self-deploying stderr %q, want one warning line", errs)
	}

	// The importer's warnings about the profile file are passed on; the new name wins.
	disagree := strings.Replace(convProfile, `"outOfBoxExperienceSetting": {`,
		`"outOfBoxExperienceSettings": {"hideEULA": false}, "outOfBoxExperienceSetting": {`, 1)
	dis := filepath.Join(dir, "disagree.json")
	if err := os.WriteFile(dis, []byte(disagree), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runConv(dis)
	if code != 0 || !strings.Contains(out, `"CloudAssignedOobeConfig":  1310,`) {
		t.Fatalf("disagreeing names: code %d, stdout %q, stderr %q", code, out, errs)
	}
	if !strings.Contains(errs, "warning: "+dis+": ") || !strings.Contains(errs, "hideEULA") {
		t.Errorf("disagreeing names: stderr %q, want the importer's warning", errs)
	}
}

// TestConvertSamples: the Entra sample converts to the sample AutopilotConfigurationFile.json
// byte for byte, taking the organization from the samples folder.
func TestConvertSamples(t *testing.T) {
	samples := filepath.Join("..", "..", "samples")
	want, err := os.ReadFile(filepath.Join(samples, "AutopilotConfigurationFile.json"))
	if err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
	code, out, errs := runConv(filepath.Join(samples, "deployment-profile-entra.json"))
	if code != 0 || errs != "" {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	if out != string(want) {
		t.Errorf("output:\n%q\nwant:\n%q", out, want)
	}
	code, out, errs = runConv(filepath.Join(samples, "deployment-profile-hybrid-skipcheck.json"), "--org", filepath.Join(samples, "organization.json"))
	if code != 0 || errs != "" {
		t.Fatalf("hybrid: code %d, stderr %q", code, errs)
	}
	for _, s := range []string{`"CloudAssignedOobeConfig":  280,`, `"CloudAssignedDomainJoinMethod":  1,`, `"HybridJoinSkipDCConnectivityCheck":  1,`, `"CloudAssignedForcedEnrollment":  1,`} {
		if !strings.Contains(out, s) {
			t.Errorf("hybrid output lacks %s:\n%s", s, out)
		}
	}
	if strings.Contains(out, "CloudAssignedLanguage") {
		t.Errorf("hybrid output has a language:\n%s", out)
	}
}

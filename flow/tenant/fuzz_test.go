package tenant

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// seeds returns the fuzz corpus: every sample and every file of the embedded tenant, in UTF-8
// and UTF-16, and hand-written cases.
func seeds() [][]byte {
	out := [][]byte{
		[]byte(enrollmentCollection),
		[]byte(`{"$schema": "oobe-scenario/1", "wifi": [{"ssid": "a", "signal": 2, "security": "open"}]}`),
		[]byte(`{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "locale": null,
			"outOfBoxExperienceSetting": {"eulaHidden": true}, "deviceNameTemplate": "A-%RAND:4%"}`),
		[]byte(`{"@odata.context": "x/branding/localizations", "value": [{"id": "0", "cdnList": ["c"]}, {"id": "de-DE"}, 3]}`),
		[]byte(`{"verifiedDomains": [{"name": "x.com", "isDefault": true}], "computerNameSuffixRandomCharCount": 99}`),
		[]byte(configJSON(map[string]any{"CloudAssignedOobeConfig": "1310", "CloudAssignedAadServerData": `{"ZeroTouchConfig":[]}`})),
		[]byte(`{"@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity", "serialNumber": "S", "deploymentProfile": {"id": "x"}}`),
		[]byte(`{"@odata.type": "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile", "assignments": [{"target": null}, {}],
			"domainJoinConfiguration": {"computerNameSuffixRandomCharCount": "3"}}`),
		[]byte("\xef\xbb\xbf{\"CloudAssignedTenantId\": \"\xe9\"}"),
		utf16LE(configJSON(nil), true),
	}
	for _, dir := range []string{samplesDir, filepath.Join("..", "..", "assets", "tenant")} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				continue
			}
			out = append(out, data, utf16LE(string(data), true))
		}
	}
	return out
}

// checkResult states what every import of the one file name returns: a tenant xor an error, a
// report whenever files were read, one error line per error finding, each naming the file,
// every finding on one line.
func checkResult(t *testing.T, name string, tn *sim.World, rep *Report, err error) {
	t.Helper()
	if (err == nil) == (tn == nil) {
		t.Fatalf("tenant %v with error %v", tn != nil, err)
	}
	if rep == nil {
		return
	}
	for _, f := range rep.All() {
		s := f.String()
		if strings.ContainsAny(s, "\r\n") || !utf8.ValidString(s) {
			t.Fatalf("finding not one valid line: %q", s)
		}
	}
	if err != nil {
		lines := strings.Split(err.Error(), "\n")
		if n, m := len(lines), len(rep.Of(SeverityError)); n != m {
			t.Fatalf("%d error lines for %d error findings", n, m)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, name+":") {
				t.Fatalf("error line does not name %s: %q", name, l)
			}
		}
		if len(rep.Profiles) > 0 {
			t.Fatal("profiles reported with an error")
		}
		return
	}
	if len(tn.Scenario.DisplayLanguages) == 0 && tn.Scenario.Schema == "" {
		t.Fatal("no scenario")
	}
}

// FuzzLoad feeds one file to LoadFS, strict and lenient.
func FuzzLoad(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			tn, rep, err := LoadFS(fstest.MapFS{"d/a.json": {Data: data}}, "d", Options{Lenient: lenient})
			checkResult(t, "a.json", tn, rep, err)
		}
	})
}

// FuzzLoadCollection puts the input inside a Graph collection with each kind of context.
func FuzzLoadCollection(f *testing.F) {
	for i, s := range seeds() {
		f.Add(s, uint8(i))
	}
	contexts := []string{"", "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceEnrollmentConfigurations",
		"https://graph.microsoft.com/v1.0/$metadata#organization('x')/branding/localizations",
		"https://graph.microsoft.com/beta/$metadata#deviceManagement/windowsAutopilotDeploymentProfiles",
		"https://graph.microsoft.com/beta/$metadata#deviceManagement/windowsAutopilotDeviceIdentities",
		"https://graph.microsoft.com/v1.0/$metadata#organization"}
	f.Fuzz(func(t *testing.T, data []byte, c uint8) {
		text, _, _ := decodeText(data)
		doc := `{"@odata.context": "` + contexts[int(c)%len(contexts)] + `", "value": [` + string(text) + `, ` + string(text) + `]}`
		tn, rep, err := LoadFS(fstest.MapFS{"d/a.json": {Data: []byte(doc)}}, "d", Options{Lenient: c&1 == 1})
		checkResult(t, "a.json", tn, rep, err)
	})
}

// FuzzLoadPaths writes the input to a file and loads it from disk as a single-file flag of
// each kind, or as the --scenario file.
func FuzzLoadPaths(f *testing.F) {
	for i, s := range seeds() {
		f.Add(s, uint8(i))
	}
	kinds := []Kind{KindUnknown, KindProfile, KindESP, KindBranding, KindConfigFile, KindScenario}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		p := filepath.Join(dir, "in.json")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		kind := kinds[int(k)%len(kinds)]
		opts := Options{Lenient: k&0x80 != 0}
		paths := []string{p}
		if kind == KindScenario {
			opts.Scenario, paths = p, nil
		} else if kind != KindUnknown {
			opts.Kinds = map[string]Kind{p: kind}
		}
		tn, rep, err := LoadPaths(paths, opts)
		checkResult(t, p, tn, rep, err)
	})
}

// FuzzScenario gives the input to --scenario with the embedded tenant: an error names the file
// only; a tenant runs that scenario, valid, with the embedded square logos.
func FuzzScenario(f *testing.F) {
	for i, s := range seeds() {
		f.Add(s, i%2 == 0)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, lenient bool) {
		p := filepath.Join(dir, "scenario.json")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tn, rep, err := LoadEmbeddedWith(Options{Scenario: p, Lenient: lenient})
		checkResult(t, p, tn, rep, err)
		if err != nil {
			return
		}
		if rep.ScenarioSource != p {
			t.Fatalf("the scenario came from %q, not the file", rep.ScenarioSource)
		}
		if err := tn.Scenario.Validate(); err != nil {
			t.Fatalf("a loaded scenario is invalid: %v", err)
		}
		if !bytes.Equal(tn.SquareLogo, assets.SquareLogo(false)) || !bytes.Equal(tn.SquareLogoDark, assets.SquareLogo(true)) {
			t.Fatal("the embedded logos are lost")
		}
	})
}

// FuzzConfigFile varies the values of an AutopilotConfigurationFile.json: the bitmask, the
// string holding CloudAssignedAadServerData, the language and the name template.
func FuzzConfigFile(f *testing.F) {
	f.Add(int64(1310), `{"ZeroTouchConfig":{"CloudAssignedTenantUpn":"","ForcedEnrollment":1,"CloudAssignedTenantDomain":"fabrikamlab.com"}}`, "en-GB", "FAB-%SERIAL%", 0)
	f.Add(int64(-1), `{"ZeroTouchConfig":null}`, "", "%RAND:99%", 1)
	f.Add(int64(1<<62), `[`, "user-select", "A-%SERIAL%-%RAND:3%", 2)
	f.Add(int64(96), `{"ZeroTouchConfig":{"ForcedEnrollment":"1"}}`, "sr-Latn-RS", "", 7)
	f.Fuzz(func(t *testing.T, oobe int64, aad, lang, name string, join int) {
		data := configJSON(map[string]any{"CloudAssignedOobeConfig": oobe, "CloudAssignedAadServerData": aad,
			"CloudAssignedLanguage": lang, "CloudAssignedDeviceName": name, "CloudAssignedDomainJoinMethod": join})
		for _, lenient := range []bool{false, true} {
			tn, rep, err := LoadFS(fstest.MapFS{"d/c.json": {Data: []byte(data)}}, "d", Options{Lenient: lenient})
			checkResult(t, "c.json", tn, rep, err)
			if err == nil && oobe >= 0 {
				bits, unknown := DecodeOOBEConfig(oobe)
				sum := unknown
				for _, b := range bits {
					sum += b.Value
				}
				if sum != oobe {
					t.Fatalf("bits of %d add up to %d", oobe, sum)
				}
			}
		}
	})
}

// FuzzDecodeText: any bytes decode to valid UTF-8 without panicking.
func FuzzDecodeText(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, enc, _ := decodeText(data)
		if !utf8.Valid(text) {
			t.Fatalf("%s decoding gave invalid UTF-8", enc)
		}
		_ = lineEndings(text)
	})
}

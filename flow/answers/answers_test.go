package answers

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// fullAnswers is a run that answered every page.
func fullAnswers() flow.Answers {
	return flow.Answers{
		Language: "de-DE", Region: "AT", Keyboard: "00000407", Keyboard2: "00000809",
		Network: "Larkspur-Corp", ConnectAutomatically: true, EULAAccepted: true,
		UPN:        "megan.rivera@larkspuraero.com",
		Privacy:    map[string]bool{flow.PrivacyLocation: false, flow.PrivacyFindMyDevice: true, flow.PrivacyDiagnosticData: false},
		DeviceName: "LSA-8CG3471KQD",
	}
}

func allSteps() map[flow.StepID]bool {
	m := map[flow.StepID]bool{}
	for _, s := range flow.AllSteps {
		m[s] = true
	}
	return m
}

// TestRoundTrip: answers written and read back are the same answers, with references for the
// secrets the run used and a note naming what to set.
func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		a    flow.Answers
		run  Run
	}{
		{"everything", fullAnswers(), Run{Answered: allSteps(), WiFiKey: true, Password: true, PIN: true, MFACode: true}},
		{"skip second layout, open network, defaults", flow.Answers{
			Language: "en-US", Region: "US", Keyboard: "00000409", Network: "Larkspur-Guest",
			EULAAccepted: true, Privacy: map[string]bool{},
		}, Run{Answered: allSteps()}},
		{"hidden network, auto off", flow.Answers{Network: "LSA-Lab"}, Run{Answered: allSteps(), HiddenNetwork: true, WiFiKey: true}},
		{"ethernet", flow.Answers{Network: "ethernet", UPN: "a@b.example"}, Run{Answered: allSteps()}},
		{"hybrid: the Windows user", flow.Answers{UPN: "megan.rivera@larkspuraero.com"}, Run{Answered: allSteps(), Password: true, WindowsUser: `CORP\megan.rivera`}},
		{"nil Answered writes what is set", fullAnswers(), Run{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "answers.json")
			if err := Write(path, c.a, c.run); err != nil {
				t.Fatal(err)
			}
			f, err := Read(path)
			if err != nil {
				raw, _ := os.ReadFile(path)
				t.Fatalf("%v\n%s", err, raw)
			}
			if got := f.Answers(); !reflect.DeepEqual(got, c.a) {
				t.Errorf("read back %+v\nwant      %+v", got, c.a)
			}
			if f.Schema != Schema {
				t.Errorf("schema %q", f.Schema)
			}
			if c.run.WiFiKey != (f.Network != nil && f.Network.KeyFrom != nil) ||
				c.run.Password != (f.User != nil && f.User.PasswordFrom != nil) ||
				c.run.MFACode != (f.MFACodeFrom != nil) || c.run.PIN != (f.PINFrom != nil) {
				t.Errorf("references do not follow the secrets used: %+v", f)
			}
			if c.run.HiddenNetwork != (f.Network != nil && f.Network.Hidden) {
				t.Errorf("hidden network lost: %+v", f.Network)
			}
			if f.WindowsUser != c.run.WindowsUser {
				t.Errorf("windowsUser %q, want %q", f.WindowsUser, c.run.WindowsUser)
			}
			if c.run.Password && !strings.Contains(f.Note, EnvPassword) {
				t.Errorf("the note does not say to set %s: %q", EnvPassword, f.Note)
			}
			info, err := os.Stat(path)
			if err != nil || info.Mode().Perm() != 0o600 {
				t.Errorf("file mode %v, %v; want 0600", info.Mode(), err)
			}
		})
	}
}

// TestOnlyAnsweredStepsWritten: a run that stopped early writes only the pages it completed;
// keyboard2 "" (Skip) is written only when the page was answered.
func TestOnlyAnsweredStepsWritten(t *testing.T) {
	a := flow.Answers{Language: "en-US", Region: "US", Keyboard: "00000409"}
	f := FromAnswers(a, Run{Answered: map[flow.StepID]bool{flow.StepLanguage: true, flow.StepRegion: true}})
	if f.Language != "en-US" || f.Region != "US" || f.Keyboard != "" || f.Keyboard2 != nil {
		t.Errorf("early stop wrote %+v", f)
	}
	f = FromAnswers(a, Run{Answered: map[flow.StepID]bool{flow.StepLanguage: true, flow.StepRegion: true, flow.StepKeyboard: true, flow.StepKeyboard2: true}})
	if f.Keyboard2 == nil || *f.Keyboard2 != "" {
		t.Errorf("keyboard2 skipped not written as \"\": %+v", f.Keyboard2)
	}
	if !FromAnswers(flow.Answers{Language: "en-US"}, Run{Answered: map[flow.StepID]bool{}}).Empty() {
		t.Error("a run that answered nothing is not empty")
	}
}

// TestSecretsNeverWritten: whatever secrets a replay used, the file written holds only their
// references, and references of the replayed file are kept (a relative secret file still
// points at the same file from the new file's directory; outside it, replaying it needs
// SecretsAnywhere, as the note says).
func TestSecretsNeverWritten(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "in", "secrets"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "in", "secrets", "pin"), "135791\n")
	src := writeFile(t, filepath.Join(dir, "in", "a.json"), `{
  "$schema": "oobe-answers/1",
  "network": {"ssid": "Larkspur-Corp", "keyFrom": {"env": "MY_KEY"}},
  "user": {"upn": "megan.rivera@larkspuraero.com", "passwordFrom": {"env": "MY_PASSWORD"}},
  "pinFrom": {"file": "secrets/pin"}
}`)
	sc, err := Load(src, env("MY_KEY", "Runway-2026!", "MY_PASSWORD", "Contrail#2026"))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Secrets.PIN != "135791" || sc.Secrets.WiFiKey != "Runway-2026!" || sc.Secrets.Password != "Contrail#2026" {
		t.Fatalf("secrets %#v not resolved", sc.Secrets)
	}
	for _, s := range []string{sc.Secrets.String(), sc.Secrets.GoString()} {
		if strings.Contains(s, "135791") || strings.Contains(s, "Runway") || strings.Contains(s, "Contrail") {
			t.Errorf("Secrets print their values: %s", s)
		}
	}
	out := filepath.Join(dir, "out", "b.json")
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		t.Fatal(err)
	}
	a := fullAnswers()
	a.Network = "Larkspur-Corp"
	if err := Write(out, a, Run{Answered: allSteps(), WiFiKey: true, Password: true, PIN: true, MFACode: true, From: sc.File}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"135791", "Runway-2026!", "Contrail#2026"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the written file holds the secret %q:\n%s", secret, raw)
		}
	}
	for _, want := range []string{`"env": "MY_KEY"`, `"env": "MY_PASSWORD"`, `"env": "OOBE_MFA_CODE"`, `"file": "../in/secrets/pin"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("%s missing from the written file:\n%s", want, raw)
		}
	}
	if !strings.Contains(string(raw), outsideNote) {
		t.Errorf("the note does not say the secret file is outside:\n%s", raw)
	}
	vars := env("MY_KEY", "k", "MY_PASSWORD", "p", "OOBE_MFA_CODE", "246810")
	if _, err := Load(out, vars); err == nil || !strings.Contains(err.Error(), `pinFrom: secret file "../in/secrets/pin" is outside the answers file's folder`) {
		t.Errorf("a secret file outside the folder: %v", err)
	}
	back, err := LoadWith(out, Options{Getenv: vars, SecretsAnywhere: true})
	if err != nil {
		t.Fatalf("the written file does not load: %v", err)
	}
	if back.Secrets.PIN != "135791" {
		t.Errorf("the rebased secret file reads %q", back.Secrets.PIN)
	}
	// another user or network: the replayed file's references do not apply
	a.UPN, a.Network = "tomas.okafor@larkspuraero.com", "Larkspur-Guest"
	f := FromAnswers(a, Run{Answered: allSteps(), WiFiKey: true, Password: true, From: sc.File})
	if f.User.PasswordFrom.Env != EnvPassword || f.Network.KeyFrom.Env != EnvWiFiKey {
		t.Errorf("references of another user or network reused: %v %v", f.User.PasswordFrom, f.Network.KeyFrom)
	}
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestExample: the documented example reads, normalized.
func TestExample(t *testing.T) {
	f, err := Read(filepath.Join("testdata", "demo.answers.json"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Region != "DE" || f.Keyboard != "00000407" || *f.Keyboard2 != "00000809" || f.Network.SSID != "Larkspur-Corp" ||
		f.User.UPN != "megan.rivera@larkspuraero.com" || f.EULA != "accept" || f.Privacy[flow.PrivacyLocation] ||
		len(f.Privacy) != 2 || f.PINFrom.Env != EnvPIN {
		t.Errorf("example read as %+v", f)
	}
	if _, err := f.Resolve(env()); err == nil || !strings.Contains(err.Error(), "network.keyFrom: environment variable OOBE_WIFI_KEY is not set") {
		t.Errorf("unset variable: %v", err)
	}
}

// TestReadErrors: each problem gets one line with file, line, column and member.
func TestReadErrors(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"empty", "", "x.json: the file is empty"},
		{"not an object", `["a"]`, `x.json:1:1: want a JSON object`},
		{"syntax", "{\n  \"$schema\": \"oobe-answers/1\",\n  \"region\" \"US\"\n}", "x.json:3:12: invalid JSON"},
		{"truncated", "{\n  \"$schema\": \"oobe-answers/1\",\n", "unexpected end of file"},
		{"trailing data", `{"$schema": "oobe-answers/1"} {}`, "x.json:1:31: unexpected data after the closing }"},
		{"no schema", `{"region": "US"}`, `x.json:1:1: $schema: missing; want "$schema": "oobe-answers/1"`},
		{"other schema", `{"$schema": "oobe-answers/2"}`, `x.json:1:13: $schema: want "oobe-answers/1", got "oobe-answers/2"`},
		{"unknown member", "{\"$schema\": \"oobe-answers/1\",\n \"langauge\": \"de-DE\"}", `x.json:2:2: langauge: unknown member; want one of "$schema", "note", "language"`},
		{"duplicate", `{"$schema": "oobe-answers/1", "region": "US", "region": "DE"}`, `x.json:1:47: member "region" given twice`},
		{"wrong type", "{\"$schema\": \"oobe-answers/1\",\n  \"network\": {\"ssid\": 42}}", "x.json:2:23: network.ssid: want a string, got a number"},
		{"bad region", `{"$schema": "oobe-answers/1", "region": "XX"}`, `x.json:1:41: region: want an ISO 3166 two-letter region code such as "US", got "XX"`},
		{"bad keyboard", `{"$schema": "oobe-answers/1", "keyboard": "German"}`, `keyboard: want a keyboard layout ID of 8 hex digits`},
		{"unknown keyboard", `{"$schema": "oobe-answers/1", "keyboard2": "0000FFFF"}`, `keyboard2: unknown keyboard layout "0000FFFF", or "" to skip`},
		{"bad language", `{"$schema": "oobe-answers/1", "language": "not a tag"}`, `language: want a language tag`},
		{"eula decline", `{"$schema": "oobe-answers/1", "eula": "decline"}`, `eula: want "accept", got "decline"`},
		{"bad upn", `{"$schema": "oobe-answers/1", "user": {"upn": "megan"}}`, `user.upn: want a username`},
		{"user without upn", `{"$schema": "oobe-answers/1", "user": {}}`, `user: want "upn"`},
		{"bad windows user", `{"$schema": "oobe-answers/1", "windowsUser": "megan"}`, `windowsUser: want DOMAIN\user or a username such as "name@contoso.com", got "megan"`},
		{"windows user without a name", `{"$schema": "oobe-answers/1", "windowsUser": "CORP\\"}`, `windowsUser: want DOMAIN\user`},
		{"network without ssid", `{"$schema": "oobe-answers/1", "network": {"hidden": true}}`, `network: want "ssid"`},
		{"ethernet with ssid", `{"$schema": "oobe-answers/1", "network": {"ethernet": true, "ssid": "x"}}`, `network: "ethernet": true takes no Wi-Fi members`},
		{"unknown privacy toggle", `{"$schema": "oobe-answers/1", "privacy": {"camera": false}}`, `privacy.camera: unknown member; want one of "onlineSpeechRecognition", "location"`},
		{"privacy not bool", `{"$schema": "oobe-answers/1", "privacy": {"location": "off"}}`, `privacy.location: want true or false, got a string`},
		{"not UTF-8", "{\"$schema\": \"oobe-answers/1\", \"note\": \"caf\xe9\"}", "x.json:1:43: the file is not valid UTF-8"},
		// inline secrets
		{"inline password", "{\"$schema\": \"oobe-answers/1\",\n  \"user\": {\"upn\": \"a@b.c\", \"password\": \"Contrail#2026\"}}",
			`x.json:2:28: user.password: a secret is never written in an answers file; name where it comes from instead: "passwordFrom": {"env": "NAME"} or {"file": "PATH"}`},
		{"inline wifi key", `{"$schema": "oobe-answers/1", "network": {"ssid": "x", "key": "Runway"}}`, `network.key: a secret is never written in an answers file; name where it comes from instead: "keyFrom"`},
		{"inline pin", `{"$schema": "oobe-answers/1", "pin": "135791"}`, `pin: a secret is never written in an answers file; name where it comes from instead: "pinFrom"`},
		{"inline mfa code", `{"$schema": "oobe-answers/1", "mfaCode": "246810"}`, `mfaCode: a secret is never written in an answers file; name where it comes from instead: "mfaCodeFrom"`},
		{"top-level password", `{"$schema": "oobe-answers/1", "password": "x"}`, `"user.passwordFrom"`},
		{"wifi_key snake case", `{"$schema": "oobe-answers/1", "wifi_key": "x"}`, `wifi_key: a secret is never written`},
		{"From as a string", `{"$schema": "oobe-answers/1", "pinFrom": "135791"}`, `x.json:1:42: pinFrom: want {"env": "NAME"} or {"file": "PATH"}, got a string; a secret is never written in an answers file`},
		{"value in a reference", `{"$schema": "oobe-answers/1", "pinFrom": {"value": "135791"}}`, `pinFrom.value: a secret reference takes "env" or "file" only (never the secret itself)`},
		{"empty reference", `{"$schema": "oobe-answers/1", "pinFrom": {}}`, `pinFrom: want {"env": "NAME"} or {"file": "PATH"}`},
		{"both env and file", `{"$schema": "oobe-answers/1", "pinFrom": {"env": "A", "file": "b"}}`, `pinFrom: give "env" or "file", not both`},
		{"bad env name", `{"$schema": "oobe-answers/1", "pinFrom": {"env": "MY PIN"}}`, `pinFrom.env: want an environment variable name`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse("x.json", []byte(c.text))
			if err == nil {
				t.Fatalf("no error; read %+v", f)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %T is not an *Error", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error\n  %s\nlacks\n  %s", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			for _, secret := range []string{"Contrail#2026", "Runway", "135791", "246810"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error repeats the secret %q: %s", secret, err)
				}
			}
		})
	}
}

// TestLooksSecret: member names that look like secrets, and the ones that do not.
func TestLooksSecret(t *testing.T) {
	for _, n := range []string{"password", "Password", "wifiKey", "networkKey", "key", "psk", "pin", "PIN", "pinCode", "mfa_code", "otp", "secret", "apiToken", "passphrase"} {
		if !looksSecret(n) {
			t.Errorf("%q does not look secret", n)
		}
	}
	for _, n := range []string{"keyboard", "keyboard3", "ssid", "upn", "spinner", "language", "region", "hidden", "encoding"} {
		if looksSecret(n) {
			t.Errorf("%q looks secret", n)
		}
	}
}

// TestResolve: secrets from variables and files, and each way that fails.
func TestResolve(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "pw.txt"), "Contrail#2026\r\n")
	writeFile(t, filepath.Join(dir, "empty.txt"), "\n")
	writeFile(t, filepath.Join(dir, "two.txt"), "a\nb\n")
	read := func(text string) *File {
		t.Helper()
		path := writeFile(t, filepath.Join(dir, "a.json"), text)
		f, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	f := read(`{"$schema": "oobe-answers/1",
  "user": {"upn": "a@b.c", "passwordFrom": {"file": "pw.txt"}},
  "mfaCodeFrom": {"env": "CODE"}}`)
	s, err := f.Resolve(env("CODE", "246810"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Password != "Contrail#2026" || s.MFACode != "246810" || s.PIN != "" || s.WiFiKey != "" {
		t.Errorf("resolved %q %q %q %q", s.Password, s.MFACode, s.PIN, s.WiFiKey)
	}
	if _, err := f.Resolve(env()); err == nil || !strings.HasSuffix(err.Error(), "a.json:3:18: mfaCodeFrom: environment variable CODE is not set (or empty); set it before replaying, or remove mfaCodeFrom to type this secret yourself") {
		t.Errorf("unset variable: %v", err)
	}
	for _, c := range []struct{ file, want string }{
		{"missing.txt", `a.json:2:44: user.passwordFrom: cannot read secret file "missing.txt": open: no such file or directory`},
		{"empty.txt", `user.passwordFrom: secret file "empty.txt" is empty`},
		{"two.txt", `user.passwordFrom: secret file "two.txt" holds more than one line`},
	} {
		f := read(`{"$schema": "oobe-answers/1",
  "user": {"upn": "a@b.c", "passwordFrom": {"file": "` + c.file + `"}}}`)
		if _, err := f.Resolve(env()); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %s", c.file, err, c.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "nope.json"), env()); err == nil || !strings.Contains(err.Error(), "nope.json: open: no such file or directory") {
		t.Errorf("missing answers file: %v", err)
	}
}

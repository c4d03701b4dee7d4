package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnswersFlags: the answers flags and their OOBE_* variables; a broken answers file or a
// secret that cannot be read is one line and exit code 1, before anything is drawn.
func TestAnswersFlags(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	broken := filepath.Join(dir, "broken.json")
	inline := filepath.Join(dir, "inline.json")
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	escapes := filepath.Join(sub, "escapes.json")
	for path, text := range map[string]string{
		good:                              `{"$schema": "oobe-answers/1", "user": {"upn": "megan.rivera@larkspuraero.com", "passwordFrom": {"env": "MY_PW"}}}`,
		broken:                            "{\n  \"$schema\": \"oobe-answers/1\",\n  \"region\": 7\n}",
		inline:                            `{"$schema": "oobe-answers/1", "user": {"upn": "a@b.c", "password": "Contrail#2026"}}`,
		escapes:                           `{"$schema": "oobe-answers/1", "user": {"upn": "a@b.c", "passwordFrom": {"file": "../credentials"}}}`,
		filepath.Join(dir, "credentials"): "Contrail#2026\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		args   []string
		env    func(string) string
		code   int
		stderr string
	}{
		{"replay, no terminal", []string{"--answers", good}, env("MY_PW", "x"), 1, "needs an interactive terminal"},
		{"replay from the variable", nil, env("OOBE_ANSWERS", good, "MY_PW", "x"), 1, "needs an interactive terminal"},
		{"broken file", []string{"--answers", broken}, env(), 1, "oobe: --answers: " + broken + ":3:13: region: want a string, got a number"},
		{"inline secret", []string{"--answers", inline}, env(), 1, "user.password: a secret is never written in an answers file"},
		{"secret not set", []string{"--answers", good}, env(), 1, "user.passwordFrom: environment variable MY_PW is not set"},
		{"missing file", []string{"--answers", filepath.Join(dir, "nope.json")}, env(), 1, "nope.json: open: no such file or directory"},
		{"a directory", []string{"--answers", dir}, env(), 1, "oobe: --answers: " + dir + ": a directory, not a regular file"},
		{"secret file outside its folder", []string{"--answers", escapes}, env(), 1,
			`oobe: --answers: ` + escapes + `:1:72: user.passwordFrom: secret file "../credentials" is outside the answers file's folder ` + sub + `; move it there, or allow it with --answers-secrets-anywhere`},
		{"secret file outside, allowed", []string{"--answers", escapes, "--answers-secrets-anywhere"}, env(), 1, "needs an interactive terminal"},
		{"secret file outside, allowed by the variable", []string{"--answers", escapes}, env("OOBE_ANSWERS_SECRETS_ANYWHERE", "true"), 1, "needs an interactive terminal"},
		{"negative delay", []string{"--answers-delay", "-1s"}, env(), 2, "--answers-delay must not be negative"},
		{"bad delay", nil, env("OOBE_ANSWERS_DELAY", "slow"), 2, `OOBE_ANSWERS_DELAY="slow"`},
		{"zero delay", []string{"--answers-delay", "0"}, env(), 1, "needs an interactive terminal"},
		{"write into a missing directory", []string{"--write-answers", filepath.Join(dir, "no", "a.json")}, env(), 2, "does not exist"},
		{"write onto a directory", nil, env("OOBE_WRITE_ANSWERS", dir), 2, "is a directory"},
		{"write", []string{"--write-answers", filepath.Join(dir, "out.json")}, env(), 1, "needs an interactive terminal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(c.args, c.env, &out, &errb)
			if code != c.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, c.code, errb.String())
			}
			if !strings.Contains(errb.String(), c.stderr) {
				t.Errorf("stderr %q lacks %q", errb.String(), c.stderr)
			}
			if n := strings.Count(errb.String(), "\n"); n > 1 {
				t.Errorf("stderr has %d lines, want one: %q", n, errb.String())
			}
			if strings.Contains(errb.String(), "Contrail") {
				t.Errorf("stderr repeats a secret: %q", errb.String())
			}
		})
	}
	var out bytes.Buffer
	run([]string{"--help"}, env(), &out, &out)
	for _, f := range []string{"--answers FILE", "--write-answers FILE", "--answers-delay", "--answers-secrets-anywhere"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("--help lacks %s:\n%s", f, out.String())
		}
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// TestExitCodes checks what a person sees for each kind of command line: one line on
// stderr and code 2 for a bad flag or value (also from OOBE_* variables), help and version
// on stdout with code 0, and code 1 with one line when there is no terminal (as under go test).
func TestExitCodes(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		env    func(string) string
		code   int
		stdout string
		stderr string
	}{
		{"unknown flag", []string{"--frobnicate"}, env(), 2, "", "unknown flag: --frobnicate"},
		{"bad theme", []string{"--theme", "neon"}, env(), 2, "", `unknown theme "neon"`},
		{"bad speed", []string{"--speed", "0"}, env(), 2, "", `--speed must be max or a number from 0.01 to 1e+06, got "0"`},
		{"speed not a number", []string{"--speed", "fast"}, env(), 2, "", `got "fast"`},
		{"speed not finite", []string{"--speed", "NaN"}, env(), 2, "", `got "NaN"`},
		{"speed too fast", []string{"--speed", "1e7"}, env(), 2, "", `got "1e7"`},
		{"bad env speed", nil, env("OOBE_SPEED", "-1"), 2, "", `got "-1"`},
		{"bad windows", []string{"--windows", "12"}, env(), 2, "", "--windows"},
		{"speed max", []string{"--speed", "max"}, env(), 1, "", "needs an interactive terminal"},
		{"bad colour", []string{"--color", "sepia"}, env(), 2, "", "--color must be"},
		{"unknown locale", []string{"--locale", "xx-YY"}, env(), 2, "", `--locale "xx-YY" has no strings`},
		{"bad finish", []string{"--finish", "reboot"}, env(), 2, "", "--finish must be exit or restart"},
		{"bad dc port", []string{"--dc", "dc.corp.example:ldap"}, env(), 2, "", `--dc: want a port from 1 to 65535, got "ldap"`},
		{"bad env dc", nil, env("OOBE_DC", "dc.corp.example:70000"), 2, "", `--dc: want a port from 1 to 65535, got "70000"`},
		{"dc with a port", []string{"--dc", "127.0.0.1:3389"}, env(), 1, "", "needs an interactive terminal"},
		{"stray argument", []string{"extra"}, env(), 2, "", `unexpected argument "extra"`},
		{"bad env theme", nil, env("OOBE_THEME", "neon"), 2, "", `unknown theme "neon"`},
		{"bad env seed", nil, env("OOBE_SEED", "many"), 2, "", `OOBE_SEED="many"`},
		{"bad env bool", nil, env("OOBE_WIRED", "perhaps"), 2, "", `OOBE_WIRED="perhaps"`},
		{"flag beats env", []string{"--theme", "win10"}, env("OOBE_THEME", "neon"), 1, "", "needs an interactive terminal"},
		{"help", []string{"--help"}, env(), 0, "high-contrast", ""},
		{"version", []string{"--version"}, env(), 0, "oobe ", ""},
		{"env version", nil, env("OOBE_VERSION", "true"), 0, "oobe ", ""},
		{"no terminal", nil, env(), 1, "", "needs an interactive terminal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(c.args, c.env, &out, &errb)
			if code != c.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, c.code, errb.String())
			}
			if !strings.Contains(out.String(), c.stdout) {
				t.Errorf("stdout %q lacks %q", out.String(), c.stdout)
			}
			if !strings.Contains(errb.String(), c.stderr) {
				t.Errorf("stderr %q lacks %q", errb.String(), c.stderr)
			}
			if n := strings.Count(errb.String(), "\n"); n > 1 {
				t.Errorf("stderr has %d lines, want one: %q", n, errb.String())
			}
		})
	}
}

// TestHelpListsEveryFlagWithItsVariable keeps --help honest about the OOBE_* variables.
func TestHelpListsEveryFlagWithItsVariable(t *testing.T) {
	var out bytes.Buffer
	run([]string{"--help"}, env(), &out, &out)
	for _, f := range []string{"--theme", "--locale", "--ascii", "--speed", "--seed", "--wired", "--record", "--version", "--color", "--finish", "--windows", "--out"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("--help lacks %s", f)
		}
	}
	if !strings.Contains(out.String(), "OOBE_") {
		t.Error("--help does not mention the OOBE_* variables")
	}
}

// TestRunDir: a run's files go into --out when given, else into a directory of the run's own
// under the user's cache directory, never into the working directory; the directory is made
// (0700) only when the first file is written.
func TestRunDir(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	d := runDir("", "20260302T090000-abcdef")
	want := filepath.Join(cache, "oobe", "runs", "20260302T090000-abcdef")
	if runtime.GOOS == "linux" && string(d) != want {
		t.Fatalf("default run directory %q, want %q", d, want)
	}
	if _, err := os.Stat(string(d)); !os.IsNotExist(err) {
		t.Fatalf("the directory exists before any file: %v", err)
	}
	w, path, err := d.Create("oobe-diagnostics", ".txt")
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if filepath.Dir(path) != string(d) {
		t.Errorf("file %s not in %s", path, d)
	}
	if st, err := os.Stat(string(d)); err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o700) {
		t.Errorf("run directory: %v %v", st.Mode(), err)
	}
	if out := runDir("somewhere", "x"); out != "somewhere" {
		t.Errorf("--out somewhere gives %q", out)
	}
}

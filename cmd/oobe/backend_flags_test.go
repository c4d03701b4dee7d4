package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackendFlags: each wrong use of the --backend flags is one line on stderr naming the
// flag, and exit code 2; the token file is read, never the token from a flag.
func TestBackendFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--backend", "grpc"}, "--backend must be sim, exec or http, got \"grpc\""},
		{[]string{"--backend", "exec"}, "--backend exec needs --backend-cmd 'PROGRAM ARGS'"},
		{[]string{"--backend", "exec", "--backend-cmd", "python3 'unclosed"}, "--backend-cmd: "},
		{[]string{"--backend", "http"}, "--backend http needs --backend-url URL"},
		{[]string{"--backend-cmd", "x"}, "need --backend exec or --backend http"},
		{[]string{"--backend", "exec", "--backend-cmd", "x", "--backend-ca", "ca.pem"}, "need --backend http"},
		{[]string{"--backend", "http", "--backend-url", "https://x", "--backend-cert", "c.pem"}, "--backend-cert and --backend-key go together"},
		{[]string{"--backend", "exec", "--backend-cmd", "x", "--fault", "no-internet"}, "--fault sets up the built-in simulation and has no effect with --backend exec"},
		{[]string{"--backend", "http", "--backend-url", "http://x", "--wired"}, "--wired sets up the built-in simulation"},
		{[]string{"--backend-token", "t"}, "unknown flag: --backend-token"},
	} {
		var out, errb bytes.Buffer
		code := run(c.args, env(), &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), c.want) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", c.args, code, errb.String(), c.want)
		}
	}
	// the same from the environment, as every flag
	var out, errb bytes.Buffer
	if code := run(nil, env("OOBE_BACKEND", "exec"), &out, &errb); code != 2 || !strings.Contains(errb.String(), "needs --backend-cmd") {
		t.Errorf("OOBE_BACKEND=exec: exit %d, %q", code, errb.String())
	}
}

// TestBackendToken: the token comes from --backend-token-file (one line) or OOBE_BACKEND_TOKEN.
func TestBackendToken(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := backendConfig{kind: "http", tokenFile: file}
	if tok, err := c.token(env(tokenEnv, "from-env")); err != nil || tok != "from-file" {
		t.Errorf("token file: %q, %v", tok, err)
	}
	if tok, err := (backendConfig{kind: "http"}).token(env(tokenEnv, " from-env ")); err != nil || tok != "from-env" {
		t.Errorf("token from the environment: %q, %v", tok, err)
	}
	if _, err := (backendConfig{kind: "http", tokenFile: filepath.Join(dir, "none")}).token(env()); err == nil || !strings.Contains(err.Error(), "--backend-token-file") {
		t.Errorf("a missing token file: %v", err)
	}
	if err := os.WriteFile(file, []byte("two\nlines\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.token(env()); err == nil || !strings.Contains(err.Error(), "want one line") {
		t.Errorf("a token file of two lines: %v", err)
	}
}

// TestRemoteBackendClock: with a remote backend at --speed N the run's clock flows at N times
// real time and no remote call can hold it (else no ESP timeout would ever pass while the
// backend works), yet F6 still changes its speed; at max it is the virtual clock, as with the
// sim; the sim at N keeps the clock the run holds.
func TestRemoteBackendClock(t *testing.T) {
	remote := factory{speed: speed{factor: 4}, backend: backendConfig{kind: "http"}}
	c := remote.clock()
	if _, held := c.(interface{ Hold() }); held {
		t.Errorf("the remote run's clock %T can be held", c)
	}
	th, ok := c.(interface {
		Speed() float64
		SetSpeed(float64)
	})
	if !ok || th.Speed() != 4 {
		t.Fatalf("the remote run's clock %T is not a throttle at 4", c)
	}
	th.SetSpeed(30)
	if th.Speed() != 30 {
		t.Errorf("SetSpeed(30) left the speed at %v", th.Speed())
	}
	if _, held := (factory{speed: speed{factor: 4}}).clock().(interface{ Hold() }); !held {
		t.Error("the sim's clock at --speed 4 cannot be held")
	}
	if _, held := (factory{backend: backendConfig{kind: "exec"}}).clock().(interface{ Hold() }); !held {
		t.Error("a remote run's clock at --speed max is not the virtual clock")
	}
}

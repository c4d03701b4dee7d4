//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
)

// testBackendEnv makes the test binary a backend helper serving the embedded sim on its
// standard input and output: "sim", or "crash-first-scan:FILE" (the first scan exits the
// process, leaving FILE behind, as a helper with a bug that bites once).
const testBackendEnv = "OOBE_TEST_BACKEND"

func serveTestBackend(mode string) int {
	w, err := tenant.LoadEmbedded()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	marker, crash := strings.CutPrefix(mode, "crash-first-scan:")
	nb := func(_ context.Context, h rpc.Hello) (flow.Backend, error) {
		b := sim.New(w, sim.Options{Clock: flow.NewVirtualClock(time.Now()), Seed: 1})
		if crash {
			return crashOnce{b, marker}, nil
		}
		return b, nil
	}
	if err := rpc.Serve(context.Background(), os.Stdin, os.Stdout, nb, rpc.ServerOptions{Name: "test-sim"}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// crashOnce exits the helper in its first Scan (of any run of the helper: FILE says it did).
type crashOnce struct {
	flow.Backend
	marker string
}

func (c crashOnce) Scan(ctx context.Context) ([]flow.Network, error) {
	if _, err := os.Stat(c.marker); err != nil {
		_ = os.WriteFile(c.marker, nil, 0o600)
		fmt.Fprintln(os.Stderr, "helper: segmentation fault (on purpose)")
		os.Exit(139)
	}
	return c.Backend.Scan(ctx)
}

// repoFile is a file of the repository, from this package's directory.
func repoFile(parts ...string) string {
	p, _ := filepath.Abs(filepath.Join(append([]string{"..", ".."}, parts...)...))
	return p
}

// noSecrets fails when any file of dir or text holds one of secrets.
func noSecrets(t *testing.T, dir, text string, secrets ...string) {
	t.Helper()
	texts := map[string]string{"the terminal output": text}
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			texts[p] = string(b)
		}
		return nil
	})
	for what, s := range texts {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s holds the secret %q", what, secret)
			}
		}
	}
}

// TestPythonBackendToTheDesktop: the real program with the Python example as its backend
// (a real python3 child process) replays the example's answers from the first page to the
// desktop, with the lab's device name; no secret is in the record or the terminal.
func TestPythonBackendToTheDesktop(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is not installed: .ci/run installs it")
		}
		t.Skip("python3 is not installed")
	}
	dir := t.TempDir()
	rec := filepath.Join(dir, "run.jsonl")
	secrets := []string{"Lab-WiFi-2026!", "Blake#Lab-2026", "864209"}
	start := time.Now()
	p := startEnv(t, []string{"OOBE_WIFI_KEY=" + secrets[0], "OOBE_PASSWORD=" + secrets[1], "OOBE_PIN=" + secrets[2]},
		"--speed", "max", "--out", dir, "--record", rec, "--answers-delay", "0",
		"--backend", "exec", "--backend-cmd", "python3 '"+repoFile("examples", "backends", "python", "oobe_backend.py")+"'",
		"--answers", repoFile("examples", "backends", "python", "contoso-lab.answers.json"))
	p.waitFor(t, "You're all set")
	p.waitFor(t, "LAB-FEE42")
	p.waitFor(t, "blake.lab@contoso-lab.example")
	t.Logf("the Python backend's deployment reached the desktop in %v", time.Since(start).Round(time.Millisecond))
	_, _ = p.pty.Write([]byte{3})
	p.wait(t)
	<-p.done
	data, _ := os.ReadFile(rec)
	if !bytes.Contains(data, []byte(`"device_name":"LAB-FEE42"`)) && !bytes.Contains(data, []byte(`"deviceName":"LAB-FEE42"`)) {
		t.Errorf("the record lacks the lab's device name:\n%s", data[max(0, len(data)-2000):])
	}
	noSecrets(t, dir, p.output(), secrets...)
}

// TestHTTPBackendToTheDesktop: the real program with --backend http against the sim served
// through rpc.NewHTTPHandler on 127.0.0.1 (a bearer token from OOBE_BACKEND_TOKEN) replays
// the demo answers to the desktop; the token and the secrets are nowhere.
func TestHTTPBackendToTheDesktop(t *testing.T) {
	w, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	const token = "lab-token-5e1f"
	h := rpc.NewHTTPHandler(func(_ *http.Request, hello rpc.Hello) (flow.Backend, error) {
		if hello.Speed != 0 {
			t.Errorf("hello speed %v, want 0 for --speed max", hello.Speed)
		}
		return sim.New(w, sim.Options{Clock: flow.NewVirtualClock(time.Now()), Seed: 1}), nil
	}, rpc.HTTPServerOptions{Token: token})
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle(rpc.RPCPath, h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	rec := filepath.Join(dir, "run.jsonl")
	secrets := []string{"Runway-2026!", "Contrail#2026", "135792", token}
	start := time.Now()
	p := startEnv(t, []string{"OOBE_WIFI_KEY=" + secrets[0], "OOBE_PASSWORD=" + secrets[1], "OOBE_PIN=" + secrets[2], "OOBE_BACKEND_TOKEN=" + token},
		"--speed", "max", "--out", dir, "--record", rec, "--answers-delay", "0",
		"--backend", "http", "--backend-url", srv.URL,
		"--answers", repoFile("flow", "answers", "testdata", "demo.answers.json"))
	p.waitFor(t, "You're all set")
	p.waitFor(t, "megan.rivera@larkspuraero.com")
	t.Logf("the HTTP backend's deployment reached the desktop in %v", time.Since(start).Round(time.Millisecond))
	_, _ = p.pty.Write([]byte{3})
	p.wait(t)
	<-p.done
	noSecrets(t, dir, p.output(), secrets...)
}

// TestHelperCrashShowsTryAgain: a helper that crashes on the network scan leaves the user on
// the network page with what failed and Try again; Try again starts the helper anew and the
// networks show.
func TestHelperCrashShowsTryAgain(t *testing.T) {
	dir := t.TempDir()
	// the helper's mode goes on its own command line (env), not in the program's environment
	helper := fmt.Sprintf("env '%s=crash-first-scan:%s' '%s'", testBackendEnv, filepath.Join(dir, "crashed"), os.Args[0])
	p := start(t, "--speed", "max", "--out", dir, "--backend", "exec", "--backend-cmd", helper)
	p.waitFor(t, "Choose your language")
	for _, want := range []string{"Is this the right country or region?", "Is this the right keyboard layout", "Want to add a second keyboard layout?"} {
		_, _ = p.pty.Write([]byte("\r"))
		p.waitFor(t, want)
	}
	_, _ = p.pty.Write([]byte("\x1b[B\x1b[B\r")) // Skip
	p.waitFor(t, "Couldn't search for networks")
	p.waitFor(t, "exited (exit status 139)")
	p.waitFor(t, "its last words: helper: segmentation") // the helper's stderr
	p.waitFor(t, "Try again")
	_, _ = p.pty.Write([]byte("\r")) // Try again has the focus
	p.waitFor(t, "Larkspur-Corp")
	_, _ = p.pty.Write([]byte{3})
	p.wait(t)
}

// TestServerDownAtPowerOnShowsTryAgain (issue 9: a server that is down is never a crash): a
// backend server down when the program starts leaves the first page saying so, with Try
// again; once the server listens, Try again boots the device and OOBE begins.
func TestServerDownAtPowerOnShowsTryAgain(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p := start(t, "--speed", "max", "--out", t.TempDir(), "--backend", "http", "--backend-url", "http://"+addr)
	p.waitFor(t, "cannot reach the backend")
	p.waitFor(t, "Try again")
	w, werr := tenant.LoadEmbedded()
	if werr != nil {
		t.Fatal(werr)
	}
	h := rpc.NewHTTPHandler(func(*http.Request, rpc.Hello) (flow.Backend, error) {
		return sim.New(w, sim.Options{Clock: flow.NewVirtualClock(time.Now()), Seed: 1}), nil
	}, rpc.HTTPServerOptions{})
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle(rpc.RPCPath, h)
	l, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the port %s was taken meanwhile: %v", addr, err)
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()
	_, _ = p.pty.Write([]byte("\r")) // Try again has the focus
	p.waitFor(t, "Choose your language")
	_, _ = p.pty.Write([]byte{3})
	p.wait(t)
}

// TestBackendThatCannotStart: a backend that cannot be had before the first page — a helper
// that does not exist, one of another major version — ends the program with one line saying
// why and exit code 1, the terminal restored, no panic.
func TestBackendThatCannotStart(t *testing.T) {
	v2 := filepath.Join(t.TempDir(), "v2.py")
	script := "import sys, json\nfor line in sys.stdin:\n    r = json.loads(line)\n    print(json.dumps({'jsonrpc': '2.0', 'id': r['id'], 'result': {'protocol': '2.0.0', 'name': 'future', 'version': '9', 'capabilities': []}}), flush=True)\n"
	if err := os.WriteFile(v2, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no such helper", []string{"--backend", "exec", "--backend-cmd", "/nonexistent/lab-backend --fast"}, "oobe: --backend exec: cannot start the backend /nonexistent/lab-backend"},
	}
	if _, err := exec.LookPath("python3"); err == nil {
		cases = append(cases, struct {
			name string
			args []string
			want string
		}{"another major version", []string{"--backend", "exec", "--backend-cmd", "python3 " + v2}, "the backend speaks protocol 2.0.0 and this oobe speaks 1.0.0"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := start(t, append([]string{"--speed", "max", "--out", t.TempDir()}, c.args...)...)
			if code := p.wait(t); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			<-p.done
			if out := p.output(); !strings.Contains(out, c.want) || strings.Contains(out, "panic") {
				t.Errorf("the program said %q; want %q", out, c.want)
			}
		})
	}
}

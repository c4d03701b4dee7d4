package ui

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// faultyServer serves the sim over HTTP on 127.0.0.1 through rpc.NewHTTPHandler; fault
// sees each call first (under a lock) and answers true to have it fail: 503 for a sign-in,
// the connection dropped for anything else.
func faultyServer(t testing.TB, w *sim.World, fault func(method string, params []byte) bool) (url string) {
	h := rpc.NewHTTPHandler(func(_ *http.Request, _ rpc.Hello) (flow.Backend, error) {
		return sim.New(w, sim.Options{Clock: flow.NewVirtualClock(testStart), Seed: 1}), nil
	}, rpc.HTTPServerOptions{})
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		_ = json.Unmarshal(body, &req)
		mu.Lock()
		fail := fault(req.Method, req.Params)
		mu.Unlock()
		switch {
		case fail && req.Method == rpc.MethodSignIn:
			http.Error(rw, "the directory is down for maintenance", http.StatusServiceUnavailable)
		case fail:
			if conn, _, err := rw.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		default:
			r.Body = io.NopCloser(bytes.NewReader(body))
			h.ServeHTTP(rw, r)
		}
	}))
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return srv.URL
}

// remote is a setup's backend: the client of a faulty server.
func remote(fault func(method string, params []byte) bool, client **rpc.Client) func(t testing.TB, w *sim.World) flow.Backend {
	return func(t testing.TB, w *sim.World) flow.Backend {
		c, err := rpc.DialHTTP(t.Context(), faultyServer(t, w, fault), rpc.HTTPOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if client != nil {
			*client = c
		}
		return c
	}
}

// dropDuringDeviceSetup drops the connection of the second progress poll of the first
// Device setup, as a server that goes away in the middle of a phase (twice: Go's HTTP client
// resends such a request once by itself).
func dropDuringDeviceSetup() func(method string, params []byte) bool {
	armed, polls, drops := false, 0, 0
	return func(method string, params []byte) bool {
		if method == rpc.MethodProvision && bytes.Contains(params, []byte(`"deviceSetup"`)) && drops == 0 {
			armed = true
		}
		if armed && method == rpc.MethodStreamNext {
			if polls++; polls >= 2 && drops < 2 {
				drops++
				return true
			}
		}
		return false
	}
}

// TestRemoteBackendSignInUnavailable: a sign-in the backend cannot answer (HTTP 503) keeps
// the user on the password page with what failed; signing in again works once it is back.
func TestRemoteBackendSignInUnavailable(t *testing.T) {
	var signIns atomic.Int32 // written by the server's goroutines
	d := newDriver(t, setup{w: 120, h: 40, backend: remote(func(method string, _ []byte) bool {
		return method == rpc.MethodSignIn && signIns.Add(1) == 1
	}, nil)})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.idle()
	if signState(d) != run.SignPassword {
		t.Fatalf("the failed sign-in left the password page:\n%s", d.text())
	}
	d.sees("Something went wrong", "answered the sign-in (signin) with HTTP 503")
	if n := signIns.Load(); n != 1 {
		t.Errorf("the sign-in was sent %d times: a sign-in is never resent", n)
	}
	d.typeText("Contrail#2026")
	d.key("enter")
	d.settle(func() bool { return signState(d) != run.SignPassword && signState(d) != run.SignCheckingPassword })
	if strings.Contains(d.text(), "HTTP 503") {
		t.Errorf("the error stays after signing in again:\n%s", d.text())
	}
	if d.r.User().UPN != flrMegan {
		t.Errorf("signed in as %q after the backend came back", d.r.User().UPN)
	}
}

// TestRemoteBackendDropsMidPhase: a backend server that goes away in the middle of Device
// setup leaves the ESP's error view with what failed and Try again; Collect logs writes a
// bundle with the backend's last exchanges and no secret; Try again finishes the phase once
// the server is back.
func TestRemoteBackendDropsMidPhase(t *testing.T) {
	dir := t.TempDir()
	var client *rpc.Client
	d := newDriver(t, setup{w: 120, h: 40, files: run.Dir(dir), backend: remote(dropDuringDeviceSetup(), &client)})
	toSignIn(t, d)
	flrCredentials(t, d, flrMegan, "Contrail#2026")
	d.idle()
	if espState(d) != run.ESPFailed {
		t.Fatalf("no ESP error view after the server dropped the stream, on %s:\n%s", d.m.Step(), d.text())
	}
	d.sees("Something went wrong", "cannot reach the backend at", "the progress (stream.next)")
	if _, ok := d.button("retry"); !ok {
		t.Fatalf("no Try again on the ESP error view:\n%s", d.text())
	}
	// the remote backend's clock is ahead of the run's: the phase still ends after it started
	if ps := d.r.ESP().Phase(flow.ESPDeviceSetup); ps.Ended.Before(ps.Started) {
		t.Errorf("Device setup ended at %v, before it started at %v", ps.Ended, ps.Started)
	}

	d.pressButton("logs")
	d.waitFor("Diagnostics saved to")
	files, _ := filepath.Glob(filepath.Join(dir, "oobe-diagnostics-*.txt"))
	if len(files) != 1 {
		t.Fatalf("bundles written: %v", files)
	}
	bundle, _ := os.ReadFile(files[0])
	for _, want := range []string{"Backend\n", "Last protocol exchanges", "→ provision", "→ connect", `"key":"[redacted]"`, `"password":"[redacted]"`, "Backend URL: http://127.0.0.1:"} {
		if !bytes.Contains(bundle, []byte(want)) {
			t.Errorf("the bundle lacks %q", want)
		}
	}
	for _, secret := range []string{"Runway-2026!", "Contrail#2026"} {
		if bytes.Contains(bundle, []byte(secret)) {
			t.Errorf("the bundle holds the secret %q", secret)
		}
		if bytes.Contains(client.Diagnostics(), []byte(secret)) {
			t.Errorf("the backend's diagnostics hold the secret %q", secret)
		}
	}

	// the server is back: Try again asks it again and Device setup completes
	d.pressButton("retry")
	d.settle(func() bool {
		return d.r.ESP().Phase(flow.ESPDeviceSetup).State == flow.ItemComplete || espState(d) == run.ESPFailed
	})
	if espState(d) == run.ESPFailed {
		t.Fatalf("Try again failed again:\n%s", d.text())
	}
	if strings.Contains(d.text(), "cannot reach the backend") {
		t.Errorf("the error stays after Try again:\n%s", d.text())
	}
}

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/internal/records"
)

// TestKioskBackendsFromTheCentralScenario: the server gives each kiosk, named by its
// Oobe-Kiosk header, a simulated device of its own built from the server's scenario (the
// same one on its next request), refuses a request naming none, and puts the backend
// protocol at /v1/rpc behind the bearer token.
func TestKioskBackendsFromTheCentralScenario(t *testing.T) {
	src, err := os.ReadFile("../../examples/scenarios/app-failure.json")
	if err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(t.TempDir(), "lab.json")
	if err := os.WriteFile(scen, bytes.Replace(src, []byte(`"8CG3471KQD"`), []byte(`"LAB0042"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	world, ok := loadTenant(tenantConfig{scenario: scen}, &errb)
	if !ok {
		t.Fatal(errb.String())
	}
	old := rpcHandler
	defer func() { rpcHandler = old }()
	// a stand-in for the protocol: it boots the kiosk's backend and says what it got
	rpcHandler = func(newBackend func(*http.Request) (flow.Backend, error)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := newBackend(r)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			info, err := b.Boot(r.Context())
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(w, "%p %s", b, info.Serial)
		})
	}
	ready := make(chan struct{})
	close(ready)
	k := &kiosks{world: world, seed: 1, m: map[string]flow.Backend{}}
	h := records.NewHandler(nil, "tok", nil)
	srv := httptest.NewServer(serverMux("tok", func() *records.Handler { return h }, ready, k))
	defer srv.Close()
	call := func(kiosk, token string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL+"/v1/rpc", strings.NewReader("{}"))
		if kiosk != "" {
			req.Header.Set(KioskHeader, kiosk)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	codeA, a1 := call("lab-1", "tok")
	_, a2 := call("lab-1", "tok")
	_, b1 := call("lab-2", "tok")
	if codeA != 200 || !strings.HasSuffix(a1, " LAB0042") || !strings.HasSuffix(b1, " LAB0042") {
		t.Fatalf("kiosks' devices: %d %q and %q; want the scenario's serial LAB0042", codeA, a1, b1)
	}
	if a1 != a2 {
		t.Errorf("kiosk lab-1 got another device on its second request: %q then %q", a1, a2)
	}
	if a1 == b1 {
		t.Errorf("kiosks lab-1 and lab-2 share a device: %q", a1)
	}
	if code, body := call("", "tok"); code != 400 || !strings.Contains(body, "the Oobe-Kiosk header must name the kiosk") {
		t.Errorf("no kiosk header: %d %q", code, body)
	}
	if code, body := call("lab-1", "wrong"); code != 401 || !strings.Contains(body, "bearer token") {
		t.Errorf("wrong token: %d %q", code, body)
	}
}

// TestServerUnavailableUntilTheStoreIsOpen: before the store is open, the health check and
// the records API answer 503 with a reason.
func TestServerUnavailableUntilTheStoreIsOpen(t *testing.T) {
	k := &kiosks{m: map[string]flow.Backend{}}
	srv := httptest.NewServer(serverMux("", func() *records.Handler { t.Error("the handler was used before the store is open"); return nil }, make(chan struct{}), k))
	defer srv.Close()
	for _, path := range []string{"/v1/health", "/v1/records"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 503 || !strings.Contains(string(b), "the store is not open yet") {
			t.Errorf("%s while starting: %d %s", path, resp.StatusCode, b)
		}
	}
}

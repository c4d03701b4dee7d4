package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/internal/records"
)

// TestKioskBackendsFromTheCentralScenario (issue 9: the server runs the sim engine for each
// connecting kiosk from one central scenario): over the real backend protocol at /v1/rpc,
// each kiosk's program gets a device of its own built from the server's scenario (its serial,
// its own sign-ins), behind the bearer token; a request without a hello is refused with why.
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
	ready := make(chan struct{})
	close(ready)
	k := &kiosks{world: world, seed: 1}
	h := records.NewHandler(nil, "tok", nil)
	srv := httptest.NewServer(serverMux("tok", func() *records.Handler { return h }, ready, k))
	defer srv.Close()
	defer k.close()
	ctx := context.Background()
	kiosk := func(token string) (*rpc.Client, error) {
		return rpc.DialHTTP(ctx, srv.URL, rpc.HTTPOptions{Token: token, Retries: -1})
	}
	a, err := kiosk("tok")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := kiosk("tok")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, c := range []*rpc.Client{a, b} {
		info, err := c.Boot(ctx)
		if err != nil || info.Serial != "LAB0042" {
			t.Fatalf("boot: %+v, %v; want the scenario's device LAB0042", info, err)
		}
	}
	res, err := a.SignIn(ctx, flow.Credentials{UPN: "megan.rivera@larkspuraero.com", Password: "Contrail#2026"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Enroll(ctx, res.Ticket); !errors.Is(err, flow.ErrNotSignedIn) {
		t.Errorf("kiosk b used kiosk a's sign-in: %v", err)
	}
	if c, err := kiosk("wrong"); err == nil {
		c.Close()
		t.Error("a wrong token was let in")
	}
	req, _ := http.NewRequest("POST", srv.URL+"/v1/rpc", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "say hello first") {
		t.Errorf("no hello: %d %q", resp.StatusCode, body)
	}
}

// TestServerUnavailableUntilTheStoreIsOpen: before the store is open, the health check and
// the records API answer 503 with a reason.
func TestServerUnavailableUntilTheStoreIsOpen(t *testing.T) {
	k := &kiosks{}
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

package rpc_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
)

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// serveEnv makes the test binary a backend helper: it serves the sim on its standard input
// and output (the exec transport's tests start it as their child process).
const serveEnv = "OOBE_RPC_TEST_SERVE"

// TestMain serves the sim when started as a helper; otherwise it runs the tests and fails
// them when a goroutine outlives them.
func TestMain(m *testing.M) {
	if mode := os.Getenv(serveEnv); mode != "" {
		os.Exit(serveHelper(mode))
	}
	goleak.VerifyTestMain(m)
}

// serveHelper is the child process: "sim" serves the embedded tenant's sim; "sim-hybrid" a
// hybrid one; the other modes are a sim that misbehaves on cue (see misbehaving).
func serveHelper(mode string) int {
	if mode == "v2" {
		return serveV2()
	}
	w, err := world(mode == "sim-hybrid")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(os.Stderr, "sim helper: serving on stdio")
	nb := simBackend(w)
	if mode != "sim" && mode != "sim-hybrid" {
		nb = misbehave(nb, mode)
	}
	err = rpc.Serve(context.Background(), os.Stdin, os.Stdout, nb, rpc.ServerOptions{Name: "oobe-sim", Version: "test"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func world(hybrid bool) (*sim.World, error) {
	w, err := tenant.LoadEmbedded()
	if err != nil {
		return nil, err
	}
	if hybrid {
		h := *w
		h.Profile.Join = flow.JoinHybrid
		return &h, nil
	}
	return w, nil
}

// simBackend builds a sim on the hello's speed: its own virtual clock at max, paced else.
func simBackend(w *sim.World) rpc.NewBackend {
	return func(_ context.Context, h rpc.Hello) (flow.Backend, error) {
		var clock flow.Clock = flow.NewVirtualClock(epoch)
		if h.Speed > 0 {
			clock = flow.NewPacedClock(epoch, h.Speed, nil)
		}
		return sim.New(w, sim.Options{Clock: clock, Seed: 7}), nil
	}
}

// execSim starts the test binary as a helper serving the sim and returns the client.
func execSim(t *testing.T, mode string, opts rpc.ExecOptions) *rpc.Client {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	opts.Env = append(os.Environ(), serveEnv+"="+mode)
	c, err := rpc.Exec(context.Background(), []string{exe}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// httpSim serves the sim through NewHTTPHandler on a real listener on 127.0.0.1.
func httpSim(t *testing.T, hybrid bool, sopts rpc.HTTPServerOptions) *httptest.Server {
	t.Helper()
	w, err := world(hybrid)
	if err != nil {
		t.Fatal(err)
	}
	nb := simBackend(w)
	h := rpc.NewHTTPHandler(func(r *http.Request, hello rpc.Hello) (flow.Backend, error) {
		return nb(r.Context(), hello)
	}, sopts)
	mux := http.NewServeMux()
	mux.Handle(rpc.RPCPath, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return srv
}

// dialHTTP says hello to the server at url.
func dialHTTP(t *testing.T, url string, opts rpc.HTTPOptions) *rpc.Client {
	t.Helper()
	c, err := rpc.DialHTTP(context.Background(), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

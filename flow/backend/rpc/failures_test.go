package rpc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
)

// wantError fails unless err is a *flow.Error of code whose text holds every part.
func wantError(t *testing.T, what string, err error, code flow.ErrorCode, parts ...string) {
	t.Helper()
	var fe *flow.Error
	if !errors.As(err, &fe) {
		t.Fatalf("%s: %v (%T) is not a *flow.Error", what, err, err)
	}
	if fe.Code != code {
		t.Errorf("%s: code %q (%v), want %q", what, fe.Code, err, code)
	}
	for _, p := range parts {
		if !strings.Contains(fe.Error(), p) {
			t.Errorf("%s: %q does not say %q", what, fe.Error(), p)
		}
	}
}

// TestExecHelperFailures: a helper process that exits, hangs, writes garbage, sends an event
// protocol 1 does not know, speaks a newer major version or cannot start gives a
// *flow.Error that says what happened — never a panic, never a hang past the call's timeout.
func TestExecHelperFailures(t *testing.T) {
	t.Run("exits", func(t *testing.T) {
		c := execSim(t, "exit-on-scan", rpc.ExecOptions{})
		_, err := c.Scan(context.Background())
		wantError(t, "Scan", err, flow.CodeUnavailable, "exited (exit status 3) during the network scan (scan)", "its last words: helper: crashing on purpose")
		if d := string(c.Diagnostics()); !strings.Contains(d, "helper: crashing on purpose") || !strings.Contains(d, "→ scan") {
			t.Errorf("the diagnostics lack the helper's stderr or the exchange:\n%s", d)
		}
	})
	t.Run("exits, and Try again starts it again", func(t *testing.T) {
		c := execSim(t, "exit-on-scan", rpc.ExecOptions{})
		if _, err := c.Scan(context.Background()); err == nil {
			t.Fatal("the scan of a helper that crashes succeeded")
		}
		// the helper is back at power-on: the calls that do not crash it work
		if _, err := c.Boot(context.Background()); err != nil {
			t.Errorf("Boot after the helper's restart: %v", err)
		}
		if d := string(c.Diagnostics()); !strings.Contains(d, "the backend stopped (exit status 3); starting it again (restart 1 of") {
			t.Errorf("the diagnostics do not say the helper was started again:\n%s", d)
		}
	})
	t.Run("hangs", func(t *testing.T) {
		c := execSim(t, "hang-on-scan", rpc.ExecOptions{Options: rpc.Options{Timeouts: map[string]time.Duration{rpc.MethodScan: 300 * time.Millisecond}}})
		start := time.Now()
		_, err := c.Scan(context.Background())
		wantError(t, "Scan", err, flow.CodeTimeout, "did not answer the network scan (scan) within 300ms")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the timeout took %v", d)
		}
		// the helper still answers other calls
		if _, err := c.Boot(context.Background()); err != nil {
			t.Errorf("Boot after a timed-out scan: %v", err)
		}
	})
	t.Run("a call given up is cancelled in the helper", func(t *testing.T) {
		c := execSim(t, "cancel-probe", rpc.ExecOptions{Options: rpc.Options{Timeouts: map[string]time.Duration{rpc.MethodWaitMFA: 200 * time.Millisecond}}})
		err := c.WaitMFA(context.Background(), "any")
		wantError(t, "WaitMFA", err, flow.CodeTimeout, "the Authenticator approval (mfa.wait)")
		if name, err := c.DeviceName(context.Background()); err != nil || name != "cancelled" {
			t.Errorf("the helper's WaitMFA was %q (%v): the cancel notification did not reach it", name, err)
		}
	})
	t.Run("writes garbage", func(t *testing.T) {
		c := execSim(t, "garbage-on-scan", rpc.ExecOptions{})
		_, err := c.Scan(context.Background())
		wantError(t, "Scan", err, flow.CodeProtocol, "wrote something that is not JSON-RPC", "Traceback")
		// Try again: a helper out of step is stopped and started afresh
		if _, err := c.Boot(context.Background()); err != nil {
			t.Errorf("Boot after the garbage: %v", err)
		}
		if d := string(c.Diagnostics()); !strings.Contains(d, "← not JSON-RPC") || !strings.Contains(d, "starting it again") {
			t.Errorf("the diagnostics do not show the garbage and the restart:\n%s", d)
		}
	})
	t.Run("unknown event", func(t *testing.T) {
		c := execSim(t, "unknown-event", rpc.ExecOptions{})
		ctx := context.Background()
		s, err := c.CheckUpdates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Next(ctx); err != nil {
			t.Fatalf("first event: %v", err)
		}
		_, err = s.Next(ctx)
		wantError(t, "Next", err, flow.CodeProtocol, `unknown kind "update.teleport"`, "the update check (updates.check)")
		if _, again := s.Next(ctx); again == nil {
			t.Error("the broken stream went on")
		}
	})
	t.Run("newer major version", func(t *testing.T) {
		exe, _ := os.Executable()
		_, err := rpc.Exec(context.Background(), []string{exe}, rpc.ExecOptions{Env: append(os.Environ(), serveEnv+"=v2")})
		wantError(t, "Exec", err, flow.CodeProtocol, "the backend speaks protocol 2.0.0 and this oobe speaks 1.0.0", "update one of them")
	})
	t.Run("cannot start", func(t *testing.T) {
		_, err := rpc.Exec(context.Background(), []string{"/nonexistent/oobe-backend"}, rpc.ExecOptions{})
		wantError(t, "Exec", err, flow.CodeUnavailable, "cannot start the backend /nonexistent/oobe-backend")
	})
}

// faultyHTTP serves the sim on a real listener with fault(method, w) called first for
// every call: it returns true when it answered instead of the backend. It counts the calls
// per method.
func faultyHTTP(t *testing.T, fault func(method string, w http.ResponseWriter, r *http.Request) bool) (*httptest.Server, map[string]*atomic.Int32) {
	t.Helper()
	inner := httpSim(t, false, rpc.HTTPServerOptions{ServerOptions: rpc.ServerOptions{PollWait: 2 * time.Second}})
	counts := map[string]*atomic.Int32{}
	for _, m := range []string{rpc.MethodHello, rpc.MethodBoot, rpc.MethodScan, rpc.MethodSignIn, rpc.MethodStreamNext, rpc.MethodCheckUpdates} {
		counts[m] = new(atomic.Int32)
	}
	target := inner.URL + rpc.RPCPath
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Method string `json:"method"`
		}
		_ = json.Unmarshal(body, &req)
		if n := counts[req.Method]; n != nil {
			n.Add(1)
		}
		if fault(req.Method, w, r) {
			return
		}
		out, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, target, bytes.NewReader(body))
		out.Header = r.Header.Clone()
		res, err := http.DefaultClient.Do(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		_, _ = io.Copy(w, res.Body)
	}))
	t.Cleanup(srv.Close)
	return srv, counts
}

// TestHTTPServerFailures: a server that is down, answers 500, hangs, drops a stream in the
// middle of a phase or sends an unknown event gives a *flow.Error that says what happened;
// idempotent calls are retried (with backoff) and the others never are.
func TestHTTPServerFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("down", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, err := rpc.DialHTTP(ctx, url, rpc.HTTPOptions{})
		wantError(t, "DialHTTP", err, flow.CodeUnavailable, "cannot reach the backend at "+url, "connection refused")
	})
	t.Run("500, idempotent: retried", func(t *testing.T) {
		srv, n := faultyHTTP(t, func(m string, w http.ResponseWriter, _ *http.Request) bool {
			if m == rpc.MethodScan {
				http.Error(w, "boom", http.StatusInternalServerError)
				return true
			}
			return false
		})
		c := dialHTTP(t, srv.URL, rpc.HTTPOptions{})
		_, err := c.Scan(ctx)
		wantError(t, "Scan", err, flow.CodeUnavailable, "answered the network scan (scan) with HTTP 500 Internal Server Error")
		if got := n[rpc.MethodScan].Load(); got != 4 {
			t.Errorf("the scan was sent %d times, want 4 (one and three retries)", got)
		}
	})
	t.Run("500, not idempotent: sent once", func(t *testing.T) {
		srv, n := faultyHTTP(t, func(m string, w http.ResponseWriter, r *http.Request) bool {
			if m == rpc.MethodSignIn {
				if r.Header.Get(rpc.IdempotencyKeyHeader) == "" {
					t.Error("a sign-in without an idempotency key")
				}
				http.Error(w, "boom", http.StatusBadGateway)
				return true
			}
			return false
		})
		c := dialHTTP(t, srv.URL, rpc.HTTPOptions{})
		_, err := c.SignIn(ctx, flow.Credentials{UPN: pushUPN, Password: pushPassword})
		wantError(t, "SignIn", err, flow.CodeUnavailable, "HTTP 502")
		if got := n[rpc.MethodSignIn].Load(); got != 1 {
			t.Errorf("the sign-in was sent %d times, want once", got)
		}
	})
	t.Run("hangs", func(t *testing.T) {
		srv, _ := faultyHTTP(t, func(m string, _ http.ResponseWriter, r *http.Request) bool {
			if m == rpc.MethodScan {
				<-r.Context().Done()
				return true
			}
			return false
		})
		c := dialHTTP(t, srv.URL, rpc.HTTPOptions{Options: rpc.Options{Timeouts: map[string]time.Duration{rpc.MethodScan: 300 * time.Millisecond}}})
		_, err := c.Scan(ctx)
		wantError(t, "Scan", err, flow.CodeTimeout, "did not answer the network scan (scan) within 300ms")
	})
	t.Run("drops the stream mid-phase", func(t *testing.T) {
		var polls atomic.Int32
		srv, _ := faultyHTTP(t, func(m string, w http.ResponseWriter, _ *http.Request) bool {
			if m == rpc.MethodStreamNext && polls.Add(1) >= 3 { // (net/http itself resends a request with an idempotency key once)
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close() // the connection drops: no answer at all
				}
				return true
			}
			return false
		})
		c := dialHTTP(t, srv.URL, rpc.HTTPOptions{})
		s, err := c.CheckUpdates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var got error
		for i := 0; i < 1000 && got == nil; i++ {
			_, got = s.Next(ctx)
		}
		wantError(t, "Next", got, flow.CodeUnavailable, "cannot reach the backend at", "the progress (stream.next)")
	})
	t.Run("unknown event", func(t *testing.T) {
		srv, _ := faultyHTTP(t, func(m string, w http.ResponseWriter, _ *http.Request) bool {
			if m == rpc.MethodStreamNext {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":{"events":[{"kind":"esp.hologram","at":"2026-03-02T09:00:00Z"}],"end":false}}`)
				return true
			}
			return false
		})
		c := dialHTTP(t, srv.URL, rpc.HTTPOptions{})
		s, err := c.CheckUpdates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		_, err = s.Next(ctx)
		wantError(t, "Next", err, flow.CodeProtocol, `unknown kind "esp.hologram"`)
	})
	t.Run("not JSON-RPC", func(t *testing.T) {
		srv, _ := faultyHTTP(t, func(m string, w http.ResponseWriter, _ *http.Request) bool {
			if m == rpc.MethodBoot {
				_, _ = io.WriteString(w, "<html>captive portal</html>")
				return true
			}
			return false
		})
		c := dialHTTP(t, srv.URL, rpc.HTTPOptions{})
		_, err := c.Boot(ctx)
		wantError(t, "Boot", err, flow.CodeProtocol, "not a JSON-RPC response", "captive portal")
	})
}

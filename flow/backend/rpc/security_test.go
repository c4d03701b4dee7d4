package rpc_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
)

// TestHTTPBearerToken: a server with a token refuses a client without it, in words a user
// understands, and serves one with it; the token is in no diagnostics.
func TestHTTPBearerToken(t *testing.T) {
	const token = "tok-9f8e7d6c5b4a"
	srv := httpSim(t, false, rpc.HTTPServerOptions{Token: token})
	_, err := rpc.DialHTTP(context.Background(), srv.URL, rpc.HTTPOptions{Token: "wrong"})
	wantError(t, "a wrong token", err, flow.CodeUnavailable, "refused the bearer token (HTTP 401)")
	c := dialHTTP(t, srv.URL, rpc.HTTPOptions{Token: token})
	if _, err := c.Boot(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := string(c.Diagnostics()); strings.Contains(d, token) {
		t.Errorf("the diagnostics hold the token:\n%s", d)
	}
}

// post sends one JSON-RPC call by hand, with headers, and returns the answer's body.
func post(t *testing.T, url string, headers map[string]string, body string) (string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+rpc.RPCPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d: %s", res.StatusCode, b)
	}
	return string(b), res.Header
}

// TestHTTPIdempotencyKey: a non-idempotent call repeated with the same idempotency key gets
// the first answer and is not done twice; with another key it is done again.
func TestHTTPIdempotencyKey(t *testing.T) {
	srv := httpSim(t, false, rpc.HTTPServerOptions{})
	_, h := post(t, srv.URL, nil, `{"jsonrpc":"2.0","id":1,"method":"hello","params":{"protocol":"1.0.0","client":"test","speed":0}}`)
	sess := map[string]string{rpc.SessionHeader: h.Get(rpc.SessionHeader)}
	if sess[rpc.SessionHeader] == "" {
		t.Fatal("hello opened no session")
	}
	signIn := `{"jsonrpc":"2.0","id":2,"method":"signin","params":{"upn":"` + pushUPN + `","password":"` + pushPassword + `"}}`
	with := func(key string) map[string]string {
		return map[string]string{rpc.SessionHeader: sess[rpc.SessionHeader], rpc.IdempotencyKeyHeader: key}
	}
	ticket := func(body string) string {
		var r struct {
			Result flow.SignInResult `json:"result"`
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil || r.Result.Ticket == "" {
			t.Fatalf("no ticket in %s", body)
		}
		return string(r.Result.Ticket)
	}
	first, _ := post(t, srv.URL, with("key-1"), signIn)
	again, _ := post(t, srv.URL, with("key-1"), signIn)
	other, _ := post(t, srv.URL, with("key-2"), signIn)
	if first != again {
		t.Errorf("the repeated call got another answer:\n%s\n%s", first, again)
	}
	if ticket(first) == ticket(other) {
		t.Errorf("a call with a new key got the first answer (ticket %s): it was not done again", ticket(other))
	}
	// no session: only a hello opens one
	nohello, _ := http.NewRequest(http.MethodPost, srv.URL+rpc.RPCPath, strings.NewReader(signIn))
	nohello.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(nohello); err != nil {
		t.Fatal(err)
	} else if res.Body.Close(); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a sign-in without a session: HTTP %d, want 400", res.StatusCode)
	}
	// unknown session: a clear 404, not another device's backend
	req, _ := http.NewRequest(http.MethodPost, srv.URL+rpc.RPCPath, strings.NewReader(signIn))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(rpc.SessionHeader, "forged")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("a forged session: HTTP %d, want 404", res.StatusCode)
	}
}

// writePEM writes a PEM block of typ into dir/name and returns its path.
func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHTTPTLSWithClientCertificate: over TLS the client trusts the server through the CA
// file it is given and shows a client certificate; a server that wants one refuses a client
// without it, and a client without the CA refuses the server.
func TestHTTPTLSWithClientCertificate(t *testing.T) {
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "oobe lab client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile := writePEM(t, dir, "client.pem", "CERTIFICATE", der)
	keyFile := writePEM(t, dir, "client.key", "PRIVATE KEY", kder)
	clientCert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(clientCert)

	w, err := world(false)
	if err != nil {
		t.Fatal(err)
	}
	nb := simBackend(w)
	var sawClient string
	h := rpc.NewHTTPHandler(func(r *http.Request, hello rpc.Hello) (flow.Backend, error) {
		sawClient = r.TLS.PeerCertificates[0].Subject.CommonName // the lab may pick a backend by it
		return nb(r.Context(), hello)
	}, rpc.HTTPServerOptions{})
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle(rpc.RPCPath, h)
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	defer srv.Close()
	caFile := writePEM(t, dir, "ca.pem", "CERTIFICATE", srv.Certificate().Raw)

	ctx := context.Background()
	c, err := rpc.DialHTTP(ctx, srv.URL, rpc.HTTPOptions{CAFile: caFile, CertFile: certFile, KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Boot(ctx); err != nil {
		t.Fatal(err)
	}
	if sawClient != "oobe lab client" {
		t.Errorf("the server saw client %q", sawClient)
	}
	_, err = rpc.DialHTTP(ctx, srv.URL, rpc.HTTPOptions{CAFile: caFile})
	wantError(t, "no client certificate", err, flow.CodeUnavailable, "cannot reach the backend")
	_, err = rpc.DialHTTP(ctx, srv.URL, rpc.HTTPOptions{CertFile: certFile, KeyFile: keyFile})
	wantError(t, "no CA file", err, flow.CodeUnavailable, "certificate")
	_, err = rpc.DialHTTP(ctx, srv.URL, rpc.HTTPOptions{CAFile: filepath.Join(dir, "missing.pem")})
	wantError(t, "a missing CA file", err, flow.CodeBadRequest, "the backend CA file", "missing.pem")
}

// TestSecretsNeverInDiagnostics: the Wi-Fi key, the password and the code a user typed
// (right and wrong) are in no diagnostics — not in the exchanges, not in the helper's stderr
// even when the helper prints them there.
func TestSecretsNeverInDiagnostics(t *testing.T) {
	ctx := context.Background()
	secrets := []string{"Runway-2026!", "Runway-2026!-typo", codePassword, codePassword + "x", codeCode, "135799"}
	check := func(t *testing.T, c *rpc.Client) {
		if _, err := c.Connect(ctx, flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!-typo"}); err == nil {
			t.Error("a wrong key connected")
		}
		if _, err := c.Connect(ctx, flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.SignIn(ctx, flow.Credentials{UPN: codeUPN, Password: codePassword + "x"}); err == nil {
			t.Error("a wrong password signed in")
		}
		res, err := c.SignIn(ctx, flow.Credentials{UPN: codeUPN, Password: codePassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.VerifyCode(ctx, res.Ticket, "135799"); err == nil {
			t.Error("a wrong code was accepted")
		}
		if err := c.VerifyCode(ctx, res.Ticket, codeCode); err != nil {
			t.Fatal(err)
		}
		d := c.Diagnostics()
		for _, s := range secrets {
			if bytes.Contains(d, []byte(s)) {
				t.Errorf("the diagnostics hold the secret %q:\n%s", s, d)
			}
		}
		for _, want := range []string{"→ connect", `"key":"[redacted]"`, "→ signin", `"password":"[redacted]"`, "→ code.verify", "← error wrong_code"} {
			if !bytes.Contains(d, []byte(want)) {
				t.Errorf("the diagnostics lack %q:\n%s", want, d)
			}
		}
	}
	t.Run("exec, a helper that prints them", func(t *testing.T) {
		c := execSim(t, "echo-secrets", rpc.ExecOptions{})
		check(t, c)
		if d := c.Diagnostics(); !bytes.Contains(d, []byte("helper: sign-in of "+codeUPN+" with password [redacted]")) {
			t.Errorf("the helper's stderr is not in the diagnostics, scrubbed:\n%s", d)
		}
	})
	t.Run("http", func(t *testing.T) {
		check(t, dialHTTP(t, httpSim(t, false, rpc.HTTPServerOptions{}).URL, rpc.HTTPOptions{}))
	})
}

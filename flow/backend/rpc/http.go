package rpc

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/creachadair/jrpc2"

	"github.com/oobe-emu/oobe/flow"
)

// Headers of the HTTP transport.
const (
	// SessionHeader names the session a hello opened; the server sets it on the hello's
	// answer and the client sends it on every later call.
	SessionHeader = "Oobe-Session"
	// IdempotencyKeyHeader is a fresh random key on every call that is not idempotent; the
	// server answers a repeat of the same key with the first answer.
	IdempotencyKeyHeader = "Idempotency-Key"
)

// RPCPath is where the protocol lives under a backend's base URL.
const RPCPath = "/v1/rpc"

// HTTPOptions tune DialHTTP.
type HTTPOptions struct {
	Options
	// CAFile is a PEM file of the certificate authorities that sign the server's
	// certificate ("": the system's).
	CAFile string
	// CertFile and KeyFile are the client certificate and its key (PEM), for servers that
	// ask for one.
	CertFile, KeyFile string
	// Token is the bearer token sent on every call ("": none). It is never logged.
	Token string
	// Retries is how many times an idempotent call is tried again after a transport error,
	// an HTTP 5xx or 429 (0: 3; negative: never).
	Retries int
	// Client replaces the HTTP client (nil: one built from the options above).
	Client *http.Client
}

// DialHTTP speaks the protocol to the backend at base (its base URL, e.g.
// https://lab.example:8443; the calls go to base + RPCPath) and says hello.
func DialHTTP(ctx context.Context, base string, opts HTTPOptions) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, flow.Errorf(flow.CodeBadRequest, "the backend URL %q is not an http:// or https:// URL", clip(base, 200))
	}
	hc := opts.Client
	if hc == nil {
		var err error
		if hc, err = NewHTTPClient(opts); err != nil {
			return nil, err
		}
	}
	retries := opts.Retries
	if retries == 0 {
		retries = 3
	}
	t := &httpTransport{url: strings.TrimRight(u.String(), "/") + RPCPath, shown: u.Redacted(), hc: hc, token: opts.Token, retries: max(retries, 0)}
	return newClient(ctx, t, opts.Options, newTranscript(opts.Exchanges))
}

// tlsConfig builds the TLS configuration of the options (nil: Go's defaults).
// NewHTTPClient is the HTTP client DialHTTP uses for opts (TLS with its CA file and client
// certificate), for whatever else talks to the same server (the records outbox).
func NewHTTPClient(opts HTTPOptions) (*http.Client, error) {
	tc, err := tlsConfig(opts)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	return &http.Client{Transport: tr}, nil
}

func tlsConfig(opts HTTPOptions) (*tls.Config, error) {
	if opts.CAFile == "" && opts.CertFile == "" && opts.KeyFile == "" {
		return nil, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if opts.CAFile != "" {
		pem, err := os.ReadFile(opts.CAFile)
		if err != nil {
			return nil, flow.Errorf(flow.CodeBadRequest, "the backend CA file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, flow.Errorf(flow.CodeBadRequest, "the backend CA file %s holds no PEM certificate", opts.CAFile)
		}
		tc.RootCAs = pool
	}
	if (opts.CertFile == "") != (opts.KeyFile == "") {
		return nil, flow.Errorf(flow.CodeBadRequest, "a client certificate needs both its certificate file and its key file")
	}
	if opts.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(opts.CertFile, opts.KeyFile)
		if err != nil {
			return nil, flow.Errorf(flow.CodeBadRequest, "the backend client certificate: %v", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// httpTransport posts one JSON-RPC request a call.
type httpTransport struct {
	url     string
	shown   string // the base URL as messages show it (no password)
	hc      *http.Client
	token   string
	retries int
	id      atomic.Int64

	mu      sync.Mutex
	session string
}

// wireResponse is a JSON-RPC response as the client reads it.
type wireResponse struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   *jrpc2.Error    `json:"error"`
}

// httpStatusError is an HTTP answer that is not a JSON-RPC response.
type httpStatusError struct {
	status int
	text   string
}

func (e *httpStatusError) Error() string { return fmt.Sprintf("HTTP %d %s", e.status, e.text) }

func (t *httpTransport) call(ctx context.Context, method string, params, result any) error {
	p, err := json.Marshal(params)
	if err != nil {
		return flow.Errorf(flow.CodeInternal, "encoding %s: %v", method, err)
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": t.id.Add(1), "method": method, "params": json.RawMessage(p)})
	key := ""
	if !Idempotent(method) {
		key = newKey()
	}
	op := func() (wireResponse, error) {
		rsp, err := t.post(ctx, method, body, key)
		if err == nil || !Idempotent(method) {
			return rsp, backoff.Permanent(err)
		}
		var se *httpStatusError
		if errors.As(err, &se) && se.status < 500 && se.status != http.StatusTooManyRequests {
			return rsp, backoff.Permanent(err)
		}
		var fe *flow.Error
		if errors.As(err, &fe) {
			return rsp, backoff.Permanent(err)
		}
		return rsp, err
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval = 100*time.Millisecond, 2*time.Second // RandomizationFactor 0.5: jitter
	rsp, err := backoff.Retry(ctx, op, backoff.WithBackOff(b), backoff.WithMaxTries(uint(t.retries)+1), backoff.WithMaxElapsedTime(0))
	if err != nil {
		return err
	}
	if rsp.Error != nil {
		return rsp.Error
	}
	if err := json.Unmarshal(rsp.Result, result); err != nil {
		return flow.Errorf(flow.CodeProtocol, "the backend's answer to %s does not fit its result: %v", describe(method), err)
	}
	return nil
}

// post sends one request and reads its JSON-RPC response.
func (t *httpTransport) post(ctx context.Context, method string, body []byte, key string) (wireResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return wireResponse{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if t.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	if key != "" {
		req.Header.Set(IdempotencyKeyHeader, key)
	}
	t.mu.Lock()
	if t.session != "" {
		req.Header.Set(SessionHeader, t.session)
	}
	t.mu.Unlock()
	res, err := t.hc.Do(req)
	if err != nil {
		return wireResponse{}, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return wireResponse{}, err
	}
	if res.StatusCode != http.StatusOK {
		return wireResponse{}, &httpStatusError{status: res.StatusCode, text: strings.TrimSpace(clip(string(data), 200))}
	}
	if method == MethodHello {
		if sid := res.Header.Get(SessionHeader); sid != "" {
			t.mu.Lock()
			t.session = sid
			t.mu.Unlock()
		}
	}
	var rsp wireResponse
	if err := json.Unmarshal(data, &rsp); err != nil || rsp.Version != "2.0" || (rsp.Error == nil && rsp.Result == nil) {
		return wireResponse{}, flow.Errorf(flow.CodeProtocol, "the backend at %s answered %s with something that is not a JSON-RPC response: %q", t.shown, describe(method), clip(string(data), 80))
	}
	return rsp, nil
}

// broken words a failed HTTP call.
func (t *httpTransport) broken(method string, err error) *flow.Error {
	var se *httpStatusError
	if errors.As(err, &se) {
		switch {
		case se.status == http.StatusUnauthorized || se.status == http.StatusForbidden:
			return flow.Errorf(flow.CodeUnavailable, "the backend at %s refused the bearer token (HTTP %d) during %s", t.shown, se.status, describe(method))
		case se.status == http.StatusNotFound && se.text != "" && strings.Contains(se.text, "session"):
			return flow.Errorf(flow.CodeUnavailable, "the backend at %s no longer knows this device's session (did it restart?) during %s", t.shown, describe(method))
		}
		return flow.Errorf(flow.CodeUnavailable, "the backend at %s answered %s with HTTP %d %s", t.shown, describe(method), se.status, http.StatusText(se.status))
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return flow.Errorf(flow.CodeUnavailable, "cannot reach the backend at %s during %s: %s", t.shown, describe(method), plainNetError(err))
	}
	return flow.Errorf(flow.CodeUnavailable, "the backend at %s failed %s: %s", t.shown, describe(method), plainNetError(err))
}

// plainNetError is err without the URL (which a *url.Error repeats, token-free but long).
func plainNetError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

func (t *httpTransport) diagnostics() string {
	return "Backend URL: " + t.shown + "\n"
}

func (t *httpTransport) close() error {
	t.hc.CloseIdleConnections()
	return nil
}

// newKey is a fresh idempotency key.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

package rpc

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/creachadair/jrpc2"
	"github.com/creachadair/jrpc2/jhttp"

	"github.com/oobe-emu/oobe/flow"
)

// HTTPServerOptions tune NewHTTPHandler.
type HTTPServerOptions struct {
	ServerOptions
	// Token, when set, is the bearer token every request must carry (401 otherwise).
	Token string
	// MaxSessions bounds the sessions (devices) served at once (0: 64); a hello past it
	// ends the session idle the longest.
	MaxSessions int
	// IdleTimeout ends a session unused that long (0: 30 minutes).
	IdleTimeout time.Duration
	// Keys is how many idempotency keys a session remembers (0: 256).
	Keys int
}

// HTTPHandler serves the protocol over HTTP: one POST of one JSON-RPC request a call, at
// whatever path it is mounted (RPCPath by convention). Each hello opens a session with its
// own backend, named by the SessionHeader of the answer.
type HTTPHandler struct {
	newBackend func(r *http.Request, h Hello) (flow.Backend, error)
	opts       HTTPServerOptions

	mu       sync.Mutex
	sessions map[string]*httpSession
}

// httpSession is one session of the HTTP handler.
type httpSession struct {
	s      *session
	bridge jhttp.Bridge
	used   time.Time

	mu      sync.Mutex
	keys    map[string]*answer
	order   []string
	maxKeys int
}

// answer is the first answer to an idempotency key (done closes when it is known).
type answer struct {
	done   chan struct{}
	status int
	header http.Header
	body   []byte
}

// NewHTTPHandler returns the handler that serves, to each session, the backend newBackend
// builds from the request that said hello (its headers, a client certificate) and the hello.
func NewHTTPHandler(newBackend func(r *http.Request, h Hello) (flow.Backend, error), opts HTTPServerOptions) *HTTPHandler {
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = 64
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 30 * time.Minute
	}
	if opts.Keys <= 0 {
		opts.Keys = 256
	}
	return &HTTPHandler{newBackend: newBackend, opts: opts, sessions: map[string]*httpSession{}}
}

// ServeHTTP answers one call.
func (h *HTTPHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.opts.Token != "" {
		got, ok := bearer(r)
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(h.opts.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="oobe-backend"`)
			http.Error(w, "a valid bearer token is required", http.StatusUnauthorized)
			return
		}
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "the backend protocol takes POST requests only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<20))
	if err != nil {
		http.Error(w, "the request is too large or was cut", http.StatusRequestEntityTooLarge)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if r.Header.Get(SessionHeader) == "" {
		// only a hello opens a session
		var req struct {
			Method string `json:"method"`
		}
		if json.Unmarshal(body, &req) != nil || req.Method != MethodHello {
			http.Error(w, "no "+SessionHeader+" header: say hello first", http.StatusBadRequest)
			return
		}
	}
	hs := h.session(w, r)
	if hs == nil {
		return
	}
	key := r.Header.Get(IdempotencyKeyHeader)
	if key == "" || len(key) > 200 {
		hs.bridge.ServeHTTP(w, r)
		return
	}
	a, first := hs.answerFor(key)
	if first {
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		hs.bridge.ServeHTTP(rec, r)
		a.status, a.header, a.body = rec.status, rec.header, rec.buf.Bytes()
		close(a.done)
	} else {
		select {
		case <-a.done:
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// bearer is the request's bearer token.
func bearer(r *http.Request) (string, bool) {
	const p = "Bearer "
	a := r.Header.Get("Authorization")
	if len(a) <= len(p) || a[:len(p)] != p {
		return "", false
	}
	return a[len(p):], true
}

// session finds the request's session, or opens one for a request without; nil when the
// answer (404) is written already.
func (h *HTTPHandler) session(w http.ResponseWriter, r *http.Request) *httpSession {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	for id, s := range h.sessions {
		if now.Sub(s.used) > h.opts.IdleTimeout {
			h.drop(id)
		}
	}
	if id := r.Header.Get(SessionHeader); id != "" {
		s := h.sessions[id]
		if s == nil {
			http.Error(w, "no such session (it ended, or the backend restarted): say hello again", http.StatusNotFound)
			return nil
		}
		s.used = now
		w.Header().Set(SessionHeader, id)
		return s
	}
	for len(h.sessions) >= h.opts.MaxSessions {
		oldest := ""
		for id, s := range h.sessions {
			if oldest == "" || s.used.Before(h.sessions[oldest].used) {
				oldest = id
			}
		}
		h.drop(oldest)
	}
	id := newKey()
	req := r.Clone(context.WithoutCancel(r.Context()))
	s := newSession(func(_ context.Context, hello Hello) (flow.Backend, error) {
		return h.newBackend(req, hello)
	}, h.opts.ServerOptions)
	hs := &httpSession{s: s, used: now, keys: map[string]*answer{}, maxKeys: h.opts.Keys}
	hs.bridge = jhttp.NewBridge(s.assigner(), &jhttp.BridgeOptions{
		Server: &jrpc2.ServerOptions{Concurrency: 16},
		Client: &jrpc2.ClientOptions{OnCancel: notifyCancel},
	})
	h.sessions[id] = hs
	w.Header().Set(SessionHeader, id)
	return hs
}

// drop ends a session; h.mu is held.
func (h *HTTPHandler) drop(id string) {
	if s := h.sessions[id]; s != nil {
		s.s.close()
		_ = s.bridge.Close()
		delete(h.sessions, id)
	}
}

// Close ends every session and its streams.
func (h *HTTPHandler) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id := range h.sessions {
		h.drop(id)
	}
	return nil
}

// answerFor returns the answer of key, and whether this request is the first with it.
func (s *httpSession) answerFor(key string) (*answer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.keys[key]; a != nil {
		return a, false
	}
	a := &answer{done: make(chan struct{})}
	s.keys[key] = a
	s.order = append(s.order, key)
	if len(s.order) > s.maxKeys {
		delete(s.keys, s.order[0])
		s.order = s.order[1:]
	}
	return a, true
}

// recorder keeps an answer to replay it for a repeated idempotency key.
type recorder struct {
	header http.Header
	status int
	buf    bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.buf.Write(p)
}

package records

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// MaxBody is the largest record a kiosk may post (a run of thousands of ESP apps is a few MB).
const MaxBody = 32 << 20

// Handler serves the records API (docs/records-api.md) over a store: POST and GET
// /v1/records, GET /v1/records/{id} and GET /v1/health.
type Handler struct {
	store Store
	token string
	log   *log.Logger
	ready atomic.Bool
	mux   *http.ServeMux
	// Stored and Duplicates count the records posted that were new and those stored already.
	Stored, Duplicates atomic.Int64
}

// NewHandler serves store; a non-empty token is the bearer token every request but the
// health check must carry. Errors of the store go to logger (nil: the standard logger).
// The handler is not ready (health answers 503) until SetReady(true).
func NewHandler(store Store, token string, logger *log.Logger) *Handler {
	if logger == nil {
		logger = log.Default()
	}
	h := &Handler{store: store, token: token, log: logger, mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /v1/records", h.post)
	h.mux.HandleFunc("GET /v1/records", h.list)
	h.mux.HandleFunc("GET /v1/records/{id}", h.get)
	h.mux.HandleFunc("GET /v1/health", h.health)
	return h
}

// SetReady says whether the server takes requests (false while it starts or shuts down).
func (h *Handler) SetReady(ok bool) { h.ready.Store(ok) }

// Authorized reports whether r carries the bearer token (always true when token is "").
func Authorized(r *http.Request, token string) bool {
	if token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// Unauthorized answers a request without the right bearer token.
func Unauthorized(w http.ResponseWriter) {
	fail(w, http.StatusUnauthorized, "missing or wrong bearer token (Authorization: Bearer …)")
}

// ServeHTTP routes the request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/health" && !Authorized(r, h.token) {
		Unauthorized(w)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// fail answers a JSON error {"error": msg}.
func fail(w http.ResponseWriter, code int, msg string) {
	reply(w, code, map[string]string{"error": msg})
}

// reply answers v as JSON.
func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	if !h.ready.Load() {
		fail(w, http.StatusServiceUnavailable, "not ready")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := h.store.Ping(ctx); err != nil {
		h.log.Printf("health: the store does not answer: %v", err)
		fail(w, http.StatusServiceUnavailable, "the store does not answer")
		return
	}
	reply(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (h *Handler) post(w http.ResponseWriter, r *http.Request) {
	if !h.ready.Load() {
		fail(w, http.StatusServiceUnavailable, "shutting down or not ready; try again later")
		return
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	var rec Record
	if err := dec.Decode(&rec); err != nil {
		var tooBig *http.MaxBytesError
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("record: larger than %d MiB", MaxBody>>20))
		case errors.As(err, &syn):
			fail(w, http.StatusBadRequest, fmt.Sprintf("record: not JSON (at byte %d: %v)", syn.Offset, err))
		case errors.As(err, &typ):
			fail(w, http.StatusBadRequest, fmt.Sprintf("record: field %s must be %s, not a JSON %s", typ.Field, typ.Type, typ.Value))
		default:
			fail(w, http.StatusBadRequest, fmt.Sprintf("record: not JSON (%v)", err))
		}
		return
	}
	if dec.More() {
		fail(w, http.StatusBadRequest, "record: more than one JSON value in the body")
		return
	}
	if err := rec.Validate(); err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	rec.StoredAt = time.Time{}
	ack, stored, err := h.store.Put(r.Context(), rec)
	if err != nil {
		h.log.Printf("record %s not stored: %v", rec.ID, err)
		fail(w, http.StatusServiceUnavailable, "the record could not be stored; try again later")
		return
	}
	if stored {
		h.Stored.Add(1)
	} else {
		h.Duplicates.Add(1)
	}
	reply(w, http.StatusOK, ack)
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f Filter
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				fail(w, http.StatusBadRequest, fmt.Sprintf("%s must be an RFC 3339 time (2026-03-02T09:00:00Z), got %q", p.name, v))
				return
			}
			*p.t = t
		}
	}
	f.Outcome, f.Kiosk, f.Run = q.Get("outcome"), q.Get("kiosk"), q.Get("run")
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			fail(w, http.StatusBadRequest, fmt.Sprintf("limit must be a number from 1 to %d, got %q", MaxLimit, v))
			return
		}
		f.Limit = n
	}
	recs, err := h.store.List(r.Context(), f)
	if err != nil {
		h.log.Printf("listing records: %v", err)
		fail(w, http.StatusServiceUnavailable, "the records could not be read; try again later")
		return
	}
	reply(w, http.StatusOK, map[string]any{"records": recs})
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	rec, err := h.store.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		fail(w, http.StatusNotFound, "no record of that id")
		return
	}
	if err != nil {
		h.log.Printf("reading record: %v", err)
		fail(w, http.StatusServiceUnavailable, "the record could not be read; try again later")
		return
	}
	reply(w, http.StatusOK, rec)
}

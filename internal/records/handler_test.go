package records

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzPost: whatever body a kiosk posts, the handler answers 200 with an acknowledgement
// or a 4xx with a message, never a panic or a 5xx, and a record it acknowledged is stored.
func FuzzPost(f *testing.F) {
	f.Add(`{"id":"a","kiosk":"k","run":"r","seq":1,"kind":"end","outcome":"desktop","time":"2026-03-02T09:00:00Z","lines":[{}]}`)
	f.Add(`{"id":"a","kiosk":"k","run":"r","seq":1,"kind":"phase","time":"2026-03-02T09:00:00Z","lines":[]}`)
	f.Add(`{"id":1}`)
	f.Add(`not json`)
	f.Add(`{"id":"\u0000"}{}`)
	st, err := Open(context.Background(), filepath.Join(f.TempDir(), "records.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	h := NewHandler(st, "", nil)
	h.SetReady(true)
	f.Fuzz(func(t *testing.T, body string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/records", strings.NewReader(body)))
		switch {
		case w.Code == 200:
			if !strings.Contains(w.Body.String(), `"storedAt"`) {
				t.Fatalf("200 without an acknowledgement: %s", w.Body)
			}
		case w.Code >= 400 && w.Code < 500:
			if !strings.Contains(w.Body.String(), `"error":"`) {
				t.Fatalf("%d without a message: %s", w.Code, w.Body)
			}
		default:
			t.Fatalf("%d for %q: %s", w.Code, body, w.Body)
		}
	})
}

// TestHealthFollowsReadiness: the health check answers 503 until the handler is ready and
// again once it is not (a shutdown began), 200 in between.
func TestHealthFollowsReadiness(t *testing.T) {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "records.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := NewHandler(st, "", nil)
	srv := httptest.NewServer(h)
	defer srv.Close()
	health := func() int {
		resp, err := http.Get(srv.URL + "/v1/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := health(); c != 503 {
		t.Errorf("before ready: %d", c)
	}
	h.SetReady(true)
	if c := health(); c != 200 {
		t.Errorf("ready: %d", c)
	}
	h.SetReady(false)
	if c := health(); c != 503 {
		t.Errorf("shutting down: %d", c)
	}
	resp, err := http.Post(srv.URL+"/v1/records", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("a record posted while shutting down: %d, want 503 (not acknowledged)", resp.StatusCode)
	}
}

package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/internal/records"
)

// TestRecordsGoToTheBackendServer (issue 9: results reach the lab): with --backend http and no
// --records-url, a run's records go to the same server, with the bearer token of
// --backend-token-file; a server that needs it stores them.
func TestRecordsGoToTheBackendServer(t *testing.T) {
	ctx := context.Background()
	store, err := records.Open(ctx, filepath.Join(t.TempDir(), "records.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h := records.NewHandler(store, "lab-token", nil)
	h.SetReady(true)
	srv := httptest.NewServer(h)
	defer srv.Close()
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("lab-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var cfg config
	cfg.kind, cfg.url, cfg.tokenFile = "http", srv.URL, tokenFile
	cfg.outbox, cfg.kioskID = t.TempDir(), "lab-7"
	s, err := openOutbox(cfg, func(string) string { return "" })
	if err != nil || s == nil || !s.sending {
		t.Fatalf("openOutbox: %v, %+v", err, s)
	}
	now := time.Now()
	if err := s.box.Add(records.Record{ID: "r-1", Kiosk: "lab-7", Run: "run-1", Seq: 1, Kind: records.KindEnd, Outcome: "desktop",
		Started: now, Time: now, Lines: []json.RawMessage{json.RawMessage(`{"run":"run-1","seq":1,"kind":"end"}`)}}); err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.box.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	s.box.Close()
	got, err := store.List(ctx, records.Filter{})
	if err != nil || len(got) != 1 || got[0].ID != "r-1" || got[0].Kiosk != "lab-7" {
		t.Fatalf("stored %+v, %v", got, err)
	}
}

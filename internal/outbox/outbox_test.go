package outbox

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/internal/records"
)

// server is a real records server on 127.0.0.1 over a SQLite store.
type server struct {
	store records.Store
	h     *records.Handler
	srv   *http.Server
	addr  string
}

// startServer serves on addr ("127.0.0.1:0": a free port) with a store in dir.
func startServer(t *testing.T, dir, addr, token string) *server {
	t.Helper()
	st, err := records.Open(context.Background(), filepath.Join(dir, "records.db"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{store: st, h: records.NewHandler(st, token, nil), addr: ln.Addr().String()}
	s.h.SetReady(true)
	s.srv = &http.Server{Handler: s.h}
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(s.stop)
	return s
}

func (s *server) stop() {
	_ = s.srv.Close()
	s.store.Close()
}

func (s *server) ids(t *testing.T) []string {
	t.Helper()
	rs, err := s.store.List(context.Background(), records.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// freeAddr is an address on 127.0.0.1 where nothing listens (for now).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func record(id string) records.Record {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return records.Record{ID: id, Kiosk: "kiosk-1", Run: "run-1", Seq: 3, Kind: records.KindEnd, Outcome: "desktop",
		Started: at, Time: at, Lines: []json.RawMessage{json.RawMessage(`{"seq":1}`)}}
}

func fast(opts Options) Options {
	opts.InitialInterval, opts.MaxInterval = 2*time.Millisecond, 20*time.Millisecond
	return opts
}

func drain(t *testing.T, o *Outbox) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := o.Drain(ctx); err != nil {
		t.Fatalf("the outbox did not empty: %v", err)
	}
}

// TestRecordsWaitOnDiskForTheServer: records added while the server is down are on disk,
// without the bearer token; they are delivered once it is up — also by another outbox
// opened on the directory later (the next start) — each stored once, and the outbox is
// empty after.
func TestRecordsWaitOnDiskForTheServer(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	addr := freeAddr(t)
	const token = "s3cret-bearer-token"
	o, err := Open(fast(Options{Dir: dir, URL: "http://" + addr, Token: token}))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		if err := o.Add(record(id)); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 3 {
		t.Fatalf("%d entries on disk, want 3", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), token) {
			t.Errorf("%s holds the bearer token", f)
		}
		if st, _ := os.Stat(f); st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is readable by others: %v", f, st.Mode().Perm())
		}
	}
	o.Close() // the program ended before the server came back
	srv := startServer(t, data, addr, token)
	o, err = Open(fast(Options{Dir: dir, URL: "http://" + addr, Token: token}))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	drain(t, o)
	if got := srv.ids(t); len(got) != 3 {
		t.Errorf("the server has %v, want a, b and c once each", got)
	}
}

// TestWrongTokenKeepsRecords: a server refusing the token does not lose the records: they
// stay until a start with the right token.
func TestWrongTokenKeepsRecords(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, t.TempDir(), "127.0.0.1:0", "right")
	retried := make(chan struct{}, 10)
	o, err := Open(fast(Options{Dir: dir, URL: "http://" + srv.addr, Token: "wrong", Logf: func(f string, a ...any) {
		select {
		case retried <- struct{}{}:
		default:
		}
	}}))
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Add(record("a")); err != nil {
		t.Fatal(err)
	}
	<-retried
	<-retried
	o.Close()
	if n, _ := o.Pending(); n != 1 {
		t.Fatalf("%d entries left after a refused token, want 1", n)
	}
	o, err = Open(fast(Options{Dir: dir, URL: "http://" + srv.addr, Token: "right"}))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	drain(t, o)
	if got := srv.ids(t); len(got) != 1 {
		t.Errorf("server has %v", got)
	}
}

// TestMalformedEntryMovedAside: an entry the server refuses as malformed (or that cannot be
// read) goes to rejected/ and does not hold back the others.
func TestMalformedEntryMovedAside(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, t.TempDir(), "127.0.0.1:0", "")
	bad := record("bad")
	bad.Kind = "weird"
	b, _ := json.Marshal(bad)
	if err := os.WriteFile(filepath.Join(dir, "00000000000000000001-bad.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "00000000000000000002-torn.json"), []byte(`{"id":"x",`), 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := Open(fast(Options{Dir: dir, URL: "http://" + srv.addr}))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if err := o.Add(record("good")); err != nil {
		t.Fatal(err)
	}
	drain(t, o)
	if got := srv.ids(t); len(got) != 1 || got[0] != "good" {
		t.Errorf("server has %v, want good only", got)
	}
	rej, _ := filepath.Glob(filepath.Join(dir, RejectedDir, "*.json"))
	if len(rej) != 2 {
		t.Errorf("rejected/ holds %v, want the malformed and the torn entries", rej)
	}
}

// TestCollectorSnapshotsPhasesAndEnd: a recorder tapped by a collector puts a snapshot in
// the outbox when an ESP phase is done and at the end, each with every line of its run so
// far; a fresh run starts its own.
func TestCollectorSnapshotsPhasesAndEnd(t *testing.T) {
	o, err := Open(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c := NewCollector(o, "kiosk-7")
	rec := flow.NewRecorder(nil, nil)
	rec.Tap(c.Line)
	seq := 0
	line := func(run string, kind flow.RecordKind, data any) {
		seq++
		rec.Append(flow.RecordLine{Run: run, Seq: seq, Kind: kind, Data: data})
	}
	line("r1", flow.RecordStart, flow.StartData{Locale: "en-US"})
	line("r1", flow.RecordProgress, flow.Event{Kind: flow.EventESPItem, Phase: string(flow.ESPDeviceSetup)})
	line("r1", flow.RecordProgress, flow.Event{Kind: flow.EventESPPhaseDone, Phase: string(flow.ESPDeviceSetup)})
	line("r1", flow.RecordEnd, flow.EndData{Outcome: "reset"})
	seq = 0
	line("r1.2", flow.RecordStart, flow.StartData{Locale: "en-US"})
	line("r1.2", flow.RecordEnd, flow.EndData{Outcome: "desktop"})
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	names, _ := o.entries()
	var got []string
	for _, n := range names {
		b, _ := os.ReadFile(filepath.Join(o.Dir(), n))
		var r records.Record
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if r.Kiosk != "kiosk-7" || r.ID == "" {
			t.Errorf("entry %s: kiosk %q id %q", n, r.Kiosk, r.ID)
		}
		got = append(got, r.Run+" "+r.Kind+" "+r.Phase+r.Outcome+" "+string(rune('0'+len(r.Lines))))
	}
	want := []string{"r1 phase deviceSetup 3", "r1 end reset 4", "r1.2 end desktop 2"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("entries %v, want %v", got, want)
	}
}

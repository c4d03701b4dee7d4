//go:build unix

package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/internal/records"
)

// The tests in this file run `oobe serve-backend` as a real child process (the test binary
// re-executed, as in process_test.go) on 127.0.0.1, and talk HTTP to it.

// server is one oobe serve-backend process.
type server struct {
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	errs bytes.Buffer // its stderr
	exit chan error
}

// startServer runs oobe serve-backend on the data directory dir at listen ("127.0.0.1:0":
// a free port) and waits until it says where it listens.
func startServer(t *testing.T, dir, listen string, extra ...string) *server {
	t.Helper()
	s, err := tryServer(dir, listen, extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.kill() })
	return s
}

// tryServer is startServer returning the error.
func tryServer(dir, listen string, extra ...string) (*server, error) {
	cmd := exec.Command(os.Args[0], append([]string{"serve-backend", "--data", dir, "--listen", listen}, extra...)...)
	cmd.Env = append(os.Environ(), "OOBE_TEST_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, exit: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.errs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if _, a, ok := strings.Cut(sc.Text(), "listening on "); ok {
				a, _, _ = strings.Cut(a, " ")
				select {
				case addr <- a:
				default:
				}
			}
		}
		s.exit <- cmd.Wait()
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			return nil, fmt.Errorf("the server ended before listening:\n%s", s.stderr())
		}
		s.url = a
	case <-time.After(30 * time.Second): // a bound, not a pause
		s.kill()
		return nil, fmt.Errorf("the server did not say where it listens:\n%s", s.stderr())
	}
	return s, nil
}

func (s *server) stderr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.errs.String()
}

func (s *server) kill() {
	_ = s.cmd.Process.Kill()
}

// stop sends SIGTERM and returns the exit code.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return s.wait(t)
}

func (s *server) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-s.exit:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		return 0
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not exit:\n%s", s.stderr())
		return -1
	}
}

// do sends one request and returns the status and body.
func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// recordJSON is a valid record posted by kiosk at the given time.
func recordJSON(id, kiosk, outcome string, at time.Time) string {
	kind := records.KindEnd
	if outcome == "" {
		kind = records.KindPhase
	}
	b, _ := json.Marshal(records.Record{ID: id, Kiosk: kiosk, Run: "run-" + id, Seq: 9, Kind: kind, Outcome: outcome, Phase: "deviceSetup",
		Started: at.Add(-time.Minute), Time: at, Lines: []json.RawMessage{json.RawMessage(`{"run":"run-` + id + `","seq":1,"kind":"start"}`)}})
	return string(b)
}

// listIDs is the ids GET /v1/records?query returns, in order.
func listIDs(t *testing.T, base, query string) []string {
	t.Helper()
	code, body := do(t, "GET", base+"/v1/records?"+query, "")
	if code != 200 {
		t.Fatalf("GET /v1/records?%s: %d %s", query, code, body)
	}
	var out struct{ Records []records.Record }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, r := range out.Records {
		ids = append(ids, r.ID)
	}
	return ids
}

// freshPostgres is a postgres:// URL of a new schema in the database OOBE_TEST_POSTGRES
// names ("" when it is not set outside CI: the caller skips).
func freshPostgres(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("OOBE_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but OOBE_TEST_POSTGRES is not set: .ci/run must start PostgreSQL (scripts/pg-test.sh)")
		}
		return ""
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schema := fmt.Sprintf("srv%d", time.Now().UnixNano())
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

// TestServerStoresAndListsRecords: the server answers its health check, stores a record
// posted twice once with the same acknowledgement, lists records by time, outcome and
// kiosk, and answers bad input with a 4xx and a message naming the problem — and keeps
// running. Against SQLite, and PostgreSQL when OOBE_TEST_POSTGRES is set.
func TestServerStoresAndListsRecords(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			var extra []string
			if db == "postgres" {
				dsn := freshPostgres(t)
				if dsn == "" {
					t.Skip("*** OOBE_TEST_POSTGRES is not set: the server on PostgreSQL is NOT tested (scripts/pg-test.sh) ***")
				}
				extra = []string{"--db", dsn}
			}
			s := startServer(t, t.TempDir(), "127.0.0.1:0", extra...)
			base := s.url
			if code, body := do(t, "GET", base+"/v1/health", ""); code != 200 || !strings.Contains(body, `"ok"`) {
				t.Fatalf("health: %d %s", code, body)
			}
			t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			code, first := do(t, "POST", base+"/v1/records", recordJSON("a", "k1", "desktop", t0))
			if code != 200 || !strings.Contains(first, `"id":"a"`) {
				t.Fatalf("POST: %d %s", code, first)
			}
			if code, again := do(t, "POST", base+"/v1/records", recordJSON("a", "k1", "desktop", t0)); code != 200 || again != first {
				t.Errorf("the same record again: %d %s, want 200 and the first acknowledgement %s", code, again, first)
			}
			for _, r := range []string{recordJSON("b", "k2", "quit", t0.Add(time.Hour)), recordJSON("c", "k1", "", t0.Add(2*time.Hour))} {
				if code, body := do(t, "POST", base+"/v1/records", r); code != 200 {
					t.Fatalf("POST: %d %s", code, body)
				}
			}
			for q, want := range map[string]string{
				"":                           "[a b c]",
				"kiosk=k1":                   "[a c]",
				"outcome=quit":               "[b]",
				"since=2026-03-02T10:00:00Z": "[b c]",
				"since=2026-03-02T09:30:00Z&until=2026-03-02T10:30:00Z":      "[b]",
				"kiosk=k1&since=2026-03-02T09:30:00%2B00:00&outcome=desktop": "[]",
			} {
				if got := fmt.Sprint(listIDs(t, base, q)); got != want {
					t.Errorf("GET /v1/records?%s: %s, want %s", q, got, want)
				}
			}
			if code, body := do(t, "GET", base+"/v1/records/a", ""); code != 200 || !strings.Contains(body, `"lines":[{"run":"run-a","seq":1,"kind":"start"}]`) {
				t.Errorf("GET /v1/records/a: %d %s", code, body)
			}

			big := `{"id":"big","kiosk":"k","lines":["` + strings.Repeat("x", records.MaxBody) + `"]}`
			for _, c := range []struct {
				name, method, path, body string
				code                     int
				want                     string
			}{
				{"not JSON", "POST", "/v1/records", "hello", 400, "record: not JSON"},
				{"two values", "POST", "/v1/records", recordJSON("d", "k", "quit", t0) + "{}", 400, "more than one JSON value"},
				{"missing id", "POST", "/v1/records", strings.Replace(recordJSON("e", "k", "quit", t0), `"id":"e"`, `"id":""`, 1), 400, "record: missing id"},
				{"wrong type", "POST", "/v1/records", `{"id":"f","seq":"nine"}`, 400, "field seq must be int"},
				{"unknown kind", "POST", "/v1/records", strings.Replace(recordJSON("g", "k", "quit", t0), `"kind":"end"`, `"kind":"party"`, 1), 400, `record: kind must be`},
				{"too large", "POST", "/v1/records", big, 413, "larger than 32 MiB"},
				{"bad time", "GET", "/v1/records?since=yesterday", "", 400, "since must be an RFC 3339 time"},
				{"bad limit", "GET", "/v1/records?limit=0", "", 400, "limit must be a number"},
				{"unknown id", "GET", "/v1/records/nope", "", 404, "no record of that id"},
				{"rpc without a hello", "POST", "/v1/rpc", "{}", 400, "say hello first"},
			} {
				code, body := do(t, c.method, base+c.path, c.body)
				if code != c.code || !strings.Contains(body, c.want) {
					t.Errorf("%s: %d %.300s; want %d and %q", c.name, code, body, c.code, c.want)
				}
			}
			if code, _ := do(t, "GET", base+"/v1/health", ""); code != 200 {
				t.Errorf("the server is not healthy after bad input: %d\n%s", code, s.stderr())
			}
			if got := fmt.Sprint(listIDs(t, base, "")); got != "[a b c]" {
				t.Errorf("bad input changed the records: %s", got)
			}
			if code := s.stop(t); code != 0 {
				t.Errorf("SIGTERM: exit %d\n%s", code, s.stderr())
			}
		})
	}
}

// TestSecondServerOnOneDataDirRefused: a second server on the data directory of a running
// one exits 1 with one line saying so, and the first goes on serving.
func TestSecondServerOnOneDataDirRefused(t *testing.T) {
	dir := t.TempDir()
	first := startServer(t, dir, "127.0.0.1:0")
	cmd := exec.Command(os.Args[0], "serve-backend", "--data", dir, "--listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "OOBE_TEST_MAIN=1")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("second server: %v, want exit code 1", err)
	}
	want := "oobe serve-backend: another server is running on the data directory " + dir + " (" + dir + "/serve.lock is locked); stop it, or give another --data\n"
	if errb.String() != want {
		t.Errorf("second server said %q\nwant %q", errb.String(), want)
	}
	if code, _ := do(t, "GET", first.url+"/v1/health", ""); code != 200 {
		t.Errorf("the first server stopped answering: %d", code)
	}
	first.stop(t)
	// once the first is gone, the directory is free again
	startServer(t, dir, "127.0.0.1:0").stop(t)
}

// TestSIGTERMLosesNoAcknowledgedRecord: while kiosks post records as fast as they can, a
// SIGTERM stops the server (health 503, requests in progress finished, exit 0); every record
// it acknowledged is there when a server starts again on the same directory (SQLite) or
// database (PostgreSQL, when OOBE_TEST_POSTGRES is set).
func TestSIGTERMLosesNoAcknowledgedRecord(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) { sigtermLosesNothing(t, db) })
	}
}

func sigtermLosesNothing(t *testing.T, db string) {
	var extra []string
	if db == "postgres" {
		dsn := freshPostgres(t)
		if dsn == "" {
			t.Skip("*** OOBE_TEST_POSTGRES is not set: the server on PostgreSQL is NOT tested (scripts/pg-test.sh) ***")
		}
		extra = []string{"--db", dsn}
	}
	dir := t.TempDir()
	s := startServer(t, dir, "127.0.0.1:0", extra...)
	base := s.url
	var mu sync.Mutex
	acked := map[string]bool{}
	var n atomic.Int64
	enough := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 8 {
		wg.Go(func() {
			for i := range 2000 { // a bound: the server stops long before
				id := fmt.Sprintf("w%d-%d", w, i)
				resp, err := client.Post(base+"/v1/records", "application/json", strings.NewReader(recordJSON(id, "k", "desktop", time.Now())))
				if err != nil {
					return // the server is gone
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 503 {
					return // shutting down: not acknowledged
				}
				if resp.StatusCode != 200 || !strings.Contains(string(b), `"id":"`+id+`"`) {
					t.Errorf("POST %s: %d %s", id, resp.StatusCode, b)
					return
				}
				mu.Lock()
				acked[id] = true
				mu.Unlock()
				if n.Add(1) == 400 {
					once.Do(func() { close(enough) })
				}
			}
		})
	}
	select {
	case <-enough:
	case <-time.After(30 * time.Second):
		t.Fatal("400 records not acknowledged in 30 s")
	}
	elapsed := time.Since(start)
	if code := s.stop(t); code != 0 {
		t.Errorf("SIGTERM: exit %d\n%s", code, s.stderr())
	}
	wg.Wait()
	t.Logf("%s: %d records acknowledged, %.0f records/s stored by 8 concurrent kiosks before SIGTERM", db, len(acked), 400/elapsed.Seconds())
	if !strings.Contains(s.stderr(), "stopping: no new requests") || !strings.Contains(s.stderr(), "stopped (") {
		t.Errorf("the server did not say it stopped:\n%s", s.stderr())
	}
	s = startServer(t, dir, "127.0.0.1:0", extra...)
	have := map[string]bool{}
	for _, id := range listIDs(t, s.url, "limit=10000") {
		have[id] = true
	}
	for id := range acked {
		if !have[id] {
			t.Errorf("record %s was acknowledged and is lost", id)
		}
	}
}

// TestServerTokenAndBadFlags: with --token-file, the records API wants the bearer token
// (401 without it) while the health check does not; bad flags of the server and of the
// kiosk are one line each and exit code 2, and a password in a URL is never repeated.
func TestServerTokenAndBadFlags(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	if err := os.WriteFile(tok, []byte("lab-token-123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, filepath.Join(dir, "data"), "127.0.0.1:0", "--token-file", tok)
	if code, body := do(t, "POST", s.url+"/v1/records", recordJSON("a", "k", "desktop", time.Now())); code != 401 || !strings.Contains(body, "bearer token") {
		t.Errorf("no token: %d %s", code, body)
	}
	req, _ := http.NewRequest("POST", s.url+"/v1/records", strings.NewReader(recordJSON("a", "k", "desktop", time.Now())))
	req.Header.Set("Authorization", "Bearer lab-token-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("with the token: %d", resp.StatusCode)
	}
	if code, _ := do(t, "GET", s.url+"/v1/health", ""); code != 200 {
		t.Errorf("health without a token: %d", code)
	}
	if strings.Contains(s.stderr(), "lab-token-123") {
		t.Errorf("the server logged its token:\n%s", s.stderr())
	}
	s.stop(t)

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve-backend"}, "oobe serve-backend: --data DIR is required"},
		{[]string{"serve-backend", "--data", dir, "--db", "mysql://x"}, "--db must be a postgres:// or postgresql:// URL"},
		{[]string{"serve-backend", "--data", dir, "--bogus"}, "unknown flag: --bogus"},
		{[]string{"--records-url", "ftp://lab"}, "--records-url must be an http:// or https:// URL"},
		{[]string{"--records-url", "http://admin:hunter2@lab"}, "without a user or password"},
		{[]string{"--kiosk-id", "a\x1bb"}, "--kiosk-id must be at most 200 bytes of printable text"},
	} {
		var out, errb bytes.Buffer
		code := run(c.args, env(), &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), c.want) || strings.Count(errb.String(), "\n") != 1 || strings.Contains(errb.String(), "hunter2") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one line with %q", c.args, code, errb.String(), c.want)
		}
	}
}

package records

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The same suite runs against SQLite (a file in a temporary directory) and PostgreSQL (the
// database OOBE_TEST_POSTGRES names; scripts/pg-test.sh starts a throwaway one). Each
// PostgreSQL test gets a schema of its own, dropped afterwards.

// stores returns the stores to test, by name, each opened fresh for one test.
func stores(t *testing.T) map[string]func(t *testing.T) Store {
	out := map[string]func(t *testing.T) Store{
		"sqlite": func(t *testing.T) Store {
			s, err := Open(context.Background(), filepath.Join(t.TempDir(), "records.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
	out["postgres"] = func(t *testing.T) Store {
		dsn := PostgresDSN(t)
		if dsn == "" {
			t.Skip("OOBE_TEST_POSTGRES is not set")
		}
		return FreshPostgres(t, dsn)
	}
	return out
}

func TestMain(m *testing.M) {
	if os.Getenv("OOBE_TEST_POSTGRES") == "" && os.Getenv("CI") != "true" {
		fmt.Fprintln(os.Stderr, "*** OOBE_TEST_POSTGRES is not set: the PostgreSQL store is NOT tested; scripts/pg-test.sh go test ./internal/records/ tests it ***")
	}
	os.Exit(m.Run())
}

// PostgresDSN is OOBE_TEST_POSTGRES; without it the PostgreSQL tests are skipped with a
// loud message, except in CI (CI=true), where that is a failure.
func PostgresDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("OOBE_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but OOBE_TEST_POSTGRES is not set: .ci/run must start PostgreSQL (scripts/pg-test.sh)")
		}
	}
	return dsn
}

// FreshPostgres opens the store on a new schema of the database dsn names.
func FreshPostgres(t *testing.T, dsn string) Store {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("t%d_%d", time.Now().UnixNano(), os.Getpid())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at OOBE_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if containsQuery(dsn) {
		sep = "&"
	}
	s, err := Open(context.Background(), dsn+sep+"search_path="+schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func containsQuery(dsn string) bool {
	for _, c := range dsn {
		if c == '?' {
			return true
		}
	}
	return false
}

// rec is a valid record of kiosk k at t.
func rec(id, kiosk, outcome string, at time.Time) Record {
	kind := KindEnd
	if outcome == "" {
		kind = KindPhase
	}
	return Record{ID: id, Kiosk: kiosk, Run: "run-" + id, Seq: 7, Kind: kind, Outcome: outcome, Phase: "device",
		Started: at.Add(-time.Minute), Time: at,
		Lines: []json.RawMessage{json.RawMessage(`{"run":"run-` + id + `","seq":1,"kind":"start"}`), json.RawMessage(`{"seq":7}`)}}
}

func eachStore(t *testing.T, test func(t *testing.T, s Store)) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) { test(t, open(t)) })
	}
}

// TestPutIsIdempotent: the same id posted twice is one row and the same acknowledgement,
// even when the second post differs or both come at once.
func TestPutIsIdempotent(t *testing.T) {
	eachStore(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)
		first, stored, err := s.Put(ctx, rec("a", "k1", "desktop", at))
		if err != nil || !stored {
			t.Fatalf("first put: stored %v, %v", stored, err)
		}
		again := rec("a", "k2", "quit", at.Add(time.Hour))
		second, stored, err := s.Put(ctx, again)
		if err != nil || stored {
			t.Fatalf("second put: stored %v, %v; want an acknowledgement of the record already stored", stored, err)
		}
		if !second.StoredAt.Equal(first.StoredAt) || second.ID != "a" {
			t.Errorf("acknowledgements differ: %+v then %+v", first, second)
		}
		var wg sync.WaitGroup
		acks := make([]Ack, 8)
		for i := range acks {
			wg.Go(func() {
				a, _, err := s.Put(ctx, rec("b", "k1", "desktop", at))
				if err != nil {
					t.Error(err)
				}
				acks[i] = a
			})
		}
		wg.Wait()
		for _, a := range acks[1:] {
			if !a.StoredAt.Equal(acks[0].StoredAt) {
				t.Errorf("concurrent puts of one id acknowledged differently: %v and %v", acks[0].StoredAt, a.StoredAt)
			}
		}
		all, err := s.List(ctx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 {
			t.Fatalf("%d rows, want 2 (a and b once each): %+v", len(all), all)
		}
		got, err := s.Get(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		if got.Kiosk != "k1" || got.Outcome != "desktop" || !got.Time.Equal(at) || len(got.Lines) != 2 || string(got.Lines[0]) != `{"run":"run-a","seq":1,"kind":"start"}` {
			t.Errorf("the stored record is not the first one posted: %+v", got)
		}
		if _, err := s.Get(ctx, "nope"); err != ErrNotFound {
			t.Errorf("Get of an unknown id: %v, want ErrNotFound", err)
		}
	})
}

// TestListFiltersAndOrders: records come oldest first (by the snapshot's time, then id),
// and since/until, outcome, kiosk, run and limit choose among them.
func TestListFiltersAndOrders(t *testing.T) {
	eachStore(t, func(t *testing.T, s Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		put := []Record{
			rec("r3", "k1", "desktop", t0.Add(3*time.Hour)),
			rec("r1", "k1", "", t0.Add(time.Hour)),
			rec("r2b", "k2", "quit", t0.Add(2*time.Hour)),
			rec("r2a", "k2", "desktop", t0.Add(2*time.Hour)),
			rec("r4", "k3", "desktop", t0.Add(4*time.Hour)),
		}
		for _, r := range put {
			if _, _, err := s.Put(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(f Filter) []string {
			t.Helper()
			rs, err := s.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, r := range rs {
				if r.Lines != nil {
					t.Errorf("a listing carries the lines of %s", r.ID)
				}
				out = append(out, r.ID)
			}
			return out
		}
		for _, c := range []struct {
			name string
			f    Filter
			want []string
		}{
			{"all, oldest first", Filter{}, []string{"r1", "r2a", "r2b", "r3", "r4"}},
			{"since (included)", Filter{Since: t0.Add(2 * time.Hour)}, []string{"r2a", "r2b", "r3", "r4"}},
			{"until (excluded)", Filter{Until: t0.Add(3 * time.Hour)}, []string{"r1", "r2a", "r2b"}},
			{"since and until", Filter{Since: t0.Add(90 * time.Minute), Until: t0.Add(210 * time.Minute)}, []string{"r2a", "r2b", "r3"}},
			{"outcome", Filter{Outcome: "desktop"}, []string{"r2a", "r3", "r4"}},
			{"kiosk", Filter{Kiosk: "k2"}, []string{"r2a", "r2b"}},
			{"kiosk and outcome", Filter{Kiosk: "k2", Outcome: "quit"}, []string{"r2b"}},
			{"run", Filter{Run: "run-r4"}, []string{"r4"}},
			{"limit", Filter{Limit: 2}, []string{"r1", "r2a"}},
			{"nothing", Filter{Kiosk: "k9"}, []string{}},
		} {
			if got := ids(c.f); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	})
}

// TestStoreKeepsRecordsAcrossReopen: a SQLite store closed and opened again has every
// record acknowledged before.
func TestStoreKeepsRecordsAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "records.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 20 {
		if _, _, err := s.Put(context.Background(), rec(fmt.Sprint(i), "k", "desktop", at)); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, err := s.List(context.Background(), Filter{})
	if err != nil || len(all) != 20 {
		t.Fatalf("%d records after reopening (%v), want 20", len(all), err)
	}
}

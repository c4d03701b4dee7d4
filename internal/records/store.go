package records

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", pure Go
)

// Store keeps records, each id once. Put returns only after the record is committed.
type Store interface {
	// Put stores r unless a record of its id is stored already; either way it returns the
	// acknowledgement of the stored one, and whether r was new.
	Put(ctx context.Context, r Record) (ack Ack, stored bool, err error)
	// List returns the records the filter lets through, without their lines, oldest first.
	List(ctx context.Context, f Filter) ([]Record, error)
	// Get returns one record with its lines; ErrNotFound when there is none of that id.
	Get(ctx context.Context, id string) (Record, error)
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
	// Close closes the store.
	Close() error
}

// ErrNotFound is Get's error for an id never stored.
var ErrNotFound = errors.New("no record of that id")

// Filter chooses records by the time of their snapshot, outcome, kiosk and run.
type Filter struct {
	// Since and Until bound the record's Time (Since included, Until excluded; zero: open).
	Since, Until time.Time
	// Outcome, Kiosk and Run, when not empty, must equal the record's.
	Outcome, Kiosk, Run string
	// Limit is the most records returned (0: DefaultLimit).
	Limit int
}

// DefaultLimit and MaxLimit bound how many records one listing returns.
const (
	DefaultLimit = 1000
	MaxLimit     = 10000
)

// schema is the one table both databases hold; times are Unix nanoseconds so that they
// sort and compare the same in SQLite and PostgreSQL.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS records (
		id        TEXT PRIMARY KEY,
		kiosk     TEXT NOT NULL,
		run       TEXT NOT NULL,
		seq       BIGINT NOT NULL,
		kind      TEXT NOT NULL,
		phase     TEXT NOT NULL,
		outcome   TEXT NOT NULL,
		started   BIGINT NOT NULL,
		rec_time  BIGINT NOT NULL,
		stored_at BIGINT NOT NULL,
		lines     TEXT NOT NULL
	)`,
	`CREATE INDEX IF NOT EXISTS records_by_time ON records (rec_time, id)`,
}

// sqlStore is the Store over database/sql; postgres says which placeholders to use.
type sqlStore struct {
	db       *sql.DB
	postgres bool
	now      func() time.Time
}

// IsPostgres reports whether a --db value names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store dsn names and creates its table when missing: a PostgreSQL URL
// (postgres://user@host:port/db?sslmode=…), else the path of a SQLite file.
func Open(ctx context.Context, dsn string) (Store, error) {
	s := &sqlStore{postgres: IsPostgres(dsn), now: time.Now}
	var err error
	if s.postgres {
		s.db, err = sql.Open("pgx", dsn)
	} else {
		if dsn == "" {
			return nil, errors.New("no database: give a SQLite file or a postgres:// URL")
		}
		abs, aerr := filepath.Abs(dsn)
		if aerr != nil {
			return nil, aerr
		}
		// WAL with synchronous FULL: a commit is on disk before Put returns, and readers
		// do not wait for the writer; one connection serializes the writes.
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "busy_timeout(10000)")
		s.db, err = sql.Open("sqlite", "file:"+abs+"?"+q.Encode())
		if err == nil {
			s.db.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		return nil, err
	}
	for _, stmt := range schema {
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			s.db.Close()
			return nil, fmt.Errorf("creating the records table: %w", err)
		}
	}
	return s, nil
}

// q rewrites the ? placeholders of query as $1, $2… for PostgreSQL.
func (s *sqlStore) q(query string) string {
	if !s.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (s *sqlStore) Put(ctx context.Context, r Record) (Ack, bool, error) {
	lines, err := json.Marshal(r.Lines)
	if err != nil {
		return Ack{}, false, err
	}
	now := s.now().UTC()
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO records
		(id, kiosk, run, seq, kind, phase, outcome, started, rec_time, stored_at, lines)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
		r.ID, r.Kiosk, r.Run, r.Seq, r.Kind, r.Phase, r.Outcome, nanos(r.Started), nanos(r.Time), nanos(now), string(lines))
	if err != nil {
		return Ack{}, false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Ack{}, false, err
	}
	if n == 1 {
		return Ack{ID: r.ID, StoredAt: now}, true, nil
	}
	var at int64
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT stored_at FROM records WHERE id = ?`), r.ID).Scan(&at); err != nil {
		return Ack{}, false, err
	}
	return Ack{ID: r.ID, StoredAt: fromNanos(at)}, false, nil
}

const columns = `id, kiosk, run, seq, kind, phase, outcome, started, rec_time, stored_at`

func (s *sqlStore) List(ctx context.Context, f Filter) ([]Record, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if !f.Since.IsZero() {
		add("rec_time >= ?", nanos(f.Since))
	}
	if !f.Until.IsZero() {
		add("rec_time < ?", nanos(f.Until))
	}
	if f.Outcome != "" {
		add("outcome = ?", f.Outcome)
	}
	if f.Kiosk != "" {
		add("kiosk = ?", f.Kiosk)
	}
	if f.Run != "" {
		add("run = ?", f.Run)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	query := "SELECT " + columns + " FROM records"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY rec_time, id LIMIT " + strconv.Itoa(limit)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Record{}
	for rows.Next() {
		r, err := scan(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *sqlStore) Get(ctx context.Context, id string) (Record, error) {
	r, err := scan(s.db.QueryRowContext(ctx, s.q("SELECT "+columns+", lines FROM records WHERE id = ?"), id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, ErrNotFound
	}
	return r, err
}

// scan reads one row of columns (and lines when withLines).
func scan(row interface{ Scan(...any) error }, withLines bool) (Record, error) {
	var r Record
	var started, at, stored int64
	dest := []any{&r.ID, &r.Kiosk, &r.Run, &r.Seq, &r.Kind, &r.Phase, &r.Outcome, &started, &at, &stored}
	var lines string
	if withLines {
		dest = append(dest, &lines)
	}
	if err := row.Scan(dest...); err != nil {
		return Record{}, err
	}
	r.Started, r.Time, r.StoredAt = fromNanos(started), fromNanos(at), fromNanos(stored)
	if withLines {
		if err := json.Unmarshal([]byte(lines), &r.Lines); err != nil {
			return Record{}, fmt.Errorf("record %s: stored lines: %w", r.ID, err)
		}
	}
	return r, nil
}

func (s *sqlStore) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

func (s *sqlStore) Close() error { return s.db.Close() }

// nanos is t in Unix nanoseconds (0 for the zero time).
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos is the UTC time of n Unix nanoseconds (the zero time for 0).
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

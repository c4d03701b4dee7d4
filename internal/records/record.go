// Package records is the lab's collection of run records: the wire type a kiosk posts, the
// store that keeps each record exactly once (SQLite or PostgreSQL, one schema), and the HTTP
// handler of /v1/records and /v1/health that `oobe serve-backend` mounts. docs/records-api.md
// documents the API.
package records

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of record: a snapshot taken when an ESP phase is done, or the run's end.
const (
	// KindPhase is a snapshot of a run's record when an ESP phase was done.
	KindPhase = "phase"
	// KindEnd is a run's whole record at its end line.
	KindEnd = "end"
)

// Record is one snapshot of a run record, as a kiosk posts it to /v1/records: every line of
// the run so far, from its start line to the boundary line that made the snapshot.
type Record struct {
	// ID is unique for every snapshot a kiosk made (a random UUID); posting it again stores
	// nothing new and is acknowledged the same.
	ID string `json:"id"`
	// Kiosk names the machine that ran it.
	Kiosk string `json:"kiosk"`
	// Run is the run's id, the "run" field of its lines.
	Run string `json:"run"`
	// Seq is the sequence number of the line that made the snapshot (its last line).
	Seq int `json:"seq"`
	// Kind is KindPhase or KindEnd.
	Kind string `json:"kind"`
	// Phase is the ESP phase done (KindPhase).
	Phase string `json:"phase,omitempty"`
	// Outcome is the end line's outcome (KindEnd): desktop, reset, restart, eula_declined,
	// quit or signal.
	Outcome string `json:"outcome,omitempty"`
	// Started is the wall-clock time of the run's first line.
	Started time.Time `json:"started"`
	// Time is the wall-clock time of the line that made the snapshot.
	Time time.Time `json:"time"`
	// Lines are the record lines, as in docs/record.md (absent from a listing).
	Lines []json.RawMessage `json:"lines,omitempty"`
	// StoredAt is when the server committed it (set by the server).
	StoredAt time.Time `json:"storedAt,omitzero"`
}

// Ack is the server's answer to a record posted: the same for every post of one id.
type Ack struct {
	// ID is the record's id.
	ID string `json:"id"`
	// StoredAt is when the record was first committed.
	StoredAt time.Time `json:"storedAt"`
}

// maxField bounds the id, kiosk, run and phase fields.
const maxField = 200

// Validate says what is wrong with a record posted, naming the field ("" when nothing is).
func (r *Record) Validate() error {
	for _, f := range []struct{ name, v string }{{"id", r.ID}, {"kiosk", r.Kiosk}, {"run", r.Run}} {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("record: missing %s", f.name)
		}
	}
	for _, f := range []struct{ name, v string }{{"id", r.ID}, {"kiosk", r.Kiosk}, {"run", r.Run}, {"phase", r.Phase}, {"outcome", r.Outcome}} {
		if len(f.v) > maxField {
			return fmt.Errorf("record: %s is longer than %d bytes", f.name, maxField)
		}
		if !utf8.ValidString(f.v) || strings.ContainsFunc(f.v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return fmt.Errorf("record: %s holds a control character or invalid UTF-8", f.name)
		}
	}
	switch r.Kind {
	case KindPhase, KindEnd:
	case "":
		return fmt.Errorf("record: missing kind")
	default:
		return fmt.Errorf("record: kind must be %q or %q, got %q", KindPhase, KindEnd, r.Kind)
	}
	if r.Seq < 1 {
		return fmt.Errorf("record: seq must be 1 or more, got %d", r.Seq)
	}
	if r.Time.IsZero() {
		return fmt.Errorf("record: missing time")
	}
	if len(r.Lines) == 0 {
		return fmt.Errorf("record: no lines")
	}
	return nil
}

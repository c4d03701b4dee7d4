package flow

import (
	"bufio"
	"encoding/json"
	"io"
	"sync"
	"time"
)

// RecordKind classifies one line of a run record.
type RecordKind string

// Kinds of record lines.
const (
	RecordStart     RecordKind = "start"
	RecordStepEnter RecordKind = "step.enter"
	RecordStepLeave RecordKind = "step.leave"
	RecordBacktrack RecordKind = "backtrack"
	RecordAnswer    RecordKind = "answer"
	RecordButton    RecordKind = "button"
	RecordError     RecordKind = "error"
	RecordBackend   RecordKind = "backend"
	RecordEnd       RecordKind = "end"
)

// RecordLine is one JSON line of the run record.
type RecordLine struct {
	// Time is the wall-clock time the line was written.
	Time time.Time `json:"time"`
	// Kind says what happened.
	Kind RecordKind `json:"kind"`
	// Step is the step on screen at the time.
	Step StepID `json:"step,omitempty"`
	// Data holds the details of the event.
	Data any `json:"data,omitempty"`
}

// Recorder appends a JSON Lines record of a run, flushing after every line so a killed
// process loses nothing already recorded. A nil *Recorder records nothing.
type Recorder struct {
	mu   sync.Mutex
	w    *bufio.Writer
	now  func() time.Time
	err  error
	keep [][]byte // the last keepLines lines, for a diagnostics bundle
}

// keepLines is how many recent lines a Recorder keeps in memory.
const keepLines = 5000

// NewRecorder writes the record to w, stamping lines with now.
func NewRecorder(w io.Writer, now func() time.Time) *Recorder {
	if now == nil {
		now = time.Now
	}
	return &Recorder{w: bufio.NewWriter(w), now: now}
}

// Log appends one line. The first write error is kept and reported by Err.
func (r *Recorder) Log(kind RecordKind, step StepID, data any) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return
	}
	b, err := json.Marshal(RecordLine{Time: r.now().UTC(), Kind: kind, Step: step, Data: data})
	if err == nil {
		b = append(b, '\n')
		if len(r.keep) == keepLines {
			r.keep = r.keep[1:]
		}
		r.keep = append(r.keep, b)
		_, err = r.w.Write(b)
	}
	if err == nil {
		err = r.w.Flush()
	}
	r.err = err
}

// Lines returns the most recent lines written (JSON with a trailing newline each), oldest
// first.
func (r *Recorder) Lines() [][]byte {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.keep...)
}

// Err returns the first error met while writing, if any.
func (r *Recorder) Err() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

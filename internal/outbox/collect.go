package outbox

import (
	"bytes"
	"encoding/json"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/internal/records"
)

// Collector turns the lines of a run record into outbox entries: when an ESP phase is done
// and at the run's end, a snapshot of every line of the run so far goes to the outbox under
// a new random id. Line only queues (it is a flow.Recorder tap, called from the frontend's
// event loop); the collector's own goroutine writes the entries.
type Collector struct {
	out   *Outbox
	kiosk string
	mu    sync.Mutex
	idle  *sync.Cond
	queue []tapped
	busy  bool
	err   error
	onErr func(error)
	// the run being collected, touched by the writer goroutine only
	run     string
	started time.Time
	lines   []json.RawMessage
}

// tapped is one line handed over by the recorder.
type tapped struct {
	line flow.RecordLine
	b    []byte
}

// NewCollector collects into out the runs of the machine named kiosk.
func NewCollector(out *Outbox, kiosk string) *Collector {
	c := &Collector{out: out, kiosk: kiosk}
	c.idle = sync.NewCond(&c.mu)
	return c
}

// OnError sets f to be called once, from the collector's goroutine, with the first error
// writing an entry (f must not block for long).
func (c *Collector) OnError(f func(error)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onErr = f
}

// Line takes one record line (for flow.Recorder.Tap): it queues it and returns.
func (c *Collector) Line(line flow.RecordLine, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queue = append(c.queue, tapped{line, b})
	if !c.busy {
		c.busy = true
		go c.work()
	}
}

// Flush waits until every snapshot of the lines given so far is committed to the outbox,
// and returns the first error writing one, if any.
func (c *Collector) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.busy {
		c.idle.Wait()
	}
	return c.err
}

// work handles the queued lines until none is left.
func (c *Collector) work() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.queue) > 0 {
		batch := c.queue
		c.queue = nil
		c.mu.Unlock()
		var firstErr error
		for _, t := range batch {
			if err := c.take(t); err != nil && firstErr == nil {
				firstErr = err
			}
		}
		c.mu.Lock()
		if firstErr != nil && c.err == nil {
			c.err = firstErr
			if f := c.onErr; f != nil {
				c.mu.Unlock()
				f(firstErr)
				c.mu.Lock()
			}
		}
	}
	c.busy = false
	c.idle.Broadcast()
}

// take adds one line to its run and commits a snapshot when the line closes an ESP phase or
// the run.
func (c *Collector) take(t tapped) error {
	if t.line.Run != c.run {
		c.run, c.started, c.lines = t.line.Run, t.line.Time, nil
	}
	c.lines = append(c.lines, json.RawMessage(bytes.TrimRight(t.b, "\n")))
	r := records.Record{Kiosk: c.kiosk, Run: c.run, Seq: t.line.Seq, Started: c.started, Time: t.line.Time}
	switch d := t.line.Data.(type) {
	case flow.Event:
		if t.line.Kind != flow.RecordProgress || d.Kind != flow.EventESPPhaseDone {
			return nil
		}
		r.Kind, r.Phase = records.KindPhase, string(d.Phase)
	case flow.EndData:
		r.Kind, r.Outcome = records.KindEnd, d.Outcome
	default:
		return nil
	}
	r.ID = uuid.NewString()
	r.Lines = append([]json.RawMessage(nil), c.lines...)
	return c.out.Add(r)
}

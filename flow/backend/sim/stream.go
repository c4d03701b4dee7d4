package sim

import (
	"context"
	"io"
	"iter"
	"sync"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// emitter is what a simulated stream's body uses: send an event, wait on the clock. The body
// runs only while the reader waits in Next (iter.Pull), so an unread stream does no work and
// every emulated wait belongs to the reader's call. Each event is held back until the body
// sends the next one (it is marked More: the next follows at once) or waits or ends.
type emitter struct {
	b       *Backend
	phase   string // set on every event when not empty (the ESP phase)
	yield   func(flow.Event) bool
	s       *pullStream
	pending *flow.Event
}

// send stamps ev with the clock's time (and the phase) and hands it to the reader; false when
// the stream is over.
func (e *emitter) send(ev flow.Event) bool {
	ev.At = e.b.clock.Now()
	if e.phase != "" {
		ev.Phase = e.phase
	}
	if p := e.pending; p != nil {
		p.More = true
		if !e.yield(*p) {
			return false
		}
	}
	e.pending = &ev
	return true
}

// flush hands the event held back to the reader; false when the stream is over.
func (e *emitter) flush() bool {
	p := e.pending
	if p == nil {
		return true
	}
	e.pending = nil
	return e.yield(*p)
}

// wait sleeps d on the clock within the reader's call; false when the stream is over.
func (e *emitter) wait(d time.Duration) bool {
	return e.flush() && e.b.wait(e.s.callCtx, d) == nil
}

// online waits while the device has lost its internet (Backend.offline) and returns how long;
// false when the stream is over.
func (e *emitter) online() (time.Duration, bool) {
	if !e.b.sc().NetworkLost {
		return 0, true // the event held for More stays held
	}
	if !e.flush() {
		return 0, false
	}
	d, err := e.b.offline(e.s.callCtx)
	return d, err == nil
}

// progress sends update progress of phase 0→1 in steps over total.
func (e *emitter) progress(phase string, total time.Duration, steps int) bool {
	if !e.send(flow.Event{Kind: flow.EventUpdateProgress, Phase: phase, Progress: 0}) {
		return false
	}
	for i := 1; i <= steps; i++ {
		if !e.wait(total/time.Duration(steps)) || !e.stall() ||
			!e.send(flow.Event{Kind: flow.EventUpdateProgress, Phase: phase, Progress: float64(i) / float64(steps)}) {
			return false
		}
	}
	return true
}

// stall waits for the internet if it was lost; false when the stream is over.
func (e *emitter) stall() bool {
	_, ok := e.online()
	return ok
}

// restart sends EventUpdateRestart, waits d and sends EventUpdateResumed.
func (e *emitter) restart(d time.Duration) bool {
	return e.send(flow.Event{Kind: flow.EventUpdateRestart}) && e.wait(d) && e.send(flow.Event{Kind: flow.EventUpdateResumed})
}

// stream runs body as a flow.Stream that lives until ctx ends or it is closed.
func (b *Backend) stream(ctx context.Context, body func(*emitter)) flow.Stream {
	return b.phaseStream(ctx, "", body)
}

// phaseStream is stream with every event's Phase set to phase.
func (b *Backend) phaseStream(ctx context.Context, phase string, body func(*emitter)) flow.Stream {
	life, kill := context.WithCancel(ctx)
	s := &pullStream{life: life, kill: kill}
	s.next, s.stop = iter.Pull(func(yield func(flow.Event) bool) {
		e := &emitter{b: b, phase: phase, yield: yield, s: s}
		body(e)
		e.flush()
	})
	// a stream whose context ends while nobody reads it ends too (its goroutine with it)
	context.AfterFunc(life, func() { _ = s.Close() })
	return s
}

// pullStream adapts a generator to flow.Stream. Next and Close may be called from different
// goroutines; Next calls must not overlap.
type pullStream struct {
	mu      sync.Mutex
	next    func() (flow.Event, bool)
	stop    func()
	life    context.Context // ends with the stream (the creator's ctx, or Close)
	kill    context.CancelFunc
	callCtx context.Context // the current Next call's context, for the body's waits
	busy    bool
	done    bool
	err     error // what Next returns once done
}

// Next runs the stream's work up to its next event.
func (s *pullStream) Next(ctx context.Context) (flow.Event, error) {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return flow.Event{}, s.err
	}
	if s.busy {
		s.mu.Unlock()
		return flow.Event{}, flow.Errorf(flow.CodeBadRequest, "Next called while another Next of the stream runs")
	}
	s.busy = true
	call, cancel := context.WithCancel(ctx)
	unhook := context.AfterFunc(s.life, cancel)
	s.callCtx = call
	s.mu.Unlock()

	ev, ok := s.next()

	unhook()
	cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.busy = false
	if ok && s.life.Err() == nil && ctx.Err() == nil {
		return ev, nil
	}
	// the body ended, or a context ended while it worked: the stream is over
	s.done = true
	s.stop()
	switch {
	case ctx.Err() != nil:
		s.err = ctx.Err()
	case s.life.Err() != nil:
		s.err = s.life.Err()
	default:
		s.err = io.EOF
	}
	s.kill()
	return flow.Event{}, s.err
}

// Close ends the stream; a Next in progress returns at once, later ones return
// context.Canceled (io.EOF when the stream had ended already).
func (s *pullStream) Close() error {
	s.kill()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.busy && !s.done {
		s.done = true
		s.err = context.Canceled
		s.stop()
	}
	return nil
}

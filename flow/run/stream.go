package run

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// follower reads a backend stream as a chain of tasks, one Next at a time: each event is
// applied before the next one is asked for, so the run sees events in order and a stopped
// follower asks for nothing more. It is the one stream reader of the run (update checks,
// ESP phases, quality updates).
type follower struct {
	r       *Run
	name    string
	s       flow.Stream
	ctx     context.Context
	cancel  context.CancelFunc
	stopped bool
	// paused holds the next Next back (pause); waiting says one is owed (resume asks for it).
	paused, waiting bool
	onEvent         func(flow.Event) Outcome
	onEnd           func(*flow.Error) Outcome // nil after the last event (io.EOF)
}

// follow opens a stream with open in a task and follows it: onEvent for every event, onEnd
// once when it ends (nil error after its last event). Stop ends it early.
func (r *Run) follow(name string, open func(ctx context.Context) (flow.Stream, error), onEvent func(flow.Event) Outcome, onEnd func(*flow.Error) Outcome) *follower {
	ctx, cancel := context.WithCancel(r.ctx)
	f := &follower{r: r, name: name, ctx: ctx, cancel: cancel, onEvent: onEvent, onEnd: onEnd}
	r.task(name+".open", ctx, func(ctx context.Context) func() Outcome {
		s, err := open(ctx)
		return func() Outcome {
			if f.stopped {
				if s != nil {
					s.Close()
				}
				return nil
			}
			if err != nil {
				f.stopped = true
				cancel()
				return onEnd(flow.AsError(err))
			}
			f.s = s
			if f.paused {
				f.waiting = true
				return nil
			}
			f.next()
			return nil
		}
	})
	return f
}

// maxBatch bounds how many events marked More one task takes.
const maxBatch = 256

// next asks for the stream's next event, and the ones the stream promises at the same time
// (More): they are applied together, so a frontend draws once for them.
func (f *follower) next() {
	s := f.s
	f.r.task(f.name+".next", f.ctx, func(ctx context.Context) func() Outcome {
		var evs []flow.Event
		ev, err := s.Next(ctx)
		for err == nil {
			evs = append(evs, ev)
			if !ev.More || len(evs) == maxBatch {
				break
			}
			ev, err = s.Next(ctx)
		}
		return func() Outcome {
			var out Outcome
			for _, ev := range evs {
				if f.stopped {
					return out
				}
				if o := f.onEvent(ev); o != nil {
					out = o
				}
			}
			if f.stopped {
				return out
			}
			if err != nil {
				f.Stop()
				if errors.Is(err, io.EOF) {
					return f.onEnd(nil)
				}
				return f.onEnd(flow.AsError(err))
			}
			if f.paused {
				f.waiting = true
				return out
			}
			f.next()
			return out
		}
	})
}

// pause stops asking for events: the backend's work waits in the stream (a pull stream does
// its work in Next) until resume.
func (f *follower) pause() {
	if f != nil {
		f.paused = true
	}
}

// resume asks for the next event again after pause.
func (f *follower) resume() {
	if f == nil || !f.paused {
		return
	}
	f.paused = false
	if f.waiting && !f.stopped {
		f.waiting = false
		f.next()
	}
}

// Stop ends the stream: nothing more is applied from it.
func (f *follower) Stop() {
	if f == nil || f.stopped {
		return
	}
	f.stopped = true
	f.cancel()
	if f.s != nil {
		f.s.Close()
	}
}

// after runs fn once d has passed on the run's clock, unless ctx (a step entry's, or one of
// its own) ends first.
func (r *Run) after(name string, ctx context.Context, d time.Duration, fn func() Outcome) {
	r.task(name, ctx, func(ctx context.Context) func() Outcome {
		err := r.clock.Sleep(ctx, d)
		return func() Outcome {
			if err != nil {
				return nil
			}
			return fn()
		}
	})
}

// logProgress records a stream's event; More, a hint for readers, is not part of what
// happened.
func (r *Run) logProgress(ev flow.Event) {
	ev.More = false
	r.log(flow.RecordProgress, ev)
}

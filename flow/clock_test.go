package flow

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"
)

// manualWall is a wall clock the test moves by hand.
type manualWall struct {
	mu     sync.Mutex
	now    time.Time
	timers []*wallTimer
}

type wallTimer struct {
	due     time.Time
	f       func()
	stopped bool
}

func (w *manualWall) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *manualWall) AfterFunc(d time.Duration, f func()) func() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	t := &wallTimer{due: w.now.Add(d), f: f}
	w.timers = append(w.timers, t)
	return func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// advance moves the wall on by d, firing the timers due by then.
func (w *manualWall) advance(d time.Duration) {
	w.mu.Lock()
	w.now = w.now.Add(d)
	var due []*wallTimer
	kept := w.timers[:0]
	for _, t := range w.timers {
		switch {
		case t.stopped:
		case !t.due.After(w.now):
			t.stopped = true
			due = append(due, t)
		default:
			kept = append(kept, t)
		}
	}
	w.timers = kept
	w.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

// TestPacedClock: paced, idle time flows at speed times the wall, never past the next
// wake-up until that sleeper is woken, stands still while held work is awake, and a speed
// change keeps it continuous.
func TestPacedClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	wall := &manualWall{now: start}
	c := NewPacedClock(start, 2, wall)
	wall.advance(time.Second)
	if !c.Now().Equal(start) {
		t.Fatalf("a clock not used yet moved to %v", c.Now())
	}
	c.Hold() // the frontend builds the run, then waits for the person
	c.Release()
	wall.advance(10 * time.Second)
	if got := c.Now().Sub(start); got != 20*time.Second {
		t.Fatalf("after 10 s at ×2 with nothing to do: %v emulated, want 20s", got)
	}
	c.Hold() // a key press started work: the time stands still while it runs
	wall.advance(time.Hour)
	if got := c.Now().Sub(start); got != 20*time.Second {
		t.Fatalf("held work awake: the time moved to %v", got)
	}
	woke := make(chan time.Duration)
	go func() {
		if err := c.Sleep(context.Background(), time.Minute); err != nil {
			t.Error(err)
		}
		woke <- c.Now().Sub(start)
	}()
	for {
		c.mu.Lock()
		n := len(c.sleepers)
		c.mu.Unlock()
		if n == 1 {
			break
		}
		runtime.Gosched()
	}
	wall.advance(20 * time.Second) // 40 s of the minute
	if got := c.Now().Sub(start); got != time.Minute {
		t.Fatalf("20 s into a 1 min sleep at ×2: %v, want 1m", got)
	}
	c.SetSpeed(40)
	if c.Speed() != 40 || c.Now().Sub(start) != time.Minute {
		t.Fatalf("speed %v, now %v after the change", c.Speed(), c.Now().Sub(start))
	}
	wall.advance(time.Second) // 40 s emulated at ×40: past the wake-up, which caps it
	if got := <-woke; got != 80*time.Second {
		t.Fatalf("woke at %v, want exactly 1m20s", got)
	}
	c.Release()
	c.SetSpeed(0)
	if c.Speed() != 40 {
		t.Error("SetSpeed(0) changed the speed")
	}
}

// TestVirtualClockWaitsForHeldWork: time moves only when every piece of held work sleeps, and
// then only to the earliest wake-up, one sleeper at a time.
func TestVirtualClockWaitsForHeldWork(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	c := NewVirtualClock(start)
	c.Hold()
	c.Hold()
	woke := make(chan time.Duration, 2)
	sleep := func(d time.Duration) {
		go func() {
			if err := c.Sleep(context.Background(), d); err != nil {
				t.Error(err)
			}
			woke <- c.Now().Sub(start)
		}()
	}
	sleep(time.Hour)
	// one of two held pieces sleeps: nothing moves
	for i := 0; i < 100; i++ {
		if n := c.Now(); !n.Equal(start) {
			t.Fatalf("time moved to %v with held work awake", n)
		}
		runtime.Gosched()
	}
	sleep(time.Minute)
	if got := <-woke; got != time.Minute {
		t.Fatalf("first wake-up at %v, want 1m", got)
	}
	// the woken one is awake again (held): the hour waits until it is released
	c.Release()
	if got := <-woke; got != time.Hour {
		t.Fatalf("second wake-up at %v, want 1h", got)
	}
	c.Release()
}

// TestVirtualClockUnheld: sleepers outside held work wake at once, in order of due time, and
// a cancelled sleep returns the context's error without moving time.
func TestVirtualClockUnheld(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	c := NewVirtualClock(start)
	if err := c.Sleep(context.Background(), 90*time.Second); err != nil || c.Now().Sub(start) != 90*time.Second {
		t.Fatalf("Sleep = %v, now %v", err, c.Now())
	}
	// two holds: one counts for the sleeper to come (every sleeper is held work asleep), the
	// other keeps the clock from moving while the test cancels it, whichever comes first
	c.Hold()
	c.Hold()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- c.Sleep(ctx, time.Hour) }()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("cancelled Sleep = %v", err)
	}
	if c.Now().Sub(start) != 90*time.Second {
		t.Errorf("a cancelled sleep moved time to %v", c.Now())
	}
	c.Advance(time.Minute)
	if c.Now().Sub(start) != 150*time.Second {
		t.Errorf("Advance: %v", c.Now())
	}
}

// TestClockNeverRunsBackwardsOrOverflows (issue 12): whatever the speeds (NaN, infinities,
// 1e308, tiny, negative), the wall's jumps (centuries, backwards) and the advances, the
// emulated time of a paced or a virtual clock never goes back and never wraps around.
func TestClockNeverRunsBackwardsOrOverflows(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	speeds := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e308, 1e-300, -1, 0, 0.01, 1, 30, 1e6, 3e7, math.MaxFloat64}
	jumps := []time.Duration{0, 1, time.Millisecond, time.Second, time.Hour, 1000 * time.Hour, math.MaxInt64 / 2, -time.Hour}
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		wall := &manualWall{now: start}
		clocks := []interface {
			Clock
			Advance(time.Duration)
			Hold()
			Release()
		}{NewPacedClock(start, speeds[rng.IntN(len(speeds))], wall).VirtualClock, NewVirtualClock(start)}
		paced := PacedClock{clocks[0].(*VirtualClock)}
		last := []time.Time{start, start}
		for step := range 60 {
			switch rng.IntN(5) {
			case 0:
				paced.SetSpeed(speeds[rng.IntN(len(speeds))])
			case 1:
				wall.advance(jumps[rng.IntN(len(jumps))])
			case 2:
				for _, c := range clocks {
					c.Advance(jumps[rng.IntN(len(jumps))])
				}
			case 3:
				for _, c := range clocks {
					c.Hold()
				}
			case 4:
				for _, c := range clocks {
					c.Release()
				}
			}
			for i, c := range clocks {
				now := c.Now()
				if now.Before(last[i]) || now.Before(start) {
					t.Fatalf("seed %d step %d, clock %d: time went from %v to %v", seed, step, i, last[i], now)
				}
				last[i] = now
			}
			if s := paced.Speed(); !(s > 0) || s > MaxSpeed {
				t.Fatalf("seed %d: speed %v", seed, s)
			}
		}
	}
}

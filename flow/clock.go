package flow

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// Clock is the emulated time of a run, injected into the backend and the run so that runs are
// fast and reproducible.
type Clock interface {
	// Now is the current time on this clock.
	Now() time.Time
	// Sleep blocks until d has passed on this clock (nil), or until ctx ends (ctx.Err()).
	Sleep(ctx context.Context, d time.Duration) error
}

// Tracker is a clock that moves only when every piece of outstanding work waits on it (see
// VirtualClock). Hold marks work that has started and will either sleep on the clock or end;
// Release marks its end. The run holds the clock for each task from the moment it asks for
// it until its result is applied.
type Tracker interface {
	// Hold counts one more piece of outstanding work.
	Hold()
	// Release counts one piece of outstanding work done.
	Release()
}

// Hold calls c.Hold when c is a Tracker.
func Hold(c Clock) {
	if t, ok := c.(Tracker); ok {
		t.Hold()
	}
}

// Release calls c.Release when c is a Tracker.
func Release(c Clock) {
	if t, ok := c.(Tracker); ok {
		t.Release()
	}
}

// RealClock is wall-clock time.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits d of wall-clock time.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// VirtualClock is a discrete-event clock: time moves only while every piece of outstanding
// work (Hold without Release) is asleep on it, and never past a wake-up time before that
// sleeper has been woken (ties in the order they fell asleep). Unpaced (NewVirtualClock: --speed
// max) it then jumps straight to the earliest wake-up; paced (NewPacedClock) it flows at a
// multiple of real time until then. Either way a run sees exactly the emulated times of any
// other run of the same inputs, whatever the machine does meanwhile: processing takes no
// emulated time, so no speed gives a false timeout. Sleepers outside any held work (a test
// calling a backend directly) count as outstanding work of their own.
type VirtualClock struct {
	mu       sync.Mutex
	now      time.Time
	busy     int
	seq      uint64
	sleepers sleeperHeap
	// pacing (speed > 0): while flowing, the time is now plus the wall time since base
	// times speed, up to the earliest wake-up; a wall timer wakes that sleeper.
	speed   float64
	wall    Wall
	base    time.Time
	flowing bool
	gen     uint64
	stop    func() bool
	// shown is the latest time Now returned: a wall clock stepping back (NTP) must not take
	// the emulated time back below it.
	shown time.Time
}

var _ Tracker = (*VirtualClock)(nil)

// NewVirtualClock starts an unpaced virtual clock at start: it jumps to the next wake-up as
// soon as the work is idle (--speed max).
func NewVirtualClock(start time.Time) *VirtualClock { return &VirtualClock{now: start} }

// Wall is the real time a paced clock follows.
type Wall interface {
	// Now is the current real time.
	Now() time.Time
	// AfterFunc calls f once d of real time has passed, unless the returned stop is called
	// first.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// RealWall is the machine's real time.
type RealWall struct{}

// Now returns time.Now().
func (RealWall) Now() time.Time { return time.Now() }

// AfterFunc runs f after d, as time.AfterFunc.
func (RealWall) AfterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// PacedClock is a VirtualClock that flows speed times faster than real time while the work is
// idle (--speed N). Its speed can change while it runs (a trainer fast-forwarding a long
// install); the emulated time never jumps when it does.
type PacedClock struct{ *VirtualClock }

// Throttle is a clock whose speed can change while it runs.
type Throttle interface {
	// Speed is how many times faster than real time the clock runs.
	Speed() float64
	// SetSpeed changes it; speed ≤ 0 is ignored.
	SetSpeed(speed float64)
}

var _ Throttle = PacedClock{}

// NewPacedClock returns a clock at start that runs speed (> 0; else 1) times faster than wall
// (nil: RealWall) whenever the work is idle. It stands still until first used (Hold, Release
// or Sleep), so building a run takes no emulated time.
func NewPacedClock(start time.Time, speed float64, wall Wall) PacedClock {
	if !(speed > 0) {
		speed = 1
	}
	speed = min(speed, MaxSpeed)
	if wall == nil {
		wall = RealWall{}
	}
	c := &VirtualClock{now: start, speed: speed, wall: wall, base: wall.Now()}
	return PacedClock{c}
}

// Speed is how many times faster than real time the clock runs while idle.
func (c PacedClock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// MaxSpeed is the highest speed a paced clock runs at; SetSpeed caps faster ones.
const MaxSpeed = 1e9

// SetSpeed changes the speed from now on (at most MaxSpeed; not a positive number: ignored);
// the emulated time goes on without a jump.
func (c PacedClock) SetSpeed(speed float64) {
	if !(speed > 0) {
		return
	}
	speed = min(speed, MaxSpeed)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commit()
	c.speed = speed
	c.step()
}

// Now returns the virtual time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.current()
}

// current is the time now; c.mu is held.
func (c *VirtualClock) current() time.Time {
	if c.speed == 0 || !c.flowing {
		return c.now
	}
	t := c.now.Add(flowed(c.wall.Now().Sub(c.base), c.speed))
	if len(c.sleepers) > 0 && t.After(c.sleepers[0].due) {
		t = c.sleepers[0].due
	}
	if t.Before(c.now) {
		t = c.now // a wall clock stepping back never takes emulated time back
	}
	if t.Before(c.shown) {
		t = c.shown
	}
	c.shown = t
	return t
}

// maxFlow caps how far the emulated time moves in one go (about a century): a long idle at a
// high speed, or a huge Advance, saturates there instead of overflowing a time.Duration.
const maxFlow = 100 * 365 * 24 * time.Hour

// flowed is the emulated time that wall of real time makes at speed, at most maxFlow.
func flowed(wall time.Duration, speed float64) time.Duration {
	d := float64(wall) * speed
	switch {
	case d <= 0 || d != d: // a wall stepping back, or NaN
		return 0
	case d >= float64(maxFlow):
		return maxFlow
	}
	return time.Duration(d)
}

// commit fixes the time that has flowed so far; c.mu is held.
func (c *VirtualClock) commit() {
	if c.speed == 0 {
		return
	}
	c.now = c.current()
	c.base = c.wall.Now()
}

// Advance moves the virtual time forward by d (never backwards) and wakes the sleepers due by
// then, in order.
func (c *VirtualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commit()
	if d > 0 {
		c.now = c.now.Add(min(d, maxFlow))
	}
	for len(c.sleepers) > 0 && !c.sleepers[0].due.After(c.now) {
		c.wake(heap.Pop(&c.sleepers).(*sleeper))
	}
	c.step()
}

// Hold counts one more piece of outstanding work: the clock stays put until it sleeps or is
// released.
func (c *VirtualClock) Hold() {
	c.mu.Lock()
	c.commit()
	c.busy++
	c.step()
	c.mu.Unlock()
}

// Release counts one piece of outstanding work done; when the rest all sleep, time moves on.
func (c *VirtualClock) Release() {
	c.mu.Lock()
	c.commit()
	if c.busy > 0 {
		c.busy--
	}
	c.step()
	c.mu.Unlock()
}

// Sleep waits until the clock has moved d forward.
func (c *VirtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	c.mu.Lock()
	c.commit()
	s := &sleeper{due: c.now.Add(d), seq: c.seq, wake: make(chan struct{}), ctx: ctx}
	c.seq++
	heap.Push(&c.sleepers, s)
	c.step()
	c.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		woken := s.woken
		if !woken && s.idx >= 0 {
			c.commit()
			heap.Remove(&c.sleepers, s.idx)
			c.step()
		}
		c.mu.Unlock()
		if woken {
			return nil
		}
		return ctx.Err()
	}
}

// step moves time on when every piece of outstanding work sleeps; c.mu is held and the time
// committed. Unpaced, it wakes the earliest sleeper at once; paced, it sets a wall timer for
// it. Sleepers whose context has ended are dropped first: their work is about to return, not
// to sleep (their goroutine may not have noticed yet).
func (c *VirtualClock) step() {
	kept := c.sleepers[:0]
	for _, s := range c.sleepers {
		if s.ctx.Err() != nil {
			s.idx = -1
			continue
		}
		s.idx = len(kept)
		kept = append(kept, s)
	}
	if len(kept) < len(c.sleepers) {
		clear(c.sleepers[len(kept):])
		c.sleepers = kept
		heap.Init(&c.sleepers)
	}
	idle := len(c.sleepers) >= c.busy
	if c.speed == 0 {
		if idle && len(c.sleepers) > 0 {
			s := heap.Pop(&c.sleepers).(*sleeper)
			if s.due.After(c.now) {
				c.now = s.due
			}
			c.wake(s)
		}
		return
	}
	c.flowing = idle
	c.gen++
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	if !idle || len(c.sleepers) == 0 {
		return
	}
	s := c.sleepers[0]
	if !s.due.After(c.now) {
		c.reach(s)
		return
	}
	gen := c.gen
	wait := time.Duration(float64(s.due.Sub(c.now)) / c.speed)
	c.stop = c.wall.AfterFunc(wait, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.gen == gen && len(c.sleepers) > 0 && c.sleepers[0] == s {
			c.reach(s)
		}
	})
}

// reach sets the time to the earliest sleeper's wake-up and wakes it; c.mu is held.
func (c *VirtualClock) reach(s *sleeper) {
	heap.Pop(&c.sleepers)
	if s.due.After(c.now) {
		c.now = s.due
	}
	c.base = c.wall.Now()
	c.wake(s)
	c.step()
}

func (c *VirtualClock) wake(s *sleeper) {
	s.woken = true
	close(s.wake)
}

// sleeper is one Sleep in progress on a VirtualClock.
type sleeper struct {
	due   time.Time
	seq   uint64
	wake  chan struct{}
	ctx   context.Context
	idx   int // position in the heap, -1 once out of it
	woken bool
}

// sleeperHeap orders sleepers by wake-up time, then by when they fell asleep.
type sleeperHeap []*sleeper

func (h sleeperHeap) Len() int { return len(h) }
func (h sleeperHeap) Less(i, j int) bool {
	if !h[i].due.Equal(h[j].due) {
		return h[i].due.Before(h[j].due)
	}
	return h[i].seq < h[j].seq
}
func (h sleeperHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *sleeperHeap) Push(x any) {
	s := x.(*sleeper)
	s.idx = len(*h)
	*h = append(*h, s)
}
func (h *sleeperHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	*h = old[:len(old)-1]
	s.idx = -1
	return s
}

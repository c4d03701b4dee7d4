package flow

import (
	"sync"
	"time"
)

// Clock is the time source of a backend, injected so runs are fast and reproducible.
type Clock interface {
	// Now is the current time on this clock.
	Now() time.Time
	// After delivers the time on the channel once d has passed on this clock.
	After(d time.Duration) <-chan time.Time
}

// RealClock is wall-clock time.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// After is time.After.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// VirtualClock is an emulated clock: After fires at once and moves the clock forward by d,
// so a test or a fast demo sees exactly the times a real run would have, with no waiting.
type VirtualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtualClock starts a virtual clock at start.
func NewVirtualClock(start time.Time) *VirtualClock { return &VirtualClock{now: start} }

// Now returns the virtual time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After advances the virtual time by d and returns an already-fired channel.
func (c *VirtualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	t := c.now
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- t
	return ch
}

// ScaledClock is wall-clock time running speed times faster: emulated durations pass in
// 1/speed of real time, and Now reports emulated time. The speed can change while it runs
// (a trainer fast-forwarding a long install); waits in progress follow the new speed.
type ScaledClock struct {
	mu       sync.Mutex
	realNow  func() time.Time // wall clock; replaceable in tests
	realBase time.Time        // wall-clock time of the last speed change
	emuBase  time.Time        // emulated time at realBase
	speed    float64
}

// Throttle is a clock whose speed can change while it runs.
type Throttle interface {
	// Speed is how many times faster than real time the clock runs.
	Speed() float64
	// SetSpeed changes it; speed ≤ 0 is ignored.
	SetSpeed(speed float64)
}

var _ Throttle = (*ScaledClock)(nil)

// NewScaledClock returns a clock that runs speed times faster than real time (speed > 0).
func NewScaledClock(speed float64) *ScaledClock {
	if speed <= 0 {
		speed = 1
	}
	now := time.Now()
	return &ScaledClock{realNow: time.Now, realBase: now, emuBase: now, speed: speed}
}

// Now returns the emulated time.
func (c *ScaledClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *ScaledClock) nowLocked() time.Time {
	return c.emuBase.Add(time.Duration(float64(c.realNow().Sub(c.realBase)) * c.speed))
}

// Speed is how many times faster than real time the clock runs.
func (c *ScaledClock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// SetSpeed changes the speed from now on; the emulated time keeps running without a jump.
func (c *ScaledClock) SetSpeed(speed float64) {
	if speed <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.emuBase = c.nowLocked()
	c.realBase = c.realNow()
	c.speed = speed
}

// maxNap bounds how long a wait sleeps before it looks at the speed again.
const maxNap = 50 * time.Millisecond

// After fires once emulated duration d has passed, at whatever speed the clock runs meanwhile.
func (c *ScaledClock) After(d time.Duration) <-chan time.Time {
	out := make(chan time.Time, 1)
	due := c.Now().Add(d)
	go func() {
		for {
			now := c.Now()
			left := due.Sub(now)
			if left <= 0 {
				out <- now
				return
			}
			nap := time.Duration(float64(left) / c.Speed())
			time.Sleep(min(max(nap, time.Millisecond), maxNap))
		}
	}()
	return out
}

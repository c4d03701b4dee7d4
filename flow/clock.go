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

// ScaledClock is wall-clock time running Speed times faster: emulated durations pass in
// 1/Speed of real time, and Now reports emulated time.
type ScaledClock struct {
	start time.Time
	speed float64
}

// NewScaledClock returns a clock that runs speed times faster than real time (speed > 0).
func NewScaledClock(speed float64) *ScaledClock {
	if speed <= 0 {
		speed = 1
	}
	return &ScaledClock{start: time.Now(), speed: speed}
}

// Now returns the emulated time.
func (c *ScaledClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.start)) * c.speed))
}

// After fires once emulated duration d has passed.
func (c *ScaledClock) After(d time.Duration) <-chan time.Time {
	out := make(chan time.Time, 1)
	real := time.Duration(float64(d) / c.speed)
	go func() {
		<-time.After(real)
		out <- c.Now()
	}()
	return out
}

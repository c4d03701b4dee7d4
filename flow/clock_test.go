package flow

import (
	"testing"
	"time"
)

// TestScaledClockSpeedChange: changing the speed keeps the emulated time continuous and makes
// it run at the new rate from then on.
func TestScaledClockSpeedChange(t *testing.T) {
	real := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	c := NewScaledClock(2)
	c.realNow = func() time.Time { return real }
	c.realBase, c.emuBase = real, real
	real = real.Add(10 * time.Second) // 20 s emulated at ×2
	if got := c.Now().Sub(c.emuBase); got != 20*time.Second {
		t.Fatalf("after 10 s at ×2: %v emulated, want 20s", got)
	}
	before := c.Now()
	c.SetSpeed(60)
	if c.Speed() != 60 || !c.Now().Equal(before) {
		t.Fatalf("speed %v, now jumped from %v to %v", c.Speed(), before, c.Now())
	}
	real = real.Add(time.Second)
	if got := c.Now().Sub(before); got != time.Minute {
		t.Errorf("1 s at ×60: %v emulated, want 1m", got)
	}
	c.SetSpeed(0)
	if c.Speed() != 60 {
		t.Error("SetSpeed(0) changed the speed")
	}
}

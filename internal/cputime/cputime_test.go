package cputime

import "testing"

// TestUsedGrows: spinning the CPU shows in the time used.
func TestUsedGrows(t *testing.T) {
	before := Used()
	x := 0
	for i := range 50_000_000 {
		x ^= i
	}
	_ = x
	after := Used()
	if after == 0 {
		t.Skip("the system does not report CPU time")
	}
	if after <= before {
		t.Errorf("CPU time %v then %v", before, after)
	}
}

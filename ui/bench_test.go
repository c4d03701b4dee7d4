package ui

import (
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

// BenchmarkViewNetwork measures one frame of the network page (the busiest page so far).
func BenchmarkViewNetwork(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {250, 70}} {
		b.Run(sizeName(size), func(b *testing.B) {
			d := newDriver(b, setup{w: size[0], h: size[1]})
			d.press("enter", "enter", "enter", "enter")
			if d.m.Step() != flow.StepNetwork {
				b.Fatalf("on %s", d.m.Step())
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = d.m.View()
			}
		})
	}
}

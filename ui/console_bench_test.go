package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkConsoleKey is one key typed at the prompt with a long scrollback (100 ipconfig
// /all), drawn at 100×30.
func BenchmarkConsoleKey(b *testing.B) {
	d := newDriver(b, setup{w: 100, h: 30})
	d.press("shift+f10")
	for i := 0; i < 100; i++ {
		d.command("ipconfig /all")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
		_ = d.m.View()
	}
}

package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/oobe-emu/oobe/themes"
)

// TestGoldenTour pins every state of every page at 80×24 and 120×40 in the default theme as
// plain text (what a person reads; the colours are pinned per theme below).
func TestGoldenTour(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			d := newDriver(t, setup{w: size[0], h: size[1]})
			tour(t, d, func(name string) {
				t.Run(name, func(t *testing.T) { golden.RequireEqual(t, d.text()) })
			})
		})
	}
}

// TestGoldenThemes pins the network page in every theme with its colours, with ASCII glyphs
// and without colour.
func TestGoldenThemes(t *testing.T) {
	cases := []setup{}
	for _, name := range themes.Names() {
		cases = append(cases, setup{theme: name})
	}
	cases = append(cases,
		setup{theme: "win11-dark", ascii: true, prof: colorprofile.ASCII},
		setup{theme: "win11-light", prof: colorprofile.ANSI},
		setup{theme: "win10", locale: "de-DE"},
	)
	for _, s := range cases {
		s = s.withDefaults()
		name := fmt.Sprintf("%s_%s_ascii=%v_%s", s.theme, s.locale, s.ascii, s.prof)
		t.Run(name, func(t *testing.T) {
			d := newDriver(t, s)
			d.press("enter", "enter", "enter", "enter") // language, region, keyboard, skip
			d.press("enter")                            // expand the first network
			golden.RequireEqual(t, d.screen())
		})
	}
}

package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
)

// click clicks the last place on screen where text is drawn (buttons are at the bottom), as
// the terminal would report it.
func (d *driver) click(text string) {
	d.t.Helper()
	lines := strings.Split(d.text(), "\n")
	for y := len(lines) - 1; y >= 0; y-- {
		line := lines[y]
		if x := strings.LastIndex(line, text); x >= 0 {
			col := len([]rune(line[:x])) + len([]rune(text))/2
			v := d.m.View()
			if v.OnMouse == nil {
				d.t.Fatalf("no mouse handler on screen:\n%s", d.text())
			}
			d.queue(v.OnMouse(tea.MouseClickMsg{X: col, Y: y, Button: tea.MouseLeft}))
			d.idle()
			return
		}
	}
	d.t.Fatalf("%q not on screen:\n%s", text, d.text())
}

// TestMouse selects list items and presses buttons with clicks only.
func TestMouse(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {130, 40}} {
		t.Run(sizeName(size), func(t *testing.T) {
			d := newDriver(t, setup{w: size[0], h: size[1]})
			d.click("Deutsch (Deutschland)")
			d.click("Yes") // the page switches language once the choice is confirmed
			if d.m.Step() != flow.StepRegion {
				t.Fatalf("clicking Yes on the language page: on %s", d.m.Step())
			}
			d.typeText("Schweiz")
			d.click("Schweiz")
			d.click("Ja")
			if a := d.r.Answers(); a.Region != "CH" || a.Language != "de-DE" {
				t.Fatalf("answers after clicks: %+v", a)
			}
			d.click("Ja")           // keyboard
			d.click("Überspringen") // second keyboard
			d.click("Larkspur-Guest")
			d.click("Automatisch verbinden") // untick
			d.click("Verbinden")
			if a := d.r.Answers(); a.Network != "Larkspur-Guest" || a.ConnectAutomatically {
				t.Fatalf("after connecting by mouse: %+v", a)
			}
			d.click("Weiter") // the update check runs through on the virtual clock
			if d.m.Step() != flow.StepEULA {
				t.Fatalf("clicking Weiter: on %s", d.m.Step())
			}
			d.click("Annehmen")
			if d.m.Step() != flow.StepSignIn {
				t.Fatalf("clicking Annehmen: on %s", d.m.Step())
			}
		})
	}
}

// TestMouseBackAndHelp (issue 8): a mouse-only user goes back by clicking "esc back" on the
// help line, opens the list of keys by clicking "f1 all keys" and scrolls lists with the
// wheel.
func TestMouseBackAndHelp(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30})
	d.click("Yes") // language
	if d.m.Step() != flow.StepRegion {
		t.Fatalf("on %s", d.m.Step())
	}
	d.click("esc back")
	if d.m.Step() != flow.StepLanguage {
		t.Fatalf("clicking esc back: on %s, want the language page", d.m.Step())
	}
	d.click("f1 all keys")
	d.sees("F1, Esc or Enter closes this list.")
	d.press("esc")
	d.click("Yes")
	before := d.line(d.m.env.Glyphs.Pointer)
	d.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	d.idle()
	if after := d.line(d.m.env.Glyphs.Pointer); after == before {
		t.Errorf("the wheel did not move the region list: %q", after)
	}
}

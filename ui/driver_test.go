package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
	"github.com/oobe-emu/oobe/themes"
)

// testStart is the emulated time every test run starts at.
var testStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// setup describes one test run of the app.
type setup struct {
	theme  string
	locale string
	ascii  bool
	wired  bool
	w, h   int
	prof   colorprofile.Profile
	rec    *flow.Recorder
	// tweak changes the embedded tenant before the run (scenario, ESP settings, …).
	tweak func(*flow.Tenant)
}

func (s setup) withDefaults() setup {
	if s.theme == "" {
		s.theme = themes.DefaultName
	}
	if s.locale == "" {
		s.locale = "en-US"
	}
	if s.w == 0 {
		s.w, s.h = 80, 24
	}
	if s.prof == colorprofile.Unknown {
		s.prof = colorprofile.TrueColor
	}
	return s
}

// newTestModel builds the real root model on the embedded tenant and the sim backend with a
// virtual clock, animations off.
func newTestModel(t testing.TB, s setup) *Model {
	t.Helper()
	return New(testOptions(t, s))
}

// testOptions are the root model's options of newTestModel.
func testOptions(t testing.TB, s setup) Options {
	t.Helper()
	s = s.withDefaults()
	ten, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if s.tweak != nil {
		s.tweak(ten)
	}
	th, err := themes.Lookup(s.theme)
	if err != nil {
		t.Fatal(err)
	}
	clock := flow.NewVirtualClock(testStart)
	opts := Options{
		Theme: th, ASCII: s.ascii, Locale: s.locale, Region: "US",
		Backend: sim.New(ten, sim.Options{Clock: clock, Seed: 1, Wired: s.wired}), Tenant: ten,
		Recorder: s.rec, Profile: s.prof, Static: true, Clock: clock,
	}
	return opts
}

// driver runs the model synchronously: it executes commands itself, one at a time, so a
// test can stop at any state (mid-update, during a restart) and frames never depend on
// timing.
type driver struct {
	t       testing.TB
	m       *Model
	pending []tea.Cmd
	quit    bool
}

func newDriver(t testing.TB, s setup) *driver {
	t.Helper()
	s = s.withDefaults()
	d := &driver{t: t, m: newTestModel(t, s)}
	d.send(tea.WindowSizeMsg{Width: s.w, Height: s.h})
	d.queue(d.m.Init())
	d.settle(func() bool { return d.m.Step() != "" })
	return d
}

func (d *driver) queue(cmd tea.Cmd) {
	if cmd != nil {
		d.pending = append(d.pending, cmd)
	}
}

// send delivers msg to the model and queues the command it returns.
func (d *driver) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.queue(cmd)
}

// step runs the oldest pending command and delivers its message; false when none is left.
func (d *driver) step() bool {
	if len(d.pending) == 0 {
		return false
	}
	cmd := d.pending[0]
	d.pending = d.pending[1:]
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.queue(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(msg)
	}
	return true
}

// settle runs commands until done() holds or nothing is pending; it fails the test if done
// never holds.
func (d *driver) settle(done func() bool) {
	d.t.Helper()
	for i := 0; i < 10000; i++ {
		if done() {
			return
		}
		if !d.step() {
			break
		}
	}
	if !done() {
		d.t.Fatalf("condition never held; on step %q:\n%s", d.m.Step(), d.screen())
	}
}

// idle runs every pending command.
func (d *driver) idle() {
	for i := 0; i < 10000 && d.step(); i++ {
	}
}

// press sends keys by name ("enter", "tab", "shift+tab", "esc", "down", "ctrl+r", …) or,
// for anything else, types the text; then runs what they started.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
		d.idle()
	}
}

// typeText types s one key at a time.
func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	d.idle()
}

func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]tea.KeyPressMsg{
		"enter":        {Code: tea.KeyEnter},
		"tab":          {Code: tea.KeyTab},
		"shift+tab":    {Code: tea.KeyTab, Mod: tea.ModShift},
		"esc":          {Code: tea.KeyEscape},
		"up":           {Code: tea.KeyUp},
		"down":         {Code: tea.KeyDown},
		"pgdown":       {Code: tea.KeyPgDown},
		"space":        {Code: tea.KeySpace, Text: " "},
		"backspace":    {Code: tea.KeyBackspace},
		"ctrl+r":       {Code: 'r', Mod: tea.ModCtrl},
		"ctrl+c":       {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+shift+d": {Code: 'd', Mod: tea.ModCtrl | tea.ModShift},
		"f6":           {Code: tea.KeyF6},
	}
	if m, ok := named[k]; ok {
		return m
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is the current frame with its colours.
func (d *driver) screen() string { return d.m.View().Content }

// text is the current frame as plain text.
func (d *driver) text() string { return stripANSI(d.screen()) }

// resize changes the terminal size.
func (d *driver) resize(w, h int) { d.send(tea.WindowSizeMsg{Width: w, Height: h}) }

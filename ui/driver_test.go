package ui

// The test driver: the real root model on the embedded tenant, the simulated backend and a
// virtual clock, driven the way Bubble Tea drives it (every command in its own goroutine,
// every message delivered to Update in turn) and read the way a person reads the screen.
// Tests say what a person does: press keys, type, press a button by its name, wait for a
// text or a page.

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/flow/tenant"
	"github.com/oobe-emu/oobe/themes"
)

// testStart is the emulated time every test run starts at.
var testStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// setup describes one test run of the app.
type setup struct {
	theme   string
	locale  string
	windows flow.WindowsVersion
	ascii   bool
	wired   bool
	w, h    int
	prof    colorprofile.Profile
	rec     *bytes.Buffer
	files   run.Files
	finish  bool // --finish restart
	script  *answers.Script
	delay   time.Duration
	save    func(*answers.File) error
	// speed paces the clock as --speed N does, on a wall clock that stands still, so the
	// time never moves by itself (0: a virtual clock, as --speed max).
	speed float64
	wall  flow.Wall // the paced clock's wall clock (nil: one that stands still)
	// tweak changes the embedded tenant before the run (scenario, ESP settings, …).
	tweak func(*sim.World)
	// trainer enables the trainer panel (--trainer).
	trainer bool
	// windowsKey asks the terminal for the Windows key (--windows-key).
	windowsKey bool
	// backend replaces the sim on the (tweaked) embedded tenant: a remote backend (nil: the
	// sim on the run's clock).
	backend func(t testing.TB, w *sim.World) flow.Backend
	// dc is --dc: a real domain controller check against this address.
	dc string
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

// newTestModel builds the run and the real root model on the embedded tenant and the sim
// backend with a virtual clock, animations off; the run is started.
func newTestModel(t testing.TB, s setup) (*Model, *run.Run, flow.Clock) {
	t.Helper()
	s = s.withDefaults()
	w, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if s.tweak != nil {
		s.tweak(w)
	}
	th, err := themes.Lookup(s.theme)
	if err != nil {
		t.Fatal(err)
	}
	windows := s.windows
	if windows == 0 {
		windows = flow.Windows11
		if th.Windows10 {
			windows = flow.Windows10
		}
	}
	var clock flow.Clock = flow.NewVirtualClock(testStart)
	if s.speed > 0 {
		wall := s.wall
		if wall == nil {
			wall = stoppedWall{}
		}
		clock = flow.NewPacedClock(testStart, s.speed, wall)
	}
	flow.Hold(clock) // as the factory does: the time stands still while the run is built
	defer flow.Release(clock)
	var rec *flow.Recorder
	if s.rec != nil {
		rec = flow.NewRecorder(s.rec, func() time.Time { return testStart })
		recorders.Store(s.rec, rec)
	}
	var backend flow.Backend = sim.New(w, sim.Options{Clock: clock, Seed: 1, Wired: s.wired, DC: s.dc})
	if s.backend != nil {
		backend = s.backend(t, w)
	}
	cfg := run.Config{
		Backend: backend, Clock: clock, Recorder: rec,
		Windows: windows, Locale: s.locale, Frontend: "test", ID: "test", Files: s.files, SaveAnswers: s.save,
	}
	if s.script != nil {
		cfg.From = s.script.File
	}
	r := run.New(cfg)
	r.Start(nil)
	m := New(Options{
		Run: r, Clock: clock, Theme: th, ASCII: s.ascii, Region: "US", Profile: s.prof, Static: true,
		FinishRestart: s.finish, Answers: s.script, AnswersDelay: s.delay, Trainer: s.trainer, WindowsKey: s.windowsKey,
	})
	return m, r, clock
}

// recorders maps a test's record buffer to the recorder writing it (see recorded).
var recorders sync.Map

// recorded returns buf once its recorder has written every line so far.
func recorded(buf *bytes.Buffer) *bytes.Buffer {
	if r, ok := recorders.Load(buf); ok {
		_ = r.(*flow.Recorder).Flush()
	}
	return buf
}

// stoppedWall is a wall clock that never moves: a paced clock on it never moves by itself.
type stoppedWall struct{}

func (stoppedWall) Now() time.Time { return testStart }
func (stoppedWall) AfterFunc(time.Duration, func()) (stop func() bool) {
	return func() bool { return true }
}

// skipWall is a wall clock that skips ahead to each timer as soon as it is set: a paced clock
// on it runs as if hours passed in no time at all.
type skipWall struct {
	mu  sync.Mutex
	now time.Time
}

func (w *skipWall) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *skipWall) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	var stopped atomic.Bool
	go func() {
		w.mu.Lock()
		if stopped.Load() {
			w.mu.Unlock()
			return
		}
		w.now = w.now.Add(d)
		w.mu.Unlock()
		f()
	}()
	return func() bool { return !stopped.Swap(true) }
}

// driver runs the model as Bubble Tea would, one message at a time on the test's goroutine.
type driver struct {
	t        testing.TB
	m        *Model
	r        *run.Run
	clock    flow.Clock
	msgs     chan tea.Msg
	inflight int
	quit     bool
}

func newDriver(t testing.TB, s setup) *driver {
	t.Helper()
	s = s.withDefaults()
	m, r, clock := newTestModel(t, s)
	d := &driver{t: t, m: m, r: r, clock: clock, msgs: make(chan tea.Msg, 256)}
	t.Cleanup(d.stop)
	d.hold()
	d.send(tea.WindowSizeMsg{Width: s.w, Height: s.h})
	d.queue(m.Init())
	d.settle(func() bool { return d.m.Step() != "" })
	return d
}

// stop ends the run as the program does when it exits (Run.Close) and waits for the
// commands still in flight, so that no goroutine outlives the test.
func (d *driver) stop() {
	d.r.Close()
	for d.inflight > 0 {
		if d.clock != nil {
			flow.Release(d.clock)
		}
		select {
		case msg := <-d.msgs:
			d.inflight--
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, c := range b {
					d.queue(c)
				}
			}
		case <-time.After(10 * time.Second):
			d.t.Errorf("%d commands still running 10 s after the run was closed", d.inflight)
			return
		}
	}
}

// queue runs cmd in its own goroutine; its message comes back through msgs.
func (d *driver) queue(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.inflight++
	go func() { d.msgs <- cmd() }()
}

// send delivers msg to the model and queues the command it returns.
func (d *driver) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.queue(cmd)
}

// deliver handles one message that came back from a command.
func (d *driver) deliver(msg tea.Msg) {
	d.inflight--
	switch msg := msg.(type) {
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
}

// hold makes the test's goroutine a piece of work the virtual clock waits for: time moves
// only while the driver waits for a message (next), never while the test looks at the screen.
func (d *driver) hold() {
	if d.clock != nil {
		flow.Hold(d.clock)
	}
}

// next waits for the next message (the virtual clock moves while every task sleeps) and
// delivers it; false when nothing is in flight.
func (d *driver) next() bool {
	d.t.Helper()
	if d.inflight == 0 {
		return false
	}
	if d.clock != nil {
		flow.Release(d.clock)
	}
	select {
	case msg := <-d.msgs:
		d.hold() // the model works on it: no time passes meanwhile
		d.deliver(msg)
		return true
	case <-time.After(10 * time.Second):
		d.t.Fatalf("no message for 10 s with %d commands in flight on step %q:\n%s", d.inflight, d.m.Step(), d.text())
	}
	return false
}

// settle runs until done() holds; it fails the test if nothing is left to run first.
func (d *driver) settle(done func() bool) {
	d.t.Helper()
	for !done() {
		if !d.next() {
			d.t.Fatalf("condition never held; on step %q:\n%s", d.m.Step(), d.text())
		}
	}
}

// idle runs until nothing is in flight: the program waits for the person.
func (d *driver) idle() {
	d.t.Helper()
	for d.next() {
	}
}

// press sends keys by name ("enter", "tab", "shift+tab", "esc", "down", "ctrl+r", …) or, for
// anything else, types the text; after each it runs what it started until the program waits
// for the person.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
		d.idle()
	}
}

// key sends one key and lets only what needs no waiting happen (the page reacts; backend
// work stays in flight).
func (d *driver) key(k string) { d.send(keyMsg(k)) }

// typeText types s one key at a time.
func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	d.idle()
}

func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]tea.KeyPressMsg{
		"enter":           {Code: tea.KeyEnter},
		"tab":             {Code: tea.KeyTab},
		"shift+tab":       {Code: tea.KeyTab, Mod: tea.ModShift},
		"esc":             {Code: tea.KeyEscape},
		"up":              {Code: tea.KeyUp},
		"down":            {Code: tea.KeyDown},
		"left":            {Code: tea.KeyLeft},
		"right":           {Code: tea.KeyRight},
		"pgdown":          {Code: tea.KeyPgDown},
		"pgup":            {Code: tea.KeyPgUp},
		"home":            {Code: tea.KeyHome},
		"end":             {Code: tea.KeyEnd},
		"space":           {Code: tea.KeySpace, Text: " "},
		"backspace":       {Code: tea.KeyBackspace},
		"ctrl+r":          {Code: 'r', Mod: tea.ModCtrl},
		"ctrl+c":          {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+d":          {Code: 'd', Mod: tea.ModCtrl},
		"ctrl+u":          {Code: 'u', Mod: tea.ModCtrl},
		"ctrl+shift+d":    {Code: 'd', Mod: tea.ModCtrl | tea.ModShift},
		"ctrl+alt+delete": {Code: tea.KeyDelete, Mod: tea.ModCtrl | tea.ModAlt},
		"f1":              {Code: tea.KeyF1},
		"f6":              {Code: tea.KeyF6},
		"shift+f10":       {Code: tea.KeyF10, Mod: tea.ModShift},
		"delete":          {Code: tea.KeyDelete},
		"f9":              {Code: tea.KeyF9},
		"f8":              {Code: tea.KeyF8},
		"leftsuper":       {Code: tea.KeyLeftSuper},
		"f12":             {Code: tea.KeyF12},
	}
	if m, ok := named[k]; ok {
		return m
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// card is what the page on top shows now (its buttons and their focus).
func (d *driver) card() Card { return d.m.nav.top().View(d.m.frame()) }

// button returns the button of the page on top with id.
func (d *driver) button(id string) (Button, bool) {
	for _, b := range d.card().Buttons {
		if b.ID == id {
			return b, true
		}
	}
	return Button{}, false
}

// pressButton presses the button id as a keyboard user would: Tab until it has the focus,
// then Enter.
func (d *driver) pressButton(id string) {
	d.t.Helper()
	for i := 0; i < 20; i++ {
		b, ok := d.button(id)
		if !ok {
			d.t.Fatalf("no %q button on step %q:\n%s", id, d.m.Step(), d.text())
		}
		if b.Focused {
			d.press("enter")
			return
		}
		d.key("tab")
	}
	d.t.Fatalf("Tab never reached the %q button:\n%s", id, d.text())
}

// waitFor runs until text is on screen (wrapping ignored).
func (d *driver) waitFor(text string) {
	d.t.Helper()
	d.settle(func() bool { return strings.Contains(flat(d.text()), flat(text)) })
}

// on runs until step s is on screen.
func (d *driver) on(s flow.StepID) {
	d.t.Helper()
	d.settle(func() bool { return d.m.Step() == s })
}

// screen is the current frame with its colours.
func (d *driver) screen() string { return d.m.View().Content }

// text is the current frame as plain text.
func (d *driver) text() string { return stripANSI(d.screen()) }

// resize changes the terminal size.
func (d *driver) resize(w, h int) { d.send(tea.WindowSizeMsg{Width: w, Height: h}) }

// flat is the screen's text as one line of words: wrapped sentences read whole again.
func flat(s string) string {
	s = strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// sees fails unless every text is on screen (wrapping ignored).
func (d *driver) sees(texts ...string) {
	d.t.Helper()
	scr := flat(d.text())
	for _, s := range texts {
		if !strings.Contains(scr, flat(s)) {
			d.t.Fatalf("%q not on screen:\n%s", s, d.text())
		}
	}
}

// seesNot fails if any text is on screen (wrapping ignored).
func (d *driver) seesNot(texts ...string) {
	d.t.Helper()
	scr := flat(d.text())
	for _, s := range texts {
		if strings.Contains(scr, flat(s)) {
			d.t.Fatalf("%q on screen:\n%s", s, d.text())
		}
	}
}

// line returns the first screen line holding all parts ("" when none does).
func (d *driver) line(parts ...string) string {
	for _, l := range strings.Split(d.text(), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return l
		}
	}
	return ""
}

// focusButton tabs until the button id has the focus, as a keyboard user would.
func (d *driver) focusButton(id string) {
	d.t.Helper()
	for i := 0; i < 20; i++ {
		if b, ok := d.button(id); ok && b.Focused {
			return
		}
		d.key("tab")
	}
	d.t.Fatalf("tab never reaches the button %q:\n%s", id, d.text())
}

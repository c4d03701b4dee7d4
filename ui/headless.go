package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/internal/shot"
)

// Headless runs the real root model without a terminal, as Bubble Tea does (every command in
// its own goroutine, every message delivered to Update in turn),
// on a virtual clock it holds while the model works: the emulated time moves only while it
// waits for a command. oobe screens drives it with key presses to take pictures of every
// state, so a picture is exactly what the terminal shows.
type Headless struct {
	m        *Model
	r        *run.Run
	clock    flow.Clock
	msgs     chan tea.Msg
	inflight int
	quit     bool
	closed   bool
}

// ErrStuck is returned when a condition waited for cannot come: nothing is left to run.
var ErrStuck = errors.New("nothing left to run")

// NewHeadless starts m (built on r and clock by the caller, with Static set) in a w×h
// terminal and runs it until the first page is on screen.
func NewHeadless(m *Model, r *run.Run, clock flow.Clock, w, h int) (*Headless, error) {
	d := &Headless{m: m, r: r, clock: clock, msgs: make(chan tea.Msg, 256)}
	flow.Hold(clock)
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.queue(m.Init())
	if err := d.Until(func() bool { return d.m.Step() != "" }); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Close ends the run as the program does at exit and waits for the commands in flight.
func (d *Headless) Close() {
	if d.closed {
		return
	}
	d.closed = true
	d.r.Close()
	flow.Release(d.clock)
	deadline := time.After(10 * time.Second)
	for d.inflight > 0 {
		select {
		case msg := <-d.msgs:
			d.inflight--
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, c := range b {
					d.queue(c)
				}
			}
		case <-deadline:
			return
		}
	}
}

func (d *Headless) queue(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.inflight++
	go func() { d.msgs <- cmd() }()
}

func (d *Headless) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.queue(cmd) // no frame is drawn until a picture is taken: View is a function of the state

}

func (d *Headless) deliver(msg tea.Msg) {
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

// next delivers the next message; false when nothing is in flight.
func (d *Headless) next() (bool, error) {
	if d.inflight == 0 {
		return false, nil
	}
	flow.Release(d.clock)
	select {
	case msg := <-d.msgs:
		flow.Hold(d.clock)
		d.deliver(msg)
		return true, nil
	case <-time.After(10 * time.Second):
		flow.Hold(d.clock)
		return false, fmt.Errorf("no message for 10 s with %d commands in flight on step %q", d.inflight, d.m.Step())
	}
}

// Until runs until done holds (ErrStuck when nothing is left to run first).
func (d *Headless) Until(done func() bool) error {
	for !done() {
		ok, err := d.next()
		if err != nil {
			return err
		}
		if !ok {
			return ErrStuck
		}
	}
	return nil
}

// Idle runs until nothing is in flight: the program waits for the person. A run that
// never waits (a loop of timers) is cut after limit messages.
func (d *Headless) Idle(limit int) error {
	for range limit {
		ok, err := d.next()
		if err != nil || !ok {
			return err
		}
	}
	return nil
}

// Press sends keys by name ("enter", "tab", "shift+tab", "esc", "down", "up", "space",
// "ctrl+d", "backspace") and runs each until the program waits (at most 100,000 messages).
func (d *Headless) Press(keys ...string) error {
	for _, k := range keys {
		msg, ok := headlessKeys[k]
		if !ok {
			return fmt.Errorf("headless: no key %q", k)
		}
		d.send(msg)
		if err := d.Idle(100_000); err != nil {
			return err
		}
	}
	return nil
}

// Key sends one key and runs only what needs no waiting.
func (d *Headless) Key(k string) error {
	msg, ok := headlessKeys[k]
	if !ok {
		return fmt.Errorf("headless: no key %q", k)
	}
	d.send(msg)
	return nil
}

// Type types s one key at a time, then runs until the program waits.
func (d *Headless) Type(s string) error {
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return d.Idle(100_000)
}

var headlessKeys = map[string]tea.KeyPressMsg{
	"enter": {Code: tea.KeyEnter}, "tab": {Code: tea.KeyTab}, "shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"esc": {Code: tea.KeyEscape}, "up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
	"space": {Code: tea.KeySpace, Text: " "}, "backspace": {Code: tea.KeyBackspace},
	"ctrl+d": {Code: 'd', Mod: tea.ModCtrl}, "f6": {Code: tea.KeyF6},
}

// Step is the step on screen ("" before the device has booted).
func (d *Headless) Step() flow.StepID { return d.m.Step() }

// Run is the run the model shows.
func (d *Headless) Run() *run.Run { return d.r }

// Text is the screen as plain text.
func (d *Headless) Text() string { return ansi.Strip(d.m.View().Content) }

// Sees reports whether text is on screen (line breaks and the card's borders ignored).
func (d *Headless) Sees(text string) bool {
	return strings.Contains(flatText(d.Text()), flatText(text))
}

// Line is the first screen line holding every part ("" when none does).
func (d *Headless) Line(parts ...string) string {
	for _, l := range strings.Split(d.Text(), "\n") {
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

// Pointer is the glyph that marks the selected list row.
func (d *Headless) Pointer() string { return d.m.env.Glyphs.Pointer }

// Picture is the screen as a cell grid.
func (d *Headless) Picture() (*shot.Grid, error) { return d.m.Picture() }

// Buttons are the ids of the buttons of the page on top that can be pressed.
func (d *Headless) Buttons() []string {
	var ids []string
	for _, b := range d.m.nav.top().View(d.m.frame()).Buttons {
		if !b.Disabled {
			ids = append(ids, b.ID)
		}
	}
	return ids
}

// PressButton presses the button id as a keyboard user does: Tab until it has the focus,
// then Enter.
func (d *Headless) PressButton(id string) error {
	for range 30 {
		found := false
		for _, b := range d.m.nav.top().View(d.m.frame()).Buttons {
			if b.ID != id {
				continue
			}
			found = true
			if b.Focused {
				return d.Press("enter")
			}
		}
		if !found {
			return fmt.Errorf("no %q button on step %q", id, d.m.Step())
		}
		if err := d.Key("tab"); err != nil {
			return err
		}
	}
	return fmt.Errorf("tab never reaches the %q button on step %q", id, d.m.Step())
}

func flatText(s string) string {
	s = strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

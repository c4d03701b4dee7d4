package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow/run"
)

// Page is one screen on the root model's stack: a step's page at the bottom, the views it
// opens above it (an error view, the diagnostics page, a restart, a picker). A page takes
// input and draws; what the input means it hands to the run's controllers.
type Page interface {
	// Heading returns the page's title (its question or heading) and a short explanation.
	Heading() (title, subtitle string)
	// Update handles a message (keys, clicks, outcomes of the run) and returns a command for
	// the page's own UI work (never backend work: that is the run's).
	Update(msg tea.Msg) tea.Cmd
	// View draws the page in the frame it is given; it changes nothing.
	View(f Frame) Card
}

// Optional interfaces of a Page.
type (
	// laidOut pages are told their frame after every message, before they are drawn, so
	// that scrolling follows the focus (View itself changes nothing).
	laidOut interface{ Layout(f Frame) }
	// fullScreen pages sometimes draw the whole terminal (a restart, the lock screen).
	fullScreen interface{ FullScreen() bool }
	// illustrated pages draw their own picture in the wide layout's left column.
	illustrated interface {
		Illustration(w, h int) string
	}
	// busy pages show a spinner; it ticks only while one is on screen.
	busy interface{ Busy() bool }
	// initer pages have work to start when they are shown (a logo to decode).
	initer interface{ Init() tea.Cmd }
	// runFollower step pages arrange the views above them from the run's state after every
	// message (the ESP opens its error view when the phase fails, and closes it on Try again).
	runFollower interface{ followRun() }
)

// Frame is what a page draws into: the body's size, the layout, the spinner's current frame
// and the emulated time, all decided by the root model.
type Frame struct {
	// W and H are the body's size in cells.
	W, H int
	// Wide is the Windows 11 wide layout: title and picture in a left column.
	Wide bool
	// Spin is the spinner's current frame.
	Spin string
	// Now is the emulated time of the run.
	Now time.Time
}

// Card is what a page shows: the frame around it (title, explanation, buttons, help) is
// drawn by the root model so every page looks alike.
type Card struct {
	// Body is the rendered content, at most the frame's width and height.
	Body string
	// Hits are the clickable regions of Body.
	Hits []Hit
	// Buttons are the page's buttons, left to right.
	Buttons []Button
	// Help lists the bindings the help line shows, most important first.
	Help []key.Binding
}

// Hit is a clickable region of a card's body, one row high.
type Hit struct {
	// Y is the row within the body; X0 and X1 bound the columns [X0, X1).
	Y, X0, X1 int
	// ID is passed back in a ClickMsg.
	ID string
}

// Button is one button of a card.
type Button struct {
	// ID is passed back in a ButtonMsg.
	ID string
	// Label is the visible text.
	Label string
	// Primary marks the default action (what Enter does when no button has focus).
	Primary bool
	// Focused marks the button with keyboard focus.
	Focused bool
	// Disabled buttons are drawn dimmed and cannot be pressed.
	Disabled bool
}

// ClickMsg is sent to the page on top when the user clicks one of its Hits.
type ClickMsg struct{ ID string }

// ButtonMsg is sent to the page on top when one of its buttons is clicked.
type ButtonMsg struct{ ID string }

// outcomeMsg carries what the run changed to the page of the step on screen.
type outcomeMsg struct{ o run.Outcome }

// pageCtx is what every page is built with: the rendering environment, the run, and the
// stack the page may open views on.
type pageCtx struct {
	env *Env
	run *run.Run
	nav *stack
	// still is the model's: set when the message being handled changed nothing (see
	// unchanged).
	still *bool
}

// unchanged tells the model that the message the page is handling changed nothing on it (a
// key typed into a full box): the model then keeps the frame it drew instead of drawing the
// same one again, so a flood of keys costs next to nothing.
func (c pageCtx) unchanged() {
	if c.still != nil {
		*c.still = true
	}
}

// stack is the root model's pages: the step's page first, the views opened above it after.
// Changes take effect at once, so a key that follows goes to the page it is meant for.
type stack struct{ pages []Page }

// push opens p above the page on top.
func (s *stack) push(p Page) { s.pages = append(s.pages, p) }

// pop closes the page on top (never the step's page).
func (s *stack) pop() {
	if len(s.pages) > 1 {
		s.pages = s.pages[:len(s.pages)-1]
	}
}

// popTo closes the pages above p.
func (s *stack) popTo(p Page) {
	for i, q := range s.pages {
		if q == p {
			s.pages = s.pages[:i+1]
			return
		}
	}
}

// top is the page on screen.
func (s *stack) top() Page { return s.pages[len(s.pages)-1] }

// base is the step's page.
func (s *stack) base() Page { return s.pages[0] }

// focusRing is the Tab order of a page's controls, each named by an id.
type focusRing struct {
	ids []string
	cur string
}

// set makes the ring ids (keeping the focus when it is still in it, else the first).
func (f *focusRing) set(ids ...string) {
	f.ids = ids
	for _, id := range ids {
		if id == f.cur {
			return
		}
	}
	if len(ids) > 0 {
		f.cur = ids[0]
	} else {
		f.cur = ""
	}
}

// move moves the focus d steps round the ring.
func (f *focusRing) move(d int) {
	n := len(f.ids)
	if n == 0 {
		return
	}
	i := 0
	for j, id := range f.ids {
		if id == f.cur {
			i = j
		}
	}
	f.cur = f.ids[((i+d)%n+n)%n]
}

// on reports whether id has the focus.
func (f *focusRing) on(id string) bool { return f.cur == id }

// focus gives id the focus.
func (f *focusRing) focus(id string) { f.cur = id }

// tab moves the focus for Tab and Shift+Tab (and, with arrows, Left/Right); it reports
// whether msg was one of those keys.
func (f *focusRing) tab(k KeyMap, msg tea.KeyPressMsg, arrows bool) bool {
	switch {
	case key.Matches(msg, k.Tab), arrows && key.Matches(msg, k.Right):
		f.move(1)
	case key.Matches(msg, k.ShiftTab), arrows && key.Matches(msg, k.Left):
		f.move(-1)
	default:
		return false
	}
	return true
}

// buttons handles a key on a page of buttons: Tab and the arrows move the focus, Enter
// presses the focused button, Esc calls back (nil: Esc does nothing).
func (f *focusRing) buttons(k KeyMap, msg tea.KeyPressMsg, press func(id string), back func()) {
	switch {
	case f.tab(k, msg, true):
	case key.Matches(msg, k.Enter):
		press(f.cur)
	case back != nil && key.Matches(msg, k.Back):
		back()
	}
}

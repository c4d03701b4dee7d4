package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Screen is one OOBE page. The root model creates a screen when its step is entered, calls
// Init once, forwards every message to Update and asks View for the card to draw.
type Screen interface {
	// Init starts the screen's work (backend calls, spinners) when it is entered.
	Init() tea.Cmd
	// Update handles a message and returns the screen and a command.
	Update(msg tea.Msg) (Screen, tea.Cmd)
	// Heading returns the page's title (its question or heading) and a short explanation.
	Heading() (title, subtitle string)
	// View returns the card for a body area of the given size.
	View(width, height int) Card
}

// Card is what a screen shows: the frame around it (title, explanation, buttons, help) is
// drawn by the root model so every page looks alike.
type Card struct {
	// Body is the rendered content, at most the width and height given to View.
	Body string
	// Hits are the clickable regions of Body.
	Hits []Hit
	// Buttons are the page's buttons, left to right.
	Buttons []Button
	// Help lists the bindings the help line shows.
	Help []key.Binding
}

// fullScreen is implemented by screens that sometimes draw the whole terminal themselves
// (a restart, a black screen) instead of a card.
type fullScreen interface {
	// FullScreen reports whether the screen draws without the frame right now.
	FullScreen() bool
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

// ClickMsg is sent to the current screen when the user clicks one of its Hits.
type ClickMsg struct{ ID string }

// ButtonMsg is sent to the current screen when one of its buttons is clicked.
type ButtonMsg struct{ ID string }

// NextMsg asks the root model to leave the current step for the next visible one.
type NextMsg struct{}

// BackMsg asks the root model to go back to the previous visible step.
type BackMsg struct{}

// RestartMsg asks the root model to start a fresh session from the first screen.
type RestartMsg struct{}

func next() tea.Msg { return NextMsg{} }

func back() tea.Msg { return BackMsg{} }

// cycleFocus returns the control d steps from cur in the Tab order ring (wrapping round; from
// a control not in the ring it counts from the first); ok is false for an empty ring.
func cycleFocus(ring []string, cur string, d int) (string, bool) {
	if len(ring) == 0 {
		return "", false
	}
	i := 0
	for j, f := range ring {
		if f == cur {
			i = j
		}
	}
	n := len(ring)
	return ring[((i+d)%n+n)%n], true
}

package ui

import (
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// trainerSpeeds are the speeds the panel offers for a paced clock, slowest first.
var trainerSpeeds = []float64{0.5, 1, 2, 5, 10, 30, 100, 1000}

// Rows of the trainer panel before its faults.
const (
	rowClock = iota
	rowSpeed
	rowJump
	rowNetwork
	rowRestart
	rowFaults // the first fault
)

// trainerOverlay is F9 with --trainer (issue 10): the backend's faults turned on or off now,
// or scheduled at a later step, and the emulated clock paused or set to a speed. It stays
// open while the run goes on, so a trainer sees the fault arrive, until F9 or Esc.
type trainerOverlay struct {
	env    *Env
	run    *run.Run
	t      *run.Trainer
	clock  flow.Clock
	m      *Model // the speed row changes the model's clock and its fast-forward
	row    int
	jumpTo flow.StepID    // the step the jump row offers
	when   map[string]int // per fault: 0 now, else the index into later() + 1
	// restartErr is why the last restart could not happen (nil: it did, or none was asked).
	restartErr error
	top        int // the first fault row drawn
	closed     bool
}

// newTrainerOverlay opens the panel and asks the backend for its faults.
func newTrainerOverlay(m *Model) *trainerOverlay {
	t := m.run.Trainer()
	t.Refresh()
	o := &trainerOverlay{env: m.env, run: m.run, t: t, clock: m.clock, m: m, when: map[string]int{}}
	steps := m.run.Steps()
	if len(steps) > 0 {
		o.jumpTo = steps[min(slices.Index(steps, m.run.Step())+1, len(steps)-1)] // the next step
	}
	return o
}

// reopen shows the panel again with the focus where the trainer left it, and asks the
// backend for the faults again.
func (o *trainerOverlay) reopen() {
	o.closed = false
	o.t.Refresh()
}

// Closed reports whether the panel was closed.
func (o *trainerOverlay) Closed() bool { return o.closed }

// width is the panel's preferred box width.
func (o *trainerOverlay) width() int { return 78 }

// keepOpen says the panel outlives step changes: the trainer watches what happens next.
func (o *trainerOverlay) keepOpen() bool { return true }

func (o *trainerOverlay) Heading() (string, string) { return o.env.T("trainer.title"), "" }

// later lists the steps after the one on screen, where a fault can be scheduled.
func (o *trainerOverlay) later() []flow.StepID {
	steps := o.run.Steps()
	i := slices.Index(steps, o.run.Step())
	if i < 0 {
		return nil
	}
	return steps[i+1:]
}

// rows is how many rows can take the focus.
func (o *trainerOverlay) rows() int { return rowFaults + len(o.t.Faults()) }

func (o *trainerOverlay) Update(msg tea.Msg) tea.Cmd {
	k := o.env.Keys
	switch {
	case pressed(msg, k.Back), pressed(msg, k.Trainer):
		o.closed = true
	case pressed(msg, k.Up):
		o.row = max(0, o.row-1)
	case pressed(msg, k.Down):
		o.row = min(o.rows()-1, o.row+1)
	case pressed(msg, k.Home):
		o.row = 0
	case pressed(msg, k.End):
		o.row = o.rows() - 1
	case pressed(msg, k.Left), pressed(msg, k.Right):
		d := 1
		if pressed(msg, k.Left) {
			d = -1
		}
		o.move(d)
	case pressed(msg, k.Enter), pressed(msg, k.Toggle):
		return o.activate()
	}
	return nil
}

// move changes the focused row's value: the speed, or when a fault turns on.
func (o *trainerOverlay) move(d int) {
	switch {
	case o.row == rowSpeed:
		th, ok := o.clock.(flow.Throttle)
		if !ok {
			return
		}
		if o.m.normalSpeed != 0 {
			o.m.fastForward(th) // the panel's speed replaces F6's
		}
		i := slices.IndexFunc(trainerSpeeds, func(s float64) bool { return s >= th.Speed() })
		if i < 0 {
			i = len(trainerSpeeds) - 1
		}
		i = min(max(i+d, 0), len(trainerSpeeds)-1)
		th.SetSpeed(trainerSpeeds[i])
		o.t.RecordSpeed(th.Speed())
	case o.row == rowJump:
		if steps := o.run.Steps(); len(steps) > 0 {
			i := max(0, slices.Index(steps, o.jumpTo)) // the plan may have changed: from its start
			o.jumpTo = steps[(i+d+len(steps))%len(steps)]
		}
	case o.row >= rowFaults:
		f := o.t.Faults()[o.row-rowFaults]
		n := len(o.later()) + 1
		o.when[f.Name] = (o.when[f.Name] + d + n) % n
	}
}

// networkLost reports whether the network-lost fault is on (the network row's state).
func (o *trainerOverlay) networkLost() bool {
	for _, f := range o.t.Faults() {
		if f.Name == networkFault {
			return f.On
		}
	}
	return false
}

// networkFault is the fault the network row turns on and off.
const networkFault = "network-lost"

// activate is Enter or Space on the focused row.
func (o *trainerOverlay) activate() tea.Cmd {
	switch {
	case o.row == rowNetwork:
		if o.t.Listed() {
			o.t.SetFault(networkFault, !o.networkLost())
		}
	case o.row == rowRestart:
		o.restartErr = o.run.RestartDevice("trainer")
	case o.row == rowJump:
		if slices.Contains(o.run.Steps(), o.jumpTo) {
			return o.m.startJump(o.jumpTo)
		}
	case o.row == rowClock:
		if o.t.Paused() {
			o.t.Resume()
		} else {
			o.t.Pause()
		}
	case o.row >= rowFaults:
		f := o.t.Faults()[o.row-rowFaults]
		w := o.when[f.Name]
		if later := o.later(); w > 0 && w <= len(later) {
			o.t.Schedule(f.Name, later[w-1])
			o.when[f.Name] = 0
			return nil
		}
		o.t.SetFault(f.Name, !f.On)
	}
	return nil
}

func (o *trainerOverlay) View(f Frame) Card {
	c := o.env
	st, g := c.Styles, c.Glyphs
	w := f.W
	fit := func(s string) string { return ansi.Truncate(s, w, g.Ellipsis) }
	rowW := w - st.Item.GetHorizontalFrameSize() // a focusable row's text, inside its padding
	lines := []string{st.Title.Render(fit(c.T("trainer.title"))), ""}
	label := func(row int, name, value string) string {
		mark := "  "
		if o.row == row {
			mark = g.Pointer + " "
		}
		return ansi.Truncate(mark+padRight(name, 10)+value, rowW, g.Ellipsis)
	}
	clock := c.T("trainer.running")
	if o.t.Paused() {
		clock = c.T("trainer.paused")
	}
	lines = append(lines, o.style(rowClock, label(rowClock, c.T("trainer.clock"), clock)))
	speed := c.T("trainer.speed_max")
	if th, ok := o.clock.(flow.Throttle); ok {
		speed = formatSpeed(th.Speed()) + "  " + "</>"
	}
	lines = append(lines, o.style(rowSpeed, label(rowSpeed, c.T("trainer.speed"), speed)))
	jump := "< " + string(o.jumpTo) + " >"
	if !slices.Contains(o.run.Steps(), o.jumpTo) {
		jump += "  " + c.T("trainer.not_planned")
	}
	switch j := o.m.jump; {
	case j != nil && !j.started:
		jump += "  " + c.T("trainer.jump_asking")
	case j != nil:
		jump += "  " + c.T("trainer.jumping", "step", string(j.target))
	}
	lines = append(lines, o.style(rowJump, label(rowJump, c.T("trainer.jump"), jump)))
	network := c.T("trainer.network_up")
	if o.networkLost() {
		network = c.T("trainer.network_lost")
	}
	lines = append(lines, o.style(rowNetwork, label(rowNetwork, c.T("trainer.network"), network)))
	restart := c.T("trainer.restart_now")
	if o.restartErr != nil {
		restart = c.T("trainer.restart_not_now")
	}
	lines = append(lines, o.style(rowRestart, label(rowRestart, c.T("trainer.restart"), restart)), "")
	lines = append(lines, st.Muted.Render(fit(c.T("trainer.step", "step", string(o.run.Step())))))
	faults := o.t.Faults()
	switch {
	case !o.t.Listed() && o.t.Err() != nil:
		lines = append(lines, "", st.Error.Render(fit(c.T("trainer.no_faults", "error", o.t.Err().Error()))))
	case !o.t.Listed():
		lines = append(lines, "", st.Muted.Render(fit(c.T("trainer.loading"))))
	default:
		lines = append(lines, st.Text.Render(fit(c.T("trainer.faults"))))
		lines = append(lines, o.faultRows(faults, f)...)
	}
	if e := o.t.Err(); e != nil && o.t.Listed() {
		lines = append(lines, st.Error.Render(fit(c.T("trainer.refused", "error", e.Error()))))
	}
	lines = append(lines, "", st.Muted.Render(fit(c.T("trainer.keys"))))
	return Card{Body: strings.Join(lines, "\n")}
}

// style draws a row, highlighted when focused.
func (o *trainerOverlay) style(row int, s string) string {
	if o.row == row {
		return o.env.Styles.ItemSelected.Render(s)
	}
	return o.env.Styles.Item.Render(s)
}

// faultRows draws the faults that fit (scrolled to keep the focused one in view) and, under
// them, what the focused one does and where.
func (o *trainerOverlay) faultRows(faults []flow.FaultInfo, f Frame) []string {
	c := o.env
	st, g := c.Styles, c.Glyphs
	// the rest of the panel takes 17 lines: title, clock, speed, jump, network, restart, step,
	// the detail, keys
	room := max(1, f.H-17)
	focus := o.row - rowFaults
	if focus >= 0 {
		if focus < o.top {
			o.top = focus
		}
		if focus >= o.top+room {
			o.top = focus - room + 1
		}
	}
	o.top = min(o.top, max(0, len(faults)-room))
	scheduled := map[string]flow.StepID{}
	for _, s := range o.t.Scheduled() {
		scheduled[s.Name] = s.At
	}
	nameW := 0
	for _, x := range faults {
		nameW = max(nameW, len(x.Name))
	}
	var lines []string
	for i := o.top; i < len(faults) && i < o.top+room; i++ {
		x := faults[i]
		box := "[ ]"
		if x.On {
			box = "[" + g.Check + "]"
		}
		mark := "  "
		if i == focus {
			mark = g.Pointer + " "
		}
		code := x.Code
		state := ""
		switch {
		case i == focus && o.when[x.Name] > 0:
			later := o.later()
			state = "< " + c.T("trainer.at", "step", string(later[min(o.when[x.Name], len(later))-1])) + " >"
		case i == focus:
			state = "< " + c.T("trainer.now") + " >"
		case scheduled[x.Name] != "":
			state = c.T("trainer.scheduled", "step", string(scheduled[x.Name]))
		}
		row := mark + box + " " + padRight(x.Name, nameW) + "  " + padRight(code, 10) + " " + state
		lines = append(lines, o.style(rowFaults+i, ansi.Truncate(row, f.W-st.Item.GetHorizontalFrameSize(), g.Ellipsis)))
	}
	if focus >= 0 && focus < len(faults) {
		x := faults[focus]
		where := x.Where
		if x.HybridOnly {
			where += " (" + c.T("trainer.hybrid") + ")"
		}
		lines = append(lines, st.Muted.Render(ansi.Truncate("  "+x.Description, f.W, g.Ellipsis)),
			st.Muted.Render(ansi.Truncate("  "+c.T("trainer.where", "where", where), f.W, g.Ellipsis)))
	} else {
		lines = append(lines, "", "")
	}
	return lines
}

// formatSpeed writes a clock speed as the panel shows it ("1x", "0.5x").
func formatSpeed(s float64) string {
	return strconv.FormatFloat(s, 'g', 4, 64) + "x"
}

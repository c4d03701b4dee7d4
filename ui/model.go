// Package ui is the Bubble Tea front end: one root model that routes to one screen per OOBE
// step, all drawing through one shared Common (size, styles, keys, strings, backend).
package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
	"github.com/oobe-emu/oobe/themes"
)

// Options configure a new root model.
type Options struct {
	// Theme is the look (and, for Windows 10, the behaviour).
	Theme themes.Theme
	// ASCII selects the 7-bit glyph set.
	ASCII bool
	// Locale is the initial display language ("" = en-US).
	Locale string
	// Region is the region preselected on the region page ("" = US).
	Region string
	// Backend performs the device and cloud work.
	Backend flow.Backend
	// Tenant is the organization's configuration.
	Tenant *flow.Tenant
	// Recorder receives the run record; nil records nothing.
	Recorder *flow.Recorder
	// Profile is the colour profile assumed until the terminal reports its own.
	Profile colorprofile.Profile
	// Static turns animations off so frames do not depend on timing.
	Static bool
	// Clock is the emulated clock of the backend (nil: real time).
	Clock flow.Clock
	// Seed seeds the UI's own random choices (device name), like the backend's.
	Seed int64
	// FinishRestart makes Enter on the finish screen start a new run (kiosks) instead of exiting.
	FinishRestart bool
	// Answers is an answers file to replay (nil: none): the steps it answers advance by
	// themselves, visibly, the others stay interactive (see replay.go).
	Answers *answers.Script
	// AnswersDelay is the pause before each replayed action (0: none).
	AnswersDelay time.Duration
	// AnswersClock times the replay's pauses (nil: Clock).
	AnswersClock flow.Clock
	// WriteAnswers is the file every run writes its answers to when it ends: on the desktop,
	// on quit and before a fresh run ("": none). It never holds a secret. See AnswersErr.
	WriteAnswers string
	// Boot, when set, is the device's power-on report obtained before the program started, so
	// the first frame is already the first page; nil asks the backend from Init.
	Boot *flow.BootInfo
}

// Model is the root Bubble Tea model.
type Model struct {
	common *Common
	opts   Options
	screen Screen
	booted bool
	cancel context.CancelFunc
	memo   memo
	// leave cancels the current screen's context (c.ScreenCtx).
	leave context.CancelFunc
	// initCmd is what Init returns when the model started on the first page.
	initCmd tea.Cmd
	// normalSpeed is the clock's speed before fast-forwarding; 0 while not fast-forwarding.
	normalSpeed float64
	// replay replays Options.Answers (nil: no replay).
	replay *replayer
	// answersErr is the first error writing Options.WriteAnswers.
	answersErr error
}

// bootMsg carries the backend's power-on report.
type bootMsg struct {
	info flow.BootInfo
	err  error
}

// New returns the root model for opts.
func New(opts Options) *Model {
	ctx, cancel := context.WithCancel(context.Background())
	g := themes.Unicode()
	if opts.ASCII {
		g = themes.ASCII()
	}
	if opts.Profile == colorprofile.Unknown {
		opts.Profile = colorprofile.TrueColor
	}
	c := &Common{
		Width: 80, Height: 24,
		Theme:         opts.Theme,
		Glyphs:        g,
		Backend:       opts.Backend,
		Tenant:        opts.Tenant,
		Ctx:           ctx,
		RegionDefault: opts.Region,
		Static:        opts.Static,
		Clock:         opts.Clock,
		Seed:          opts.Seed,
		FinishRestart: opts.FinishRestart,
	}
	if c.Clock == nil {
		c.Clock = flow.RealClock{}
	}
	c.SetProfile(opts.Profile)
	c.SetLocale(opts.Locale)
	m := &Model{common: c, opts: opts, cancel: cancel}
	if opts.AnswersClock == nil {
		opts.AnswersClock = c.Clock
	}
	m.replay = newReplayer(opts.Answers, opts.AnswersDelay, opts.AnswersClock)
	if opts.Boot != nil {
		// the device already reported how it booted: the first frame is the first page
		m.initCmd = m.start(bootMsg{info: *opts.Boot})
		return m
	}
	m.setScreen(newWaitScreen(c))
	return m
}

// Init starts the first page, or asks the backend how the device booted.
func (m *Model) Init() tea.Cmd {
	c := m.common
	if m.booted {
		return m.initCmd
	}
	return tea.Batch(m.screen.Init(), func() tea.Msg {
		info, err := c.Backend.Boot(c.Ctx)
		return bootMsg{info: info, err: err}
	})
}

// Update routes messages: global keys and navigation here, the rest to the current screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	c := m.common
	if isInput(msg) && (!isQuit(c, msg)) {
		m.replay.takeOver(c)
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.Width, c.Height = msg.Width, msg.Height
		return m, nil
	case tea.ColorProfileMsg:
		c.SetProfile(msg.Profile)
		return m, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, c.Keys.FastForward) {
			if th, ok := c.Clock.(flow.Throttle); ok {
				m.fastForward(th)
				return m, nil
			}
		}
		if key.Matches(msg, c.Keys.Quit) {
			m.quit()
			return m, tea.Quit
		}
	case bootMsg:
		return m, m.start(msg)
	case asyncMsg:
		if msg.seq != c.seq {
			return m, nil // the screen that asked is gone
		}
		_, cmd := m.forward(msg.msg)
		return m, tea.Batch(cmd, m.replay.poke())
	case replayTickMsg:
		return m, m.replay.tick(m, msg)
	case NextMsg:
		if c.Session == nil {
			return m, nil
		}
		step := c.Session.Current()
		if !c.Session.Advance() {
			return m, nil
		}
		c.run.answered[step] = true
		return m, m.enter()
	case BackMsg:
		if c.Session == nil || !c.Session.Back() {
			return m, nil
		}
		return m, m.enter()
	case RestartMsg:
		// the device is wiped and boots again: a fresh session from the first page
		m.writeAnswers()
		m.setScreen(newWaitScreen(c))
		return m, tea.Batch(m.screen.Init(), func() tea.Msg {
			if err := c.Backend.Reset(c.Ctx); err != nil {
				return bootMsg{err: err}
			}
			info, err := c.Backend.Boot(c.Ctx)
			return bootMsg{info: info, err: err}
		})
	}
	return m.forward(msg)
}

func (m *Model) forward(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.screen, cmd = m.screen.Update(msg)
	return m, cmd
}

// start begins a fresh session once the backend reported how the device booted.
func (m *Model) start(b bootMsg) tea.Cmd {
	c := m.common
	if b.err != nil {
		m.setScreen(newErrorScreen(c, c.T("error.boot"), b.err.Error()))
		return m.screen.Init()
	}
	p := flow.DefaultProfile()
	if c.Tenant != nil {
		p = c.Tenant.Profile
	}
	if c.Theme.Windows10 {
		p.Windows = flow.Windows10
	}
	c.SetLocale(m.opts.Locale)
	c.BootInfo = b.info
	c.ESP = flow.NewESPStatus()
	c.PhaseTimes = nil
	c.Session = flow.NewSession(p, b.info.Boot, m.opts.Recorder)
	c.run = newRunNotes()
	m.replay.reset()
	c.Session.Answers.Language = c.Cat.Locale()
	c.Session.Record(flow.RecordStart, map[string]any{
		"theme": c.Theme.Name, "locale": c.Cat.Locale(), "steps": c.Session.Steps(),
		"wired": b.info.Boot.Wired, "profileKnown": b.info.Boot.ProfileKnown,
	})
	m.booted = true
	return m.enter()
}

// enter builds the screen of the session's current step.
func (m *Model) enter() tea.Cmd {
	c := m.common
	m.setScreen(newScreen(c, c.Session.Current()))
	cmd := m.screen.Init()
	if c.Session.Current() == flow.StepDesktop {
		m.writeAnswers() // the run has ended
	}
	return tea.Batch(cmd, m.replay.enter(c))
}

// setScreen makes s the current screen: results of the old one's commands are dropped and
// what it started is cancelled.
func (m *Model) setScreen(s Screen) {
	c := m.common
	c.seq++
	if m.leave != nil {
		m.leave()
	}
	c.ScreenCtx, m.leave = context.WithCancel(c.Ctx)
	m.screen = s
}

func (m *Model) quit() {
	if s := m.common.Session; s != nil {
		s.Record(flow.RecordEnd, map[string]string{"outcome": "quit"})
	}
	m.writeAnswers()
	m.cancel()
}

// isQuit reports whether msg is the quit key (which ends the run rather than taking it over).
func isQuit(c *Common, msg tea.Msg) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && key.Matches(k, c.Keys.Quit)
}

// View draws the current screen in the frame.
func (m *Model) View() tea.View {
	c := m.common
	var content string
	var hits []Hit
	switch {
	case c.Width < MinWidth || c.Height < MinHeight:
		content = clampWidth(m.tooSmall(), c.Width)
	default:
		if fs, ok := m.screen.(fullScreen); ok && fs.FullScreen() {
			card := m.screen.View(c.Width, c.Height)
			content = place(c, fit(card.Body, c.Width, c.Height), c.Width, c.Width, c.Height, 0, 0)
			break
		}
		title, sub := m.screen.Heading()
		g := m.frameGeometry(title, sub)
		content, hits = m.renderFrame(m.screen.View(g.bodyW, g.bodyH), g)
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = c.T("app.window_title")
	if themes.UsesColor(c.Profile) {
		// the terminal's own background takes the app colour too, so cells the renderer
		// clears (rather than paints) match the screen; Bubble Tea restores it on exit
		v.BackgroundColor = c.Theme.Palette.Background
	}
	if len(hits) > 0 {
		v.OnMouse = mouseHandler(hits)
	}
	return v
}

// clampWidth guarantees that no line is wider than the terminal, whatever a screen drew.
func clampWidth(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// Catalog is exposed for tests that assert texts in the display language.
func (m *Model) Catalog() *assets.Catalog { return m.common.Cat }

// Step returns the current step, or "" before the device has booted.
func (m *Model) Step() flow.StepID {
	if m.common.Session == nil {
		return ""
	}
	return m.common.Session.Current()
}

// fastForwardFactor is how much F6 speeds the emulated clock up.
const fastForwardFactor = 30

// fastForward toggles the trainer's fast-forward: the emulated clock runs 30 times faster,
// so a long install or the ESP timeout comes on cue.
func (m *Model) fastForward(th flow.Throttle) {
	c := m.common
	if m.normalSpeed == 0 {
		m.normalSpeed = th.Speed()
		th.SetSpeed(m.normalSpeed * fastForwardFactor)
	} else {
		th.SetSpeed(m.normalSpeed)
		m.normalSpeed = 0
	}
	if c.Session != nil {
		c.Session.Record(flow.RecordButton, map[string]any{"button": "fast_forward", "on": m.normalSpeed != 0, "speed": th.Speed()})
	}
}

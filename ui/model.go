// Package ui is the Bubble Tea front end of a run (flow/run): one root model with a stack of
// pages (a step's page, the views it opens) and overlays (the key overview), all drawing with
// one rendering environment (Env). Pages take input and draw; the run's controllers decide
// what it means, and the run's tasks, run as commands, do the backend work.
package ui

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/internal/termtext"
	"github.com/oobe-emu/oobe/themes"
)

// Options configure a new root model.
type Options struct {
	// Run is the deployment the model shows, already started (Run.Start) by the factory.
	Run *run.Run
	// Clock is the run's emulated clock (fast-forward changes its speed when it can).
	Clock flow.Clock
	// Theme is the look.
	Theme themes.Theme
	// ASCII selects the 7-bit glyph set.
	ASCII bool
	// Region is the region preselected on the region page ("" = US).
	Region string
	// Profile is the colour profile assumed until the terminal reports its own.
	Profile colorprofile.Profile
	// Static turns animations off so frames do not depend on timing.
	Static bool
	// FinishRestart makes Enter on the finish screen start a new run (kiosks) instead of exiting.
	FinishRestart bool
	// Answers is an answers file to replay (nil: none): the steps it answers advance by
	// themselves, visibly, the others stay interactive (see replay.go).
	Answers *answers.Script
	// AnswersDelay is the pause before each replayed action (0: none).
	AnswersDelay time.Duration
	// AnswersClock times the replay's pauses (nil: Clock).
	AnswersClock flow.Clock
	// FrameInterval is the shortest real time between two frames drawn for the run's own
	// progress (0: a frame for every message). Bubble Tea shows at most one frame per
	// refresh, so drawing each of a thousand ESP events an instant apart is wasted; input and
	// resizes are always drawn at once.
	FrameInterval time.Duration
	// Trainer enables the trainer panel (F9) when the run's backend offers faults.
	Trainer bool
	// WindowsKey asks the terminal to report every key (the kitty keyboard protocol's
	// report-all-keys mode, with the keys' text) on the pages where Windows key ×5 starts
	// pre-provisioning, so the Windows key itself arrives; F8 stands in for it either way.
	WindowsKey bool
	// OnFrame, when set, is told every frame View returns (its size, whether a secret shows in
	// clear, the frame) before the terminal gets it: --cast keeps revealed secrets out.
	OnFrame func(w, h int, secret bool, content string)
}

// Model is the root Bubble Tea model.
type Model struct {
	env   *Env
	run   *run.Run
	clock flow.Clock
	nav   *stack
	// entry is the run's step entry the stack was built for; started tells whether it was
	// built for a booted run at all.
	entry   uint64
	started bool
	w, h    int
	now     time.Time
	spin    spinner.Model
	// spinView is the spinner's frame, drawn when it turns rather than in every View.
	spinView string
	ticking  bool
	memo     memo
	hits     helpHitsMemo
	lines    drawnLines
	pieces   pieces
	geom     lastGeometry
	last     lastFrame
	// step is the step the stack was built for.
	step flow.StepID
	// normalSpeed is the clock's speed before fast-forwarding; 0 while not fast-forwarding.
	normalSpeed float64
	// starting is true until Init: the model holds the clock meanwhile.
	starting bool
	// overlay is drawn above the page on top and takes the keys first (nil: none).
	overlay Page
	// trainer is true when F9 opens the trainer panel.
	trainer bool
	// windowsKey counts the presses of the Windows key (or F8) in a row; askWindowsKey is
	// Options.WindowsKey.
	windowsKey    int
	askWindowsKey bool
	// jump is the trainer's jump to a step under way (nil: none).
	jump *jumpState
	// panel is the trainer panel, kept between openings (nil until F9).
	panel   *trainerOverlay
	onFrame func(w, h int, secret bool, content string)
	sized   bool // a WindowSizeMsg came: w and h are the terminal's, not the defaults
	replay  *replayer
	// saveErr is the last failure writing the answers file, shown on the finish page.
	saveErr error
	// recordErr is why the record stopped, shown instead of the help line (nil: it did not).
	recordErr error
	// note is said in place of the help line until the next key (F12: where the screen was
	// saved); noteErr draws it as an error.
	note    string
	noteErr bool
	// frameInterval, drawnAt and held pace the frames (Options.FrameInterval): while held,
	// View gives the last frame and a refreshMsg is on its way.
	frameInterval time.Duration
	drawnAt       time.Time
	held          bool
	refreshAfter  func(time.Duration) tea.Cmd // tea.Tick of a refreshMsg (tests: at once)
	// still is set by the page when the message it handled changed nothing
	// (pageCtx.unchanged); gen counts the other messages. View draws again only when
	// something may have changed since the frame it drew last (drawn).
	still bool
	gen   uint64
	drawn drawnView
}

// drawnView is the last frame View returned and the message count it was drawn at.
type drawnView struct {
	ok  bool
	gen uint64
	v   tea.View
}

// refreshMsg asks for the frame held back by the frame interval.
type refreshMsg struct{}

// taskDoneMsg carries a finished run task to Update.
type taskDoneMsg struct{ res run.Result }

// Signal tells the model the process got a signal (SIGTERM, SIGHUP…): the run ends as on
// Ctrl+C, with the signal's name as the reason, and the program quits.
type Signal struct{ Name string }

// RecordFailed tells the model the run record could not be written: the run goes on, and
// the screen says so at once, in place of the help line.
type RecordFailed struct{ Err error }

// New returns the root model for opts.
func New(opts Options) *Model {
	g := themes.Unicode()
	if opts.ASCII {
		g = themes.ASCII()
	}
	if opts.Profile == colorprofile.Unknown {
		opts.Profile = colorprofile.TrueColor
	}
	if opts.Clock == nil {
		opts.Clock = flow.RealClock{}
	}
	env := newEnv(opts.Theme, g, opts.Profile, opts.Run.Locale())
	env.Static, env.RegionDefault, env.FinishRestart = opts.Static, opts.Region, opts.FinishRestart
	env.Windows10 = !opts.Run.Windows().Is11()
	m := &Model{env: env, run: opts.Run, clock: opts.Clock, nav: &stack{}, w: 80, h: 24, frameInterval: opts.FrameInterval,
		trainer: opts.Trainer && opts.Run.Trainer() != nil, askWindowsKey: opts.WindowsKey,
		refreshAfter: func(d time.Duration) tea.Cmd { return tea.Tick(d, func(time.Time) tea.Msg { return refreshMsg{} }) }}
	m.onFrame = opts.OnFrame
	m.spin = newSpinner(env)
	m.spinView = m.spin.View()
	if opts.AnswersClock == nil {
		opts.AnswersClock = opts.Clock
	}
	m.replay = newReplayer(opts.Answers, opts.AnswersDelay, opts.AnswersClock, opts.Clock)
	m.nav.pages = []Page{newWaitPage(m.ctx())}
	m.now = opts.Run.Now()
	flow.Hold(m.clock) // until Init: the emulated time stands still while the program starts
	m.starting = true
	return m
}

// ctx is what pages are built with.
func (m *Model) ctx() pageCtx { return pageCtx{env: m.env, run: m.run, nav: m.nav, still: &m.still} }

// Init shows the run's first page (or "Just a moment…" while the device boots) and starts
// the run's work.
func (m *Model) Init() tea.Cmd {
	cmd := m.sync()
	if m.starting {
		m.starting = false
		flow.Release(m.clock) // after sync: the work it starts is held first
	}
	return cmd
}

// Update routes messages: global keys here, outcomes of the run to the step's page, input to
// the page on top; then it keeps the pages in step with the run.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	m.still = false
	replaying := m.replay.replaying() // input takes the step over: that changes something
	if isInput(msg) && !pressed(msg, m.env.Keys.Quit) {
		m.replay.takeOver(m)
	}
	switch msg.(type) {
	case tea.WindowSizeMsg, refreshMsg:
		m.held = false
	default:
		if isInput(msg) {
			m.held = false
		}
	}
	switch msg := msg.(type) {
	case refreshMsg:
	case tea.WindowSizeMsg:
		m.w, m.h, m.sized = msg.Width, msg.Height, true
	case tea.ColorProfileMsg:
		m.env.SetProfile(msg.Profile)
		m.spin = newSpinner(m.env)
		m.spinView = m.spin.View()
		m.lines, m.pieces, m.memo, m.last = drawnLines{}, pieces{}, nil, lastFrame{} // drawn in the old colours
	case taskDoneMsg:
		if o := m.run.Apply(msg.res); o != nil {
			if se, ok := o.(*run.SaveErr); ok {
				m.saveErr = se.Err
			}
			if _, ok := o.(*run.TrainerChanged); ok {
				cmds = append(cmds, m.trainerChanged())
			} else {
				cmds = append(cmds, m.nav.base().Update(outcomeMsg{o}))
			}
		}
		m.followJump()
		cmds = append(cmds, m.replay.poke())
	case Signal:
		m.run.Quit(msg.Name)
		return m, tea.Quit
	case RecordFailed:
		m.recordErr = msg.Err
		m.last = lastFrame{}
	case shotSaved:
		m.showSaved(msg)
	case spinner.TickMsg:
		cmds = append(cmds, m.tick(msg))
	case replayTickMsg:
		cmds = append(cmds, msg.from.tick(m, msg)) // the replayer that asked, even if swapped since
	case tea.KeyPressMsg:
		cmds = append(cmds, m.key(msg))
	case ClickMsg:
		if k, ok := strings.CutPrefix(msg.ID, "help:"); ok {
			cmds = append(cmds, m.key(clickableKeys[k])) // a key of the help line, clicked
			break
		}
		cmds = append(cmds, m.input(msg))
	default:
		cmds = append(cmds, m.input(msg))
	}
	if m.still && !replaying {
		// the page changed nothing (a key typed into a full box): the run has nothing new
		// to keep in step with and View shows the frame it drew
		return m, tea.Batch(cmds...)
	}
	m.still = false
	m.gen++
	cmds = append(cmds, m.sync())
	if _, refresh := msg.(refreshMsg); m.frameInterval > 0 && !m.held && !refresh && !isInput(msg) {
		if since := time.Since(m.drawnAt); since < m.frameInterval {
			// a frame was drawn a moment ago: this one waits for the refresh, so a burst of
			// progress costs one frame per interval, and the last state is drawn
			m.held = true
			cmds = append(cmds, m.refreshAfter(m.frameInterval-since))
		}
	}
	return m, tea.Batch(cmds...)
}

// tick turns the spinner while one is on screen; otherwise the chain of ticks ends.
func (m *Model) tick(msg spinner.TickMsg) tea.Cmd {
	if !m.spinning() {
		m.ticking = false // nothing spins: let the ticks die
		return nil
	}
	var cmd tea.Cmd
	m.spin, cmd = m.spin.Update(msg)
	m.spinView = m.spin.View()
	return cmd
}

// key handles the keys of the whole app, then gives the rest to the overlay or the page.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.env.Keys
	if m.note != "" {
		m.note, m.last = "", lastFrame{}
	}
	if _, ok := m.overlay.(*consoleOverlay); ok && !key.Matches(msg, k.FastForward) {
		return m.input(msg) // the console takes every key: its Ctrl+C cancels a line, not the program
	}
	if !key.Matches(msg, k.WindowsKey) {
		m.windowsKey = 0
	}
	switch {
	case key.Matches(msg, k.Snapshot):
		return m.snapshot()
	case key.Matches(msg, k.Console):
		m.openConsole()
		return nil
	case key.Matches(msg, k.Quit):
		m.run.Quit("")
		return tea.Quit
	case key.Matches(msg, k.WindowsKey):
		return m.pressWindowsKey()
	case key.Matches(msg, k.FastForward):
		if th, ok := m.clock.(flow.Throttle); ok {
			m.fastForward(th)
			return nil
		}
	case key.Matches(msg, k.Help):
		if m.overlay != nil {
			m.overlay = nil
		} else {
			m.overlay = newHelpOverlay(m.env, m.helpBindings(), m.run.Boot().Handout)
		}
		return nil
	case m.trainer && key.Matches(msg, k.Trainer):
		if _, open := m.overlay.(*trainerOverlay); open {
			m.overlay = nil
			return nil
		}
		if m.panel == nil {
			m.panel = newTrainerOverlay(m)
		} else {
			m.panel.reopen() // where the trainer left it
		}
		m.overlay = m.panel
		return nil
	}
	return m.input(msg)
}

// pressWindowsKey counts a press of the Windows key: the fifth in a row starts
// pre-provisioning where the run allows it (run.CanPreProvision).
func (m *Model) pressWindowsKey() tea.Cmd {
	m.windowsKey++
	if m.windowsKey < run.PreProvisionPresses {
		return nil
	}
	m.windowsKey = 0
	if err := m.run.PreProvision(); err == nil {
		m.overlay = nil
	}
	return nil
}

// input gives msg to the overlay when one is open, else to the page on top.
func (m *Model) input(msg tea.Msg) tea.Cmd {
	if m.overlay != nil {
		_, paste := msg.(tea.PasteMsg)
		if _, ok := msg.(tea.KeyPressMsg); ok || paste && isConsole(m.overlay) {
			cmd := m.overlay.Update(msg)
			if done, ok := m.overlay.(interface{ Closed() bool }); ok && done.Closed() {
				m.overlay = nil
			}
			return cmd
		}
	}
	return m.nav.top().Update(msg)
}

// sync keeps the pages in step with the run: a new step entry builds its page; the run's
// tasks start as commands; the page on top learns its frame; the spinner ticks while one is
// on screen.
func (m *Model) sync() tea.Cmd {
	var cmds []tea.Cmd
	r := m.run
	if r.Locale() != m.env.Cat.Locale() {
		m.env.SetLocale(r.Locale())
	}
	switch {
	case r.Started() && (!m.started || r.Entry() != m.entry):
		if m.started && m.normalSpeed != 0 && r.Step() != m.step {
			// fast-forward was for the wait on the page left: the next page runs at the
			// normal speed, so nothing flashes past (issue 8)
			if th, ok := m.clock.(flow.Throttle); ok {
				m.fastForward(th)
			}
		}
		m.started, m.entry, m.step = true, r.Entry(), r.Step()
		if k, ok := m.overlay.(interface{ keepOpen() bool }); !ok || !k.keepOpen() {
			m.overlay = nil
		}
		p := newPage(m.ctx(), r.Step())
		m.nav.pages = []Page{p}
		if in, ok := p.(initer); ok {
			cmds = append(cmds, in.Init())
		}
		if j := m.jump; j != nil && j.started && r.Step() == j.target {
			m.endJump(true, "") // the person has the step the trainer jumped to
		}
		cmds = append(cmds, m.replay.enter(m))
		m.followJump()
	case !r.Started() && m.started:
		// a fresh run: the device restarts
		m.started = false
		m.nav.pages = []Page{newWaitPage(m.ctx())}
	}
	if f, ok := m.nav.base().(runFollower); ok {
		f.followRun()
	}
	if o, ok := m.overlay.(interface{ Closed() bool }); ok && o.Closed() {
		m.overlay = nil // exit, or the device restarted under the command prompt
	}
	for _, t := range r.Tasks() {
		cmds = append(cmds, func() tea.Msg { return taskDoneMsg{res: t.Do()} })
	}
	m.now = r.Now()
	if lp, ok := m.nav.top().(laidOut); ok {
		lp.Layout(m.frame())
	}
	if !m.ticking && m.spinning() && !m.env.Static {
		m.ticking = true
		cmds = append(cmds, m.spin.Tick)
	}
	return tea.Batch(cmds...)
}

// spinning reports whether a spinner is on screen.
func (m *Model) spinning() bool {
	b, ok := m.nav.top().(busy)
	return ok && b.Busy()
}

// frame is the frame the page on top draws into at the current size.
func (m *Model) frame() Frame {
	p := m.nav.top()
	f := Frame{Spin: m.spinView, Now: m.now}
	if fs, ok := p.(fullScreen); ok && fs.FullScreen() {
		f.W, f.H = m.w, m.h
		return f
	}
	title, sub := p.Heading()
	g := m.frameGeometry(title, sub)
	f.W, f.H, f.Wide = g.bodyW, g.bodyH, g.wide
	return f
}

// View draws the page on top in the frame (and the overlay above it).
func (m *Model) View() tea.View {
	if m.drawn.ok && (m.held || m.still && m.drawn.gen == m.gen) {
		return m.drawn.v // the last message changed nothing, or the frame waits for its refresh
	}
	c := m.env
	var content string
	var hits []Hit
	p := m.nav.top()
	switch {
	case m.w < MinWidth || m.h < MinHeight:
		content = clampWidth(m.tooSmall(), m.w)
		if o, ok := m.overlay.(*consoleOverlay); ok {
			content = m.safe(m.drawConsole(o, content)) // a command prompt works in any window
		}
	default:
		f := m.frame()
		if fs, ok := p.(fullScreen); ok && fs.FullScreen() {
			card := p.View(f)
			content = m.safe(place(c, &m.pieces, fitted(&m.lines.fit, card.Body, m.w, m.h), m.w, m.w, m.h, 0, 0))
			break
		}
		title, sub := p.Heading()
		card := p.View(f)
		k := frameKey{page: p, step: m.run.Step(), w: m.w, h: m.h, title: title, sub: sub, help: m.helpKey(card)}
		if m.last.ok && m.last.key == k && sameCard(m.last.card, card) {
			content, hits = m.last.content, m.last.hits // nothing on screen changed
		} else {
			content, hits = m.renderFrame(card, m.frameGeometry(title, sub))
			content = m.safe(content)
			m.last = lastFrame{ok: true, key: k, card: card, content: content, hits: hits}
		}
		if o, ok := m.overlay.(*consoleOverlay); ok {
			content = m.safe(m.drawConsole(o, content))
			hits = nil
		} else if m.overlay != nil {
			content = m.drawOverlay(content)
			hits = nil
		}
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
	if m.askWindowsKey && m.run.CanPreProvision() {
		// a terminal sends the Windows key alone only when asked for every key; the text of
		// the keys comes with them, so typing still works
		v.KeyboardEnhancements.ReportAllKeysAsEscapeCodes = true
		v.KeyboardEnhancements.ReportAssociatedText = true
	}
	m.drawn = drawnView{ok: true, gen: m.gen, v: v}
	if m.onFrame != nil {
		w, h := m.w, m.h
		if !m.sized {
			w, h = 0, 0 // the size is not known yet: no resize for the cast
		}
		m.onFrame(w, h, m.secretShown(), content)
	}
	if m.frameInterval > 0 {
		m.drawnAt = time.Now()
	}
	return v
}

// safe makes a drawn frame safe for the terminal: tenant and file text inside it reach the
// terminal as text (only styles stay sequences), and with --ascii as 7-bit characters of the
// same widths (data such as "CaféDuPort" included, not only the catalog's words).
func (m *Model) safe(content string) string {
	content = termtext.Frame(content)
	if m.env.Glyphs.IsASCII() {
		content = termtext.FoldFrame(content)
	}
	return content
}

// clampWidth guarantees that no line is wider than the terminal, whatever a page drew.
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
func (m *Model) Catalog() *assets.Catalog { return m.env.Cat }

// Step returns the step on screen, or "" before the device has booted.
func (m *Model) Step() flow.StepID {
	if !m.run.Started() {
		return ""
	}
	return m.run.Step()
}

// openConsole is Shift+F10: the command prompt opens over the OOBE, unless the image blocks
// it (then nothing happens, as on Windows), the device is not running OOBE, or one is open.
func (m *Model) openConsole() {
	if isConsole(m.overlay) {
		return
	}
	if c, err := m.run.OpenConsole(); err == nil {
		m.overlay = newConsoleOverlay(m.env, c)
	}
}

// isConsole reports whether overlay is the command prompt.
func isConsole(overlay Page) bool {
	_, ok := overlay.(*consoleOverlay)
	return ok
}

// fastForwardFactor is how much F6 speeds the emulated clock up.
const fastForwardFactor = 30

// fastForward toggles the trainer's fast-forward: the emulated clock runs 30 times faster,
// so a long install or the ESP timeout comes on cue.
func (m *Model) fastForward(th flow.Throttle) {
	if m.normalSpeed == 0 {
		m.normalSpeed = th.Speed()
		th.SetSpeed(m.normalSpeed * fastForwardFactor)
	} else {
		th.SetSpeed(m.normalSpeed)
		m.normalSpeed = 0
	}
	m.run.RecordFastForward(m.normalSpeed != 0, th.Speed())
}

// helpBindings are the keys F1 lists for the page on top: the page's own, then F9 when the
// trainer panel is enabled and the Windows key ×5 where it starts pre-provisioning (the
// overview adds the app's).
func (m *Model) helpBindings() []key.Binding {
	b := m.nav.top().View(m.frame()).Help
	if m.trainer {
		b = append(slices.Clone(b), m.env.Keys.Trainer)
	}
	if m.run.CanPreProvision() {
		b = append(slices.Clone(b), m.env.Keys.WindowsKey)
	}
	if !m.run.CommandPromptBlocked() {
		b = append(slices.Clone(b), m.env.Keys.Console)
	}
	return append(slices.Clone(b), m.env.Keys.Snapshot)
}

// SaveErr returns the last error writing the answers file, if any.
func (m *Model) SaveErr() error { return m.saveErr }

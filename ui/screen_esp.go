package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// espEventMsg is one event of a Provision stream; ch is where the next one comes from.
type espEventMsg struct {
	ev flow.Event
	ch <-chan flow.Event
	ok bool
}

type espStartMsg struct {
	phase flow.ESPPhase
	ch    <-chan flow.Event
	err   error
}

// espScreen is the Enrollment Status Page (reference §3.4–§3.6). The device screen runs
// Device preparation and Device setup, the account screen Account setup; both draw all three
// phases from the ESP status the backend's events build up in Common.
type espScreen struct {
	c        *Common
	phases   []flow.ESPPhase // the phases this screen runs, in order
	cur      int
	expanded map[flow.ESPPhase]bool
	spin     spinner.Model
	failed   bool
	timedOut bool
	focus    int // index into the error view's buttons
	restart  bool
	reentry  bool // after a restart: the Windows sign-in screen
	user     textinputPair
	note     string
	diag     bool
	// pendingNext is set when the phase finished while the user was still signing in again.
	pendingNext bool
	// signOut is set when Account setup of a hybrid join completed: the ESP waits for Sign
	// out (reference §1.4 step 8).
	signOut bool
	// stop cancels the running phase's stream (a timeout ends it from this side).
	stop context.CancelFunc
	// diagTop is the first line shown of the scrolling diagnostics page.
	diagTop int
}

func newESPScreen(c *Common, phases ...flow.ESPPhase) Screen {
	s := &espScreen{c: c, phases: phases, expanded: map[flow.ESPPhase]bool{}, spin: newSpinner(c)}
	s.expanded[phases[0]] = true
	s.user = newTextInputPair(c)
	return s
}

func (s *espScreen) phase() flow.ESPPhase { return s.phases[s.cur] }

func (s *espScreen) Init() tea.Cmd { return tea.Batch(spin(s.c, s.spin), s.start()) }

// start asks the backend for the current phase's progress stream.
func (s *espScreen) start() tea.Cmd {
	c := s.c
	p := s.phase()
	s.failed, s.timedOut, s.note = false, false, ""
	c.Session.Record(flow.RecordBackend, map[string]string{"event": "esp_phase_start", "phase": string(p)})
	if s.stop != nil {
		s.stop()
	}
	ctx, stop := context.WithCancel(c.ScreenCtx)
	s.stop = stop
	return c.Async(func() tea.Msg {
		ch, err := c.Backend.Provision(ctx, p)
		return espStartMsg{phase: p, ch: ch, err: err}
	})
}

func (s *espScreen) wait(ch <-chan flow.Event) tea.Cmd {
	return s.c.Async(func() tea.Msg {
		ev, ok := <-ch
		return espEventMsg{ev: ev, ch: ch, ok: ok}
	})
}

func (s *espScreen) FullScreen() bool { return s.restart }

func (s *espScreen) Heading() (string, string) {
	c := s.c
	switch {
	case s.reentry:
		return c.T("esp.reentry_title"), c.T("esp.reentry_subtitle")
	case s.diag:
		return c.T("esp.diag_title"), ""
	case s.failed:
		return c.T("esp.error_title"), ""
	}
	return c.T("esp.title"), c.T("esp.subtitle")
}

// limit is the per-phase timeout of the ESP configuration.
func (s *espScreen) limit() time.Duration {
	m := s.c.Session.Profile.ESP.TimeoutMinutes
	if m <= 0 {
		m = 60
	}
	return time.Duration(m) * time.Minute
}

func (s *espScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if s.failed || s.reentry || s.signOut {
			return s, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return s, cmd
	case espStartMsg:
		if msg.err != nil {
			return s, s.fail(msg.err.Error())
		}
		return s, s.wait(msg.ch)
	case espEventMsg:
		if !msg.ok {
			return s, nil
		}
		return s, s.event(msg)
	case tea.KeyPressMsg:
		return s, s.key(msg)
	case tea.PasteMsg:
		if s.reentry {
			return s, s.user.update(msg)
		}
	case ButtonMsg:
		return s, s.press(msg.ID)
	case ClickMsg:
		if p, ok := strings.CutPrefix(msg.ID, "phase:"); ok {
			s.expanded[flow.ESPPhase(p)] = !s.expanded[flow.ESPPhase(p)]
		}
	case signInDoneMsg:
		return s, s.reentered(msg)
	case restartDoneMsg:
		return s, s.press("restart_done")
	}
	return s, nil
}

// event applies one backend event to the ESP status and reacts to the phase's outcome.
func (s *espScreen) event(msg espEventMsg) tea.Cmd {
	c := s.c
	ev := msg.ev
	c.ESP.Apply(ev)
	c.Session.Record(flow.RecordBackend, ev)
	if !ev.At.IsZero() && c.ESP.TimedOut(s.phase(), ev.At, s.limit()) {
		// the phase turns into the error state (reference §3.5) and its work stops
		s.stop()
		c.ESP.Apply(flow.Event{Kind: flow.EventESPPhaseDone, Phase: string(s.phase()), State: flow.ItemFailed, At: ev.At})
		s.timedOut = true
		c.Session.Record(flow.RecordError, map[string]string{"error": "esp_timeout", "phase": string(s.phase())})
		return s.fail("")
	}
	switch ev.Kind {
	case flow.EventESPReboot:
		s.restart = true
		c.Session.Record(flow.RecordBackend, map[string]string{"event": "restart"})
		if s.hybrid() { // the restart screen stays until the device is back (EventESPResumed)
			return s.wait(msg.ch)
		}
		return tea.Batch(s.wait(msg.ch), c.Async(func() tea.Msg {
			<-c.Clock.After(restartPause)
			return restartDoneMsg{}
		}))
	case flow.EventESPResumed:
		if s.hybrid() && s.restart {
			// nobody is signed in to Windows yet: the ESP simply goes on (reference §1.4)
			s.restart = false
			c.Session.Record(flow.RecordBackend, map[string]string{"event": "resumed_after_restart"})
		}
	case flow.EventESPPhaseDone:
		if ev.State == flow.ItemFailed {
			_, item, _ := c.ESP.Failed()
			c.Session.Record(flow.RecordError, map[string]string{"error": "esp_failed", "phase": string(s.phase()), "item": item.Name, "code": item.Code})
			return s.fail("")
		}
		s.timePhase()
		if s.cur+1 < len(s.phases) {
			s.cur++
			s.expanded = map[flow.ESPPhase]bool{s.phase(): true}
			return s.start()
		}
		if s.restart || s.reentry {
			s.pendingNext = true
			return nil
		}
		if s.hybrid() && s.phase() == flow.ESPAccountSetup {
			s.signOut = true
			c.Session.Record(flow.RecordBackend, map[string]string{"event": "esp_complete_sign_out"})
			return nil
		}
		return next
	}
	return s.wait(msg.ch)
}

// hybrid reports whether the profile is a Microsoft Entra hybrid join: a restart during the
// device phases continues without credentials (nobody is signed in to Windows yet) and the
// ESP ends with Sign out.
func (s *espScreen) hybrid() bool { return s.c.Session.Profile.Join == flow.JoinHybrid }

// restartPause is how long the restart screen stays before the sign-in screen.
const restartPause = 20 * time.Second

type restartDoneMsg struct{}

// timePhase records how long the phase took for the finish screen.
func (s *espScreen) timePhase() {
	c := s.c
	ps := c.ESP.Phase(s.phase())
	if !ps.Started.IsZero() && !ps.Ended.IsZero() {
		c.PhaseTimes = append(c.PhaseTimes, PhaseTime{Name: c.T("esp.phase." + string(s.phase())), D: ps.Ended.Sub(ps.Started)})
	}
}

func (s *espScreen) fail(detail string) tea.Cmd {
	s.failed = true
	s.focus = 0
	for i, id := range s.errorButtons() {
		if id == "retry" {
			s.focus = i // Enter tries again, the main action
		}
	}
	if detail != "" {
		s.note = detail
	}
	return nil
}

// errorButtons are the error view's buttons allowed by the ESP configuration (§3.6).
func (s *espScreen) errorButtons() []string {
	b := flow.Buttons(s.c.Session.Profile.ESP, s.c.Session.Profile.Windows)
	var ids []string
	if b.CollectLogs {
		ids = append(ids, "logs")
	}
	if b.Diagnostics {
		ids = append(ids, "diagnostics")
	}
	if b.Reset {
		ids = append(ids, "reset")
	}
	if b.Continue {
		ids = append(ids, "continue")
	}
	if b.TryAgain {
		ids = append(ids, "retry")
	}
	return ids
}

func (s *espScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	c := s.c
	k := c.Keys
	if s.reentry {
		return s.user.key(msg, s)
	}
	if msg.String() == "ctrl+shift+d" && flow.Buttons(c.Session.Profile.ESP, c.Session.Profile.Windows).Diagnostics {
		return s.press("diagnostics")
	}
	if s.diag {
		switch {
		case key.Matches(msg, k.Enter), key.Matches(msg, k.Back):
			s.diag = false
		case key.Matches(msg, k.Up):
			s.diagTop = max(0, s.diagTop-1)
		case key.Matches(msg, k.Down):
			s.diagTop++
		case key.Matches(msg, k.PageUp):
			s.diagTop = max(0, s.diagTop-10)
		case key.Matches(msg, k.PageDown):
			s.diagTop += 10
		}
		return nil
	}
	if s.signOut {
		if key.Matches(msg, k.Enter) {
			return s.press("sign_out")
		}
		return nil
	}
	if s.failed {
		ids := s.errorButtons()
		switch {
		case key.Matches(msg, k.Tab), msg.String() == "right":
			s.focus = (s.focus + 1) % max(1, len(ids))
		case key.Matches(msg, k.ShiftTab), msg.String() == "left":
			s.focus = (s.focus + len(ids) - 1) % max(1, len(ids))
		case key.Matches(msg, k.Enter):
			if len(ids) > 0 {
				return s.press(ids[min(s.focus, len(ids)-1)])
			}
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Toggle), key.Matches(msg, k.Enter):
		s.expanded[s.phase()] = !s.expanded[s.phase()]
	}
	return nil
}

func (s *espScreen) press(id string) tea.Cmd {
	c := s.c
	c.Session.Record(flow.RecordButton, map[string]string{"button": id})
	switch id {
	case "retry":
		return tea.Batch(spin(c, s.spin), s.start())
	case "reset":
		c.Session.Record(flow.RecordEnd, map[string]string{"outcome": "reset"})
		return func() tea.Msg { return RestartMsg{} }
	case "continue":
		s.failed = false
		c.Session.Record(flow.RecordBackend, map[string]string{"event": "continue_anyway"})
		return next
	case "logs":
		path, err := writeDiagnostics(c)
		if err != nil {
			s.note = c.T("esp.logs_failed", "error", err.Error())
		} else {
			s.note = c.T("esp.logs_written", "path", path)
		}
	case "diagnostics":
		s.diag = true
	case "restart_done":
		if s.hybrid() {
			return nil // the restart ends with EventESPResumed
		}
		s.restart, s.reentry = false, true
		s.user.reset()
	case "sign_out":
		if !s.signOut {
			return nil
		}
		s.signOut = false
		c.Session.Record(flow.RecordBackend, map[string]string{"event": "signed_out"})
		return next
	case "reentry_signin":
		return s.user.submit(s)
	case "diag_close":
		s.diag = false
	}
	return nil
}

func (s *espScreen) View(w, h int) Card {
	c := s.c
	if s.restart {
		return Card{Body: centerBlock(c, s.spin.View()+"  "+c.T("updates.restarting"), w, h)}
	}
	if s.reentry {
		return s.user.view(w, h, s)
	}
	if s.diag {
		return s.diagView(w, h)
	}
	var lines []string
	var hits []Hit
	for _, p := range []flow.ESPPhase{flow.ESPDevicePreparation, flow.ESPDeviceSetup, flow.ESPAccountSetup} {
		ps := c.ESP.Phase(p)
		hits = append(hits, Hit{Y: len(lines), X0: 0, X1: w, ID: "phase:" + string(p)})
		lines = append(lines, s.phaseLine(p, ps, w))
		if s.expanded[p] {
			for _, g := range ps.Groups {
				lines = append(lines, s.groupLine(p, g, w))
				if g.State() == flow.ItemFailed {
					lines = append(lines, s.failedItems(g, w)...)
				}
			}
		}
	}
	details := key.NewBinding(key.WithKeys("enter", "space"), key.WithHelp("enter", c.T("help.details")))
	card := Card{Hits: hits, Help: []key.Binding{details}}
	if s.failed {
		lines = append(lines, "")
		msg := c.Session.Profile.ESP.CustomErrorMessage
		if msg == "" {
			msg = c.T("esp.default_error")
		}
		if s.timedOut {
			lines = append(lines, strings.Split(c.Styles.Error.Render(wrapBody(c.T("esp.timed_out"), w)), "\n")...)
		}
		lines = append(lines, strings.Split(c.Styles.Text.Render(wrapBody(msg, w)), "\n")...)
		if s.note != "" {
			lines = append(lines, strings.Split(c.Styles.Muted.Render(wrapBody(s.note, w)), "\n")...)
		}
		labels := map[string]string{"retry": "button.try_again", "reset": "esp.reset", "continue": "esp.continue",
			"logs": "esp.collect_logs", "diagnostics": "esp.view_diagnostics"}
		for i, id := range s.errorButtons() {
			card.Buttons = append(card.Buttons, Button{ID: id, Label: c.T(labels[id]), Focused: i == s.focus, Primary: id == "retry"})
		}
		card.Help = []key.Binding{c.Keys.Tab, c.Keys.Enter}
	}
	if s.signOut {
		lines = append(lines, "")
		lines = append(lines, strings.Split(c.Styles.Text.Render(wrapBody(c.T("esp.sign_out_text"), w)), "\n")...)
		card.Buttons = []Button{{ID: "sign_out", Label: c.T("esp.sign_out"), Primary: true, Focused: true}}
		card.Help = []key.Binding{c.Keys.Enter}
	}
	// the failure text matters most: keep the end in view when the list is long
	if len(lines) > h {
		if s.failed || s.signOut {
			lines = lines[len(lines)-h:]
			card.Hits = nil
		} else {
			lines = lines[:h]
		}
	}
	card.Body = strings.Join(lines, "\n")
	return card
}

// failedItems lists the failed items of a group and, after them, how many items did not run
// because of it ("Previous step failed"), one line each kind.
func (s *espScreen) failedItems(g flow.ESPGroup, w int) []string {
	c := s.c
	var out []string
	var blocked []string
	for _, it := range g.Items {
		switch it.State {
		case flow.ItemFailed:
			out = append(out, c.Styles.Error.Render(ansi.Truncate("      "+it.Name+"  "+c.T("esp.state.failed_code", "code", it.Code), w, c.Glyphs.Ellipsis)))
		case flow.ItemPreviousFailed:
			blocked = append(blocked, it.Name)
		}
	}
	switch {
	case len(blocked) <= 3: // a few: one line each
		for _, name := range blocked {
			out = append(out, c.Styles.Muted.Render(ansi.Truncate("      "+name+"  "+c.T("esp.state.previousFailed"), w, c.Glyphs.Ellipsis)))
		}
	default:
		out = append(out, c.Styles.Muted.Render(ansi.Truncate("      "+c.T("esp.previous_failed_many", "count", fmt.Sprint(len(blocked)), "names", strings.Join(blocked, ", ")), w, c.Glyphs.Ellipsis)))
	}
	return out
}

// stateText is the words for an item state.
func (s *espScreen) stateText(st flow.ItemState) string {
	return s.c.T("esp.state." + string(st))
}

func (s *espScreen) phaseLine(p flow.ESPPhase, ps flow.ESPPhaseState, w int) string {
	c := s.c
	g := c.Glyphs
	icon := " "
	style := c.Styles.Muted
	switch ps.State {
	case flow.ItemComplete:
		icon, style = g.Check, c.Styles.Success
	case flow.ItemFailed:
		icon, style = g.Cross, c.Styles.Error
	case flow.ItemWorking, flow.ItemIdentifying:
		icon, style = s.spin.View(), c.Styles.Text
		if s.failed {
			icon = " "
		}
	}
	toggle := g.ChevronDown
	if s.expanded[p] {
		toggle = g.ChevronUp
	}
	if c.Windows10() {
		toggle = c.T("esp.show_details")
		if s.expanded[p] {
			toggle = c.T("esp.hide_details")
		}
	}
	name := c.Styles.Title.Render(c.T("esp.phase." + string(p)))
	status := style.Render(s.stateText(ps.State))
	return spread(icon+" "+name, status+"  "+c.Styles.Link.Render(toggle), w, g.Ellipsis)
}

func (s *espScreen) groupLine(p flow.ESPPhase, gr flow.ESPGroup, w int) string {
	c := s.c
	label := c.T("esp.group." + string(gr.Category))
	if p != flow.ESPDevicePreparation && gr.State() != flow.ItemIdentifying {
		done, total := gr.Counts()
		label = c.T("esp.counter."+string(gr.Category), "done", fmt.Sprint(done), "total", fmt.Sprint(total), "name", label)
	}
	st := gr.State()
	style := c.Styles.Muted
	switch st {
	case flow.ItemComplete, flow.ItemNotRequired:
		style = c.Styles.Text
	case flow.ItemFailed:
		style = c.Styles.Error
	}
	text := s.stateText(st)
	if st == flow.ItemFailed && gr.Code != "" {
		text = c.T("esp.state.failed_code", "code", gr.Code)
	}
	if st == flow.ItemFailed {
		for _, it := range gr.Items {
			if it.State == flow.ItemFailed {
				text = c.T("esp.state.failed_code", "code", it.Code)
			}
		}
	}
	return spread("    "+c.Styles.Text.Render(label), style.Render(text), w, c.Glyphs.Ellipsis)
}

// spread puts left and right on one line of width w, the right part flush right.
func spread(left, right string, w int, ellipsis string) string {
	rw := lipgloss.Width(right)
	if rw+2 >= w {
		return ansi.Truncate(left, w, ellipsis)
	}
	left = ansi.Truncate(left, w-rw-2, ellipsis)
	return left + strings.Repeat(" ", max(2, w-lipgloss.Width(left)-rw)) + right
}

func (s *espScreen) diagView(w, h int) Card {
	c := s.c
	all := diagnosticsLines(c)
	s.diagTop = max(0, min(s.diagTop, len(all)-h))
	var lines []string
	for i, line := range all[s.diagTop:min(len(all), s.diagTop+h)] {
		marker := "  "
		switch {
		case i == 0 && s.diagTop > 0:
			marker = c.Glyphs.ScrollUp + " "
		case i == h-1 && s.diagTop+h < len(all):
			marker = c.Glyphs.ScrollDown + " "
		}
		lines = append(lines, c.Styles.Text.Render(ansi.Truncate(marker+line, w, c.Glyphs.Ellipsis)))
	}
	return Card{Body: strings.Join(lines, "\n"),
		Buttons: []Button{{ID: "diag_close", Label: c.T("button.close"), Primary: true, Focused: true}},
		Help:    []key.Binding{c.Keys.Up, c.Keys.PageUp, c.Keys.Enter}}
}

// diagnosticsLines is the Windows 11 Autopilot diagnostics page: what the device knows.
func diagnosticsLines(c *Common) []string {
	p := c.Session.Profile
	out := []string{
		c.T("esp.diag.profile", "name", p.Name),
		c.T("esp.diag.tenant", "name", c.Tenant.Organization.DisplayName),
		c.T("esp.diag.serial", "serial", c.BootInfo.Serial),
		c.T("esp.diag.join", "join", c.T("desktop.join."+string(p.Join))),
		c.T("esp.diag.user", "upn", c.Session.Answers.UPN),
		"",
	}
	// what went wrong first, then everything else, in the display language
	var failed, rest []string
	for _, ph := range c.ESP.Phases {
		for _, g := range ph.Groups {
			for _, it := range g.Items {
				state := c.T("esp.state." + string(it.State))
				if it.State == flow.ItemFailed {
					state = c.T("esp.state.failed_code", "code", it.Code)
				}
				line := c.T("esp.phase."+string(ph.Phase)) + " " + c.Glyphs.Bullet + " " + it.Name + " " + c.Glyphs.Bullet + " " + state
				if it.State == flow.ItemFailed {
					failed = append(failed, line)
				} else {
					rest = append(rest, line)
				}
			}
		}
	}
	return append(append(out, failed...), rest...)
}

// writeDiagnostics saves a diagnostics bundle (the session's answers, the ESP status and the
// diagnostics page; never a secret) to a file in the working directory and returns its path.
func writeDiagnostics(c *Common) (string, error) {
	name := fmt.Sprintf("oobe-diagnostics-%s.txt", c.Clock.Now().UTC().Format("20060102-150405"))
	var b strings.Builder
	fmt.Fprintf(&b, "# oobe diagnostics\n\n## answers\n%+v\n\n## status\n", c.Session.Answers)
	for _, l := range diagnosticsLines(c) {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n## event log (JSON Lines)\n")
	for _, l := range c.Session.Log() {
		b.Write(l)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	if err := os.WriteFile(abs, []byte(b.String()), 0o600); err != nil {
		return "", err
	}
	c.Session.Record(flow.RecordBackend, map[string]string{"event": "logs_collected", "path": abs})
	return abs, nil
}

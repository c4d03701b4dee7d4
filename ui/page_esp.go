package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// espPage is the Enrollment Status Page (reference §3.4–§3.6): the three phases with their
// groups and counters, drawn from the run's ESP status. It opens the views the run's ESP
// controller calls for: the error view, the restart, the sign-in after a restart; and the
// diagnostics page on Ctrl+Shift+D.
type espPage struct {
	pageCtx
	e        *run.ESP
	expanded map[flow.ESPPhase]bool
	phase    flow.ESPPhase // the phase expanded for last
	shown    espView       // what the stack was arranged for
	lock     *lockPage     // the lock screen on top while the device is locked
}

// espView is what the views above the ESP follow: the controller's state, and the lock
// screen of an idle hybrid Account setup.
type espView struct {
	state  run.ESPState
	locked bool
}

func newESPPage(c pageCtx) Page {
	p := &espPage{pageCtx: c, e: c.run.ESPStep(), expanded: map[flow.ESPPhase]bool{}}
	p.followRun()
	return p
}

// followRun expands the running phase and opens the view the controller's state calls for.
func (p *espPage) followRun() {
	if ph := p.e.Phase(); ph != p.phase {
		p.phase = ph
		p.expanded = map[flow.ESPPhase]bool{ph: true}
	}
	v := espView{state: p.e.State, locked: p.e.Lock != nil}
	if v == p.shown {
		return
	}
	p.shown = v
	p.nav.popTo(p)
	switch p.e.State {
	case run.ESPFailed:
		p.nav.push(newESPErrorPage(p))
	case run.ESPRestarting:
		p.nav.push(&espRestartPage{pageCtx: p.pageCtx})
	case run.ESPEntraPrompt:
		p.nav.push(newEntraPromptPage(p))
	}
	switch {
	case !v.locked:
		p.lock = nil
	case p.lock == nil:
		p.lock = newLockPage(p)
	}
	if p.lock != nil {
		p.nav.push(p.lock) // the same one: what is typed in it stays while the ESP moves on
	}
}

// Busy: the spinner turns while a phase runs.
func (p *espPage) Busy() bool { return p.e.State == run.ESPRunning }

func (p *espPage) Heading() (string, string) { return p.env.T("esp.title"), p.env.T("esp.subtitle") }

// openDiagnostics opens the Windows Autopilot diagnostics page (Windows 11, when the ESP
// allows log collection).
func (p *espPage) openDiagnostics() {
	if !p.e.Buttons().Diagnostics {
		return
	}
	if _, open := p.nav.top().(*espDiagPage); open {
		return
	}
	p.e.RecordDiagnostics(true)
	p.nav.push(&espDiagPage{pageCtx: p.pageCtx, esp: p})
}

func (p *espPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case outcomeMsg:
		p.followRun()
		for _, q := range p.nav.pages[1:] {
			if pp, ok := q.(*entraPromptPage); ok {
				pp.follow()
			}
		}
	case tea.KeyPressMsg:
		p.e.Touch()
		switch {
		case key.Matches(msg, k.Diagnostics):
			p.openDiagnostics()
		case p.e.State == run.ESPSignOut:
			if key.Matches(msg, k.Enter) {
				_ = p.e.SignOut()
			}
		case key.Matches(msg, k.Toggle, k.Enter):
			ph := p.e.Phase()
			p.expanded[ph] = !p.expanded[ph]
		}
	case ClickMsg:
		if ph, ok := strings.CutPrefix(msg.ID, "phase:"); ok {
			p.expanded[flow.ESPPhase(ph)] = !p.expanded[flow.ESPPhase(ph)]
		}
	case ButtonMsg:
		if msg.ID == "sign_out" {
			_ = p.e.SignOut()
		}
	}
	return nil
}

func (p *espPage) View(f Frame) Card {
	c := p.env
	lines, hits := p.statusLines(f, true)
	details := key.NewBinding(key.WithKeys("enter", "space"), key.WithHelp("enter", c.T("help.details")))
	card := Card{Hits: hits, Help: []key.Binding{details}}
	if p.e.Buttons().Diagnostics {
		card.Help = append(card.Help, c.Keys.Diagnostics)
	}
	if p.e.State == run.ESPSignOut {
		lines = append(lines, "")
		lines = addLines(lines, c.Styles.Text.Render(wrapBody(c.T("esp.sign_out_text"), f.W)))
		card.Buttons = []Button{{ID: "sign_out", Label: c.T("esp.sign_out"), Primary: true, Focused: true}}
		card.Help = []key.Binding{c.Keys.Enter}
	}
	if len(lines) > f.H {
		if p.e.State == run.ESPSignOut {
			lines, card.Hits = lines[len(lines)-f.H:], nil
		} else {
			lines = lines[:f.H]
		}
	}
	card.Body = strings.Join(lines, "\n")
	return card
}

// The replay's view of the page (replay.go): Sign out at the end of a hybrid join's ESP; the
// views above it answer for themselves.

func (p *espPage) replayForm() replayForm {
	if p.e.State == run.ESPSignOut {
		return replayForm{mode: "signout"}
	}
	return replayForm{mode: "busy"}
}

func (p *espPage) replayAct(a replayAct) tea.Cmd {
	if a.kind == "press" && a.target == "sign_out" {
		_ = p.e.SignOut()
	}
	return nil
}

// statusLines draws the three phases (the expanded ones with their groups) in width f.W;
// spinning says whether the running phase shows the spinner.
func (p *espPage) statusLines(f Frame, spinning bool) ([]string, []Hit) {
	var lines []string
	var hits []Hit
	st := p.run.ESP()
	for _, ph := range flow.ESPPhases() {
		ps := st.Phase(ph)
		hits = append(hits, Hit{Y: len(lines), X0: 0, X1: f.W, ID: "phase:" + string(ph)})
		lines = append(lines, p.phaseLine(ph, ps, f, spinning))
		if p.expanded[ph] {
			for _, g := range ps.Groups {
				// the failed apps themselves are listed on the diagnostics page, not here
				lines = append(lines, p.groupLine(ph, g, f.W))
			}
		}
	}
	return lines, hits
}

// stateText is the words for an item state.
func (p *espPage) stateText(st flow.ItemState) string { return p.env.T("esp.state." + string(st)) }

func (p *espPage) phaseLine(ph flow.ESPPhase, ps flow.ESPPhaseState, f Frame, spinning bool) string {
	key := "esp.phase|" + string(ph) + "|" + string(ps.State) + "|" + strconv.FormatBool(p.expanded[ph]) + "|" +
		strconv.Itoa(f.W) + "|" + strconv.FormatBool(spinning) + "|" + f.Spin
	return p.env.Line(key, func() string { return p.drawPhaseLine(ph, ps, f, spinning) })
}

func (p *espPage) drawPhaseLine(ph flow.ESPPhase, ps flow.ESPPhaseState, f Frame, spinning bool) string {
	c := p.env
	g := c.Glyphs
	icon := " "
	style := c.Styles.Muted
	switch ps.State {
	case flow.ItemComplete:
		icon, style = g.Check, c.Styles.Success
	case flow.ItemFailed:
		icon, style = g.Cross, c.Styles.Error
	case flow.ItemWorking, flow.ItemIdentifying:
		icon, style = f.Spin, c.Styles.Text
		if !spinning {
			icon = " "
		}
	}
	toggle := g.ChevronDown
	if p.expanded[ph] {
		toggle = g.ChevronUp
	}
	if c.Windows10 {
		toggle = c.T("esp.show_details")
		if p.expanded[ph] {
			toggle = c.T("esp.hide_details")
		}
	}
	name := c.Styles.Title.Render(c.T("esp.phase." + string(ph)))
	left, tg := icon+" "+name, c.Styles.Link.Render(toggle)
	// the phase's name and its toggle come first; its state gets the room between
	room := f.W - width(left) - width(tg) - 4
	status := ""
	if room >= 6 {
		status = style.Render(ansi.Truncate(p.stateText(ps.State), room, g.Ellipsis)) + "  "
	}
	return spread(left, status+tg, f.W, g.Ellipsis)
}

func (p *espPage) groupLine(ph flow.ESPPhase, gr flow.ESPGroup, w int) string {
	done, total := gr.Counts()
	code := gr.Code
	if st := gr.State(); st == flow.ItemFailed {
		if f := gr.FailedItems(); len(f) > 0 {
			code = f[len(f)-1].Code
		}
	}
	key := "esp.group|" + string(ph) + "|" + string(gr.Category) + "|" + string(gr.State()) + "|" + strconv.Itoa(done) + "|" +
		strconv.Itoa(total) + "|" + code + "|" + strconv.Itoa(w)
	return p.env.Line(key, func() string { return p.drawGroupLine(ph, gr, w) })
}

func (p *espPage) drawGroupLine(ph flow.ESPPhase, gr flow.ESPGroup, w int) string {
	c := p.env
	label := c.T("esp.group." + string(gr.Category))
	st := gr.State()
	if ph != flow.ESPDevicePreparation && st != flow.ItemIdentifying {
		done, total := gr.Counts()
		label = c.T("esp.counter."+string(gr.Category), "done", strconv.Itoa(done), "total", strconv.Itoa(total), "name", label)
	}
	style := c.Styles.Muted
	switch st {
	case flow.ItemComplete, flow.ItemNotRequired:
		style = c.Styles.Text
	case flow.ItemFailed:
		style = c.Styles.Error
	}
	text := p.stateText(st)
	if st == flow.ItemFailed {
		if gr.Code != "" {
			text = c.T("esp.state.failed_code", "code", gr.Code)
		}
		if f := gr.FailedItems(); len(f) > 0 {
			text = c.T("esp.state.failed_code", "code", f[len(f)-1].Code)
		}
		if ph == flow.ESPDevicePreparation {
			// Windows writes the code after the name: "Securing your hardware (Failed: 0x800705b4)"
			label = c.T("esp.failed_item", "name", label, "state", text)
			text = ""
		}
	}
	status := c.Line("esp.status|"+string(st)+"|"+text, func() string { return style.Render(text) })
	return spreadLabelFirst("    "+c.Styles.Text.Render(label), status, w, c.Glyphs.Ellipsis)
}

// espErrorPage is the ESP's error view: the status, "Setup is taking longer than expected"
// for a timeout, the tenant's custom message (or the default one), what Collect logs wrote,
// and exactly the buttons the ESP configuration allows (reference §3.6).
type espErrorPage struct {
	pageCtx
	esp  *espPage
	ring focusRing
}

func newESPErrorPage(esp *espPage) *espErrorPage {
	p := &espErrorPage{pageCtx: esp.pageCtx, esp: esp}
	p.ring.set(p.buttons()...)
	if p.esp.e.Buttons().TryAgain {
		p.ring.focus("retry") // Enter tries again, the main action
	}
	return p
}

// buttons are the ids of the buttons allowed, left to right.
func (p *espErrorPage) buttons() []string {
	b := p.esp.e.Buttons()
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

func (p *espErrorPage) Heading() (string, string) {
	if _, ok := p.esp.e.JoinFailed(); ok {
		return p.env.T("signin.enroll_error_title"), ""
	}
	return p.env.T("esp.error_title"), ""
}

func (p *espErrorPage) press(id string) {
	e := p.esp.e
	switch id {
	case "retry":
		_ = e.TryAgain()
	case "reset":
		_ = e.ResetDevice()
	case "continue":
		_ = e.ContinueAnyway()
	case "logs":
		_ = e.CollectLogs()
	case "diagnostics":
		p.esp.openDiagnostics()
	}
}

func (p *espErrorPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, k.Diagnostics) {
			p.esp.openDiagnostics()
			return nil
		}
		p.ring.buttons(k, msg, p.press, nil)
	case ClickMsg:
		if ph, ok := strings.CutPrefix(msg.ID, "phase:"); ok {
			p.esp.expanded[flow.ESPPhase(ph)] = !p.esp.expanded[flow.ESPPhase(ph)]
		}
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

func (p *espErrorPage) View(f Frame) Card {
	c := p.env
	e := p.esp.e
	if code, ok := e.JoinFailed(); ok {
		// the hybrid join's failure: Windows' "Something went wrong" page with the code
		lines := []string{c.Styles.Text.Render(wrapBody(c.T("signin.enroll_error"), f.W)), "",
			c.Styles.Muted.Render(c.T("signin.error_code", "code", code))}
		return Card{Body: strings.Join(lines, "\n"), Help: []key.Binding{c.Keys.Tab, c.Keys.Enter},
			Buttons: []Button{{ID: "retry", Label: c.T("button.try_again"), Primary: true, Focused: p.ring.on("retry")}}}
	}
	lines, hits := p.esp.statusLines(f, false)
	lines = append(lines, "")
	if e.TimedOut {
		lines = addLines(lines, c.Styles.Error.Render(wrapBody(c.T("esp.timed_out"), f.W)))
	}
	msg := p.run.Profile().ESP.CustomErrorMessage
	if msg == "" {
		msg = c.T("esp.default_error")
	}
	lines = addLines(lines, c.Styles.Text.Render(wrapBody(msg, f.W)))
	var notes []string
	if e.Err != nil {
		notes = append(notes, errorText(c, e.Err))
	}
	switch {
	case e.LogsPath != "":
		notes = append(notes, c.T("esp.logs_written", "path", e.LogsPath))
	case e.LogsErr != nil:
		notes = append(notes, c.T("esp.logs_failed", "error", words(e.LogsErr)))
	}
	for _, n := range notes {
		lines = addLines(lines, c.Styles.Muted.Render(wrapBody(n, f.W)))
	}
	labels := map[string]string{"retry": "button.try_again", "reset": "esp.reset", "continue": "esp.continue",
		"logs": "esp.collect_logs", "diagnostics": "esp.view_diagnostics"}
	card := Card{Hits: hits, Help: []key.Binding{c.Keys.Tab, c.Keys.Enter}}
	if e.Buttons().Diagnostics {
		card.Help = append(card.Help, c.Keys.Diagnostics)
	}
	for _, id := range p.buttons() {
		card.Buttons = append(card.Buttons, Button{ID: id, Label: c.T(labels[id]), Focused: p.ring.on(id), Primary: id == "retry"})
	}
	// the failure text matters most: keep the end in view when the list is long
	if len(lines) > f.H {
		lines, card.Hits = lines[len(lines)-f.H:], nil
	}
	card.Body = strings.Join(lines, "\n")
	return card
}

// espRestartPage is the restart during the ESP: a black screen with a spinner.
type espRestartPage struct{ pageCtx }

// FullScreen: a restart covers the screen.
func (p *espRestartPage) FullScreen() bool { return true }

// Busy: the spinner turns.
func (p *espRestartPage) Busy() bool { return true }

func (p *espRestartPage) Heading() (string, string) { return "", "" }

func (p *espRestartPage) Update(tea.Msg) tea.Cmd { return nil }

func (p *espRestartPage) View(f Frame) Card {
	return Card{Body: centerBlock(p.env, f.Spin+"  "+p.env.T("updates.restarting"), f.W, f.H)}
}

// espDiagPage is the Windows 11 Autopilot diagnostics page: what the device knows, then
// every tracked item, failures first; it scrolls and draws only the lines on screen.
type espDiagPage struct {
	pageCtx
	esp *espPage
	top int // the first line shown
	h   int // the body height laid out last
}

func (p *espDiagPage) Heading() (string, string) { return p.env.T("esp.diag_title"), "" }

// header is the page's first lines: the device and the user.
func (p *espDiagPage) header() []string {
	c := p.env
	d := p.run.Device()
	return []string{
		c.T("esp.diag.profile", "name", d.Profile.Name),
		c.T("esp.diag.tenant", "name", d.Organization.DisplayName),
		c.T("esp.diag.serial", "serial", p.run.Boot().Serial),
		c.T("esp.diag.join", "join", c.T("desktop.join."+string(d.Profile.Join))),
		c.T("esp.diag.user", "upn", p.run.Answers().UPN),
		"",
	}
}

// itemCount is how many item lines the page has.
func (p *espDiagPage) itemCount() int {
	n := 0
	for _, ps := range p.run.ESP().Phases {
		for _, g := range ps.Groups {
			n += len(g.Items)
		}
	}
	return n
}

// items returns the item lines [from, from+n): the failed items first, then the rest in
// order, each "phase · name · state" in the display language.
func (p *espDiagPage) items(from, n int) []string {
	c := p.env
	var out []string
	i := 0
	line := func(ph flow.ESPPhase, it flow.ESPItem) {
		if i >= from && len(out) < n {
			state := c.T("esp.state." + string(it.State))
			if it.State == flow.ItemFailed {
				state = c.T("esp.state.failed_code", "code", it.Code)
			}
			b := c.Glyphs.Bullet
			out = append(out, c.T("esp.phase."+string(ph))+" "+b+" "+it.Name+" "+b+" "+state)
		}
		i++
	}
	st := p.run.ESP()
	for _, ps := range st.Phases {
		for _, g := range ps.Groups {
			for _, it := range g.FailedItems() {
				line(ps.Phase, it)
			}
		}
	}
	for _, ps := range st.Phases {
		for _, g := range ps.Groups {
			for _, it := range g.Items {
				if len(out) >= n {
					return out
				}
				if it.State != flow.ItemFailed {
					line(ps.Phase, it)
				}
			}
		}
	}
	return out
}

// Layout keeps the first line shown in range.
func (p *espDiagPage) Layout(f Frame) {
	p.h = f.H
	total := len(p.header()) + p.itemCount()
	p.top = max(0, min(p.top, total-f.H))
}

func (p *espDiagPage) close() {
	p.esp.e.RecordDiagnostics(false)
	p.nav.pop()
}

func (p *espDiagPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Enter, k.Back):
			p.close()
		case key.Matches(msg, k.Up):
			p.top = max(0, p.top-1)
		case key.Matches(msg, k.Down):
			p.top++
		case key.Matches(msg, k.PageUp):
			p.top = max(0, p.top-max(1, p.h-1))
		case key.Matches(msg, k.PageDown):
			p.top += max(1, p.h-1)
		case key.Matches(msg, k.Home):
			p.top = 0
		case key.Matches(msg, k.End):
			p.top = 1 << 30
		}
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			p.top = max(0, p.top-1)
		case tea.MouseWheelDown:
			p.top++
		}
	case ButtonMsg:
		p.close()
	}
	return nil
}

func (p *espDiagPage) View(f Frame) Card {
	c := p.env
	head := p.header()
	total := len(head) + p.itemCount()
	top := max(0, min(p.top, total-f.H))
	var shown []string
	if top < len(head) {
		shown = append(shown, head[top:]...)
	}
	shown = append(shown, p.items(max(0, top-len(head)), f.H-len(shown))...)
	if len(shown) > f.H {
		shown = shown[:f.H]
	}
	var lines []string
	for i, line := range shown {
		marker := "  "
		switch {
		case i == 0 && top > 0:
			marker = c.Glyphs.ScrollUp + " "
		case i == f.H-1 && top+f.H < total:
			marker = c.Glyphs.ScrollDown + " "
		}
		lines = append(lines, c.Styles.Text.Render(ansi.Truncate(marker+line, f.W, c.Glyphs.Ellipsis)))
	}
	return Card{Body: strings.Join(lines, "\n"),
		Buttons: []Button{{ID: "diag_close", Label: c.T("button.close"), Primary: true, Focused: true}},
		Help:    []key.Binding{c.Keys.Up, c.Keys.PageUp, c.Keys.Enter}}
}

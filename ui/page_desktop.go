package ui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

// desktopPage is the end of the deployment: the device's name, the user, how it joined and
// how long each phase took, with Start again and Exit.
type desktopPage struct {
	pageCtx
	d      *run.Desktop
	ring   focusRing
	scroll endScroller
	h      int // body height of the last layout, for page keys
}

func newDesktopPage(c pageCtx) Page {
	p := &desktopPage{pageCtx: c, d: c.run.Desktop()}
	p.ring.set("restart", "exit")
	p.ring.focus("exit")
	if c.env.FinishRestart {
		p.ring.focus("restart") // a kiosk starts the next run with Enter
	}
	return p
}

func (p *desktopPage) Heading() (string, string) {
	return p.env.T("desktop.title"), p.env.T("desktop.subtitle")
}

// Layout keeps the scroll in range.
func (p *desktopPage) Layout(f Frame) {
	p.h = f.H
	p.scroll.layout(p.lines, f.W, f.H)
}

func (p *desktopPage) press(id string) tea.Cmd {
	switch id {
	case "restart":
		_ = p.d.StartAgain()
	case "exit":
		p.d.RecordExit()
		return tea.Quit
	}
	return nil
}

func (p *desktopPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case p.ring.tab(k, msg, true):
		case key.Matches(msg, k.Enter):
			return p.press(p.ring.cur)
		default:
			p.scroll.scrollKey(k, msg, p.h)
		}
	case tea.MouseWheelMsg:
		p.scroll.wheel(msg)
	case ButtonMsg:
		return p.press(msg.ID)
	}
	return nil
}

// joinText words how the device joined the organization.
func (p *desktopPage) joinText() string {
	c := p.env
	if p.run.Profile().Join == flow.JoinHybrid {
		if d := p.run.Device().DomainJoin; d != nil && d.Domain != "" {
			return c.T("desktop.join.hybrid_domain", "domain", d.Domain)
		}
		return c.T("desktop.join.hybrid")
	}
	return c.T("desktop.join.entra")
}

// duration words d in whole seconds, minutes or hours, in the display language.
func (p *desktopPage) duration(d time.Duration) string {
	c := p.env
	d = d.Round(time.Second)
	h, m, sec := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return c.T("desktop.dur_hm", "h", strconv.Itoa(h), "m", strconv.Itoa(m))
	case m > 0:
		return c.T("desktop.dur_ms", "m", strconv.Itoa(m), "s", strconv.Itoa(sec))
	}
	return c.T("desktop.dur_s", "s", strconv.Itoa(sec))
}

func (p *desktopPage) View(f Frame) Card {
	c := p.env
	body, _ := p.scroll.view(c, p.lines, f.W, f.H)
	k := c.Keys
	help := []key.Binding{k.Tab, k.Enter}
	if p.scroll.overflows(p.lines, f.W, f.H) {
		help = append(help, k.PageUp) // nothing to scroll otherwise
	}
	return Card{
		Body: body,
		Buttons: []Button{
			{ID: "restart", Label: c.T("desktop.start_again"), Primary: c.FinishRestart, Focused: p.ring.on("restart")},
			{ID: "exit", Label: c.T("button.exit"), Primary: !c.FinishRestart, Focused: p.ring.on("exit")},
		},
		Help: help,
	}
}

// lines draws the summary in width w: a two-column table, then the phase times.
func (p *desktopPage) lines(w int) ([]string, []Hit, int, int) {
	c := p.env
	st, g := c.Styles, c.Glyphs
	none := c.T("desktop.none")
	user := p.run.Answers().UPN
	if user == "" {
		user = none
	}
	name := p.d.Name
	if name == "" {
		name = none
	}
	rows := [][2]string{
		{c.T("desktop.device_name"), name},
		{c.T("desktop.user"), user},
		{c.T("desktop.join"), p.joinText()},
	}
	times := p.run.PhaseTimes()
	labelW := 0
	for _, r := range rows {
		labelW = max(labelW, lipgloss.Width(r[0]))
	}
	if len(times) == 0 {
		labelW = max(labelW, lipgloss.Width(c.T("desktop.times")))
	}
	labelW = min(labelW+2, max(1, w/2))
	var lines []string
	row := func(label, value string, vs lipgloss.Style) {
		left := padRight(ansi.Truncate(label, labelW-1, g.Ellipsis), labelW)
		lines = append(lines, ansi.Truncate(st.Muted.Render(left)+vs.Render(ansi.Truncate(value, max(1, w-labelW), g.Ellipsis)), w, ""))
	}
	for i, r := range rows {
		vs := st.Text
		if i == 0 {
			vs = st.Text.Bold(true)
		}
		row(r[0], r[1], vs)
	}
	lines = append(lines, "")
	if len(times) == 0 {
		row(c.T("desktop.times"), none, st.Text)
		row(c.T("desktop.elapsed"), p.duration(p.d.Elapsed), st.Text)
		return lines, nil, -1, -1
	}
	lines = append(lines, st.Text.Bold(true).Render(ansi.Truncate(c.T("desktop.times"), w, g.Ellipsis)))
	var total time.Duration
	durs := make([]string, len(times))
	durW := lipgloss.Width(p.duration(0))
	for i, pt := range times {
		total += pt.D
		durs[i] = p.duration(pt.D)
		durW = max(durW, lipgloss.Width(durs[i]))
	}
	totalText, elapsed := p.duration(total), p.duration(p.d.Elapsed)
	durW = max(durW, lipgloss.Width(totalText), lipgloss.Width(elapsed))
	nameW := max(1, min(w-durW-4, 40))
	phase := func(name, dur string, ns lipgloss.Style) {
		n := padRight(ansi.Truncate(name, nameW, g.Ellipsis), nameW)
		d := strings.Repeat(" ", max(0, durW-lipgloss.Width(dur))) + dur
		lines = append(lines, ansi.Truncate("  "+ns.Render(n)+"  "+st.Text.Render(d), w, ""))
	}
	for i, pt := range times {
		name := c.T("esp.phase." + string(pt.Phase))
		if pt.Continued {
			name = c.T("desktop.continued", "phase", name)
		}
		phase(name, durs[i], st.Text)
	}
	phase(c.T("desktop.total"), totalText, st.Text.Bold(true))
	lines = append(lines, "")
	lines = append(lines, ansi.Truncate(st.Text.Bold(true).Render(padRight(ansi.Truncate(c.T("desktop.elapsed"), nameW+2, g.Ellipsis), nameW+2))+
		"  "+st.Text.Render(strings.Repeat(" ", max(0, durW-lipgloss.Width(elapsed)))+elapsed), w, ""))
	return lines, nil, -1, -1
}

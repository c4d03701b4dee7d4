package ui

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// desktopScreen is the end of the deployment: the device's name, the user, how it joined and
// how long each phase took, with Start again and Exit.
type desktopScreen struct {
	c      *Common
	name   string
	focus  int // 0 Start again, 1 Exit
	scroll endScroller
	h      int // body height of the last draw, for page keys
}

func newDesktopScreen(c *Common) Screen {
	s := &desktopScreen{c: c, focus: 1}
	if c.FinishRestart {
		s.focus = 0 // a kiosk starts the next run with Enter
	}
	s.name = c.Session.Answers.DeviceName
	if s.name == "" {
		s.name = deviceName(c)
	}
	return s
}

// deviceName is the name the device got (reference §2.9): hybrid join uses the Domain Join
// prefix and random characters, Entra join the profile's template; without either, Windows'
// own DESKTOP- and seven random characters.
func deviceName(c *Common) string {
	rng := rand.New(rand.NewPCG(uint64(c.Seed), 0x0dde5c70))
	p := c.Session.Profile
	if p.Join == flow.JoinHybrid {
		if dj := c.Tenant; dj != nil && dj.DomainJoin != nil && dj.DomainJoin.Prefix != "" {
			prefix := dj.DomainJoin.Prefix
			if len(prefix) > flow.MaxDeviceNameLength-1 {
				prefix = prefix[:flow.MaxDeviceNameLength-1]
			}
			n := dj.DomainJoin.RandomChars
			if n <= 0 {
				n = 3
			}
			return prefix + randomChars(rng, min(n, flow.MaxDeviceNameLength-len(prefix)))
		}
	} else if p.DeviceNameTemplate != "" {
		name, err := flow.ExpandDeviceName(p.DeviceNameTemplate, c.BootInfo.Serial, rng)
		if err == nil {
			return name
		}
		c.Session.Record(flow.RecordError, map[string]string{"error": "device_name", "detail": err.Error()})
	}
	return "DESKTOP-" + randomChars(rng, 7)
}

// randomChars returns n random characters of A–Z and 0–9.
func randomChars(rng *rand.Rand, n int) string {
	const set = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = set[rng.IntN(len(set))]
	}
	return string(b)
}

func (s *desktopScreen) Init() tea.Cmd {
	c := s.c
	if c.Session.Answers.DeviceName == "" {
		c.Session.Answers.DeviceName = s.name
		c.Session.Record(flow.RecordAnswer, map[string]string{"deviceName": s.name})
	}
	c.Session.Record(flow.RecordEnd, map[string]string{"outcome": "desktop"})
	return nil
}

func (s *desktopScreen) Heading() (string, string) {
	return s.c.T("desktop.title"), s.c.T("desktop.subtitle")
}

func (s *desktopScreen) press(id string) tea.Cmd {
	s.c.Session.Record(flow.RecordButton, map[string]string{"button": id})
	switch id {
	case "restart":
		return func() tea.Msg { return RestartMsg{} }
	case "exit":
		return tea.Quit
	}
	return nil
}

func (s *desktopScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k := s.c.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Tab), key.Matches(msg, k.ShiftTab), msg.String() == "left", msg.String() == "right":
			s.focus = 1 - s.focus
		case key.Matches(msg, k.Enter):
			return s, s.press([]string{"restart", "exit"}[s.focus])
		default:
			s.scroll.scrollKey(msg, s.h)
		}
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			s.scroll.off = max(0, s.scroll.off-1)
		case tea.MouseWheelDown:
			s.scroll.off++
		}
	case ButtonMsg:
		return s, s.press(msg.ID)
	}
	return s, nil
}

// joinText words how the device joined the organization.
func (s *desktopScreen) joinText() string {
	c := s.c
	if c.Session.Profile.Join == flow.JoinHybrid {
		if t := c.Tenant; t != nil && t.DomainJoin != nil && t.DomainJoin.Domain != "" {
			return c.T("desktop.join.hybrid_domain", "domain", t.DomainJoin.Domain)
		}
		return c.T("desktop.join.hybrid")
	}
	return c.T("desktop.join.entra")
}

// duration words d in whole seconds, minutes or hours, in the display language.
func (s *desktopScreen) duration(d time.Duration) string {
	c := s.c
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

func (s *desktopScreen) View(w, h int) Card {
	c := s.c
	s.h = h
	body, _ := s.scroll.view(c, s.lines, w, h)
	k := c.Keys
	return Card{
		Body: body,
		Buttons: []Button{
			{ID: "restart", Label: c.T("desktop.start_again"), Primary: c.FinishRestart, Focused: s.focus == 0},
			{ID: "exit", Label: c.T("button.exit"), Primary: !c.FinishRestart, Focused: s.focus == 1},
		},
		Help: []key.Binding{k.Tab, k.Enter, k.PageUp},
	}
}

// lines draws the summary in width w: a two-column table, then the phase times.
func (s *desktopScreen) lines(w int) ([]string, []Hit, int, int) {
	c := s.c
	st, g := c.Styles, c.Glyphs
	none := c.T("desktop.none")
	user := c.Session.Answers.UPN
	if user == "" {
		user = none
	}
	rows := [][2]string{
		{c.T("desktop.device_name"), s.name},
		{c.T("desktop.user"), user},
		{c.T("desktop.join"), s.joinText()},
	}
	labelW := 0
	for _, r := range rows {
		labelW = max(labelW, lipgloss.Width(r[0]))
	}
	if len(c.PhaseTimes) == 0 {
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
	if len(c.PhaseTimes) == 0 {
		row(c.T("desktop.times"), none, st.Text)
		return lines, nil, -1, -1
	}
	lines = append(lines, st.Text.Bold(true).Render(ansi.Truncate(c.T("desktop.times"), w, g.Ellipsis)))
	var total time.Duration
	durs := make([]string, len(c.PhaseTimes))
	durW := lipgloss.Width(s.duration(0))
	for i, p := range c.PhaseTimes {
		total += p.D
		durs[i] = s.duration(p.D)
		durW = max(durW, lipgloss.Width(durs[i]))
	}
	totalText := s.duration(total)
	durW = max(durW, lipgloss.Width(totalText))
	nameW := max(1, min(w-durW-4, 40))
	phase := func(name, dur string, ns lipgloss.Style) {
		n := padRight(ansi.Truncate(name, nameW, g.Ellipsis), nameW)
		d := strings.Repeat(" ", max(0, durW-lipgloss.Width(dur))) + dur
		lines = append(lines, ansi.Truncate("  "+ns.Render(n)+"  "+st.Text.Render(d), w, ""))
	}
	for i, p := range c.PhaseTimes {
		phase(p.Name, durs[i], st.Text)
	}
	phase(c.T("desktop.total"), totalText, st.Text.Bold(true))
	return lines, nil, -1, -1
}

package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// privacyMsg is the catalog stem of each toggle of the privacy page (flow.PrivacyToggles):
// "privacy.item.<stem>" is its title, "privacy.item.<stem>_desc" its description.
var privacyMsg = map[string]string{
	flow.PrivacySpeech:              "speech",
	flow.PrivacyLocation:            "location",
	flow.PrivacyFindMyDevice:        "find_device",
	flow.PrivacyDiagnosticData:      "diagnostics", // on = send optional diagnostic data
	flow.PrivacyInking:              "inking",
	flow.PrivacyTailoredExperiences: "tailored",
	flow.PrivacyAdvertisingID:       "advertising",
}

// privacyItem is one toggle of the privacy page: its answer key and its catalog stem.
type privacyItem struct{ id, msg string }

// privacyScreen is "Choose privacy settings for your device" (reference §1.6): one Yes/No
// toggle with a short description per setting (six on Windows 11, seven on Windows 10), all
// on by default, and Accept. Focus is a toggle (0…n-1) or Accept (n).
type privacyScreen struct {
	c      *Common
	items  []privacyItem
	on     map[string]bool
	focus  int
	scroll endScroller
}

func newPrivacyScreen(c *Common) Screen {
	win := c.Session.Profile.Windows
	s := &privacyScreen{c: c, on: flow.DefaultPrivacy(win)}
	for _, id := range flow.PrivacyToggles(win) {
		s.items = append(s.items, privacyItem{id: id, msg: privacyMsg[id]})
		if v, ok := c.Session.Answers.Privacy[id]; ok {
			s.on[id] = v // coming back: the choices made before
		}
	}
	return s
}

func (s *privacyScreen) Init() tea.Cmd { return nil }

func (s *privacyScreen) Heading() (string, string) {
	return s.c.T("privacy.title"), s.c.T("privacy.subtitle")
}

func (s *privacyScreen) toggle(i int) {
	if i < 0 || i >= len(s.items) {
		return
	}
	id := s.items[i].id
	s.on[id] = !s.on[id]
}

func (s *privacyScreen) accept() tea.Cmd {
	c := s.c
	c.Session.Record(flow.RecordButton, map[string]string{"button": "accept"})
	ans := make(map[string]bool, len(s.items))
	for _, it := range s.items {
		ans[it.id] = s.on[it.id]
	}
	c.Session.Answers.Privacy = ans
	c.Session.Record(flow.RecordAnswer, map[string]any{"privacy": ans})
	return next
}

func (s *privacyScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k := s.c.Keys
	n := len(s.items)
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Tab):
			s.focus = (s.focus + 1) % (n + 1)
		case key.Matches(msg, k.ShiftTab):
			s.focus = (s.focus + n) % (n + 1)
		case key.Matches(msg, k.Up):
			s.focus = max(0, s.focus-1)
		case key.Matches(msg, k.Down):
			s.focus = min(n, s.focus+1)
		case msg.String() == "home":
			s.focus = 0
		case msg.String() == "end":
			s.focus = n
		case key.Matches(msg, k.Toggle), msg.String() == "left", msg.String() == "right":
			if s.focus < n {
				s.toggle(s.focus)
			} else if key.Matches(msg, k.Toggle) {
				return s, s.accept()
			}
		case key.Matches(msg, k.Enter):
			return s, s.accept() // Accept is the page's only button and its default
		}
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			s.focus = max(0, s.focus-1)
		case tea.MouseWheelDown:
			s.focus = min(n, s.focus+1)
		}
	case ClickMsg:
		for i, it := range s.items {
			if msg.ID == "toggle:"+it.id {
				s.focus = i
				s.toggle(i)
			}
		}
	case ButtonMsg:
		if msg.ID == "accept" {
			return s, s.accept()
		}
	}
	return s, nil
}

func (s *privacyScreen) View(w, h int) Card {
	c := s.c
	body, hits := s.scroll.view(c, s.lines, w, h)
	k := c.Keys
	return Card{
		Body: body,
		Hits: hits,
		Buttons: []Button{{ID: "accept", Label: c.T("button.accept"), Primary: true,
			Focused: s.focus == len(s.items)}},
		Help: []key.Binding{k.Up, k.Toggle, k.Tab, k.Enter},
	}
}

// lines draws the toggles in width w and returns the rows, their hits and the rows of the
// focused control.
func (s *privacyScreen) lines(w int) ([]string, []Hit, int, int) {
	c := s.c
	st, g := c.Styles, c.Glyphs
	yes, no := c.T("privacy.yes"), c.T("privacy.no")
	stateW := max(lipgloss.Width(yes), lipgloss.Width(no))
	markerW := lipgloss.Width(g.Pointer)
	frame := st.Item.GetHorizontalFrameSize()
	indent := strings.Repeat(" ", markerW+1+st.Item.GetPaddingLeft()+lipgloss.Width(g.CheckboxOn)+1)
	var lines []string
	var hits []Hit
	top, bottom := 0, 0
	for i, it := range s.items {
		if i > 0 {
			lines = append(lines, "")
		}
		first := len(lines)
		focused := s.focus == i
		marker := strings.Repeat(" ", markerW)
		if focused {
			marker = g.Pointer
		}
		box, state, stateStyle := g.CheckboxOff, no, st.Muted
		if s.on[it.id] {
			box, state, stateStyle = g.CheckboxOn, yes, st.Success
		}
		titleStyle := st.Item.Bold(true)
		if focused {
			titleStyle = st.ItemSelected
		}
		left := box + " " + c.T("privacy.item."+it.msg)
		room := w - markerW - 1 - frame - 1 - stateW
		var row string
		if room >= 8 {
			left = ansi.Truncate(left, room, g.Ellipsis)
			row = marker + " " + titleStyle.Render(padRight(left, room)) + " " + stateStyle.Render(padRight(state, stateW))
		} else {
			row = marker + " " + titleStyle.Render(ansi.Truncate(left, max(1, w-markerW-1-frame), g.Ellipsis))
		}
		lines = append(lines, ansi.Truncate(row, w, ""))
		descW := max(1, w-lipgloss.Width(indent))
		for _, l := range wrapLines(c.T("privacy.item."+it.msg+"_desc"), descW) {
			lines = append(lines, ansi.Truncate(indent+st.Muted.Render(l), w, ""))
		}
		for y := first; y < len(lines); y++ {
			hits = append(hits, Hit{Y: y, X0: 0, X1: w, ID: "toggle:" + it.id})
		}
		if focused {
			top, bottom = first, len(lines)-1
		}
	}
	if s.focus == len(s.items) {
		top, bottom = len(lines)-1, len(lines)-1 // on Accept: show the end of the page
	}
	return lines, hits, top, bottom
}

// endScroller keeps a window of a page's lines on screen: the lines of the focused control
// stay visible, and a two-column gutter on the right shows that more is above or below.
type endScroller struct{ off int }

// pageLines draws a page in width w: its rows (each at most w wide), their hits, and the
// first and last row of the focused control (top < 0: no focus to follow).
type pageLines func(w int) (lines []string, hits []Hit, top, bottom int)

// view draws the page in w×h: all of it when it fits, otherwise drawn two columns narrower
// and cut to the h rows around the focus (or at the offset), with scroll arrows in the gutter.
func (sc *endScroller) view(c *Common, draw pageLines, w, h int) (string, []Hit) {
	if h < 1 || w < 1 {
		return "", nil
	}
	if lines, hits, _, _ := draw(w); len(lines) <= h {
		sc.off = 0
		return strings.Join(lines, "\n"), hits
	}
	gutter := 2
	if w <= 2*gutter {
		gutter = 0
	}
	lines, hits, top, bottom := draw(w - gutter)
	if top >= 0 {
		if bottom-top+1 > h {
			bottom = top + h - 1
		}
		if top < sc.off {
			sc.off = top
		}
		if bottom >= sc.off+h {
			sc.off = bottom - h + 1
		}
	}
	sc.off = max(0, min(sc.off, len(lines)-h))
	shown := make([]string, h)
	for i := range shown {
		l := lines[sc.off+i]
		if gutter > 0 {
			mark := " "
			switch {
			case i == 0 && sc.off > 0:
				mark = c.Glyphs.ScrollUp
			case i == h-1 && sc.off+h < len(lines):
				mark = c.Glyphs.ScrollDown
			}
			l = padRight(ansi.Truncate(l, w-gutter, ""), w-gutter) + " " + c.Styles.Muted.Render(mark)
		}
		shown[i] = l
	}
	var out []Hit
	for _, ht := range hits {
		if ht.Y >= sc.off && ht.Y < sc.off+h {
			ht.Y -= sc.off
			out = append(out, ht)
		}
	}
	return strings.Join(shown, "\n"), out
}

// scrollKey moves the offset for a scrolling key (up/down/pgup/pgdown/home/end) on a page
// with no focus to follow; it reports whether the key was one of them.
func (sc *endScroller) scrollKey(msg tea.KeyPressMsg, h int) bool {
	switch msg.String() {
	case "up":
		sc.off = max(0, sc.off-1)
	case "down":
		sc.off++ // view clamps it
	case "pgup":
		sc.off = max(0, sc.off-max(1, h-1))
	case "pgdown":
		sc.off += max(1, h-1)
	case "home":
		sc.off = 0
	case "end":
		sc.off = 1 << 20
	default:
		return false
	}
	return true
}

package ui

import (
	"errors"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

type netState int

const (
	netScanning   netState = iota // looking for networks
	netList                       // choosing a network
	netSSID                       // typing a hidden network's name
	netKey                        // typing the network security key
	netConnecting                 // waiting for the backend
)

const hiddenID = "\x00hidden"

type scanDoneMsg struct {
	nets []flow.Network
	err  error
}

type connectDoneMsg struct {
	ssid    string
	secured bool
	res     flow.ConnectResult
	err     error
}

// networkScreen is "Let's connect you to a network": Ethernet status, the Wi-Fi list, the
// security key, the hidden-network entry; Next only once the device is online.
type networkScreen struct {
	c        *Common
	state    netState
	spin     spinner.Model
	nets     []flow.Network
	list     selectList
	expanded bool // the selected network shows Connect automatically and Connect
	auto     bool
	focus    string // "list", "auto", "connect", "next", "offline" (list state); "input", "reveal", "cancel", "next" (entry)
	ssidIn   textinput.Model
	keyIn    textinput.Model
	reveal   bool
	target   string // the SSID being joined
	hidden   bool   // target came from the hidden-network entry
	errText  string
	infoText string
	online   string // SSID with internet, "" when offline
	noNet    string // SSID connected without internet
}

func newNetworkScreen(c *Common) Screen {
	s := &networkScreen{c: c, spin: newSpinner(c), auto: true, focus: "list"}
	s.ssidIn = newTextInput(c, c.T("network.ssid_placeholder"), false)
	s.keyIn = newTextInput(c, c.T("network.key_placeholder"), true)
	if a := c.Session.Answers; a.Network != "" && a.Network != "ethernet" {
		s.online = a.Network // coming back: still connected
	}
	return s
}

func (s *networkScreen) Init() tea.Cmd {
	c := s.c
	return tea.Batch(spin(c, s.spin), c.Async(func() tea.Msg {
		nets, err := c.Backend.Scan(c.Ctx)
		return scanDoneMsg{nets: nets, err: err}
	}))
}

func (s *networkScreen) Heading() (string, string) {
	return s.c.T("network.title"), s.c.T("network.subtitle")
}

func (s *networkScreen) buildList() {
	c := s.c
	g := c.Glyphs
	lockW := lipgloss.Width(g.Lock)
	var items []listItem
	for _, n := range s.nets {
		lock := strings.Repeat(" ", lockW)
		if n.Secured() {
			lock = g.Lock
		}
		items = append(items, listItem{ID: n.SSID, Label: n.SSID, Prefix: g.Signal(n.Signal) + " " + lock, Suffix: s.status(n)})
	}
	items = append(items, listItem{ID: hiddenID, Label: c.T("network.hidden"), Prefix: strings.Repeat(" ", 5+lockW)})
	keep, _ := s.list.selected()
	s.list = newSelectList(items, false)
	if keep.ID != "" {
		s.list.selectID(keep.ID)
	} else if s.online != "" {
		s.list.selectID(s.online)
	}
}

func (s *networkScreen) status(n flow.Network) string {
	c := s.c
	kind := "open"
	if n.Secured() {
		kind = "secured"
	}
	switch n.SSID {
	case s.online:
		return c.T("network.connected_" + kind)
	case s.noNet:
		return c.T("network.no_internet_" + kind)
	}
	return c.T("network." + kind)
}

func (s *networkScreen) selectedNet() (flow.Network, bool) {
	it, ok := s.list.selected()
	if !ok {
		return flow.Network{}, false
	}
	for _, n := range s.nets {
		if n.SSID == it.ID {
			return n, true
		}
	}
	return flow.Network{}, false
}

// focusRing is the Tab order of the current state.
func (s *networkScreen) focusRing() []string {
	switch s.state {
	case netSSID:
		return []string{"input", "cancel", "next"}
	case netKey:
		return []string{"input", "reveal", "cancel", "next"}
	case netList:
		r := []string{"list"}
		if s.expanded {
			r = append(r, "auto", "connect")
		}
		if s.c.Windows10() {
			r = append(r, "offline")
		}
		if s.online != "" {
			r = append(r, "next")
		}
		return r
	}
	return nil
}

func (s *networkScreen) moveFocus(d int) {
	if f, ok := cycleFocus(s.focusRing(), s.focus, d); ok {
		s.setFocus(f)
	}
}

func (s *networkScreen) setFocus(f string) {
	s.focus = f
	if f == "input" {
		if s.state == netSSID {
			s.ssidIn.Focus()
		} else {
			s.keyIn.Focus()
		}
	} else {
		s.ssidIn.Blur()
		s.keyIn.Blur()
	}
}

func (s *networkScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	c := s.c
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if s.state != netScanning && s.state != netConnecting {
			return s, nil // nothing spins: let the ticks die
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return s, cmd
	case scanDoneMsg:
		s.state = netList
		s.nets = msg.nets
		if msg.err != nil {
			s.errText = c.T("network.scan_failed", "error", msg.err.Error())
			c.Session.Record(flow.RecordError, map[string]string{"error": "scan", "detail": msg.err.Error()})
		}
		s.buildList()
		return s, nil
	case connectDoneMsg:
		return s, s.connected(msg)
	case tea.PasteMsg:
		return s, s.updateInput(msg)
	case tea.KeyPressMsg:
		return s, s.key(msg)
	case ClickMsg:
		return s, s.click(msg.ID)
	case ButtonMsg:
		return s, s.press(msg.ID)
	}
	return s, nil
}

func (s *networkScreen) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	if s.state == netSSID {
		s.ssidIn, cmd = s.ssidIn.Update(msg)
	} else if s.state == netKey {
		s.keyIn, cmd = s.keyIn.Update(msg)
	}
	return cmd
}

func (s *networkScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Tab):
		s.moveFocus(1)
		return nil
	case key.Matches(msg, k.ShiftTab):
		s.moveFocus(-1)
		return nil
	case key.Matches(msg, k.Reveal) && s.state == netKey:
		return s.press("reveal")
	case key.Matches(msg, k.Back):
		switch s.state {
		case netSSID, netKey:
			return s.press("cancel")
		case netList:
			if s.expanded {
				s.expanded = false
				s.setFocus("list")
				return nil
			}
			if s.c.Session.CanGoBack() {
				return back
			}
		}
		return nil
	case key.Matches(msg, k.Enter):
		switch s.focus {
		case "input":
			return s.press("next")
		case "list":
			return s.activateItem()
		default:
			return s.press(s.focus)
		}
	case key.Matches(msg, k.Toggle) && s.focus == "auto":
		return s.press("auto")
	case key.Matches(msg, k.Toggle) && s.focus == "reveal":
		return s.press("reveal")
	}
	if s.focus == "input" {
		s.errText = ""
		return s.updateInput(msg)
	}
	if s.state == netList {
		prev, _ := s.list.selected()
		if s.list.update(msg) {
			if cur, _ := s.list.selected(); cur.ID != prev.ID {
				s.expanded = false
				s.setFocus("list")
			}
		}
	}
	return nil
}

// activateItem is Enter on the list: expand the network, or open the hidden-network entry.
func (s *networkScreen) activateItem() tea.Cmd {
	it, ok := s.list.selected()
	if !ok {
		return nil
	}
	if it.ID == hiddenID {
		s.hidden = true
		s.state = netSSID
		s.ssidIn.Reset()
		s.setFocus("input")
		return nil
	}
	if it.ID == s.online {
		return s.press("next")
	}
	s.expanded = true
	s.setFocus("connect")
	return nil
}

func (s *networkScreen) click(id string) tea.Cmd {
	if idx, ok := strings.CutPrefix(id, "item:"); ok {
		i, err := strconv.Atoi(idx)
		if err != nil || i >= len(s.list.items) || s.state != netList {
			return nil
		}
		prev, _ := s.list.selected()
		s.list.selectID(s.list.items[i].ID)
		if prev.ID == s.list.items[i].ID && s.expanded {
			return nil
		}
		s.setFocus("list")
		return s.activateItem()
	}
	return s.press(id)
}

// press performs a button or control: connect, auto, next, cancel, reveal, offline.
func (s *networkScreen) press(id string) tea.Cmd {
	c := s.c
	switch id {
	case "auto":
		s.auto = !s.auto
		s.setFocus("auto")
	case "reveal":
		s.reveal = !s.reveal
		if s.reveal {
			s.keyIn.EchoMode = textinput.EchoNormal
		} else {
			s.keyIn.EchoMode = textinput.EchoPassword
		}
	case "connect":
		n, ok := s.selectedNet()
		if !ok || s.state != netList {
			return nil
		}
		c.Session.Record(flow.RecordButton, map[string]string{"button": "connect", "network": n.SSID})
		s.target, s.hidden = n.SSID, false
		if n.Secured() {
			s.state = netKey
			s.keyIn.Reset()
			s.errText = ""
			s.setFocus("input")
			return nil
		}
		return s.connect("")
	case "cancel":
		c.Session.Record(flow.RecordButton, map[string]string{"button": "cancel"})
		s.state = netList
		s.errText = ""
		s.keyIn.Reset()
		s.setFocus("list")
	case "next":
		switch s.state {
		case netSSID:
			name := strings.TrimSpace(s.ssidIn.Value())
			if name == "" {
				return nil
			}
			s.target = name
			s.state = netKey
			s.keyIn.Reset()
			s.setFocus("input")
		case netKey:
			return s.connect(s.keyIn.Value())
		case netList:
			if s.online == "" {
				return nil
			}
			c.Session.Record(flow.RecordButton, map[string]string{"button": "next"})
			return next
		}
	case "offline":
		c.Session.Record(flow.RecordButton, map[string]string{"button": "offline"})
		s.infoText = c.T("network.offline_note")
	}
	return nil
}

func (s *networkScreen) connect(secret string) tea.Cmd {
	c := s.c
	s.state = netConnecting
	s.errText, s.infoText = "", ""
	s.setFocus("")
	req := flow.ConnectRequest{SSID: s.target, Key: secret, Auto: s.auto}
	secured := secret != ""
	if n, ok := s.selectedNet(); ok && n.SSID == s.target {
		secured = n.Secured()
	}
	return tea.Batch(spin(c, s.spin), c.Async(func() tea.Msg {
		res, err := c.Backend.Connect(c.Ctx, req)
		return connectDoneMsg{ssid: req.SSID, secured: secured, res: res, err: err}
	}))
}

func (s *networkScreen) connected(msg connectDoneMsg) tea.Cmd {
	c := s.c
	switch {
	case errors.Is(msg.err, flow.ErrWrongKey):
		s.state = netKey
		s.keyIn.Reset()
		s.errText = c.T("network.wrong_key")
		s.setFocus("input")
		c.Session.Record(flow.RecordError, map[string]string{"error": "wrong_key", "network": msg.ssid})
		return nil
	case msg.err != nil:
		s.state = netList
		s.errText = c.T("network.connect_failed", "network", msg.ssid)
		if errors.Is(msg.err, flow.ErrNoSuchNetwork) {
			s.errText = c.T("network.not_found", "network", msg.ssid)
		}
		s.setFocus("list")
		c.Session.Record(flow.RecordError, map[string]string{"error": "connect", "network": msg.ssid, "detail": msg.err.Error()})
		return nil
	}
	s.state = netList
	s.expanded = false
	if !s.has(msg.ssid) {
		sec := flow.SecurityOpen
		if msg.secured {
			sec = flow.SecurityPSK
		}
		s.nets = append(s.nets, flow.Network{SSID: msg.ssid, Signal: 3, Security: sec})
	}
	if msg.res.Internet {
		s.online, s.noNet = msg.ssid, ""
		c.Session.Answers.Network = msg.ssid
		c.Session.Answers.ConnectAutomatically = s.auto
		c.run.connected(s.hidden, msg.secured)
		c.Session.Record(flow.RecordAnswer, map[string]any{"network": msg.ssid, "connectAutomatically": s.auto})
		s.buildList()
		s.list.selectID(msg.ssid)
		s.setFocus("next")
		return nil
	}
	s.noNet, s.online = msg.ssid, ""
	c.Session.Answers.Network = ""
	s.errText = c.T("network.no_internet_note", "network", msg.ssid)
	c.Session.Record(flow.RecordError, map[string]string{"error": "no_internet", "network": msg.ssid})
	s.buildList()
	s.list.selectID(msg.ssid)
	s.setFocus("list")
	return nil
}

func (s *networkScreen) has(ssid string) bool {
	for _, n := range s.nets {
		if n.SSID == ssid {
			return true
		}
	}
	return false
}

// ethernetLine is the wired adapter's status row.
func (s *networkScreen) ethernetLine(w int) string {
	c := s.c
	status := c.T("network.ethernet_unplugged")
	if c.BootInfo.EthernetPresent {
		status = c.T("network.ethernet_no_internet")
	}
	left := c.Glyphs.Ethernet + " " + c.T("network.ethernet")
	gap := max(1, w-lipgloss.Width(left)-lipgloss.Width(status)-2)
	return ansi.Truncate("  "+c.Styles.Text.Render(left)+strings.Repeat(" ", gap)+c.Styles.Muted.Render(status), w, "")
}

func (s *networkScreen) View(w, h int) Card {
	c := s.c
	st, g := c.Styles, c.Glyphs
	k := c.Keys
	var lines []string
	var hits []Hit

	// the panel under the list: expansion, entry box or messages
	var panel []string
	var panelHits []Hit
	switch s.state {
	case netScanning:
		panel = append(panel, s.spin.View()+" "+st.Text.Render(c.T("network.scanning")))
	case netConnecting:
		panel = append(panel, s.spin.View()+" "+st.Text.Render(c.T("network.connecting", "network", s.target)))
	case netSSID:
		panel = append(panel, st.Text.Render(ansi.Truncate(c.T("network.ssid_label"), w, g.Ellipsis)))
		panel = append(panel, strings.Split(renderInput(c, &s.ssidIn, min(w, 48), s.focus == "input", ""), "\n")...)
	case netKey:
		panel = append(panel, st.Text.Render(ansi.Truncate(c.T("network.key_label", "network", s.target), w, g.Ellipsis)))
		eye := g.Eye
		if s.reveal {
			eye = g.EyeOff
		}
		eyeStyle := st.Muted
		if s.focus == "reveal" {
			eyeStyle = st.ButtonFocused
		}
		box := strings.Split(renderInput(c, &s.keyIn, min(w, 48), s.focus == "input", " "+eyeStyle.Render(eye)), "\n")
		boxW := lipgloss.Width(box[0])
		panelHits = append(panelHits, Hit{Y: len(panel) + 1, X0: boxW - 1 - lipgloss.Width(eye) - 1, X1: boxW, ID: "reveal"})
		panel = append(panel, box...)
	case netList:
		if s.expanded {
			if n, ok := s.selectedNet(); ok {
				box := g.CheckboxOff
				if s.auto {
					box = g.CheckboxOn
				}
				autoLabel := box + " " + c.T("network.connect_auto")
				as := st.Text
				if s.focus == "auto" {
					as = st.ItemSelected
				}
				btn := " " + c.T("button.connect") + " "
				bs := st.Button
				if s.focus == "connect" {
					bs = st.ButtonFocused
				}
				btnR := bs.Render(btn)
				if g.Name == "ascii" {
					btnR = bs.Render("[" + btn + "]")
				}
				al := "  " + as.Render(autoLabel)
				panel = append(panel, st.Text.Render(ansi.Truncate("  "+n.SSID+"  "+g.Bullet+" "+s.status(n), w, g.Ellipsis)))
				panelHits = append(panelHits, Hit{Y: len(panel), X0: 2, X1: 2 + lipgloss.Width(autoLabel), ID: "auto"})
				bx := lipgloss.Width(al) + 3
				panelHits = append(panelHits, Hit{Y: len(panel), X0: bx, X1: bx + lipgloss.Width(btnR), ID: "connect"})
				panel = append(panel, al+"   "+btnR)
			}
		} else if s.errText == "" && s.infoText == "" {
			hint := c.T("network.choose_hint")
			if s.online != "" {
				hint = c.T("network.online_hint")
			}
			panel = append(panel, st.Muted.Render(ansi.Truncate(hint, w, g.Ellipsis)))
		}
	}
	if s.errText != "" {
		panel = append(panel, strings.Split(st.Error.Render(wrapBody(g.Warning+" "+s.errText, w)), "\n")...)
	}
	if s.infoText != "" {
		panel = append(panel, strings.Split(st.Muted.Render(wrapBody(s.infoText, w)), "\n")...)
	}

	// the Ethernet row only when the list and the panel still have room
	if h-len(panel)-1 >= 5 {
		lines = append(lines, s.ethernetLine(w), "")
	}
	listH := max(1, h-len(lines)-len(panel)-1)
	if s.state != netScanning {
		s.list.focused = s.focus == "list"
		body, lh := s.list.view(c, w, listH)
		for _, ht := range lh {
			ht.Y += len(lines)
			hits = append(hits, ht)
		}
		lines = append(lines, strings.Split(body, "\n")...)
	}
	lines = append(lines, "")
	for _, ht := range panelHits {
		ht.Y += len(lines)
		hits = append(hits, ht)
	}
	lines = append(lines, panel...)

	var buttons []Button
	help := []key.Binding{k.Tab, k.Enter}
	switch s.state {
	case netSSID, netKey:
		buttons = []Button{
			{ID: "cancel", Label: c.T("button.cancel"), Focused: s.focus == "cancel"},
			{ID: "next", Label: c.T("button.next"), Primary: true, Focused: s.focus == "next"},
		}
		help = append(help, k.Back)
		if s.state == netKey {
			help = append(help, k.Reveal)
		}
	default:
		if c.Windows10() {
			buttons = append(buttons, Button{ID: "offline", Label: c.T("network.offline"), Focused: s.focus == "offline"})
		}
		buttons = append(buttons, Button{ID: "next", Label: c.T("button.next"), Primary: true,
			Focused: s.focus == "next", Disabled: s.online == ""})
		help = append([]key.Binding{k.Up}, help...)
		if s.c.Session.CanGoBack() {
			help = append(help, k.Back)
		}
	}
	return Card{Body: strings.Join(lines, "\n"), Hits: hits, Buttons: buttons, Help: help}
}

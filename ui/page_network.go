package ui

import (
	"errors"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/run"
)

const hiddenID = "\x00hidden"

// networkPage is "Let's connect you to a network": the Ethernet status, the Wi-Fi list, the
// selected network's Connect automatically and Connect, the security key prompt, and Next
// once the device is online. The run's Network controller scans and joins.
type networkPage struct {
	pageCtx
	n        *run.Network
	list     selectList
	expanded bool // the selected network shows Connect automatically and Connect
	auto     bool
	ring     focusRing
	keyFor   string // the network whose key is asked ("" no prompt)
	hidden   bool   // keyFor was typed on "Hidden network"
	keyIn    field
	// enterprise is set while keyFor is an 802.1X network: a user name (userIn) comes
	// before the password (keyIn)
	enterprise bool
	userIn     field
	reveal     bool
	// keyReplayed is set while the key box holds a key an answers file typed (never shown).
	keyReplayed bool
}

func newNetworkPage(c pageCtx) Page {
	p := &networkPage{pageCtx: c, n: c.run.Network(), auto: true}
	p.keyIn = newField(c.env, c.env.T("network.key_placeholder"), true, capWiFiKey)
	p.userIn = newField(c.env, c.env.T("network.user_placeholder"), false, capUPN)
	if p.n.State == run.NetReady {
		p.buildList()
	}
	p.setRing()
	return p
}

func (p *networkPage) Heading() (string, string) {
	return p.env.T("network.title"), p.env.T("network.subtitle")
}

// Busy: the spinner shows while scanning and connecting.
func (p *networkPage) Busy() bool { return p.n.State != run.NetReady }

// Layout gives the list its height (what the panel under it leaves).
func (p *networkPage) Layout(f Frame) {
	panel := len(p.panel(f.W, f.Spin).lines)
	eth := 0
	if f.H-panel-1 >= 5 {
		eth = 2
	}
	p.list.setHeight(max(1, f.H-eth-panel-1))
}

func (p *networkPage) buildList() {
	c := p.env
	g := c.Glyphs
	lockW := lipgloss.Width(g.Lock)
	var items []listItem
	for _, n := range p.n.Networks {
		lock := strings.Repeat(" ", lockW)
		if n.Secured() {
			lock = g.Lock
		}
		items = append(items, listItem{ID: n.SSID, Label: n.SSID, Prefix: g.Signal(n.Signal) + " " + lock, Suffix: p.status(n)})
	}
	items = append(items, listItem{ID: hiddenID, Label: c.T("network.hidden"), Prefix: strings.Repeat(" ", 5+lockW)})
	keep, _ := p.list.selected()
	p.list = newSelectList(items, false)
	if keep.ID != "" {
		p.list.selectID(keep.ID)
	} else if p.n.Online != "" {
		p.list.selectID(p.n.Online)
	}
}

func (p *networkPage) status(n flow.Network) string {
	c := p.env
	kind := "open"
	if n.Secured() {
		kind = "secured"
	}
	switch n.SSID {
	case p.n.Online:
		return c.T("network.connected_" + kind)
	case p.n.NoInternet:
		return c.T("network.no_internet_" + kind)
	}
	return c.T("network." + kind)
}

// setRing is the Tab order of the page's state.
func (p *networkPage) setRing() {
	switch {
	case p.n.Confirm != "":
		p.ring.set("cancel", "trust")
	case p.keyFor != "" && p.enterprise:
		p.ring.set("user", "input", "reveal", "cancel", "next")
	case p.keyFor != "":
		p.ring.set("input", "reveal", "cancel", "next")
	default:
		ids := []string{"list"}
		if p.n.ScanFailed {
			ids = []string{"retry", "list"} // Try again: the backend could not be asked
		}
		if p.expanded {
			ids = append(ids, "auto", "connect")
		}
		if p.env.Windows10 {
			ids = append(ids, "offline")
		}
		if p.n.Online != "" {
			ids = append(ids, "next")
		}
		p.ring.set(ids...)
	}
	p.focusChanged()
}

func (p *networkPage) focus(id string) {
	p.ring.focus(id)
	p.focusChanged()
}

func (p *networkPage) focusChanged() {
	p.keyIn.Blur()
	p.userIn.Blur()
	switch {
	case p.ring.on("input"):
		p.keyIn.Focus()
	case p.ring.on("user"):
		p.userIn.Focus()
	}
}

func (p *networkPage) selected() (flow.Network, bool) {
	it, ok := p.list.selected()
	if !ok {
		return flow.Network{}, false
	}
	return p.n.Lookup(it.ID)
}

func (p *networkPage) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case outcomeMsg:
		p.outcome(msg.o)
	case tea.PasteMsg:
		if p.ring.on("input") {
			return p.editKey(msg)
		}
	case tea.KeyPressMsg:
		return p.key(msg)
	case tea.MouseWheelMsg:
		if p.keyFor == "" {
			p.list.wheel(msg)
		}
	case ClickMsg:
		p.click(msg.ID)
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

// outcome reacts to what the run's Network did.
func (p *networkPage) outcome(o run.Outcome) {
	switch o := o.(type) {
	case *run.NetworkScanned:
		p.buildList()
		p.setRing()
		if p.n.ScanFailed {
			p.focus("retry")
		}
	case *run.NetworkJoined:
		p.expanded, p.keyFor = false, ""
		p.buildList()
		p.list.selectID(o.SSID)
		p.setRing()
		if o.Internet {
			p.focus("next")
		} else {
			p.focus("list")
		}
	case *run.NetworkFailed:
		if errors.Is(o.Err, flow.ErrServerUnverified) && p.n.Confirm != "" {
			p.setRing()
			p.focus("trust") // "Continue connecting?"
			return
		}
		if errors.Is(o.Err, flow.ErrWrongKey) {
			p.keyFor = o.SSID // the prompt again, empty (an 802.1X user name stays)
			net, _ := p.n.Lookup(o.SSID)
			p.enterprise = net.Security == flow.SecurityEnterprise
			p.resetKey()
			p.setRing()
			p.focus("input")
			return
		}
		p.keyFor, p.expanded = "", false
		p.setRing()
		p.focus("list")
	}
}

func (p *networkPage) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.env.Keys
	switch {
	case p.n.State != run.NetReady:
		return nil // scanning or connecting: nothing to do yet
	case p.ring.tab(k, msg, false):
		p.focusChanged()
	case key.Matches(msg, k.Reveal) && p.keyFor != "":
		p.press("reveal")
	case key.Matches(msg, k.Back):
		switch {
		case p.keyFor != "" || p.n.Confirm != "":
			p.press("cancel")
		case p.expanded:
			p.expanded = false
			p.setRing()
			p.focus("list")
		case p.run.CanGoBack():
			_ = p.run.Back()
		}
	case key.Matches(msg, k.Enter):
		switch p.ring.cur {
		case "user":
			p.focus("input")
		case "input":
			p.press("next")
		case "list":
			p.activate()
		default:
			p.press(p.ring.cur)
		}
	case key.Matches(msg, k.Toggle) && (p.ring.on("auto") || p.ring.on("reveal")):
		p.press(p.ring.cur)
	case p.ring.on("user"):
		if p.userIn.refuses(msg) {
			p.unchanged()
			return nil
		}
		p.n.Err = nil
		var cmd tea.Cmd
		p.userIn, cmd = p.userIn.Update(msg)
		return cmd
	case p.ring.on("input"):
		if p.keyIn.refuses(msg) {
			p.unchanged() // the key is as long as keys get
			return nil
		}
		p.n.Err = nil
		return p.editKey(msg)
	case p.keyFor == "":
		prev, _ := p.list.selected()
		if !p.list.update(k, msg) {
			p.unchanged()
			return nil
		}
		if cur, _ := p.list.selected(); cur.ID != prev.ID {
			p.expanded = false
			p.setRing()
			p.focus("list")
		}
	}
	return nil
}

// activate is Enter on the list: expand the network, or open the hidden-network entry.
func (p *networkPage) activate() {
	it, ok := p.list.selected()
	if !ok {
		return
	}
	if it.ID == hiddenID {
		p.nav.push(newHiddenNetworkPage(p.pageCtx, p))
		return
	}
	if it.ID == p.n.Online {
		p.press("next")
		return
	}
	p.expanded = true
	p.setRing()
	p.focus("connect")
}

func (p *networkPage) click(id string) {
	if p.n.State != run.NetReady {
		return
	}
	if idx, ok := strings.CutPrefix(id, "item:"); ok {
		i, err := strconv.Atoi(idx)
		if err != nil || i >= len(p.list.items) || p.keyFor != "" {
			return
		}
		prev, _ := p.list.selected()
		p.list.selectID(p.list.items[i].ID)
		if prev.ID == p.list.items[i].ID && p.expanded {
			return
		}
		p.focus("list")
		p.activate()
		return
	}
	p.press(id)
}

// askKey opens the security key prompt for ssid.
func (p *networkPage) askKey(ssid string, hidden bool) {
	p.keyFor, p.hidden = ssid, hidden
	net, _ := p.n.Lookup(ssid)
	p.enterprise = net.Security == flow.SecurityEnterprise
	p.keyIn.Placeholder = p.env.T("network.key_placeholder")
	if p.enterprise {
		p.keyIn.Placeholder = p.env.T("network.password_placeholder")
	}
	p.resetKey()
	p.userIn.Reset()
	p.n.Err = nil
	p.setRing()
	if p.enterprise {
		p.focus("user") // 802.1X: a user name and password, not a network security key
		return
	}
	p.focus("input")
}

// press performs a button or control: connect, auto, next, cancel, reveal, offline.
func (p *networkPage) press(id string) {
	n := p.n
	switch id {
	case "auto":
		p.auto = !p.auto
		p.focus("auto")
	case "reveal":
		if !p.reveal && p.keyReplayed {
			return // a key an answers file typed is never shown
		}
		p.reveal = !p.reveal
		p.keyIn.EchoMode = textinput.EchoPassword
		if p.reveal {
			p.keyIn.EchoMode = textinput.EchoNormal
		}
	case "connect":
		net, ok := p.selected()
		if !ok || p.keyFor != "" {
			return
		}
		if net.Secured() {
			p.askKey(net.SSID, false)
			return
		}
		_ = n.Connect(flow.ConnectRequest{SSID: net.SSID, Auto: p.auto}, false)
	case "cancel":
		n.CancelEntry()
		p.keyFor, p.enterprise = "", false
		p.resetKey()
		p.userIn.Reset()
		p.setRing()
		p.focus("list")
	case "trust":
		_ = n.ContinueConnecting()
	case "next":
		if p.keyFor != "" {
			req := flow.ConnectRequest{SSID: p.keyFor, Key: p.keyIn.Value(), Auto: p.auto}
			if p.enterprise {
				if req.Identity = strings.TrimSpace(p.userIn.Value()); req.Identity == "" {
					p.focus("user")
					return
				}
			}
			p.resetKey()
			if n.Connect(req, p.hidden) == nil {
				p.keyFor = "" // a wrong key asks again (NetworkFailed)
				p.setRing()
			}
			return
		}
		_ = n.Next()
	case "offline":
		_ = n.Offline()
	case "retry":
		if n.Rescan() == nil {
			p.setRing()
		}
	}
}

// ethernetLine is the wired adapter's status row.
func (p *networkPage) ethernetLine(w int) string {
	c := p.env
	status := c.T("network.ethernet_unplugged")
	if p.run.Boot().EthernetPresent {
		status = c.T("network.ethernet_no_internet")
	}
	left := c.Glyphs.Ethernet + " " + c.T("network.ethernet")
	gap := max(1, w-lipgloss.Width(left)-lipgloss.Width(status)-2)
	return ansi.Truncate("  "+c.Styles.Text.Render(left)+strings.Repeat(" ", gap)+c.Styles.Muted.Render(status), w, "")
}

// errText words the network controller's last failure.
func (p *networkPage) errText() string {
	c, n := p.env, p.n
	switch {
	case n.Err == nil && n.NoInternet != "" && p.keyFor == "":
		return c.T("network.no_internet_note", "network", n.NoInternet)
	case n.Err == nil:
		return ""
	case errors.Is(n.Err, flow.ErrWrongKey):
		return c.T("network.wrong_key")
	case errors.Is(n.Err, flow.ErrNoSuchNetwork):
		return c.T("network.not_found", "network", n.Target)
	case n.Target == "":
		return c.T("network.scan_failed", "error", words(n.Err))
	}
	return c.T("network.connect_failed", "network", n.Target)
}

// panelLines is what shows under the list: the expansion, the key prompt or the messages.
type panelLines struct {
	lines []string
	hits  []Hit
}

// panel draws the part under the list in width w, spin the spinner's frame.
func (p *networkPage) panel(w int, spin string) panelLines {
	c := p.env
	st, g := c.Styles, c.Glyphs
	var out panelLines
	add := func(s string) { out.lines = addLines(out.lines, s) }
	switch {
	case p.n.State == run.NetScanning:
		add(ansi.Truncate(spin+" "+st.Text.Render(c.T("network.scanning")), w, g.Ellipsis))
	case p.n.State == run.NetConnecting:
		add(ansi.Truncate(spin+" "+st.Text.Render(c.T("network.connecting", "network", p.n.Target)), w, g.Ellipsis))
	case p.n.Confirm != "":
		// Windows' "Continue connecting?" for a server certificate it cannot verify
		add(st.Title.Render(ansi.Truncate(c.T("network.cert_title"), w, g.Ellipsis)))
		add(st.Text.Render(wrapBody(c.T("network.cert_text", "network", p.n.Confirm), w)))
	case p.keyFor != "" && p.enterprise:
		add(st.Text.Render(ansi.Truncate(c.T("network.enterprise_label", "network", p.keyFor), w, g.Ellipsis)))
		in := p.userIn
		out.lines = append(out.lines, strings.Split(renderInput(c, &in, min(w, 48), p.ring.on("user"), ""), "\n")...)
		fallthrough
	case p.keyFor != "":
		if !p.enterprise {
			add(st.Text.Render(ansi.Truncate(c.T("network.key_label", "network", p.keyFor), w, g.Ellipsis)))
		}
		eye := g.Eye
		if p.reveal {
			eye = g.EyeOff
		}
		eyeStyle := st.Muted
		if p.ring.on("reveal") {
			eyeStyle = st.ButtonFocused
		}
		in := p.keyIn
		box := strings.Split(renderInput(c, &in, min(w, 48), p.ring.on("input"), " "+eyeStyle.Render(eye)), "\n")
		boxW := lipgloss.Width(box[0])
		out.hits = append(out.hits, Hit{Y: len(out.lines) + 1, X0: boxW - 1 - lipgloss.Width(eye) - 1, X1: boxW, ID: "reveal"})
		out.lines = append(out.lines, box...)
	case p.expanded:
		if n, ok := p.selected(); ok {
			box := g.CheckboxOff
			if p.auto {
				box = g.CheckboxOn
			}
			autoLabel := box + " " + c.T("network.connect_auto")
			as := st.Text
			if p.ring.on("auto") {
				as = st.ItemSelected
			}
			btn := " " + c.T("button.connect") + " "
			bs := st.Button
			if p.ring.on("connect") {
				bs = st.ButtonFocused
			}
			btnR := bs.Render(btn)
			if g.Name == "ascii" {
				btnR = bs.Render("[" + btn + "]")
			}
			al := "  " + as.Render(autoLabel)
			add(st.Text.Render(ansi.Truncate("  "+n.SSID+"  "+g.Bullet+" "+p.status(n), w, g.Ellipsis)))
			out.hits = append(out.hits, Hit{Y: len(out.lines), X0: 2, X1: 2 + lipgloss.Width(autoLabel), ID: "auto"})
			bx := lipgloss.Width(al) + 3
			out.hits = append(out.hits, Hit{Y: len(out.lines), X0: bx, X1: bx + lipgloss.Width(btnR), ID: "connect"})
			add(al + "   " + btnR)
		}
	case p.errText() == "" && !p.n.OfflineNote:
		hint := c.T("network.choose_hint")
		if p.n.Online != "" {
			hint = c.T("network.online_hint")
		}
		add(st.Muted.Render(ansi.Truncate(hint, w, g.Ellipsis)))
	}
	if p.n.State == run.NetReady {
		if e := p.errText(); e != "" {
			add(st.Error.Render(wrapBody(g.Warning+" "+e, w)))
		}
		if p.n.OfflineNote {
			add(st.Muted.Render(wrapBody(c.T("network.offline_note"), w)))
		}
	}
	return out
}

func (p *networkPage) View(f Frame) Card {
	c := p.env
	k := c.Keys
	w, h := f.W, f.H
	var lines []string
	var hits []Hit
	pn := p.panel(w, f.Spin)
	// the Ethernet row only when the list and the panel still have room
	if h-len(pn.lines)-1 >= 5 {
		lines = append(lines, p.ethernetLine(w), "")
	}
	listH := max(1, h-len(lines)-len(pn.lines)-1)
	if p.n.State != run.NetScanning {
		l := p.list
		l.focused = p.ring.on("list")
		body, lh := l.view(c, w, listH)
		for _, ht := range lh {
			ht.Y += len(lines)
			hits = append(hits, ht)
		}
		lines = addLines(lines, body)
	}
	if len(lines)+1+len(pn.lines) <= h {
		lines = append(lines, "")
	}
	for _, ht := range pn.hits {
		ht.Y += len(lines)
		hits = append(hits, ht)
	}
	lines = append(lines, pn.lines...)
	if cut := len(lines) - h; cut > 0 { // a tiny body: the panel matters most
		lines = lines[cut:]
		var kept []Hit
		for _, ht := range hits {
			if ht.Y -= cut; ht.Y >= 0 {
				kept = append(kept, ht)
			}
		}
		hits = kept
	}

	var buttons []Button
	help := []key.Binding{k.Tab, k.Enter}
	switch {
	case p.n.Confirm != "":
		buttons = []Button{
			{ID: "cancel", Label: c.T("button.cancel"), Focused: p.ring.on("cancel")},
			{ID: "trust", Label: c.T("button.connect"), Primary: true, Focused: p.ring.on("trust")},
		}
		help = append(help, k.Back)
	case p.keyFor != "":
		buttons = []Button{
			{ID: "cancel", Label: c.T("button.cancel"), Focused: p.ring.on("cancel")},
			{ID: "next", Label: c.T("button.next"), Primary: true, Focused: p.ring.on("next")},
		}
		help = append(help, k.Back)
		if !p.keyReplayed {
			rev := k.Reveal
			if p.enterprise {
				rev.SetHelp(rev.Help().Key, c.T("help.reveal_password"))
			}
			help = append(help, rev)
		}
	default:
		if p.n.ScanFailed {
			buttons = append(buttons, Button{ID: "retry", Label: c.T("button.try_again"), Focused: p.ring.on("retry")})
		}
		if c.Windows10 {
			buttons = append(buttons, Button{ID: "offline", Label: c.T("network.offline"), Focused: p.ring.on("offline")})
		}
		buttons = append(buttons, Button{ID: "next", Label: c.T("button.next"), Primary: true,
			Focused: p.ring.on("next"), Disabled: p.n.Online == ""})
		help = append([]key.Binding{k.Up}, help...)
		if p.run.CanGoBack() {
			help = append(help, k.Back)
		}
	}
	return Card{Body: strings.Join(lines, "\n"), Hits: hits, Buttons: buttons, Help: help}
}

// hiddenNetworkPage asks for the name of a hidden network; its key is asked on the network
// page after.
type hiddenNetworkPage struct {
	pageCtx
	net  *networkPage
	in   field
	ring focusRing
}

func newHiddenNetworkPage(c pageCtx, net *networkPage) *hiddenNetworkPage {
	p := &hiddenNetworkPage{pageCtx: c, net: net, in: newField(c.env, c.env.T("network.ssid_placeholder"), false, capSSID)}
	p.in.maxBytes = capSSID
	p.ring.set("input", "cancel", "next")
	p.in.Focus()
	return p
}

func (p *hiddenNetworkPage) Heading() (string, string) {
	return p.env.T("network.title"), p.env.T("network.subtitle")
}

func (p *hiddenNetworkPage) press(id string) {
	switch id {
	case "cancel":
		p.run.Network().CancelEntry()
		p.nav.pop()
	case "next":
		name := strings.TrimSpace(p.in.Value())
		if name == "" {
			return
		}
		p.nav.pop()
		p.net.askKey(name, true)
	}
}

func (p *hiddenNetworkPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case p.ring.tab(k, msg, false):
			if p.ring.on("input") {
				p.in.Focus()
			} else {
				p.in.Blur()
			}
		case key.Matches(msg, k.Back):
			p.press("cancel")
		case key.Matches(msg, k.Enter):
			if p.ring.on("input") {
				p.press("next")
			} else {
				p.press(p.ring.cur)
			}
		case p.ring.on("input"):
			if p.in.refuses(msg) {
				p.unchanged() // 32 bytes: the longest SSID
				return nil
			}
			var cmd tea.Cmd
			p.in, cmd = p.in.Update(msg)
			return cmd
		}
	case tea.PasteMsg:
		var cmd tea.Cmd
		p.in, cmd = p.in.Update(msg)
		return cmd
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

func (p *hiddenNetworkPage) View(f Frame) Card {
	c := p.env
	k := c.Keys
	lines := []string{c.Styles.Text.Render(ansi.Truncate(c.T("network.ssid_label"), f.W, c.Glyphs.Ellipsis))}
	in := p.in
	lines = addLines(lines, renderInput(c, &in, min(f.W, 48), p.ring.on("input"), ""))
	return Card{
		Body: strings.Join(lines, "\n"),
		Buttons: []Button{
			{ID: "cancel", Label: c.T("button.cancel"), Focused: p.ring.on("cancel")},
			{ID: "next", Label: c.T("button.next"), Primary: true, Focused: p.ring.on("next")},
		},
		Help: []key.Binding{k.Tab, k.Enter, k.Back},
	}
}

// The replay's view of the page (replay.go): what it shows, and the actions done through
// its own handlers.

func (p *networkPage) replayForm() replayForm {
	f := replayForm{mode: "list", fields: map[string]string{}, toggles: map[string]bool{"expanded": p.expanded, "auto": p.auto}}
	switch {
	case p.n.State != run.NetReady:
		f.mode = "busy"
	case p.keyFor != "":
		f.mode = "key"
		f.fields["network"], f.fields["key"] = p.keyFor, p.keyIn.Value()
	}
	if it, ok := p.list.selected(); ok {
		f.selected = it.ID
	}
	return f
}

func (p *networkPage) replayAct(a replayAct) tea.Cmd {
	switch a.kind {
	case "select":
		p.list.selectID(a.value)
		p.expanded = false
		p.setRing()
		p.focus("list")
	case "toggle":
		p.press(a.target)
	case "type":
		p.focus("input")
		p.keyIn.SetValue(a.value)
		p.keyIn.CursorEnd()
		p.keyReplayed = true
		if p.reveal {
			p.press("reveal")
		}
	case "press":
		switch a.target {
		case "activate":
			p.focus("list")
			p.activate()
		default:
			p.focus(a.target)
			p.press(a.target)
		}
	}
	return nil
}

func (p *hiddenNetworkPage) replayForm() replayForm {
	return replayForm{mode: "ssid", fields: map[string]string{"ssid": p.in.Value()}}
}

func (p *hiddenNetworkPage) replayAct(a replayAct) tea.Cmd {
	switch a.kind {
	case "type":
		p.in.SetValue(a.value)
		p.in.CursorEnd()
	case "press":
		p.press(a.target)
	}
	return nil
}

// editKey gives a key or a paste to the network key box.
func (p *networkPage) editKey(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.keyIn, cmd = p.keyIn.Update(msg)
	if p.keyIn.Value() == "" {
		p.keyReplayed = false
	}
	return cmd
}

// resetKey empties the network key box.
func (p *networkPage) resetKey() {
	p.keyIn.Reset()
	p.keyReplayed = false
}

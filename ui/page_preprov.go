package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/themes"
)

// The pages of the pre-provisioning technician flow (reference §1.8; Microsoft's
// "Pre-provision Microsoft Entra join: Technician flow", steps 4–9): "What would you like to
// do?", the pre-provisioning page with the deployment's details and a QR code of the device,
// the red screen of a failure (on the ESP) and the green screen with Reseal.

// preprovChoicePage is "What would you like to do?": the pre-provisioning option, Next
// (Windows 10: Continue) and Back (Esc), which returns to the page where the Windows key was
// pressed.
type preprovChoicePage struct {
	pageCtx
	ring focusRing
}

func newPreprovChoicePage(c pageCtx) Page {
	p := &preprovChoicePage{pageCtx: c}
	p.ring.set("back", "next")
	p.ring.focus("next")
	return p
}

func (p *preprovChoicePage) Heading() (string, string) { return p.env.T("preprov.choice_title"), "" }

func (p *preprovChoicePage) press(id string) {
	t := p.run.Technician()
	if t == nil {
		return
	}
	switch id {
	case "next":
		_ = t.Choose()
	case "back":
		_ = t.Cancel()
	}
}

func (p *preprovChoicePage) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		p.ring.buttons(p.env.Keys, msg, p.press, func() { p.press("back") })
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

func (p *preprovChoicePage) View(f Frame) Card {
	c := p.env
	option := c.T("preprov.option")
	next := c.T("button.next")
	if c.Windows10 {
		option, next = c.T("preprov.option_win10"), c.T("preprov.continue")
	}
	lines := []string{truncate(c.Styles.ItemSelected.Render(c.Glyphs.Bullet+" "+option), f.W, c.Glyphs.Ellipsis), ""}
	lines = append(lines, styledLines(c.Styles.Muted, []string{c.T("preprov.option_text")}, f.W, c.Glyphs.Ellipsis)...)
	return Card{Body: clip(lines, f.H),
		Buttons: []Button{{ID: "back", Label: c.T("button.back"), Focused: p.ring.on("back")},
			{ID: "next", Label: next, Primary: true, Focused: p.ring.on("next")}},
		Help: []key.Binding{c.Keys.Tab, c.Keys.Enter, c.Keys.Back}}
}

// details are the deployment's lines every technician page shows: organization, profile,
// assigned user (when there is one) and, once provisioning started, the elapsed time.
func details(c *Env, r *run.Run, elapsed time.Duration, w int) []string {
	d := r.Device()
	lines := []string{
		c.T("preprov.organization", "name", d.Organization.DisplayName),
		c.T("preprov.profile", "name", d.Profile.Name),
	}
	if a := d.AssignedUser; a != nil && a.UPN != "" {
		lines = append(lines, c.T("preprov.user", "upn", a.UPN))
	}
	if elapsed > 0 {
		lines = append(lines, c.T("preprov.elapsed", "time", formatElapsed(elapsed)))
	}
	return styledLines(c.Styles.Text, lines, w, c.Glyphs.Ellipsis)
}

// styledLines wraps each text to w, styles every line on its own and cuts it to w (a word
// longer than w is cut, not left to widen the block).
func styledLines(st lipgloss.Style, texts []string, w int, ellipsis string) []string {
	var out []string
	for _, t := range texts {
		for _, l := range wrapLines(t, max(1, w)) {
			out = append(out, truncate(st.Render(l), w, ellipsis))
		}
	}
	return out
}

// clip keeps the first h lines and joins them.
func clip(lines []string, h int) string {
	if len(lines) > h {
		lines = lines[:max(0, h)]
	}
	return strings.Join(lines, "\n")
}

// formatElapsed writes a duration as h:mm:ss.
func formatElapsed(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// truncate cuts s to w cells.
func truncate(s string, w int, ellipsis string) string { return ansi.Truncate(s, max(0, w), ellipsis) }

// qrBlock draws data as a QR code in half blocks (two modules a cell, a quiet zone of two
// modules), light modules light on dark whatever the theme, so a phone camera reads it; nil
// when it does not fit in w×h or the glyphs are ASCII.
func qrBlock(c *Env, data string, w, h int) []string {
	if data == "" || c.Glyphs.IsASCII() {
		return nil
	}
	q, err := qrcode.New(data, qrcode.Low)
	if err != nil {
		return nil
	}
	q.DisableBorder = true
	bits := q.Bitmap() // true: a dark module
	const quiet = 2
	n := len(bits) + 2*quiet
	if n > w || (n+1)/2 > h {
		return nil
	}
	dark := func(y, x int) bool {
		y, x = y-quiet, x-quiet
		return y >= 0 && x >= 0 && y < len(bits) && x < len(bits) && bits[y][x]
	}
	style := lipgloss.NewStyle()
	if themes.UsesColor(c.Profile) {
		style = style.Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#000000"))
	}
	var out []string
	for y := 0; y < n; y += 2 {
		var b strings.Builder
		for x := range n {
			top, bottom := !dark(y, x), y+1 < n && !dark(y+1, x)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		out = append(out, style.Render(b.String()))
	}
	return out
}

// withQR lays out the details (and the lines of note under them) beside the QR code of data,
// wrapped to the room left of it, or above it when the width is too small, in w×h; without
// the code when it does not fit.
func withQR(c *Env, r *run.Run, data string, w, h int, note ...string) []string {
	info := func(w int) []string {
		lines := details(c, r, r.TechnicianElapsed(), w)
		for _, n := range note {
			lines = append(lines, "", c.Styles.Muted.Render(truncate(n, w, c.Glyphs.Ellipsis)))
		}
		return lines
	}
	qr := qrBlock(c, data, w, h)
	if len(qr) > 0 {
		if room := w - width(qr[0]) - 2; room >= 24 {
			if lines := beside(info(room), qr, w); len(lines) <= h {
				return lines
			}
		}
		if lines := beside(info(w), qr, 0); len(lines) <= h {
			return lines
		}
	}
	return info(w)
}

// beside puts block b to the right of lines a (a gap of two), or under them when the width
// is too small.
func beside(a, b []string, w int) []string {
	aw := 0
	for _, l := range a {
		aw = max(aw, width(l))
	}
	bw := 0
	for _, l := range b {
		bw = max(bw, width(l))
	}
	if len(b) == 0 {
		return a
	}
	if aw+2+bw > w {
		return append(append(append([]string(nil), a...), ""), b...)
	}
	var out []string
	for i := range max(len(a), len(b)) {
		left, right := "", ""
		if i < len(a) {
			left = a[i]
		}
		if i < len(b) {
			right = b[i]
		}
		out = append(out, padRight(left, aw)+"  "+right)
	}
	return out
}

// preprovPage is "Pre-provision with Windows Autopilot" (Windows 10: "Windows Autopilot
// Configuration"): the organization, the profile, the assigned user and a QR code of the
// device's identifier; Refresh downloads the profile again, Next (Windows 10: Provision)
// starts provisioning.
type preprovPage struct {
	pageCtx
	ring focusRing
}

func newPreprovPage(c pageCtx) Page {
	p := &preprovPage{pageCtx: c}
	p.ring.set("refresh", "provision")
	p.ring.focus("provision")
	return p
}

// Busy: the spinner turns while the profile downloads again.
func (p *preprovPage) Busy() bool {
	t := p.run.Technician()
	return t != nil && t.Refreshing
}

func (p *preprovPage) Heading() (string, string) {
	if p.env.Windows10 {
		return p.env.T("preprov.title_win10"), p.env.T("preprov.subtitle")
	}
	return p.env.T("preprov.title"), p.env.T("preprov.subtitle")
}

func (p *preprovPage) press(id string) {
	t := p.run.Technician()
	if t == nil {
		return
	}
	switch id {
	case "provision":
		_ = t.Provision()
	case "refresh":
		_ = t.Refresh()
	}
}

func (p *preprovPage) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		p.ring.buttons(p.env.Keys, msg, p.press, nil)
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

func (p *preprovPage) View(f Frame) Card {
	c := p.env
	label := c.T("button.next")
	if c.Windows10 {
		label = c.T("preprov.provision")
	}
	data, refreshing := "", false
	var note string
	if t := p.run.Technician(); t != nil {
		data, refreshing = t.QRData(), t.Refreshing
		switch {
		case t.Refreshing:
			note = f.Spin + " " + c.T("preprov.refreshing")
		case t.RefreshErr != nil:
			note = errorText(c, t.RefreshErr)
		}
	}
	var notes []string
	if note != "" {
		notes = append(notes, note)
	}
	lines := withQR(c, p.run, data, f.W, f.H, notes...)
	return Card{Body: clip(lines, f.H),
		Buttons: []Button{{ID: "refresh", Label: c.T("preprov.refresh"), Focused: p.ring.on("refresh"), Disabled: refreshing},
			{ID: "provision", Label: label, Primary: true, Focused: p.ring.on("provision"), Disabled: refreshing}},
		Help: []key.Binding{c.Keys.Tab, c.Keys.Enter}}
}

// banner is the result screens' coloured heading across the width: white on the theme's
// success or error colour (reverse video without colours).
func banner(c *Env, text string, ok bool, w int) []string {
	style := lipgloss.NewStyle().Bold(true).Width(w)
	if themes.UsesColor(c.Profile) {
		bg := c.Theme.Palette.Error
		if ok {
			bg = c.Theme.Palette.Success
		}
		style = style.Background(bg).Foreground(lipgloss.Color("#FFFFFF"))
	} else {
		style = style.Reverse(true)
	}
	icon := c.Glyphs.Cross
	if ok {
		icon = c.Glyphs.Check
	}
	blank := style.Render("")
	return []string{blank, style.Render(truncate(" "+icon+"  "+text, w, c.Glyphs.Ellipsis)), blank}
}

// preprovFailedPage is the red screen of a failed technician flow, above its ESP: the error
// with its code, the deployment's details and the elapsed time, Reset and Retry; on Windows
// 10 View diagnostics, on Windows 11 Ctrl+Shift+D (Microsoft's technician flow, step 9).
type preprovFailedPage struct {
	pageCtx
	esp  *espPage
	ring focusRing
}

func newPreprovFailedPage(esp *espPage) *preprovFailedPage {
	p := &preprovFailedPage{pageCtx: esp.pageCtx, esp: esp}
	ids := []string{"reset", "retry"}
	if p.env.Windows10 {
		ids = []string{"diagnostics", "reset", "retry"}
	}
	p.ring.set(ids...)
	p.ring.focus("retry")
	return p
}

func (p *preprovFailedPage) Heading() (string, string) { return p.env.T("preprov.failed_title"), "" }

func (p *preprovFailedPage) press(id string) {
	e := p.esp.e
	switch id {
	case "retry":
		_ = e.TryAgain()
	case "reset":
		_ = e.ResetDevice()
	case "diagnostics":
		p.esp.openDiagnostics()
	}
}

func (p *preprovFailedPage) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, p.env.Keys.Diagnostics) {
			p.esp.openDiagnostics()
			return nil
		}
		p.ring.buttons(p.env.Keys, msg, p.press, nil)
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

// failure is what failed: the code of the failed item (or the timeout, or the backend's
// words).
func (p *preprovFailedPage) failure() string {
	c := p.env
	e := p.esp.e
	if _, item, ok := p.run.ESP().Failed(); ok && item.Code != "" {
		name := item.Name
		if name == "" {
			name = c.T("esp.group." + item.ID)
		}
		return c.T("preprov.failed_code", "code", item.Code, "item", name)
	}
	if e.TimedOut {
		return c.T("esp.timed_out")
	}
	if e.Err != nil {
		return errorText(c, e.Err)
	}
	return c.T("esp.default_error")
}

func (p *preprovFailedPage) View(f Frame) Card {
	c := p.env
	lines := banner(c, c.T("preprov.failed"), false, f.W)
	lines = append(lines, "")
	lines = append(lines, styledLines(c.Styles.Error, []string{p.failure()}, f.W, c.Glyphs.Ellipsis)...)
	lines = append(lines, "")
	lines = append(lines, details(c, p.run, p.run.TechnicianElapsed(), f.W)...)
	if !c.Windows10 {
		lines = append(append(lines, ""), styledLines(c.Styles.Muted, []string{c.T("preprov.diagnostics_hint")}, f.W, c.Glyphs.Ellipsis)...)
	}
	if len(lines) > f.H {
		lines = lines[:f.H]
	}
	labels := map[string]string{"retry": "preprov.retry", "reset": "preprov.reset", "diagnostics": "esp.view_diagnostics"}
	card := Card{Body: strings.Join(lines, "\n"), Help: []key.Binding{c.Keys.Tab, c.Keys.Enter, c.Keys.Diagnostics}}
	for _, id := range p.ring.ids {
		card.Buttons = append(card.Buttons, Button{ID: id, Label: c.T(labels[id]), Primary: id == "retry", Focused: p.ring.on(id)})
	}
	return card
}

// preprovResultPage is the green screen: the deployment's details, the QR code (Windows 10
// only), the elapsed time and Reseal, which shuts the device down; then a black screen whose
// Enter powers the device on for the user flow.
type preprovResultPage struct{ pageCtx }

func newPreprovResultPage(c pageCtx) Page { return &preprovResultPage{pageCtx: c} }

// off reports whether the device was resealed (shut down).
func (p *preprovResultPage) off() bool {
	t := p.run.Technician()
	return t != nil && t.Resealed
}

// FullScreen: a device shut down is a black screen.
func (p *preprovResultPage) FullScreen() bool { return p.off() }

func (p *preprovResultPage) Heading() (string, string) { return p.env.T("preprov.done_title"), "" }

func (p *preprovResultPage) act() {
	t := p.run.Technician()
	if t == nil {
		return
	}
	if t.Resealed {
		_ = t.PowerOn()
		return
	}
	_ = t.Reseal()
}

func (p *preprovResultPage) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, p.env.Keys.Enter) {
			p.act()
		}
	case ButtonMsg:
		p.act()
	}
	return nil
}

func (p *preprovResultPage) View(f Frame) Card {
	c := p.env
	t := p.run.Technician()
	if p.off() {
		lines := strings.Split(centerBlock(c, c.T("preprov.off"), f.W, f.H), "\n")
		for i, l := range lines {
			lines[i] = truncate(l, f.W, c.Glyphs.Ellipsis)
		}
		return Card{Body: clip(lines, f.H)}
	}
	lines := banner(c, c.T("preprov.done"), true, f.W)
	lines = append(lines, "")
	info := details(c, p.run, p.run.TechnicianElapsed(), f.W)
	if c.Windows10 && t != nil {
		info = withQR(c, p.run, t.QRData(), f.W, f.H-len(lines))
	}
	lines = append(lines, info...)
	if note := append([]string{""}, styledLines(c.Styles.Muted, []string{c.T("preprov.reseal_text")}, f.W, c.Glyphs.Ellipsis)...); len(lines)+len(note) <= f.H {
		lines = append(lines, note...) // the QR code comes first where both do not fit
	}
	if len(lines) > f.H {
		lines = lines[:f.H]
	}
	return Card{Body: strings.Join(lines, "\n"),
		Buttons: []Button{{ID: "reseal", Label: c.T("preprov.reseal"), Primary: true, Focused: true}},
		Help:    []key.Binding{c.Keys.Enter}}
}

var (
	_ Page = (*preprovChoicePage)(nil)
	_ Page = (*preprovPage)(nil)
	_ Page = (*preprovFailedPage)(nil)
	_ Page = (*preprovResultPage)(nil)
)

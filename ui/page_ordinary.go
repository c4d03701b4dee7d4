package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// The pages of the ordinary OOBE that Autopilot skips (reference §1.2): only a device that
// Autopilot does not know (hash never uploaded, no profile assigned) shows them, which is how
// a trainer shows "the device is not registered".

// capDeviceName is the longest computer name Windows accepts.
const capDeviceName = flow.MaxDeviceNameLength

// deviceNamePage is "Let's name your device" (Windows 11): a name box, Skip for now and Next.
type deviceNamePage struct {
	pageCtx
	name field
	ring focusRing // "input", "skip", "next"
	err  string
}

func newDeviceNamePage(c pageCtx) Page {
	p := &deviceNamePage{pageCtx: c, name: newField(c.env, c.env.T("devicename.placeholder"), false, capDeviceName)}
	p.ring.set("input", "skip", "next")
	p.name.Focus()
	return p
}

func (p *deviceNamePage) Heading() (string, string) {
	return p.env.T("devicename.title"), p.env.T("devicename.subtitle")
}

func (p *deviceNamePage) press(id string) {
	switch id {
	case "skip":
		_ = p.run.SkipDeviceName()
	case "next", "input":
		if err := p.run.NameDevice(p.name.Value()); err != nil {
			p.err = p.env.T("devicename.invalid")
			if errors.Is(err, flow.ErrDeviceName) && strings.TrimSpace(p.name.Value()) == "" {
				p.err = p.env.T("devicename.empty")
			}
		}
	}
}

func (p *deviceNamePage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case ButtonMsg:
		p.press(msg.ID)
	case tea.PasteMsg:
		if p.ring.on("input") {
			var cmd tea.Cmd
			p.name, cmd = p.name.Update(msg)
			return cmd
		}
	case tea.KeyPressMsg:
		switch {
		case p.ring.tab(k, msg, false):
			if p.ring.on("input") {
				p.name.Focus()
			} else {
				p.name.Blur()
			}
		case key.Matches(msg, k.Enter):
			p.press(p.ring.cur)
		case p.ring.on("input"):
			if p.name.refuses(msg) {
				p.unchanged()
				return nil
			}
			p.err = ""
			var cmd tea.Cmd
			p.name, cmd = p.name.Update(msg)
			return cmd
		case p.ring.tab(k, msg, true):
		}
	}
	return nil
}

func (p *deviceNamePage) View(f Frame) Card {
	c := p.env
	st, g := c.Styles, c.Glyphs
	var lines []string
	add := func(s string) { lines = addLines(lines, s) }
	add(renderInput(c, &p.name, min(f.W, 40), p.ring.on("input"), ""))
	add(st.Muted.Render(wrapBody(c.T("devicename.rules"), f.W)))
	if p.err != "" {
		add(st.Error.Render(wrapBody(g.Warning+" "+p.err, f.W)))
	}
	return Card{
		Body: fit(strings.Join(lines, "\n"), f.W, f.H),
		Buttons: []Button{
			{ID: "skip", Label: c.T("button.skip_for_now"), Focused: p.ring.on("skip")},
			{ID: "next", Label: c.T("button.next"), Primary: true, Focused: p.ring.on("next")},
		},
		Help: []key.Binding{c.Keys.Tab, c.Keys.Enter},
	}
}

// setupChoicePage is "How would you like to set up this device?": personal use or work or
// school, then Next. After personal use the run has ended: the page says where that path goes
// and Enter starts the device again.
type setupChoicePage struct {
	pageCtx
	work bool
	ring focusRing // "list", "next"
}

func newSetupChoicePage(c pageCtx) Page {
	p := &setupChoicePage{pageCtx: c}
	p.ring.set("list", "next")
	return p
}

// personal reports whether the person chose personal use: the deployment is over.
func (p *setupChoicePage) personal() bool { return p.run.Ended() == "personal" }

func (p *setupChoicePage) Heading() (string, string) {
	if p.personal() {
		return p.env.T("setup.personal_title"), ""
	}
	return p.env.T("setup.title"), ""
}

func (p *setupChoicePage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	if p.personal() {
		if pressed(msg, k.Enter) {
			p.run.Restart("personal")
		}
		return nil
	}
	switch msg := msg.(type) {
	case ClickMsg:
		switch msg.ID {
		case "personal":
			p.work = false
		case "work":
			p.work = true
		}
		p.ring.focus("list")
	case ButtonMsg:
		_ = p.run.ChooseSetup(p.work)
	case tea.KeyPressMsg:
		switch {
		case p.ring.on("list") && (key.Matches(msg, k.Up) || key.Matches(msg, k.Down)):
			p.work = !p.work
		case p.ring.tab(k, msg, false):
		case key.Matches(msg, k.Enter):
			_ = p.run.ChooseSetup(p.work)
		}
	}
	return nil
}

func (p *setupChoicePage) View(f Frame) Card {
	c := p.env
	st, g := c.Styles, c.Glyphs
	if p.personal() {
		body := st.Text.Render(wrapBody(c.T("setup.personal_text"), f.W)) + "\n\n" + st.Muted.Render(wrapBody(c.T("setup.personal_again"), f.W))
		return Card{Body: fit(body, f.W, f.H), Help: []key.Binding{c.Keys.Enter}}
	}
	var lines []string
	var hits []Hit
	for _, o := range []struct {
		id, label, text string
		on              bool
	}{
		{"personal", c.T("setup.personal"), c.T("setup.personal_hint"), !p.work},
		{"work", c.T("setup.work"), c.T("setup.work_hint"), p.work},
	} {
		mark, style := "  ", st.Item
		if o.on {
			mark = g.Pointer + " "
			if p.ring.on("list") {
				style = st.ItemSelected
			}
		}
		hits = append(hits, Hit{Y: len(lines), X0: 0, X1: f.W, ID: o.id})
		lines = append(lines, style.Render(ansi.Truncate(mark+o.label, f.W-2, g.Ellipsis)))
		for _, l := range wrapLines(o.text, max(1, f.W-4)) {
			lines = append(lines, "    "+st.Muted.Render(l))
		}
		lines = append(lines, "")
	}
	return Card{
		Body:    fit(strings.Join(lines, "\n"), f.W, f.H),
		Hits:    hits,
		Buttons: []Button{{ID: "next", Label: c.T("button.next"), Primary: true, Focused: p.ring.on("next")}},
		Help:    []key.Binding{c.Keys.Up, c.Keys.Tab, c.Keys.Enter},
	}
}

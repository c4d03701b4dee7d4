package ui

import (
	"math"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/assets"
)

// eulaPage is the license agreement: the scrollable text, Decline and Accept. Declining
// opens the confirmation; turning the device off ends the run, and Enter starts a new one.
type eulaPage struct {
	pageCtx
	vp        viewport.Model
	ring      focusRing // "text", "decline", "accept"
	wrappedAt int
}

func newEULAPage(c pageCtx) Page {
	vp := viewport.New()
	vp.KeyMap.Left.SetEnabled(false)
	vp.KeyMap.Right.SetEnabled(false)
	p := &eulaPage{pageCtx: c, vp: vp}
	p.ring.set("text", "decline", "accept")
	p.ring.focus("accept")
	return p
}

// off reports whether the device was turned off after declining.
func (p *eulaPage) off() bool { return p.run.Ended() == "eula_declined" }

// FullScreen: a device turned off is a black screen.
func (p *eulaPage) FullScreen() bool { return p.off() }

func (p *eulaPage) Heading() (string, string) { return p.env.T("eula.title"), p.env.T("eula.subtitle") }

// Layout wraps the text for the width and sizes the viewport.
func (p *eulaPage) Layout(f Frame) {
	if p.wrappedAt != f.W {
		var paras []string
		for _, para := range strings.Split(assets.EULA(p.env.Cat.Locale()), "\n") {
			paras = append(paras, wrapBody(para, max(1, f.W-2)))
		}
		p.vp.SetContent(p.env.Styles.Text.Render(strings.Join(paras, "\n")))
		p.wrappedAt = f.W
	}
	p.vp.SetWidth(f.W)
	p.vp.SetHeight(max(1, f.H-1))
}

func (p *eulaPage) press(id string) tea.Cmd {
	switch id {
	case "accept":
		_ = p.run.AcceptEULA()
	case "decline":
		p.run.RecordEULAButton("decline")
		p.nav.push(newEULADeclinePage(p))
	case "restart":
		p.run.Restart("")
	}
	return nil
}

func (p *eulaPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if p.off() {
			if key.Matches(msg, k.Enter) {
				return p.press("restart")
			}
			return nil
		}
		switch {
		case p.ring.tab(k, msg, false):
		case key.Matches(msg, k.Enter):
			if p.ring.on("text") {
				return p.press("accept")
			}
			return p.press(p.ring.cur)
		default:
			var cmd tea.Cmd
			p.vp, cmd = p.vp.Update(msg)
			return cmd
		}
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		return cmd
	case ButtonMsg:
		return p.press(msg.ID)
	}
	return nil
}

func (p *eulaPage) View(f Frame) Card {
	c := p.env
	if p.off() {
		return Card{Body: centerBlock(c, c.T("eula.off"), f.W, f.H)}
	}
	bs := []Button{
		{ID: "decline", Label: c.T("button.decline"), Focused: p.ring.on("decline")},
		{ID: "accept", Label: c.T("button.accept"), Primary: true, Focused: p.ring.on("accept")},
	}
	k := c.Keys
	pct := c.Styles.Muted.Render(c.T("eula.scroll", "percent", strconv.Itoa(int(math.Round(p.vp.ScrollPercent()*100)))))
	return Card{Body: p.vp.View() + "\n" + pct, Buttons: bs, Help: []key.Binding{k.Up, k.PageUp, k.Tab, k.Enter}}
}

// eulaDeclinePage asks whether to turn the device off after declining the license.
type eulaDeclinePage struct {
	pageCtx
	eula *eulaPage
	ring focusRing
}

func newEULADeclinePage(eula *eulaPage) *eulaDeclinePage {
	p := &eulaDeclinePage{pageCtx: eula.pageCtx, eula: eula}
	p.ring.set("goback", "turnoff")
	return p
}

func (p *eulaDeclinePage) Heading() (string, string) {
	return p.env.T("eula.decline_title"), p.env.T("eula.decline_text")
}

func (p *eulaDeclinePage) press(id string) {
	switch id {
	case "goback":
		p.run.RecordEULAButton("goback")
		p.eula.ring.focus("accept")
		p.nav.pop()
	case "turnoff":
		_ = p.run.TurnOff()
		p.nav.pop()
	}
}

func (p *eulaDeclinePage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		p.ring.buttons(k, msg, p.press, func() { p.press("goback") })
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

func (p *eulaDeclinePage) View(f Frame) Card {
	c := p.env
	k := c.Keys
	return Card{
		Buttons: []Button{
			{ID: "goback", Label: c.T("button.go_back"), Focused: p.ring.on("goback")},
			{ID: "turnoff", Label: c.T("button.turn_off"), Primary: true, Focused: p.ring.on("turnoff")},
		},
		Help: []key.Binding{k.Tab, k.Enter, k.Back},
	}
}

// The replay's view of the page (replay.go): what it shows, and the actions done through
// its own handlers.

func (p *eulaPage) replayForm() replayForm { return replayForm{mode: "form"} }

func (p *eulaPage) replayAct(a replayAct) tea.Cmd {
	if a.kind == "press" {
		p.ring.focus(a.target)
		return p.press(a.target)
	}
	return nil
}

package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow/run"
)

// waitPage is "Just a moment…" while the device starts ("Restarting" when a person
// restarted it, run.RestartDevice); when it cannot start (a backend that does not answer),
// it says why, with Try again (run.RetryBoot) and Close. After shutdown /s the device is off:
// the page says so and Enter turns it on again (run.PowerOn).
type waitPage struct {
	pageCtx
	err  string
	ring focusRing // "retry", "close" while it says why the device did not start
}

func newWaitPage(c pageCtx) *waitPage { return &waitPage{pageCtx: c} }

// FullScreen: the wait covers the whole screen until it fails.
func (p *waitPage) FullScreen() bool { return p.err == "" }

// Busy: the spinner turns while the device starts.
func (p *waitPage) Busy() bool { return p.err == "" && !p.run.Off() }

func (p *waitPage) Heading() (string, string) {
	if p.err != "" {
		return p.env.T("error.boot"), ""
	}
	return "", ""
}

func (p *waitPage) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case outcomeMsg:
		if f, ok := msg.o.(*run.BootFailed); ok {
			// the heading already says "Something went wrong": the text says what
			p.err = strings.TrimPrefix(errorText(p.env, f.Err), p.env.T("error.boot")+": ")
			p.ring.set("close", "retry")
			p.ring.focus("retry")
		}
	case tea.KeyPressMsg:
		if p.err == "" && p.run.Off() && key.Matches(msg, p.env.Keys.Enter) {
			_ = p.run.PowerOn()
			return nil
		}
		if p.err != "" {
			var cmd tea.Cmd
			p.ring.buttons(p.env.Keys, msg, func(id string) { cmd = p.press(id) }, nil)
			return cmd
		}
	case ButtonMsg:
		if p.err != "" {
			return p.press(msg.ID)
		}
	}
	return nil
}

// press is a button of the page that says the device did not start: Try again boots it
// again, Close ends the program.
func (p *waitPage) press(id string) tea.Cmd {
	if id == "retry" {
		if p.run.RetryBoot() == nil {
			p.err = ""
		}
		return nil
	}
	return tea.Quit
}

func (p *waitPage) View(f Frame) Card {
	c := p.env
	if p.err == "" {
		switch {
		case p.run.Off():
			return Card{Body: centerBlock(c, c.T("off.text")+"\n\n"+c.T("off.hint"), f.W, f.H)}
		case p.run.Restarting():
			return Card{Body: centerBlock(c, f.Spin+"  "+c.T("updates.restarting"), f.W, f.H)}
		}
		return Card{Body: centerBlock(c, f.Spin+"  "+c.T("app.just_a_moment"), f.W, f.H)}
	}
	return Card{
		Body: c.Styles.Error.Render(wrapBody(p.err, f.W)),
		Buttons: []Button{
			{ID: "close", Label: c.T("button.close"), Focused: p.ring.on("close")},
			{ID: "retry", Label: c.T("button.try_again"), Primary: true, Focused: p.ring.on("retry")},
		},
		Help: []key.Binding{c.Keys.Enter},
	}
}

// messagePage shows a problem the person cannot fix from here; Enter closes the program.
type messagePage struct {
	pageCtx
	title, text string
}

func newMessagePage(c pageCtx, title, text string) *messagePage {
	return &messagePage{pageCtx: c, title: title, text: text}
}

func (p *messagePage) Heading() (string, string) { return p.title, "" }

func (p *messagePage) Update(msg tea.Msg) tea.Cmd {
	if pressed(msg, p.env.Keys.Enter) {
		return tea.Quit
	}
	if _, ok := msg.(ButtonMsg); ok {
		return tea.Quit
	}
	return nil
}

func (p *messagePage) View(f Frame) Card {
	c := p.env
	return Card{
		Body:    c.Styles.Error.Render(wrapBody(p.text, f.W)),
		Buttons: []Button{{ID: "close", Label: c.T("button.close"), Primary: true, Focused: true}},
		Help:    []key.Binding{c.Keys.Enter},
	}
}

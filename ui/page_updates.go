package ui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow/run"
)

// updatesPage is "Checking for updates" and, at the end of OOBE, the monthly quality update:
// progress from the run's Updates controller, the restart full screen, and on failure the
// error with Try again. Both move on by themselves.
type updatesPage struct {
	pageCtx
	u *run.Updates
}

func newUpdatesPage(c pageCtx) Page { return &updatesPage{pageCtx: c, u: c.run.Updates()} }

// msg is the catalog id of a text of this page: "updates.X" or "quality.X".
func (p *updatesPage) msg(x string) string {
	if p.u.Quality {
		return "quality." + x
	}
	return "updates." + x
}

// FullScreen: the restart covers the screen.
func (p *updatesPage) FullScreen() bool { return p.u.Restarting }

// Busy: the spinner turns until the check fails.
func (p *updatesPage) Busy() bool { return p.u.Err == nil }

func (p *updatesPage) Heading() (string, string) {
	c := p.env
	if p.u.Quality {
		return c.T("quality.title"), c.T("quality.subtitle")
	}
	if p.u.Resumed {
		return c.T("updates.resumed_title"), c.T("updates.subtitle")
	}
	return c.T("updates.title"), c.T("updates.subtitle")
}

func (p *updatesPage) Update(msg tea.Msg) tea.Cmd {
	switch {
	case pressed(msg, p.env.Keys.Enter), msg == ButtonMsg{ID: "retry"}:
		_ = p.u.Retry()
	}
	return nil
}

// progressBar draws a static bar of width w for fraction f (no animation, no ticks).
func progressBar(c *Env, f float64, w int) string {
	if w < 1 {
		return ""
	}
	f = math.Max(0, math.Min(1, f))
	full := int(math.Round(f * float64(w)))
	return c.Styles.ProgressFilled.Render(strings.Repeat(c.Glyphs.BarFull, full)) +
		c.Styles.ProgressEmpty.Render(strings.Repeat(c.Glyphs.BarEmpty, w-full))
}

func (p *updatesPage) View(f Frame) Card {
	c := p.env
	w, h := f.W, f.H
	if p.u.Restarting {
		return Card{Body: centerBlock(c, f.Spin+"  "+c.T(p.msg("restarting")), w, h)}
	}
	if p.u.Err != nil {
		text := c.T("updates.failed", "error", words(p.u.Err))
		return Card{
			Body:    c.Styles.Error.Render(wrapBody(c.Glyphs.Warning+" "+text, w)),
			Buttons: []Button{{ID: "retry", Label: c.T("button.try_again"), Primary: true, Focused: true}},
			Help:    []key.Binding{c.Keys.Enter},
		}
	}
	pct := fmt.Sprintf(" %3d%%", int(math.Round(p.u.Progress*100)))
	lines := []string{
		ansi.Truncate(f.Spin+" "+c.Styles.Text.Render(c.T(p.msg("phase."+p.u.Phase))), w, c.Glyphs.Ellipsis),
		"",
		ansi.Truncate(progressBar(c, p.u.Progress, max(1, min(w, 60)-len(pct)))+c.Styles.Text.Render(pct), w, ""),
		"",
	}
	for _, l := range wrapLines(c.T(p.msg("note")), w) {
		lines = append(lines, c.Styles.Muted.Render(l))
	}
	return Card{Body: strings.Join(lines[:min(len(lines), h)], "\n")}
}

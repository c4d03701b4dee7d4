package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow"
)

// newSpinner returns the app's spinner, drawn with the glyph set; it ticks only while a page
// that shows it is on screen (the root model decides).
func newSpinner(c *Env) spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.Spinner{Frames: c.Glyphs.Spinner, FPS: time.Second / 8}),
		spinner.WithStyle(c.Styles.Link))
}

// wrapBody wraps text to width and returns it as body lines.
func wrapBody(text string, width int) string { return strings.Join(wrapLines(text, width), "\n") }

// centerBlock centres a short text in a w×h area.
func centerBlock(c *Env, text string, w, h int) string {
	lines := wrapLines(text, w)
	block := strings.Join(lines, "\n")
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, c.Styles.Text.Render(block))
}

// spread puts left and right on one line of width w, the right part flush right.
func spread(left, right string, w int, ellipsis string) string {
	rw := width(right)
	if rw+2 >= w {
		return ansi.Truncate(left, w, ellipsis)
	}
	lw := width(left)
	if lw > w-rw-2 {
		left = ansi.Truncate(left, w-rw-2, ellipsis)
		lw = width(left)
	}
	return left + strings.Repeat(" ", max(2, w-lw-rw)) + right
}

// spreadLabelFirst is spread for a row whose left side matters most (an ESP category and its
// counter): when both do not fit, the right side is cut before the left, and left out when
// fewer than a few cells of it would show.
func spreadLabelFirst(left, right string, w int, ellipsis string) string {
	lw, rw := width(left), width(right)
	if lw+2+rw <= w {
		return left + strings.Repeat(" ", w-lw-rw) + right
	}
	const minRight = 6
	if lw+2+minRight > w {
		return ansi.Truncate(left, w, ellipsis) // the left side alone says enough
	}
	right = ansi.Truncate(right, w-lw-2, ellipsis)
	return left + strings.Repeat(" ", max(2, w-lw-width(right))) + right
}

// errorText words an error the page has no message of its own for: "Something went wrong"
// with the backend's words for it.
func errorText(c *Env, e *flow.Error) string {
	if e == nil {
		return ""
	}
	return c.T("signin.failed", "error", words(e))
}

// words is what an error says: its detail, else its code.
func words(e *flow.Error) string {
	if e.Detail != "" {
		return e.Detail
	}
	return string(e.Code)
}

// addLines appends the lines of a rendered block.
func addLines(lines []string, block string) []string {
	return append(lines, strings.Split(block, "\n")...)
}

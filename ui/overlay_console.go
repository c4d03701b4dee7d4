package ui

import (
	"image/color"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/themes"
)

// consoleOverlay is Shift+F10: an Administrator command prompt window over the OOBE
// (reference §1.8), drawn as Windows' console host draws cmd.exe: a title bar, grey text on
// black, the prompt at the end of the output. The run's Console interprets the lines; the
// overlay only edits them (bubbles' textinput: Left/Right, Home/End, Backspace/Delete,
// paste), keeps their history (Up/Down), clears the line on Esc as cmd does, cancels on
// Ctrl+C and scrolls with PgUp/PgDn. It stays open while the OOBE moves on, and closes with
// exit or when the device restarts.
type consoleOverlay struct {
	env     *Env
	con     *run.Console
	in      textinput.Model
	history []string
	hist    int    // the history entry on the line (len(history): the line being typed)
	draft   string // the line being typed, kept while Up shows history
	scroll  int    // rows scrolled back from the end
	page    int    // rows of the last frame's text area (a PgUp's step)
}

// maxConsoleLine is the longest line cmd.exe takes (8191 characters).
const maxConsoleLine = 8191

// maxConsoleHistory is how many lines the history keeps (doskey's default buffer is 50).
const maxConsoleHistory = 50

func newConsoleOverlay(c *Env, con *run.Console) *consoleOverlay {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = maxConsoleLine
	st := textinput.DefaultStyles(true)
	text := consoleText(c)
	st.Focused.Text, st.Blurred.Text, st.Focused.Prompt, st.Blurred.Prompt = text, text, text, text
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.Focus()
	return &consoleOverlay{env: c, con: con, in: in}
}

// keepOpen says the window outlives step changes: the OOBE goes on behind the prompt.
func (o *consoleOverlay) keepOpen() bool { return true }

// Closed reports whether the window is gone (exit, a restart, the device off).
func (o *consoleOverlay) Closed() bool { return o.con.Closed() }

func (o *consoleOverlay) Heading() (string, string) { return o.con.Title(), "" }

// Update edits the line and hands it to the console on Enter.
func (o *consoleOverlay) Update(msg tea.Msg) tea.Cmd {
	k := o.env.Keys
	switch msg := msg.(type) {
	case tea.PasteMsg:
		// one line at a time, as cmd reads a paste: the first line only
		msg.Content, _, _ = strings.Cut(strings.ReplaceAll(msg.Content, "\r", "\n"), "\n")
		var cmd tea.Cmd
		o.in, cmd = o.in.Update(msg)
		return cmd
	case tea.KeyPressMsg:
		switch {
		case msg.String() == "ctrl+c":
			if o.con.Busy() {
				o.con.Interrupt()
			} else {
				o.con.CancelLine(o.in.Value())
				o.in.Reset()
				o.hist = len(o.history)
			}
			o.scroll = 0
			return nil
		case key.Matches(msg, k.Back):
			o.in.Reset() // cmd's Esc: the line is cleared
			o.hist = len(o.history)
			return nil
		case key.Matches(msg, k.PageUp):
			o.scroll += max(1, o.page-1)
			return nil
		case key.Matches(msg, k.PageDown):
			o.scroll = max(0, o.scroll-max(1, o.page-1))
			return nil
		case key.Matches(msg, k.Up):
			o.recall(-1)
			return nil
		case key.Matches(msg, k.Down):
			o.recall(1)
			return nil
		case key.Matches(msg, k.Enter):
			if o.con.Busy() {
				return nil
			}
			line := o.in.Value()
			if strings.TrimSpace(line) != "" && (len(o.history) == 0 || o.history[len(o.history)-1] != line) {
				o.history = append(o.history, line)
				if len(o.history) > maxConsoleHistory {
					o.history = o.history[1:]
				}
			}
			o.hist, o.draft, o.scroll = len(o.history), "", 0
			o.in.Reset()
			_ = o.con.Exec(line)
			return nil
		}
		o.scroll = 0
	}
	var cmd tea.Cmd
	o.in, cmd = o.in.Update(msg)
	return cmd
}

// recall shows the previous (d -1) or next (d 1) line of the history, as cmd's Up and Down.
func (o *consoleOverlay) recall(d int) {
	if len(o.history) == 0 {
		return
	}
	if o.hist == len(o.history) {
		o.draft = o.in.Value()
	}
	o.hist = min(max(o.hist+d, 0), len(o.history))
	if o.hist == len(o.history) {
		o.in.SetValue(o.draft)
	} else {
		o.in.SetValue(o.history[o.hist])
	}
	o.in.CursorEnd()
	o.scroll = 0
}

// consoleColors are the console host's own (Campbell) colours, whatever the OOBE's theme.
var (
	consoleBack  color.Color = lipgloss.Color("#0C0C0C")
	consoleFore  color.Color = lipgloss.Color("#CCCCCC")
	consoleTitle color.Color = lipgloss.Color("#FFFFFF")
	consoleBar   color.Color = lipgloss.Color("#1F1F1F")
	consoleMuted color.Color = lipgloss.Color("#767676")
)

// consoleText is the style of the console's text: grey on black, or plain without colour.
func consoleText(c *Env) lipgloss.Style {
	s := lipgloss.NewStyle()
	if themes.UsesColor(c.Profile) {
		s = s.Foreground(consoleFore).Background(consoleBack)
	}
	return s
}

// View draws nothing in a card: the window draws itself (Window).
func (o *consoleOverlay) View(f Frame) Card { return Card{Body: o.Window(f.W, f.H)} }

// Window draws the console window w cells wide and h high: a thin frame (when there is
// room) around its title bar, the output and the prompt line.
func (o *consoleOverlay) Window(w, h int) string {
	c := o.env
	w, h = max(w, 4), max(h, 2)
	colour := themes.UsesColor(c.Profile)
	text := consoleText(c)
	bar := lipgloss.NewStyle().Bold(true)
	if colour {
		bar = bar.Foreground(consoleTitle).Background(consoleBar)
	} else {
		bar = bar.Reverse(true)
	}
	framed := w >= 30 && h >= 8
	iw, ih := w, h
	if framed {
		iw, ih = w-2, h-2
	}
	close := "✕"
	if c.Glyphs.IsASCII() {
		close = "x"
	}
	title := ansi.Truncate(" "+o.con.Title(), max(1, iw-4), c.Glyphs.Ellipsis)
	rows := []string{bar.Render(padRight(title, iw-3) + close + "  ")}

	// the output and the prompt line, wrapped at the window's width as the console host does;
	// only the rows on screen are wrapped (walking back from the end), so a long scrollback
	// costs nothing per key
	area := ih - 1 // under the title bar
	o.page = area
	var tail []string
	if !o.con.Busy() {
		prompt := o.con.Prompt()
		if pw := ansi.StringWidth(prompt); pw > iw-8 {
			prompt = ansi.TruncateLeft(prompt, pw-max(1, iw-8), c.Glyphs.Ellipsis)
		}
		o.in.SetWidth(max(1, iw-ansi.StringWidth(prompt)-1))
		tail = []string{prompt + "\x00"} // the input goes in place of the marker
	}
	lines := o.con.Lines()
	need := area + o.scroll
	var chunks [][]string
	n := len(tail)
	i := len(lines) - 1
	for ; i >= 0 && n < need; i-- {
		s := lines[i].Text
		if lines[i].ID != "" {
			s = c.T(lines[i].ID, lines[i].Args...)
		}
		w := wrapConsole(s, iw)
		chunks = append(chunks, w)
		n += len(w)
	}
	if i < 0 {
		o.scroll = min(o.scroll, max(0, n-area)) // the top of the scrollback is on screen
	}
	all := make([]string, 0, n)
	for j := len(chunks) - 1; j >= 0; j-- {
		all = append(all, chunks[j]...)
	}
	all = append(all, tail...)
	end := max(0, len(all)-o.scroll)
	for _, l := range all[max(0, end-area):end] {
		if before, ok := strings.CutSuffix(l, "\x00"); ok {
			in := o.in.View()
			rows = append(rows, text.Render(before)+in+text.Render(strings.Repeat(" ", max(0, iw-ansi.StringWidth(before)-ansi.StringWidth(in)))))
			continue
		}
		rows = append(rows, text.Render(padRight(l, iw)))
	}
	for len(rows) < ih {
		rows = append(rows, text.Render(strings.Repeat(" ", iw)))
	}
	body := strings.Join(rows, "\n")
	if !framed {
		return body
	}
	border := lipgloss.NormalBorder()
	if c.Glyphs.IsASCII() {
		border = lipgloss.ASCIIBorder()
	}
	box := lipgloss.NewStyle().Border(border)
	if colour {
		box = box.BorderForeground(consoleMuted).BorderBackground(consoleBack)
	}
	return box.Render(body)
}

// hint is the line under the window, in place of the OOBE's help line: the console's keys.
func (o *consoleOverlay) hint(w int) string {
	c := o.env
	h := c.T("console.hint")
	if o.con.Busy() {
		h = c.T("console.busy") + "  " + h
	}
	return c.Styles.HelpDesc.Render(padRight(ansi.Truncate(" "+h, w, c.Glyphs.Ellipsis), w))
}

// wrapConsole cuts a line into rows of at most w cells (an empty line stays one row).
func wrapConsole(s string, w int) []string {
	s = strings.ReplaceAll(s, "\t", "    ")
	if ansi.StringWidth(s) <= w {
		return []string{s}
	}
	return strings.Split(ansi.Hardwrap(s, w, true), "\n")
}

// consoleSize is the console window's size in a w×h terminal (the last row is its hint):
// nearly the whole screen, the OOBE showing at the sides when there is room.
func consoleSize(w, h int) (int, int) {
	cw := w
	if w >= 90 {
		cw = min(w-4, 120)
	}
	return cw, max(1, h-1)
}

// drawConsole draws the console window over content (a w×h screen), from the top row,
// with its hint on the last row. Each row of the window replaces the columns it covers (no
// compositor: a key at the prompt redraws the frame, and must stay cheap).
func (m *Model) drawConsole(o *consoleOverlay, content string) string {
	cw, ch := consoleSize(m.w, m.h)
	x := max(0, (m.w-cw)/2)
	win := strings.Split(o.Window(cw, ch), "\n")
	lines := strings.Split(content, "\n")
	out := make([]string, m.h)
	for y := range out {
		l := ""
		if y < len(lines) {
			l = lines[y]
		}
		switch {
		case y == m.h-1:
			out[y] = o.hint(m.w)
		case y < len(win):
			row := win[y]
			if x == 0 && ansi.StringWidth(row) >= m.w {
				out[y] = row
				continue
			}
			out[y] = padRight(ansi.Truncate(l, x, ""), x) + row + ansi.TruncateLeft(l, x+ansi.StringWidth(row), "")
		default:
			out[y] = l
		}
	}
	return strings.Join(out, "\n")
}

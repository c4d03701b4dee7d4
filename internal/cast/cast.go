// Package cast records what a program writes to its terminal as an asciicast v2 file (the
// format asciinema plays): a header line with the terminal's size, then one JSON array a
// line for each write ([seconds, "o", data]) and resize ([seconds, "r", "WxH"]).
//
// A secret shown in clear on screen (the program says so, Frame.Secret) never reaches the
// file: while one is shown the writes go to the terminal only, and once the program draws a
// frame without it again the file gets that screen whole, redrawn from a virtual terminal
// that followed every write, and goes on from there.
package cast

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// Header is the first line of an asciicast v2 file.
type Header struct {
	Version   int               `json:"version"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Timestamp int64             `json:"timestamp"`
	Title     string            `json:"title,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
}

// Frame is what the program drew last: its size, whether a secret shows in clear, and the
// frame itself.
type Frame struct {
	W, H    int
	Secret  bool
	Content string
}

// Recorder is an io.Writer in front of the terminal that records every write.
type Recorder struct {
	mu      sync.Mutex
	term    io.Writer
	out     *bufio.Writer
	elapsed func() time.Duration
	last    float64
	em      *vt.Emulator
	w, h    int
	secret  bool     // the program says a secret is on screen
	holding bool     // writes reach the terminal only, until a frame without a secret is shown
	clean   []string // the last frames drawn without a secret, as plain text
	pending []byte   // the start of a character whose end the next write brings
	err     error
}

// New writes the header to out and returns a recorder that passes writes on to term. elapsed
// is the time of an event since the start (real or emulated: the caller chooses).
func New(out io.Writer, term io.Writer, h Header, elapsed func() time.Duration) (*Recorder, error) {
	h.Version = 2
	r := &Recorder{term: term, out: bufio.NewWriter(out), elapsed: elapsed, em: vt.NewEmulator(h.Width, h.Height), w: h.Width, h: h.Height}
	go func() { _, _ = io.Copy(io.Discard, r.em) }() // the virtual terminal's replies to queries
	b, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if _, err := r.out.Write(append(b, '\n')); err != nil {
		return nil, err
	}
	return r, nil
}

// Write passes p to the terminal and records it (see the package comment for secrets).
func (r *Recorder) Write(p []byte) (int, error) {
	n, err := r.term.Write(p)
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _ = r.em.Write(p[:n])
	switch {
	case r.secret:
		r.holding = true
	case r.holding:
		if r.screenIsClean() {
			r.holding = false
			r.event("o", r.redraw())
		}
	default:
		data := append(r.pending, p[:n]...)
		// a character the terminal got in two writes is recorded whole in the second event
		cut := len(data)
		for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
			if utf8.RuneStart(data[i]) {
				if !utf8.FullRune(data[i:]) {
					cut = i
				}
				break
			}
		}
		r.pending = append([]byte(nil), data[cut:]...)
		if cut > 0 {
			r.event("o", string(data[:cut]))
		}
	}
	return n, err
}

// Shown tells the recorder the frame the program drew (before the terminal gets it): its size
// (a change is a resize event) and whether it shows a secret.
func (r *Recorder) Shown(f Frame) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f.W > 0 && f.H > 0 && (f.W != r.w || f.H != r.h) {
		r.w, r.h = f.W, f.H
		r.em.Resize(f.W, f.H)
		r.event("r", fmt.Sprintf("%dx%d", f.W, f.H))
	}
	r.secret = f.Secret
	if !f.Secret && r.holding {
		r.clean = append(r.clean, plain(f.Content))
		if len(r.clean) > 4 {
			r.clean = r.clean[1:]
		}
	}
	if !r.holding {
		r.clean = r.clean[:0]
	}
}

// screenIsClean reports whether the virtual terminal shows one of the frames drawn without a
// secret: only then is its screen written to the file.
func (r *Recorder) screenIsClean() bool {
	scr := plain(r.em.String())
	for _, c := range r.clean {
		if c == scr {
			return true
		}
	}
	return false
}

// redraw is the virtual terminal's screen as one write: clear, every line with its styles,
// the cursor where it is.
func (r *Recorder) redraw() string {
	var b strings.Builder
	b.WriteString("\x1b[H\x1b[2J")
	b.WriteString(strings.ReplaceAll(r.em.Render(), "\n", "\r\n"))
	b.WriteString("\x1b[m")
	pos := r.em.CursorPosition()
	b.WriteString(ansi.CursorPosition(pos.X+1, pos.Y+1))
	return b.String()
}

// plain is s without styles, each line without trailing blanks, trailing empty lines dropped.
func plain(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// event writes one event line; the times never go back.
func (r *Recorder) event(kind, data string) {
	if r.err != nil {
		return
	}
	t := r.elapsed().Seconds()
	if t < r.last {
		t = r.last
	}
	r.last = t
	b, err := json.Marshal([]any{json.Number(fmt.Sprintf("%.6f", t)), kind, data})
	if err == nil {
		_, err = r.out.Write(append(b, '\n'))
	}
	if err == nil {
		err = r.out.Flush() // a run cut off leaves a file that plays up to there
	}
	r.err = err
}

// Close writes what is buffered and reports the first error writing the file.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.out.Flush(); r.err == nil {
		r.err = err
	}
	closeReplies(r.em)
	return r.err
}

// closeReplies ends the virtual terminal's replies, so the goroutine draining them returns.
// It closes the reply pipe itself rather than calling Close: vt v0.1.0's Close races with a
// Read in progress.
func closeReplies(em *vt.Emulator) {
	if pw, ok := em.InputPipe().(*io.PipeWriter); ok {
		_ = pw.Close()
	}
}

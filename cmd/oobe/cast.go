package main

import (
	"fmt"
	"os"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/internal/cast"
)

// castConfig is --cast FILE and --cast-time.
type castConfig struct {
	path, timing string
}

// checkCastFlags refuses a --cast-time other than real or emulated.
func checkCastFlags(c castConfig) error {
	if c.timing != "real" && c.timing != "emulated" {
		return usageError{fmt.Sprintf("--cast-time must be real or emulated, got %q", c.timing)}
	}
	return nil
}

// castFile is a run's recording: the recorder in front of the terminal and its file.
type castFile struct {
	rec   *cast.Recorder
	f     *os.File
	clock flow.Clock // the run's clock, for emulated timing (set once the run is built)
	start time.Time
}

// openCast creates the --cast file (a regular file, 0600; an existing one is replaced, a
// symbolic link refused) and writes its header: the terminal's size now, TERM, and in the
// title which timing it has. Real timing is the default whatever --speed or --answers: a
// cast shows what a person watching saw; --cast-time emulated gives the emulated times of
// the device instead (the same at every speed).
func openCast(c castConfig, sp speed, replay bool, getenv func(string) string) (*castFile, error) {
	if _, err := checkTarget(c.path); err != nil {
		return nil, err
	}
	w, h, err := term.GetSize(os.Stdout.Fd())
	if err != nil || w <= 0 || h <= 0 {
		w, h = 80, 24
	}
	f, err := os.OpenFile(c.path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	cf := &castFile{f: f, start: time.Now()}
	title := "oobe, real timing"
	elapsed := func() time.Duration { return time.Since(cf.start) }
	if c.timing == "emulated" {
		title = "oobe, emulated timing (the device's own times)"
		var t0 time.Time
		elapsed = func() time.Duration {
			if cf.clock == nil {
				return 0
			}
			if t0.IsZero() {
				t0 = cf.clock.Now()
			}
			return cf.clock.Now().Sub(t0)
		}
	} else if sp.factor != 1 || replay {
		title += fmt.Sprintf(" (the run went at --speed %s%s)", speedName(sp), map[bool]string{true: ", replaying answers"}[replay])
	}
	env := map[string]string{}
	if t := getenv("TERM"); t != "" {
		env["TERM"] = t
	}
	cf.rec, err = cast.New(f, os.Stdout, cast.Header{Width: w, Height: h, Timestamp: cf.start.Unix(), Title: title, Env: env}, elapsed)
	if err != nil {
		f.Close()
		return nil, err
	}
	return cf, nil
}

// shown is the model's OnFrame: the recorder learns each frame before the terminal gets it.
func (c *castFile) shown(w, h int, secret bool, content string) {
	c.rec.Shown(cast.Frame{W: w, H: h, Secret: secret, Content: content})
}

// output is what the program writes to: the recorder, still the terminal for Bubble Tea
// (term.File: its size, raw mode), so the cast is exactly what the terminal got.
func (c *castFile) output() *castOutput { return &castOutput{Recorder: c.rec, tty: os.Stdout} }

// castOutput is the terminal with the recorder in front of its writes.
type castOutput struct {
	*cast.Recorder
	tty *os.File
}

// Read reads from the terminal.
func (o *castOutput) Read(p []byte) (int, error) { return o.tty.Read(p) }

// Fd is the terminal's file descriptor.
func (o *castOutput) Fd() uintptr { return o.tty.Fd() }

// Close leaves the terminal and the recording open: the program's exit closes the cast.
func (o *castOutput) Close() error { return nil }

// close ends the recording.
func (c *castFile) close() error {
	err := c.rec.Close()
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func speedName(sp speed) string {
	if sp.factor == 0 {
		return "max"
	}
	return fmt.Sprintf("%g", sp.factor)
}

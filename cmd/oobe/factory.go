package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	flowrun "github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/themes"
	"github.com/oobe-emu/oobe/ui"
)

// speed is the --speed value: a factor of real time, or max (the virtual clock).
type speed struct {
	factor float64 // 0 for max
}

// frameInterval is the shortest time between two frames of the run's own progress: about
// the 60 frames a second Bubble Tea shows at most.
const frameInterval = 16 * time.Millisecond

// maxSpeedFactor is the largest factor of real time --speed accepts.
const maxSpeedFactor = 1e6

// parseSpeed reads --speed: "max", or a number from 0.01 to 1000000.
func parseSpeed(s string) (speed, error) {
	if strings.EqualFold(strings.TrimSpace(s), "max") {
		return speed{}, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0.01 || f > maxSpeedFactor {
		return speed{}, usageError{fmt.Sprintf("--speed must be max or a number from 0.01 to %g, got %q", maxSpeedFactor, s)}
	}
	return speed{factor: f}, nil
}

// factory builds one run of the emulator and its program: the clock, the backend, the run
// and the root model. It is the one place that knows how they fit, so a server can build one
// per person.
type factory struct {
	world         *sim.World
	theme         themes.Theme
	windows       flow.WindowsVersion
	ascii         bool
	locale        string
	region        string
	speed         speed
	seed          int64
	wired         bool
	dc            string // --dc: the real domain controller a hybrid join checks
	finishRestart bool
	script        *answers.Script
	answersDelay  time.Duration
	answersClock  flow.Clock
	writeAnswers  string
	files         flowrun.Files
	id            string // the run's id ("": made up)
	static        bool
	faults        []flow.ScheduledFault // faults the run turns on at their steps
	trainer       bool                  // the F9 trainer panel is enabled
	windowsKey    bool                  // ask the terminal for the Windows key (--windows-key)
	backend       backendConfig
	token         string                                      // the bearer token of --backend http ("": none)
	onFrame       func(w, h int, secret bool, content string) // --cast: told every frame drawn
}

// runDir is where a run writes its files: out when given, else a directory of its own (by
// the run's id) under the user's cache directory, made when the first file is written.
func runDir(out, id string) flowrun.Dir {
	if out != "" {
		return flowrun.Dir(out)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return flowrun.Dir(filepath.Join(base, "oobe", "runs", id))
}

// built is one run ready to play.
type built struct {
	model *ui.Model
	run   *flowrun.Run
	clock flow.Clock
	// close ends the backend (a helper process stops); call it once the program is over.
	close func()
}

// clock returns the run's emulated clock: a virtual clock that jumps to the next wake-up for
// max, else one that flows at the factor of real time while the device is idle. Either way
// processing takes no emulated time, so every speed gives the same emulated timings.
//
// With a remote backend the backend keeps its own time and is told the speed in its hello;
// at max the run's clock still moves only while nothing waits on the backend (its own
// pauses pass at once, and a remote ESP is never timed out by the run), at a factor it flows
// at that factor of real time even while a remote call is under way.
func (f factory) clock() flow.Clock {
	if f.speed.factor == 0 {
		return flow.NewVirtualClock(time.Now())
	}
	c := flow.NewPacedClock(time.Now(), f.speed.factor, nil)
	if f.backend.remote() {
		return untracked{c}
	}
	return c
}

// build makes the run and its model; the device reports how it booted before the first
// frame, so the first frame is already the first page.
func (f factory) build(rec *flow.Recorder) (built, error) {
	clock := f.clock()
	flow.Hold(clock) // the emulated time stands still while the run is built (the model holds it next)
	defer flow.Release(clock)
	backend, closeBackend, err := f.backendFor(clock)
	if err != nil {
		return built{}, err
	}
	boot, err := backend.Boot(context.Background())
	switch {
	case err != nil && f.backend.remote():
		// the backend did not answer at power-on: the first page says why and offers Try
		// again (the run boots again then)
	case err != nil:
		closeBackend()
		return built{}, fmt.Errorf("the device did not start: %w", err)
	}
	cfg := flowrun.Config{
		Backend: backend, Clock: clock, Recorder: rec, Windows: f.windows, Locale: f.locale,
		Frontend: "tui " + f.theme.Name, Files: f.files, ID: f.id, Faults: f.faults,
	}
	if f.script != nil {
		cfg.From = f.script.File
	}
	if f.writeAnswers != "" {
		cfg.SaveAnswers = (&answersWriter{path: f.writeAnswers}).save
	}
	r := flowrun.New(cfg)
	if err != nil {
		r.Start(nil) // its boot task fails again, on the wait page, with Try again
	} else {
		r.Start(&boot)
	}
	m := ui.New(ui.Options{
		Run: r, Clock: clock, Theme: f.theme, ASCII: f.ascii, Region: f.region, Static: f.static,
		FinishRestart: f.finishRestart, Answers: f.script, AnswersDelay: f.answersDelay, AnswersClock: f.answersClock,
		FrameInterval: frameInterval, Trainer: f.trainer, WindowsKey: f.windowsKey, OnFrame: f.onFrame,
	})
	return built{model: m, run: r, clock: clock, close: closeBackend}, nil
}

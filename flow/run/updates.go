package run

import (
	"context"

	"github.com/oobe-emu/oobe/flow"
)

// Updates is the controller of the two update pages: "Checking for updates" once the device
// is online (it downloads the Autopilot profile first, reference §1.1) and the monthly
// quality update at the end of OOBE (Quality, reference §3.7). The page follows the
// backend's stream, shows the restart, and moves on by itself when the stream is done.
type Updates struct {
	r *Run
	// Quality is true on the quality-update page.
	Quality bool
	// Phase is the part of the work going on ("checking", "downloading", "installing",
	// "finishing").
	Phase string
	// Progress is the fraction of Phase done, 0–1.
	Progress float64
	// Restarting is true while the device restarts.
	Restarting bool
	// Resumed is true once the device is back after a restart.
	Resumed bool
	// Err is why the check failed (the page offers Try again); nil while it goes on.
	Err *flow.Error
	f   *follower
}

// UpdatesProgressed says the update stream moved on (progress, a restart, the return).
type UpdatesProgressed struct{}

// UpdatesFailed says the check failed: Err says why.
type UpdatesFailed struct {
	// Err is why.
	Err *flow.Error
}

func newUpdates(r *Run, quality bool) *Updates {
	u := &Updates{r: r, Quality: quality}
	u.start()
	return u
}

// Updates returns the controller of the update page on screen (nil on another step).
func (r *Run) Updates() *Updates {
	u, _ := r.ctl.(*Updates)
	return u
}

// start begins the work: the profile download when the device does not have it yet, then
// the update stream.
func (u *Updates) start() {
	r := u.r
	u.Phase, u.Progress, u.Err, u.Restarting = "checking", 0, nil, false
	if u.Quality {
		u.Phase = "downloading"
	}
	if u.Quality || r.device != nil {
		u.stream()
		return
	}
	r.task("profile", r.ctx, func(ctx context.Context) func() Outcome {
		p, err := r.backend.DownloadProfile(ctx)
		return func() Outcome {
			if err != nil {
				return u.fail(flow.AsError(err))
			}
			r.setDevice(p)
			u.stream()
			return &UpdatesProgressed{}
		}
	})
}

// setDevice keeps the downloaded profile and applies it to the steps still to come.
func (r *Run) setDevice(p flow.DeviceProfile) {
	r.device = &p
	r.log(flow.RecordEvent, flow.EventData{Event: "profile_downloaded", Detail: p.Profile.Name})
	if r.session.Replan(p.Profile) {
		r.log(flow.RecordPlan, flow.PlanData{Steps: r.session.Steps(), Reason: "profile downloaded"})
	}
}

// stream follows the backend's update stream.
func (u *Updates) stream() {
	r := u.r
	open := r.backend.CheckUpdates
	name := "updates"
	if u.Quality {
		open, name = r.backend.QualityUpdates, "quality"
	}
	u.f = r.follow(name, open, u.event, func(err *flow.Error) Outcome {
		if err == nil {
			err = flow.Errorf(flow.CodeProtocol, "the update check ended without finishing")
		}
		return u.fail(err)
	})
}

// event applies one event of the update stream.
func (u *Updates) event(ev flow.Event) Outcome {
	r := u.r
	r.logProgress(ev)
	switch ev.Kind {
	case flow.EventUpdateProgress:
		u.Phase, u.Progress = ev.Phase, ev.Progress
	case flow.EventUpdateRestart:
		u.Restarting = true
	case flow.EventUpdateResumed:
		u.Restarting, u.Resumed = false, true
	case flow.EventUpdateDone:
		u.f.Stop()
		if u.Quality && u.Resumed && r.session.InsertNext(flow.StepWindowsSignIn, "") {
			// after the quality update's restart nobody is signed in (reference §3.7)
			r.log(flow.RecordPlan, flow.PlanData{Steps: r.session.Steps(), Reason: "restarted: the user signs in again"})
		}
		r.advance()
		return nil
	case flow.EventError:
		u.f.Stop()
		err := ev.Error
		if err == nil {
			err = flow.Errorf(flow.CodeInternal, "the update check failed")
		}
		return u.fail(err)
	}
	return &UpdatesProgressed{}
}

// fail shows the failure with Try again.
func (u *Updates) fail(err *flow.Error) Outcome {
	u.Err, u.Restarting = err, false
	u.r.log(flow.RecordError, flow.ErrorData{Error: "updates", Detail: err.Error()})
	return &UpdatesFailed{Err: err}
}

// Retry starts the check again after a failure.
func (u *Updates) Retry() error {
	r := u.r
	want := flow.StepUpdates
	if u.Quality {
		want = flow.StepQualityUpdates
	}
	if err := r.at(want); err != nil {
		return err
	}
	if u.Err == nil {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "retry"})
	u.start()
	return nil
}

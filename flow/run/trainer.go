package run

import (
	"context"
	"slices"

	"github.com/oobe-emu/oobe/flow"
)

// Trainer is the run's side of the trainer panel (issue 10): the backend's faults turned on
// and off now or at a later step, and the emulated clock paused. It exists only when the
// backend implements flow.Trainer. Every use goes into the record.
type Trainer struct {
	r *Run
	t flow.Trainer
	// faults is the backend's catalogue as last listed, with the changes asked since.
	faults []flow.FaultInfo
	listed bool
	// schedule is what turns on when its step is first entered; fired are those done.
	schedule []flow.ScheduledFault
	fired    map[flow.ScheduledFault]bool
	// gate is closed once this step entry's scheduled faults are on: the entry's other
	// tasks wait for it, so the step's own work meets them.
	gate    chan struct{}
	gateGen uint64
	paused  bool
	err     *flow.Error
	// rehearsal is what a person would type, for the jump to a step (nil until asked).
	rehearsal *flow.Rehearsal
}

// TrainerChanged says the trainer's state changed (the fault list came, a fault was turned
// on or off, or the backend refused it).
type TrainerChanged struct{}

// newTrainer returns the run's trainer when the backend is one, else nil.
func newTrainer(r *Run, schedule []flow.ScheduledFault) *Trainer {
	t, ok := r.backend.(flow.Trainer)
	if !ok {
		return nil
	}
	return &Trainer{r: r, t: t, schedule: slices.Clone(schedule), fired: map[flow.ScheduledFault]bool{}}
}

// Trainer is the trainer's side of the run; nil when the backend offers no faults.
func (r *Run) Trainer() *Trainer { return r.trainer }

// Faults is the backend's fault catalogue with which are on (nil until Refresh's task came
// back).
func (t *Trainer) Faults() []flow.FaultInfo { return t.faults }

// Listed reports whether the catalogue has come from the backend.
func (t *Trainer) Listed() bool { return t.listed }

// Err is the backend's last refusal, nil when the last action worked.
func (t *Trainer) Err() *flow.Error { return t.err }

// Scheduled lists the faults that will turn on when their step is first entered.
func (t *Trainer) Scheduled() []flow.ScheduledFault {
	var out []flow.ScheduledFault
	for _, f := range t.schedule {
		if !t.fired[f] {
			out = append(out, f)
		}
	}
	return out
}

// Paused reports whether the trainer paused the emulated clock.
func (t *Trainer) Paused() bool { return t.paused }

// Refresh asks the backend for its fault catalogue (a task; TrainerChanged when it came).
func (t *Trainer) Refresh() {
	t.r.task("trainer.faults", t.r.life, func(ctx context.Context) func() Outcome {
		list, err := t.t.Faults(ctx)
		return func() Outcome {
			if err != nil {
				t.err = flow.AsError(err)
				return &TrainerChanged{}
			}
			t.faults, t.listed, t.err = list, true, nil
			return &TrainerChanged{}
		}
	})
}

// SetFault turns the fault named name on or off now (a task).
func (t *Trainer) SetFault(name string, on bool) {
	t.set([]string{name}, on, "", nil)
}

// set turns faults on or off, one after the other, in one task and records each when the
// backend answered; at is the step scheduled faults fired at ("" for the panel's own);
// done, when not nil, is closed once the backend did them.
func (t *Trainer) set(names []string, on bool, at flow.StepID, done chan struct{}) {
	t.r.task("trainer.fault", t.r.life, func(ctx context.Context) func() Outcome {
		errs := make([]error, len(names))
		for i, name := range names {
			errs[i] = t.t.SetFault(ctx, name, on)
		}
		if done != nil {
			close(done)
		}
		return func() Outcome {
			for i, name := range names {
				d := flow.TrainerData{Action: "fault", Fault: name, On: &on, At: at}
				if err := errs[i]; err != nil {
					t.err = flow.AsError(err)
					d.Error = t.err.Error()
				} else {
					t.err = nil
					for j := range t.faults {
						if t.faults[j].Name == name {
							t.faults[j].On = on
						}
					}
				}
				t.r.log(flow.RecordTrainer, d)
			}
			return &TrainerChanged{}
		}
	})
}

// Schedule turns the fault named name on when the run first enters step at (at once when
// it is the step on screen).
func (t *Trainer) Schedule(name string, at flow.StepID) {
	f := flow.ScheduledFault{Name: name, At: at}
	if !slices.Contains(t.schedule, f) {
		t.schedule = append(t.schedule, f)
	}
	delete(t.fired, f)
	t.r.log(flow.RecordTrainer, flow.TrainerData{Action: "schedule", Fault: name, At: at})
	if t.r.session != nil && t.r.session.Current() == at {
		t.fire()
	}
}

// Rehearse asks the backend what a person would type on a practice run (a task;
// TrainerChanged when it came, then Rehearsal has it).
func (t *Trainer) Rehearse() {
	t.r.task("trainer.rehearsal", t.r.life, func(ctx context.Context) func() Outcome {
		reh, err := t.t.Rehearsal(ctx)
		return func() Outcome {
			if err != nil {
				t.err = flow.AsError(err)
				return &TrainerChanged{}
			}
			t.rehearsal, t.err = &reh, nil
			return &TrainerChanged{}
		}
	})
}

// Rehearsal is what a person would type, once Rehearse's task came back (nil before).
func (t *Trainer) Rehearsal() *flow.Rehearsal { return t.rehearsal }

// RecordJump records the trainer's jump to step at: started, or arrived (done) or stopped
// on the way (with why).
func (t *Trainer) RecordJump(at flow.StepID, action, why string) {
	t.r.log(flow.RecordTrainer, flow.TrainerData{Action: action, At: at, Error: why})
}

// Pause stops the emulated clock (the device and the cloud wait) until Resume.
func (t *Trainer) Pause() {
	if t.paused {
		return
	}
	t.paused = true
	flow.Hold(t.r.clock)
	t.r.log(flow.RecordTrainer, flow.TrainerData{Action: "pause"})
}

// Resume lets the emulated clock run again after Pause.
func (t *Trainer) Resume() {
	if !t.paused {
		return
	}
	t.paused = false
	flow.Release(t.r.clock)
	t.r.log(flow.RecordTrainer, flow.TrainerData{Action: "resume"})
}

// RecordSpeed records the clock's speed the trainer set.
func (t *Trainer) RecordSpeed(speed float64) {
	t.r.log(flow.RecordTrainer, flow.TrainerData{Action: "speed", Speed: speed})
}

// fire turns on the scheduled faults of the step just entered, before that step's own
// work: the entry's tasks wait for them (wait).
func (t *Trainer) fire() {
	step := t.r.session.Current()
	var names []string
	for _, f := range t.schedule {
		if f.At == step && !t.fired[f] {
			t.fired[f] = true
			names = append(names, f.Name)
		}
	}
	if len(names) == 0 {
		return
	}
	t.gate, t.gateGen = make(chan struct{}), t.r.gen
	t.set(names, true, step, t.gate)
}

// wait returns the gate a task of step entry gen waits on before its work (nil: none).
func (t *Trainer) wait(gen uint64) chan struct{} {
	if t == nil || t.gate == nil || t.gateGen != gen {
		return nil
	}
	return t.gate
}

// Package run is the OOBE's behaviour without a user interface. One Run owns a deployment:
// the session and its answers, what the device learned from the backend, the ESP status, the
// phase times, which secrets were used (for answers files) and the run record. Small step
// controllers (Network, Updates, SignIn, ESP, WindowsSignIn, Hello, Desktop) hold the
// sequencing of their pages.
//
// A frontend turns what the person does into the run's intents (ChooseRegion, Connect,
// SubmitPassword, TryAgain …) and draws the run's state; it never calls the backend itself.
// An intent changes the run at once and may ask for backend or clock work: a Task. The
// frontend takes the tasks with Tasks, runs each off the goroutine that owns the run (Do),
// and hands its Result back to Apply on that goroutine; Apply returns an Outcome for the
// page on screen. Only Apply and the intents change the run, so a frontend needs no locks
// and a page is never changed behind its back. Results of a step that has been left are
// dropped.
//
// The run holds the clock (flow.Hold) from the moment it asks for a task until its result
// is applied, so a flow.VirtualClock moves only when every piece of work waits on it: a run
// then gives the same emulated times, whatever the speed of the machine.
package run

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/answers"
)

// Config is what a run is built from.
type Config struct {
	// Backend performs or simulates the device and the cloud.
	Backend flow.Backend
	// Clock is the emulated clock the backend runs on (nil: real time).
	Clock flow.Clock
	// Recorder receives the run record (nil: kept in memory only, for diagnostics bundles).
	Recorder *flow.Recorder
	// Windows is the emulated Windows release (0: Windows 11).
	Windows flow.WindowsVersion
	// Locale is the display language at power-on ("" = en-US).
	Locale string
	// Frontend names what drives the run, for the record ("tui win11-dark").
	Frontend string
	// ID is the run's id on every record line ("" = made up from the time and random bits).
	ID string
	// Files is where the run writes files a person asked for (diagnostics bundles); nil
	// refuses to write any.
	Files Files
	// SaveAnswers, when set, is called from a task with the run's answers file whenever the
	// run ends (the desktop, Reset device, a fresh run) and by Close, which may be while such
	// a task still runs: it must serialize its calls.
	SaveAnswers func(*answers.File) error
	// From is the answers file being replayed, if any: its secret references are kept in the
	// answers saved.
	From *answers.File
	// Faults turn on when the run first enters their steps (--fault NAME@STEP); they need a
	// backend that implements flow.Trainer.
	Faults []flow.ScheduledFault
}

// Task is backend or clock work the run asked for. Do it off the goroutine that owns the run
// (it blocks) and give its Result to Apply on that goroutine.
type Task struct {
	name string
	do   func() Result
}

// Name says what the task does ("scan", "esp.next"), for logs and tests.
func (t Task) Name() string { return t.name }

// Do performs the task and returns its result; it blocks for the emulated duration.
func (t Task) Do() Result { return t.do() }

// Result is a finished task, to be applied to the run.
type Result struct {
	name  string
	gen   uint64
	apply func() Outcome
}

// Name is the name of the task that gave the result.
func (r Result) Name() string { return r.name }

// Outcome is what applying a result changed, for the page on screen to react to (the
// concrete types are this package's *…Outcome values); nil when the page has nothing to do.
type Outcome any

// Used says which secrets a run used and how, so that the answers file it writes says what
// a replay needs; it never holds a secret.
type Used struct {
	// Hidden is true when the network was joined through "Hidden network".
	Hidden bool
	// WiFiKey, Password, MFACode and PIN are true for each secret used successfully.
	WiFiKey, Password, MFACode, PIN bool
}

// PhaseTime is how long one phase of the deployment took.
type PhaseTime struct {
	// Phase is the ESP phase.
	Phase flow.ESPPhase
	// D is its duration on the emulated clock.
	D time.Duration
	// Continued is true when the phase failed and the user chose Continue anyway.
	Continued bool
}

// User is who signed in on the branded sign-in page.
type User struct {
	// UPN is the user principal name the directory returned.
	UPN string
	// DisplayName is the name for greetings.
	DisplayName string
	// Ticket names the sign-in to the backend.
	Ticket flow.Ticket
}

// Errors of intents.
var (
	// ErrWrongStep means the intent is not for the step on screen (a key that arrived after
	// the page changed); nothing happened.
	ErrWrongStep = errors.New("not the step on screen")
	// ErrNotReady means the page is not in a state that allows the intent (Next while
	// offline, Sign in while checking); nothing happened.
	ErrNotReady = errors.New("not possible now")
	// ErrEnded means the run has ended.
	ErrEnded = errors.New("the run has ended")
)

// Run is one deployment through the OOBE. Its methods must be called from one goroutine (a
// Bubble Tea Update, a test); only Task.Do runs elsewhere.
type Run struct {
	cfg     Config
	id      string // this run's id: baseID, then baseID.2, .3 … for fresh runs on the device
	baseID  string
	runs    int
	seq     int
	backend flow.Backend
	clock   flow.Clock
	rec     *flow.Recorder

	life      context.Context // the run; Close ends it
	closeLife context.CancelFunc
	gen       uint64          // counts step entries (and boots); results of older ones are dropped
	ctx       context.Context // the current step entry's context
	cancel    context.CancelFunc
	pending   []Task

	booted  bool
	ended   string // why the run ended ("" while it goes on)
	boot    flow.BootInfo
	device  *flow.DeviceProfile
	session *flow.Session
	locale  string

	esp       flow.ESPStatus
	times     []PhaseTime
	poweredOn time.Time // the emulated time the device booted this run
	used      Used
	user      User
	winUser   string
	winTicket flow.Ticket // the last Windows sign-in (after a restart, or hybrid)
	// signInAgain is set once the device restarted after the user signed in: the Windows
	// sign-in screen comes before Account setup (reference §1.7).
	signInAgain bool
	// entraDone is set once the Microsoft Entra prompt of a hybrid join's Account setup was
	// answered: it comes once per run.
	entraDone bool
	vpn       VPNState    // the device VPN (Windows sign-in of a hybrid join)
	vpnErr    *flow.Error // why it failed
	answered  map[flow.StepID]bool
	saved     bool  // the answers were saved since the run last changed them
	pw        power // restarts and shutdowns a person asked for (restart.go)

	ctl any // the current step's controller

	trainer *Trainer // nil when the backend offers no faults

	// techStart and techEnd time the technician flow's provisioning (zero: not started, not
	// ended).
	techStart, techEnd time.Time
}

// New returns a run that has not started: call Start.
func New(cfg Config) *Run {
	if cfg.Clock == nil {
		cfg.Clock = flow.RealClock{}
	}
	if cfg.Recorder == nil {
		cfg.Recorder = flow.NewRecorder(nil, nil)
	}
	if cfg.Windows == 0 {
		cfg.Windows = flow.Windows11
	}
	if cfg.Locale == "" {
		cfg.Locale = "en-US"
	}
	r := &Run{cfg: cfg, id: cfg.ID, backend: cfg.Backend, clock: cfg.Clock, rec: cfg.Recorder, locale: cfg.Locale}
	if r.id == "" {
		r.id = NewID(time.Now())
	}
	r.baseID = r.id
	r.trainer = newTrainer(r, cfg.Faults)
	r.life, r.closeLife = context.WithCancel(context.Background())
	r.ctx, r.cancel = context.WithCancel(r.life)
	return r
}

// NewID makes a run id from the wall-clock time and 24 random bits, such as
// 20260302T090000-1a2b3c.
func NewID(now time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// ID is the run's id, the same on every line of its record (a fresh run on the same device
// gets the next one).
func (r *Run) ID() string { return r.id }

// Start powers the device on: a task asks the backend how it booted (Boot reports it on
// Apply). With info (the device already reported before the frontend started), the first
// step is entered at once.
func (r *Run) Start(info *flow.BootInfo) {
	if info != nil {
		r.booted2(*info)
		return
	}
	r.task("boot", r.life, func(ctx context.Context) func() Outcome {
		info, err := r.backend.Boot(ctx)
		return func() Outcome {
			if err != nil {
				return &BootFailed{Err: flow.AsError(err)}
			}
			r.booted2(info)
			return &Booted{}
		}
	})
}

// RetryBoot is Try again on the page that says the device did not start (a backend that did
// not answer at power-on): the device asks the backend again how it booted.
func (r *Run) RetryBoot() error {
	if r.booted {
		return ErrNotReady
	}
	r.Start(nil)
	return nil
}

// Booted says the device started and the first step is on screen.
type Booted struct{}

// BootFailed says the device did not start: the run cannot go on.
type BootFailed struct {
	// Err is why.
	Err *flow.Error
}

// newSession plans a session from what the device reported at boot: the profile it knows
// (Graph defaults until one is downloaded) and the boot state, on the run's Windows.
func (r *Run) newSession(info flow.BootInfo) {
	info.Boot.Windows = r.cfg.Windows
	r.boot = info
	r.device = nil
	p := flow.DefaultProfile()
	if info.Profile != nil {
		d := *info.Profile
		r.device = &d
		p = d.Profile
	}
	r.session = flow.NewSession(p, info.Boot)
}

// booted2 begins a fresh session once the backend reported how the device booted.
func (r *Run) booted2(info flow.BootInfo) {
	r.newSession(info)
	r.session.Answers.Language = r.locale
	r.pw.net, r.pw.vpn = nil, slices.Clone(info.VPN)
	r.setNet(info.Network)
	r.esp = flow.NewESPStatus()
	r.times, r.poweredOn = nil, r.clock.Now()
	r.used = Used{}
	r.user = User{}
	r.winUser, r.winTicket, r.signInAgain, r.entraDone = "", "", false, false
	r.vpn, r.vpnErr = VPNOff, nil
	r.answered = map[flow.StepID]bool{}
	r.techStart, r.techEnd = time.Time{}, time.Time{}
	if info.Boot.PreProvisioned {
		r.userFlowStatus()
	}
	r.ended = ""
	r.saved = false
	r.booted = true
	r.seq = 0
	r.runs++
	if r.runs > 1 {
		r.id = fmt.Sprintf("%s.%d", r.baseID, r.runs) // a fresh run on the same device
	}
	r.log(flow.RecordStart, flow.StartData{
		Locale: r.locale, Windows: r.cfg.Windows, Frontend: r.cfg.Frontend, Steps: r.session.Steps(),
		Wired: info.Boot.Wired, ProfileKnown: info.Boot.ProfileKnown, Serial: info.Serial,
	})
	r.enterStep()
}

// task queues work for the frontend: work runs in the task (it may block, and must touch
// nothing of the run but what it captured); the function it returns applies the result on
// the run's goroutine. The task belongs to the current step entry unless ctx is the run's
// own life.
func (r *Run) task(name string, ctx context.Context, work func(ctx context.Context) func() Outcome) {
	gen := r.gen
	if ctx == r.life {
		gen = 0 // survives step changes
	}
	gate := r.trainer.wait(gen)
	flow.Hold(r.clock)
	r.pending = append(r.pending, Task{name: name, do: func() Result {
		if gate != nil {
			select { // the faults scheduled at this step come first
			case <-gate:
			case <-ctx.Done():
			}
		}
		return Result{name: name, gen: gen, apply: work(ctx)}
	}})
}

// Tasks returns the work asked for since the last call, in order; the frontend must Do each
// one and Apply its result.
func (r *Run) Tasks() []Task {
	t := r.pending
	r.pending = nil
	return t
}

// Apply applies a task's result to the run and returns what changed for the page; results of
// a step entry that is gone are dropped (nil).
func (r *Run) Apply(res Result) Outcome {
	defer flow.Release(r.clock) // after apply: the tasks it asks for are held first
	if res.apply == nil || (res.gen != 0 && res.gen != r.gen) {
		return nil
	}
	return res.apply()
}

// log appends one record line stamped with the run's id, sequence and emulated time.
func (r *Run) log(kind flow.RecordKind, data any) {
	r.seq++
	var step flow.StepID
	if r.session != nil {
		step = r.session.Current()
	}
	r.rec.Append(flow.RecordLine{Run: r.id, Seq: r.seq, At: r.clock.Now(), Kind: kind, Step: step, Data: data})
}

// Record returns the run's recent record lines (JSON with a newline each), oldest first.
func (r *Run) Record() [][]byte { return r.rec.Lines() }

// RecordReplay records what an answers-file replay did (the replay is the frontend's).
func (r *Run) RecordReplay(d flow.ReplayData) {
	if r.session != nil {
		r.log(flow.RecordReplay, d)
	}
}

// RecordFastForward records the trainer's fast-forward key and the clock's speed after it.
func (r *Run) RecordFastForward(on bool, speed float64) {
	if r.session != nil {
		r.log(flow.RecordButton, flow.ButtonData{Button: "fast_forward", On: &on, Speed: speed})
	}
}

// Started reports whether the device has booted (the first step is on screen).
func (r *Run) Started() bool { return r.booted }

// Ended returns why the run ended ("desktop", "reset", "eula_declined", "quit", "resealed"), "" while it
// goes on.
func (r *Run) Ended() string { return r.ended }

// Step is the step on screen ("" before boot).
func (r *Run) Step() flow.StepID {
	if r.session == nil {
		return ""
	}
	return r.session.Current()
}

// Entry counts the step entries: it changes whenever a step is entered (also the same step
// again after Back or a fresh run), so a frontend knows when to build a new page.
func (r *Run) Entry() uint64 { return r.gen }

// Steps are the visible steps in order.
func (r *Run) Steps() []flow.StepID {
	if r.session == nil {
		return nil
	}
	return r.session.Steps()
}

// Windows is the emulated Windows release.
func (r *Run) Windows() flow.WindowsVersion { return r.cfg.Windows }

// Locale is the display language.
func (r *Run) Locale() string { return r.locale }

// Boot is what the device reported at power-on.
func (r *Run) Boot() flow.BootInfo { return r.boot }

// Profile is the deployment profile that applies (Graph defaults until it is downloaded).
func (r *Run) Profile() flow.Profile {
	if r.session == nil {
		return flow.DefaultProfile()
	}
	return r.session.Profile
}

// Device is what the device knows of its tenant once the profile is downloaded; the zero
// value before (no branding, no organization name).
func (r *Run) Device() flow.DeviceProfile {
	if r.device == nil {
		return flow.DeviceProfile{Profile: r.Profile()}
	}
	return *r.device
}

// Answers are the user's answers so far.
func (r *Run) Answers() flow.Answers {
	if r.session == nil {
		return flow.Answers{}
	}
	return r.session.Answers
}

// ESP is the Enrollment Status Page status. It is the run's own: do not keep its slices.
func (r *Run) ESP() *flow.ESPStatus { return &r.esp }

// PhaseTimes are how long the phases took, in the order they completed.
func (r *Run) PhaseTimes() []PhaseTime { return r.times }

// Used says which secrets the run used.
func (r *Run) Used() Used { return r.used }

// User is who signed in on the branded sign-in page (zero before).
func (r *Run) User() User { return r.user }

// WindowsUser is the user name typed on the Windows sign-in of a hybrid join ("" before).
func (r *Run) WindowsUser() string { return r.winUser }

// Now is the emulated time.
func (r *Run) Now() time.Time { return r.clock.Now() }

// CanGoBack reports whether Back is allowed on the step on screen.
func (r *Run) CanGoBack() bool { return r.session != nil && r.ended == "" && r.session.CanGoBack() }

// Back returns to the previous visible step where Windows allows it.
func (r *Run) Back() error {
	if !r.CanGoBack() {
		return ErrNotReady
	}
	r.session.Back()
	r.log(flow.RecordBacktrack, flow.BacktrackData{To: r.session.Current()})
	r.enterStep()
	return nil
}

// at checks that the run goes on with step s on screen.
func (r *Run) at(s flow.StepID) error {
	switch {
	case r.session == nil:
		return ErrNotReady
	case r.ended != "":
		return ErrEnded
	case r.session.Current() != s:
		return ErrWrongStep
	}
	return nil
}

// advance leaves the step on screen for the next visible one.
func (r *Run) advance() {
	step := r.session.Current()
	r.log(flow.RecordStepLeave, flow.LeaveData{Answers: r.session.Answers})
	r.answered[step] = true
	r.saved = false
	if !r.session.Advance() {
		return
	}
	r.enterStep()
}

// enterStep starts a new step entry: the old entry's work is cancelled and its results
// dropped; the step's controller starts its work.
func (r *Run) enterStep() {
	r.cancel()
	r.gen++
	r.ctx, r.cancel = context.WithCancel(r.life)
	r.log(flow.RecordStepEnter, nil)
	r.ctl = nil
	if r.trainer != nil {
		r.trainer.fire()
	}
	switch s := r.session.Current(); s {
	case flow.StepNetwork:
		r.ctl = newNetwork(r)
	case flow.StepUpdates:
		r.ctl = newUpdates(r, false)
	case flow.StepQualityUpdates:
		r.ctl = newUpdates(r, true)
	case flow.StepSignIn:
		r.ctl = newSignIn(r)
	case flow.StepESPDevice:
		r.ctl = newESP(r, r.devicePhases()...)
	case flow.StepESPAccount:
		r.ctl = newESP(r, flow.ESPAccountSetup)
	case flow.StepWindowsSignIn:
		r.ctl = newWindowsSignIn(r)
	case flow.StepFSIA:
		r.startPause()
	case flow.StepHello:
		r.ctl = newHello(r)
	case flow.StepDesktop:
		r.ctl = newDesktop(r)
	case flow.StepPreProvisionESP:
		r.ctl = newTechnicianESP(r)
	case flow.StepPreProvisionChoice, flow.StepPreProvision, flow.StepPreProvisionResult:
		r.ctl = newTechnician(r)
	}
}

// end closes the run with outcome: the end line, and the answers saved.
func (r *Run) end(outcome, reason string) {
	if r.ended != "" || r.session == nil {
		return
	}
	r.ended = outcome
	r.log(flow.RecordEnd, flow.EndData{Outcome: outcome, Reason: reason})
	r.saveAnswers(true)
}

// AnswersFile is the answers file of the run so far: its answers and, for each secret it
// used, a reference to where a replay finds it (never the secret).
func (r *Run) AnswersFile() *answers.File {
	u := r.used
	win := ""
	if r.Profile().Join == flow.JoinHybrid {
		win = r.winUser // an Entra join signs in with "user" after a restart
	}
	return answers.FromAnswers(r.Answers(), answers.Run{
		Answered: r.answered, HiddenNetwork: u.Hidden,
		WiFiKey: u.WiFiKey, Password: u.Password, MFACode: u.MFACode, PIN: u.PIN,
		WindowsUser: win, From: r.cfg.From,
	})
}

// SaveErr is the last error of Config.SaveAnswers, nil when it succeeded (or never ran).
type SaveErr struct{ Err error }

// saveAnswers hands the answers file to Config.SaveAnswers in a task (inline when now is
// false: Close), unless nothing changed since the last save or the run answered nothing.
func (r *Run) saveAnswers(async bool) error {
	if r.cfg.SaveAnswers == nil || r.saved || r.session == nil {
		return nil
	}
	f := r.AnswersFile()
	if f.Empty() {
		return nil
	}
	r.saved = true
	save := r.cfg.SaveAnswers
	if !async {
		return save(f)
	}
	r.task("answers.save", r.life, func(context.Context) func() Outcome {
		err := save(f)
		return func() Outcome {
			if err != nil {
				r.log(flow.RecordError, flow.ErrorData{Error: "write_answers", Detail: err.Error()})
				return &SaveErr{Err: err}
			}
			return nil
		}
	})
	return nil
}

// Quit ends the run because the person quit (or a signal: reason names it). The answers
// are saved by Close, after the frontend stopped: a save started now might not finish.
func (r *Run) Quit(reason string) {
	outcome := "quit"
	if reason != "" {
		outcome = "signal"
	}
	if r.ended != "" || r.session == nil {
		return
	}
	r.ended = outcome
	r.log(flow.RecordEnd, flow.EndData{Outcome: outcome, Reason: reason})
}

// Close ends the run for good: a run still going is recorded as quit, the answers are saved
// (in the caller's goroutine: call it after the frontend stopped; a save task of the run may
// still be running, so Config.SaveAnswers must serialize its calls), its work is cancelled
// and its record flushed. It returns the error of that last save, if any.
func (r *Run) Close() error {
	if r.session != nil && r.ended == "" {
		r.ended = "quit"
		r.log(flow.RecordEnd, flow.EndData{Outcome: "quit"})
	}
	r.saved = false // the last word: whatever a task did or did not finish
	err := r.saveAnswers(false)
	r.cancel()
	r.closeLife()
	_ = r.rec.Flush() // its error stays in the recorder's Err
	return err
}

// Restart starts a fresh run on the same device (Reset device, a kiosk's next person): the
// backend wipes the device and boots it again.
func (r *Run) Restart(outcome string) {
	if r.session != nil {
		r.end(outcome, "")
	}
	r.cancel()
	r.gen++
	r.ctx, r.cancel = context.WithCancel(r.life)
	r.ctl = nil
	r.booted = false
	gen := r.gen
	r.task("reset", r.ctx, func(ctx context.Context) func() Outcome {
		err := r.backend.Reset(ctx)
		var info flow.BootInfo
		if err == nil {
			info, err = r.backend.Boot(ctx)
		}
		return func() Outcome {
			if gen != r.gen {
				return nil
			}
			if err != nil {
				return &BootFailed{Err: flow.AsError(err)}
			}
			r.booted2(info)
			return &Booted{}
		}
	})
}

package flow

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// The run record: one JSON object per line, written by the run (flow/run) as it goes. This
// file is the one place that knows every kind of line and its data; nothing else composes
// record lines (docs/record.md documents them for readers). No kind has a field for a secret: passwords, network keys, verification codes
// and PINs never reach a record.
//
// Every line carries the run's id, its sequence number in the run, the wall-clock time it was
// written, the emulated time of the run's clock, its kind and the step on screen:
//
//	{"run":"20260302T090000-3f9a1c","seq":12,"time":"…","at":"…","kind":"answer","step":"region","data":{"region":"DE"}}

// RecordKind classifies one line of a run record.
type RecordKind string

// Kinds of record lines and the type of their data.
const (
	// RecordStart opens a run: StartData.
	RecordStart RecordKind = "start"
	// RecordPlan says the visible steps changed (the profile was downloaded): PlanData.
	RecordPlan RecordKind = "plan"
	// RecordStepEnter says a step is on screen now: no data.
	RecordStepEnter RecordKind = "step.enter"
	// RecordStepLeave says the step was left forward: LeaveData.
	RecordStepLeave RecordKind = "step.leave"
	// RecordBacktrack says the user went back: BacktrackData.
	RecordBacktrack RecordKind = "backtrack"
	// RecordAnswer is an answer the user gave: AnswerData.
	RecordAnswer RecordKind = "answer"
	// RecordButton is a button the user pressed: ButtonData.
	RecordButton RecordKind = "button"
	// RecordError is an error shown to the user: ErrorData.
	RecordError RecordKind = "error"
	// RecordProgress is one event of a backend stream (updates, ESP): Event.
	RecordProgress RecordKind = "progress"
	// RecordEvent is something that happened without a button (an MFA push sent, the device
	// enrolled, a restart, logs collected): EventData.
	RecordEvent RecordKind = "event"
	// RecordReplay is what an answers-file replay did: ReplayData.
	RecordReplay RecordKind = "replay"
	// RecordConsole is a use of the Shift+F10 command prompt (opened, a command, closed):
	// ConsoleData.
	RecordConsole RecordKind = "console"
	// RecordTrainer is what a trainer did from the panel or scheduled with --fault
	// NAME@STEP: TrainerData.
	RecordTrainer RecordKind = "trainer"
	// RecordEnd closes a run: EndData.
	RecordEnd RecordKind = "end"
)

// RecordKinds lists every kind of record line, in the order a run meets them.
func RecordKinds() []RecordKind {
	return []RecordKind{RecordStart, RecordPlan, RecordStepEnter, RecordStepLeave, RecordBacktrack, RecordAnswer,
		RecordButton, RecordError, RecordProgress, RecordEvent, RecordReplay, RecordConsole, RecordTrainer, RecordEnd}
}

// RecordLine is one JSON line of the run record.
type RecordLine struct {
	// Run is the run's id, the same on every line of a run.
	Run string `json:"run"`
	// Seq numbers the lines of a run from 1.
	Seq int `json:"seq"`
	// Time is the wall-clock time the line was written (UTC).
	Time time.Time `json:"time"`
	// At is the emulated time of the run's clock (UTC).
	At time.Time `json:"at"`
	// Kind says what happened.
	Kind RecordKind `json:"kind"`
	// Step is the step on screen at the time.
	Step StepID `json:"step,omitempty"`
	// Data holds the details, of the type its Kind names (a map when a record is read back).
	Data any `json:"data,omitempty"`
}

// StartData opens a run.
type StartData struct {
	// Locale is the display language at power-on.
	Locale string `json:"locale"`
	// Windows is the emulated release (10 or 11).
	Windows WindowsVersion `json:"windows"`
	// Frontend names what drives the run and how it looks ("tui win11-dark").
	Frontend string `json:"frontend,omitempty"`
	// Steps are the visible steps as planned at power-on.
	Steps []StepID `json:"steps"`
	// Wired is true when an Ethernet cable with internet was plugged in at power-on.
	Wired bool `json:"wired"`
	// ProfileKnown is true when the profile was downloaded before the first page.
	ProfileKnown bool `json:"profileKnown"`
	// Serial is the device's serial number.
	Serial string `json:"serial,omitempty"`
}

// PlanData says the visible steps changed.
type PlanData struct {
	// Steps are the visible steps now.
	Steps []StepID `json:"steps"`
	// Reason says why ("profile downloaded").
	Reason string `json:"reason"`
}

// LeaveData is the answers so far when a step is left.
type LeaveData struct {
	// Answers are the user's answers so far.
	Answers Answers `json:"answers"`
}

// BacktrackData names the step gone back to.
type BacktrackData struct {
	// To is the step on screen after going back.
	To StepID `json:"to"`
}

// AnswerData is one answer; only the fields of that answer are set.
type AnswerData struct {
	// Language is the display language chosen.
	Language string `json:"language,omitempty"`
	// Region is the region chosen (ISO 3166 alpha-2).
	Region string `json:"region,omitempty"`
	// Keyboard is the first keyboard layout chosen (KLID).
	Keyboard string `json:"keyboard,omitempty"`
	// Keyboard2 is the second layout ("" when skipped); nil when this answer is not about it.
	Keyboard2 *string `json:"keyboard2,omitempty"`
	// Network is the network joined.
	Network string `json:"network,omitempty"`
	// ConnectAutomatically is the "Connect automatically" box of the network joined.
	ConnectAutomatically *bool `json:"connectAutomatically,omitempty"`
	// Hidden is true when the network was joined through "Hidden network".
	Hidden bool `json:"hidden,omitempty"`
	// EULAAccepted is true when the license agreement was accepted.
	EULAAccepted bool `json:"eulaAccepted,omitempty"`
	// UPN is the user who signed in on the branded sign-in page.
	UPN string `json:"upn,omitempty"`
	// WindowsUser is the user name typed on a Windows sign-in screen (DOMAIN\user or a UPN).
	WindowsUser string `json:"windowsUser,omitempty"`
	// Privacy holds the privacy choices accepted.
	Privacy map[string]bool `json:"privacy,omitempty"`
	// DeviceName is the name the device got.
	DeviceName string `json:"deviceName,omitempty"`
	// SetupFor is "work" or "personal" (How would you like to set up this device?).
	SetupFor string `json:"setupFor,omitempty"`
	// HelloPIN is "set" once a Windows Hello PIN was set up (never the PIN).
	HelloPIN string `json:"helloPin,omitempty"`
	// LettersAndSymbols is the PIN page's "Include letters and symbols" box.
	LettersAndSymbols *bool `json:"lettersAndSymbols,omitempty"`
}

// ButtonData is a button pressed.
type ButtonData struct {
	// Button names it ("next", "connect", "retry", …).
	Button string `json:"button"`
	// Network is the network the button was about, when it was.
	Network string `json:"network,omitempty"`
	// On is the state a toggle button switched to.
	On *bool `json:"on,omitempty"`
	// Speed is the clock's speed after the fast-forward button.
	Speed float64 `json:"speed,omitempty"`
}

// ErrorData is an error the user saw.
type ErrorData struct {
	// Error names it: a backend ErrorCode ("wrong_key", "mfa_denied", "enrollment_failed") or
	// one of the run's own ("no_internet", "esp_failed", "esp_timeout").
	Error string `json:"error"`
	// Code is Windows' code shown with it ("80180018", "0x81036502").
	Code string `json:"code,omitempty"`
	// Phase is the ESP phase it happened in.
	Phase ESPPhase `json:"phase,omitempty"`
	// Item is the ESP item that failed.
	Item string `json:"item,omitempty"`
	// Network is the network it was about.
	Network string `json:"network,omitempty"`
	// Domain is the domain of a username of another organization.
	Domain string `json:"domain,omitempty"`
	// User is the user name it was about.
	User string `json:"user,omitempty"`
	// Detail explains it in words.
	Detail string `json:"detail,omitempty"`
}

// EventData is something that happened on its own.
type EventData struct {
	// Event names it ("mfa_push", "enrolled", "restart", "logs_collected", …).
	Event string `json:"event"`
	// Phase is the ESP phase it happened in.
	Phase ESPPhase `json:"phase,omitempty"`
	// Number is the number-matching number of an MFA push.
	Number int `json:"number,omitempty"`
	// Path is a file written (logs collected).
	Path string `json:"path,omitempty"`
	// Detail says more.
	Detail string `json:"detail,omitempty"`
}

// ReplayData is what an answers-file replay did on a step.
type ReplayData struct {
	// Event is "replaying" or "stopped" ("" for an action).
	Event string `json:"event,omitempty"`
	// Action is the visible action performed ("press next", "type username").
	Action string `json:"action,omitempty"`
	// Reason is why the replay of the step stopped.
	Reason string `json:"reason,omitempty"`
}

// ConsoleData is a use of the Shift+F10 command prompt. A command's arguments are recorded
// only where they cannot be a secret: switches, a host name, a VPN connection the device
// has; an unrecognized command is recorded without its text (it could be a password typed
// in the wrong window).
type ConsoleData struct {
	// Event is "open" or "close" ("" for a command).
	Event string `json:"event,omitempty"`
	// Shell is the prompt the command was typed at: "cmd", "powershell" or "nslookup".
	Shell string `json:"shell,omitempty"`
	// Command is the command's name in lower case ("ipconfig", "shutdown"), or "(not
	// recognized)".
	Command string `json:"command,omitempty"`
	// Args are its arguments as recorded ("/r /t 0", "/all").
	Args string `json:"args,omitempty"`
}

// TrainerData is one thing a trainer did: a fault turned on or off (now, or scheduled at a
// step), the clock paused, resumed or its speed set.
type TrainerData struct {
	// Action is fault, schedule, pause, resume, speed, jump (to At), jumped (arrived at At)
	// or jump_stopped (on the way, Error says why).
	Action string `json:"action"`
	// Fault names the fault of a fault or schedule action.
	Fault string `json:"fault,omitempty"`
	// On is the state a fault action switched the fault to.
	On *bool `json:"on,omitempty"`
	// At is the step a scheduled fault waits for.
	At StepID `json:"at,omitempty"`
	// Speed is the clock's speed after a speed action.
	Speed float64 `json:"speed,omitempty"`
	// Error says why the backend refused the action ("" when it did it).
	Error string `json:"error,omitempty"`
}

// EndData closes a run.
type EndData struct {
	// Outcome is desktop, reset, restart, eula_declined, shutdown, quit or signal.
	Outcome string `json:"outcome"`
	// Reason says more (the signal's name).
	Reason string `json:"reason,omitempty"`
}

// Recorder appends a run record as JSON Lines and keeps the most recent lines in memory for
// a diagnostics bundle. Append never blocks on the writer: lines are written and flushed in
// order by a goroutine of the recorder's own, so a frontend records from its event loop
// without doing I/O there; Flush waits until every line so far is written. A nil *Recorder
// records nothing.
type Recorder struct {
	mu      sync.Mutex
	idle    *sync.Cond // signalled when the writer has written everything queued
	w       *bufio.Writer
	sync    func() error // the file's fsync, nil when the writer is not a file
	now     func() time.Time
	err     error
	onErr   func(error)
	queue   []queued // lines not yet handed to the writer
	writing bool     // the writer goroutine is running
	keep    [][]byte // the last keepLines lines, a ring from oldest once full
	oldest  int
	tap     func(RecordLine, []byte)
}

// queued is a line waiting for the writer; durable lines are synced to disk once written.
type queued struct {
	b       []byte
	durable bool
}

// keepLines is how many recent lines a Recorder keeps in memory.
const keepLines = 5000

// NewRecorder writes the record to w (nil: memory only), stamping lines with wall-clock time
// from now (nil: time.Now). When w has a Sync method (an *os.File), the lines that close a
// step, an ESP phase or the run are synced to disk once written, so a crash or a power cut
// loses at most the lines of the step on screen.
func NewRecorder(w io.Writer, now func() time.Time) *Recorder {
	if now == nil {
		now = time.Now
	}
	r := &Recorder{now: now}
	r.idle = sync.NewCond(&r.mu)
	if w != nil {
		r.w = bufio.NewWriter(w)
		if s, ok := w.(interface{ Sync() error }); ok {
			r.sync = s.Sync
		}
	}
	return r
}

// OnError sets f to be called once, from the recorder's own goroutine, with the first write
// error, so a frontend can say at once that the record stopped (f must not block for long).
func (r *Recorder) OnError(f func(error)) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.onErr = f
}

// Tap sets f to be given every line appended from now on, with its JSON (a trailing newline
// included; f must not change it), in order, from Append itself: f must only queue the line
// for work of its own (the outbox of cmd/oobe does), never block or do I/O.
func (r *Recorder) Tap(f func(line RecordLine, b []byte)) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tap = f
}

// durable reports whether line marks a boundary a reader of a crashed run's record needs
// on disk: a step entered or left, a new plan, an ESP phase started or done, the end.
func durable(line RecordLine) bool {
	switch line.Kind {
	case RecordStepEnter, RecordStepLeave, RecordPlan, RecordEnd:
		return true
	case RecordProgress:
		e, ok := line.Data.(Event)
		return ok && e.Kind == EventESPPhaseDone
	case RecordEvent:
		e, ok := line.Data.(EventData)
		return ok && e.Event == "esp_phase_start"
	}
	return false
}

// Append queues one line, stamped with the wall-clock time. The first write error is kept
// and reported by Err and Flush; lines after it are still kept in memory.
func (r *Recorder) Append(line RecordLine) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	line.Time = r.now().UTC()
	line.At = line.At.UTC()
	b, err := json.Marshal(line)
	if err != nil {
		// a record line that cannot be encoded is a bug; say so in the record itself
		b, _ = json.Marshal(RecordLine{Run: line.Run, Seq: line.Seq, Time: line.Time, At: line.At, Kind: RecordError, Step: line.Step,
			Data: ErrorData{Error: "record", Detail: fmt.Sprintf("%s line not recorded: %v", line.Kind, err)}})
	}
	b = append(b, '\n')
	if len(r.keep) < keepLines {
		r.keep = append(r.keep, b)
	} else {
		r.keep[r.oldest] = b
		r.oldest = (r.oldest + 1) % keepLines
	}
	if r.tap != nil {
		r.tap(line, b)
	}
	if r.w == nil || r.err != nil {
		return
	}
	r.queue = append(r.queue, queued{b: b, durable: durable(line)})
	if !r.writing {
		r.writing = true
		go r.write()
	}
}

// write writes the queued lines until none is left, flushing after each batch and syncing
// after a batch with a durable line.
func (r *Recorder) write() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.queue) > 0 && r.err == nil {
		batch := r.queue
		r.queue = nil
		r.mu.Unlock()
		var err error
		sync := false
		for _, q := range batch {
			if _, err = r.w.Write(q.b); err != nil {
				break
			}
			sync = sync || q.durable
		}
		if err == nil {
			err = r.w.Flush()
		}
		if err == nil && sync && r.sync != nil {
			err = r.sync()
		}
		r.mu.Lock()
		if err != nil && r.err == nil {
			r.err = err
			if f := r.onErr; f != nil {
				r.mu.Unlock()
				f(err)
				r.mu.Lock()
			}
		}
	}
	r.queue = nil
	r.writing = false
	r.idle.Broadcast()
}

// Flush waits until every line appended so far is written, and returns the first write
// error, if any.
func (r *Recorder) Flush() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.writing {
		r.idle.Wait()
	}
	return r.err
}

// Lines returns the most recent lines written (JSON with a trailing newline each), oldest
// first.
func (r *Recorder) Lines() [][]byte {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([][]byte, 0, len(r.keep))
	out = append(out, r.keep[r.oldest:]...)
	return append(out, r.keep[:r.oldest]...)
}

// Err returns the first error met while writing so far, if any (Flush first to know about
// every line).
func (r *Recorder) Err() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// ReadRecord parses a JSON Lines record (Data as maps); a line that is not JSON is an error
// naming its line number.
func ReadRecord(rd io.Reader) ([]RecordLine, error) {
	var out []RecordLine
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l RecordLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return out, fmt.Errorf("record line %d: %v", n, err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

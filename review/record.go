// Package review makes what UX reviewers look at: reports of recorded runs (oobe report),
// every screen of a tenant's deployment as pictures with a gallery (oobe screens) and what a
// change of settings does to employees (oobe diff). It stands beside cmd/oobe: it drives the
// real screens (ui) on the simulated backend, as the program does, and nothing imports it
// but cmd/oobe.
package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/internal/safefile"
)

// Run is one run of a record, as a report shows it.
type Run struct {
	// File is the record it comes from; ID the run's id.
	File, ID string
	// Start is the start line's data; Began the run's wall-clock start, At0 its emulated one.
	Start flow.StartData
	Began time.Time
	At0   time.Time
	// Visits are the steps in the order they were on screen.
	Visits []*Visit
	// Answers are the answers when the run last left a step (never a secret: the record has none).
	Answers flow.Answers
	// Errors are the errors met, in order.
	Errors []*ErrorRow
	// Phases are the ESP phases with their durations.
	Phases []Phase
	// Plans are the plan changes and why.
	Plans []flow.PlanData
	// Outcome is how the run ended ("" when the record stops before its end line); Reason
	// says more for a signal.
	Outcome, Reason string
	// End is the emulated time of the last line.
	End time.Time
	// Replayed is true when an answers file played the run.
	Replayed bool
	// phaseStart is when the ESP phase in progress (the last of Phases) started.
	phaseStart time.Time
}

// Visit is one stay on a step.
type Visit struct {
	Step         flow.StepID
	Enter, Leave time.Time // emulated; Leave is zero while on it at the end
	Buttons      []string
	Answers      []string
	Errors       []string
	Events       []string
}

// ErrorRow is an error with what was pressed after it on the same page.
type ErrorRow struct {
	At                  time.Duration // since the run's start, emulated
	Step                flow.StepID
	Error, Code, Detail string
	Phase               flow.ESPPhase
	Item                string
	Then                []string // the buttons pressed after it, before the next error or step
}

// Phase is an ESP phase and how long it took (emulated).
type Phase struct {
	Phase    flow.ESPPhase
	Duration time.Duration
}

// Duration is how long a visit lasted (to the run's last line when it was not left).
func (v *Visit) Duration(r *Run) time.Duration {
	if v.Leave.IsZero() {
		return r.End.Sub(v.Enter)
	}
	return v.Leave.Sub(v.Enter)
}

// rawLine is a record line with its data left raw, decoded by kind.
type rawLine struct {
	Run  string          `json:"run"`
	Seq  int             `json:"seq"`
	Time time.Time       `json:"time"`
	At   time.Time       `json:"at"`
	Kind flow.RecordKind `json:"kind"`
	Step flow.StepID     `json:"step"`
	Data json.RawMessage `json:"data"`
}

// ReadRecord reads the runs of the record at path. Anything that is not a run record (not
// JSON Lines, a torn last line, another program's JSON) is an error naming the file and the
// line.
func ReadRecord(path string) ([]*Run, error) {
	data, err := safefile.Read(path, safefile.Limit)
	if err != nil {
		return nil, err
	}
	return parseRecord(path, data)
}

func parseRecord(path string, data []byte) ([]*Run, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty: not a run record", path)
	}
	kinds := flow.RecordKinds()
	var runs []*Run
	byID := map[string]*Run{}
	lines := bytes.Split(data, []byte("\n"))
	for i, b := range lines {
		n := i + 1
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var l rawLine
		if err := json.Unmarshal(b, &l); err != nil {
			var se *json.SyntaxError
			if i == len(lines)-1 && (errorsAs(err, &se) || strings.Contains(err.Error(), "unexpected end")) {
				return nil, fmt.Errorf("%s:%d: the line is cut off (the record ends in the middle of a line: a run killed while writing?)", path, n)
			}
			return nil, fmt.Errorf("%s:%d: not JSON: %v", path, n, err)
		}
		switch {
		case l.Run == "" || l.Seq <= 0 || l.Kind == "":
			return nil, fmt.Errorf("%s:%d: not a line of an oobe run record (it has no run, seq and kind: another program's JSON?)", path, n)
		case !slices.Contains(kinds, l.Kind):
			return nil, fmt.Errorf("%s:%d: unknown kind %q (docs/record.md lists them)", path, n, l.Kind)
		}
		r := byID[l.Run]
		if r == nil {
			if l.Kind != flow.RecordStart {
				return nil, fmt.Errorf("%s:%d: run %s begins without its start line (a record cut at its start?)", path, n, l.Run)
			}
			r = &Run{File: path, ID: l.Run, Began: l.Time, At0: l.At}
			byID[l.Run] = r
			runs = append(runs, r)
		}
		if err := r.apply(l); err != nil {
			return nil, fmt.Errorf("%s:%d: %s data: %v", path, n, l.Kind, err)
		}
	}
	return runs, nil
}

// apply adds one line to the run.
func (r *Run) apply(l rawLine) error {
	decode := func(v any) error {
		if len(l.Data) == 0 {
			return nil
		}
		return json.Unmarshal(l.Data, v)
	}
	if l.At.After(r.End) {
		r.End = l.At
	}
	cur := func() *Visit {
		if len(r.Visits) == 0 {
			return nil
		}
		return r.Visits[len(r.Visits)-1]
	}
	var lastErr *ErrorRow
	if len(r.Errors) > 0 && r.Errors[len(r.Errors)-1].Step == l.Step {
		lastErr = r.Errors[len(r.Errors)-1]
	}
	switch l.Kind {
	case flow.RecordStart:
		return decode(&r.Start)
	case flow.RecordPlan:
		var p flow.PlanData
		if err := decode(&p); err != nil {
			return err
		}
		r.Plans = append(r.Plans, p)
	case flow.RecordStepEnter:
		r.Visits = append(r.Visits, &Visit{Step: l.Step, Enter: l.At})
		r.closePhase(l.At)
	case flow.RecordStepLeave:
		var d flow.LeaveData
		if err := decode(&d); err != nil {
			return err
		}
		r.Answers = d.Answers
		if v := cur(); v != nil && v.Step == l.Step {
			v.Leave = l.At
		}
		r.closePhase(l.At)
	case flow.RecordButton:
		var d flow.ButtonData
		if err := decode(&d); err != nil {
			return err
		}
		label := d.Button
		if d.Network != "" {
			label += " (" + d.Network + ")"
		}
		if v := cur(); v != nil {
			v.Buttons = append(v.Buttons, label)
		}
		if lastErr != nil {
			lastErr.Then = append(lastErr.Then, label)
		}
	case flow.RecordAnswer:
		var d flow.AnswerData
		if err := decode(&d); err != nil {
			return err
		}
		if v := cur(); v != nil {
			v.Answers = append(v.Answers, describeAnswer(d))
		}
		if d.DeviceName != "" {
			r.Answers.DeviceName = d.DeviceName // the desktop's, after the last step left
		}
	case flow.RecordError:
		var d flow.ErrorData
		if err := decode(&d); err != nil {
			return err
		}
		r.Errors = append(r.Errors, &ErrorRow{At: l.At.Sub(r.At0), Step: l.Step, Error: d.Error, Code: d.Code, Detail: d.Detail, Phase: d.Phase, Item: d.Item})
		if v := cur(); v != nil {
			v.Errors = append(v.Errors, d.Error)
		}
	case flow.RecordEvent:
		var d flow.EventData
		if err := decode(&d); err != nil {
			return err
		}
		if d.Event == "esp_phase_start" {
			r.closePhase(l.At)
			r.Phases = append(r.Phases, Phase{Phase: d.Phase, Duration: -1})
			r.phaseStart = l.At
		}
		if v := cur(); v != nil {
			v.Events = append(v.Events, d.Event)
		}
	case flow.RecordReplay:
		r.Replayed = true
	case flow.RecordEnd:
		var d flow.EndData
		if err := decode(&d); err != nil {
			return err
		}
		r.Outcome, r.Reason = d.Outcome, d.Reason
		r.closePhase(l.At)
	}
	return nil
}

// closePhase ends the ESP phase in progress at t.
func (r *Run) closePhase(t time.Time) {
	if n := len(r.Phases); n > 0 && r.Phases[n-1].Duration < 0 {
		r.Phases[n-1].Duration = t.Sub(r.phaseStart)
	}
}

func errorsAs(err error, target **json.SyntaxError) bool { return errors.As(err, target) }

// describeAnswer says in words the one answer of an answer line.
func describeAnswer(d flow.AnswerData) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+" "+v)
		}
	}
	add("language", d.Language)
	add("region", d.Region)
	add("keyboard", d.Keyboard)
	if d.Keyboard2 != nil {
		k := *d.Keyboard2
		if k == "" {
			k = "skipped"
		}
		add("second keyboard", k)
	}
	if d.Network != "" {
		n := "network " + d.Network
		if d.Hidden {
			n += " (hidden)"
		}
		if d.ConnectAutomatically != nil && *d.ConnectAutomatically {
			n += ", connect automatically"
		}
		parts = append(parts, n)
	}
	if d.EULAAccepted {
		parts = append(parts, "license accepted")
	}
	add("user", d.UPN)
	add("Windows user", d.WindowsUser)
	if len(d.Privacy) > 0 {
		keys := make([]string, 0, len(d.Privacy))
		for k, on := range d.Privacy {
			keys = append(keys, fmt.Sprintf("%s %s", k, map[bool]string{true: "on", false: "off"}[on]))
		}
		slices.Sort(keys)
		parts = append(parts, "privacy: "+strings.Join(keys, ", "))
	}
	add("device name", d.DeviceName)
	if d.HelloPIN != "" {
		parts = append(parts, "Windows Hello PIN "+d.HelloPIN)
	}
	if d.LettersAndSymbols != nil {
		parts = append(parts, fmt.Sprintf("PIN letters and symbols %v", *d.LettersAndSymbols))
	}
	if len(parts) == 0 {
		return "(skipped)"
	}
	return strings.Join(parts, "; ")
}

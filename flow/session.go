package flow

import (
	"io"
	"slices"
)

// Answers is what the user entered. It never holds a secret: network keys and passwords
// go straight to the backend.
type Answers struct {
	// Language is the display language tag chosen (or the default).
	Language string `json:"language,omitempty"`
	// Region is the ISO 3166 two-letter code chosen.
	Region string `json:"region,omitempty"`
	// Keyboard is the KLID of the first layout.
	Keyboard string `json:"keyboard,omitempty"`
	// Keyboard2 is the KLID of the second layout, empty when skipped.
	Keyboard2 string `json:"keyboard2,omitempty"`
	// Network is the SSID joined, or "ethernet".
	Network string `json:"network,omitempty"`
	// ConnectAutomatically is the Wi-Fi "Connect automatically" box.
	ConnectAutomatically bool `json:"connectAutomatically,omitempty"`
	// EULAAccepted is true once the license agreement was accepted.
	EULAAccepted bool `json:"eulaAccepted,omitempty"`
	// UPN is the username that signed in (never the password).
	UPN string `json:"upn,omitempty"`
	// Privacy maps each privacy toggle id (PrivacyToggles) to on or off as accepted.
	Privacy map[string]bool `json:"privacy,omitempty"`
	// DeviceName is the computer name applied from the profile's template ("" when none).
	DeviceName string `json:"deviceName,omitempty"`
}

// Session is one run through the OOBE: the profile, the boot state, the visible steps, where
// the user is, and the answers so far.
type Session struct {
	// Profile is the deployment profile that applies.
	Profile Profile
	// Boot is the device state at power-on.
	Boot Boot
	// Answers are the user's answers so far.
	Answers Answers

	steps []StepID
	cur   int
	rec   *Recorder
}

// NewSession plans the steps for p and b and starts at the first one. rec may be nil: the
// session then keeps its log in memory only (for a diagnostics bundle).
func NewSession(p Profile, b Boot, rec *Recorder) *Session {
	if rec == nil {
		rec = NewRecorder(io.Discard, nil)
	}
	s := &Session{Profile: p, Boot: b, steps: Plan(p, b), rec: rec}
	s.rec.Log(RecordStepEnter, s.Current(), nil)
	return s
}

// Steps returns the visible steps in order.
func (s *Session) Steps() []StepID { return slices.Clone(s.steps) }

// Current is the step on screen.
func (s *Session) Current() StepID { return s.steps[s.cur] }

// Position returns the 1-based index of the current step and the number of steps.
func (s *Session) Position() (int, int) { return s.cur + 1, len(s.steps) }

// Advance leaves the current step and enters the next visible one. It returns false at the
// last step.
func (s *Session) Advance() bool {
	if s.cur+1 >= len(s.steps) {
		return false
	}
	s.rec.Log(RecordStepLeave, s.Current(), s.Answers)
	s.cur++
	s.rec.Log(RecordStepEnter, s.Current(), nil)
	return true
}

// CanGoBack reports whether the user can go back from the current step: Windows allows it
// only on some pages, and only to a step that is visible (hidden steps stay skipped).
func (s *Session) CanGoBack() bool { return s.cur > 0 && CanGoBack(s.Current()) }

// Back returns to the previous visible step; it returns false when that is not allowed.
func (s *Session) Back() bool {
	if !s.CanGoBack() {
		return false
	}
	from := s.Current()
	s.cur--
	s.rec.Log(RecordBacktrack, from, map[string]StepID{"to": s.Current()})
	s.rec.Log(RecordStepEnter, s.Current(), nil)
	return true
}

// Log returns the session's recent record lines (JSON Lines), oldest first.
func (s *Session) Log() [][]byte { return s.rec.Lines() }

// Record logs an event of the user's run (an error shown, a button pressed); it is a no-op
// without a recorder.
func (s *Session) Record(kind RecordKind, data any) { s.rec.Log(kind, s.Current(), data) }

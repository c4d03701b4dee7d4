package flow

import "slices"

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
	// DeviceName is the computer name the device got ("" until known).
	DeviceName string `json:"deviceName,omitempty"`
	// SetupFor is the answer of "How would you like to set up this device?" on a device
	// Autopilot does not know: "work" (work or school) or "personal".
	SetupFor string `json:"setupFor,omitempty"`
}

// Session is where one run through the OOBE is: the profile and boot state its plan comes
// from, the visible steps, the current one, and the answers so far. It records nothing: the
// run (flow/run) does.
type Session struct {
	// Profile is the deployment profile that applies (Graph defaults until downloaded).
	Profile Profile
	// Boot is the device state at power-on.
	Boot Boot
	// Answers are the user's answers so far.
	Answers Answers

	steps []StepID
	cur   int
}

// NewSession plans the steps for p and b and starts at the first one.
func NewSession(p Profile, b Boot) *Session {
	return &Session{Profile: p, Boot: b, steps: Plan(p, b)}
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
	s.cur++
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
	s.cur--
	return true
}

// InsertNext adds step to the steps still to come, just before the first later occurrence
// of before (right after the current step when before is "" or does not come): what happens
// on the way can add a page, as a restart adds the Windows sign-in screen (reference §1.7,
// §3.7). It reports whether the plan changed: false when step already comes next there.
func (s *Session) InsertNext(step, before StepID) bool {
	at := s.cur + 1
	if before != "" {
		if i := slices.Index(s.steps[s.cur+1:], before); i >= 0 {
			at = s.cur + 1 + i
		}
	}
	if at > s.cur+1 && s.steps[at-1] == step || at < len(s.steps) && s.steps[at] == step {
		return false
	}
	s.steps = slices.Insert(s.steps, at, step)
	return true
}

// Replan applies profile p (downloaded once the device is online) to the steps still to
// come: the steps up to the current one stay as they were, the rest follow p. It reports
// whether the plan changed.
func (s *Session) Replan(p Profile) bool {
	s.Profile = p
	next := Plan(p, s.Boot)
	cur := s.Current()
	i := slices.Index(next, cur)
	if i < 0 {
		return false // cannot happen: the steps before sign-in do not depend on the profile once online
	}
	steps := append(slices.Clone(s.steps[:s.cur]), next[i:]...)
	changed := !slices.Equal(steps, s.steps)
	s.steps = steps
	return changed
}

// InsertHere puts step on screen in place of the current step, which comes right after it:
// a restart on a step after the device ESP brings the Windows sign-in screen first
// (reference §1.7). It reports whether the plan changed (false when step is on screen).
func (s *Session) InsertHere(step StepID) bool {
	if s.steps[s.cur] == step {
		return false
	}
	s.steps = slices.Insert(s.steps, s.cur, step)
	return true
}

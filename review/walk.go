package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/themes"
	"github.com/oobe-emu/oobe/ui"
)

// Look is one way of showing the screens: theme, display language, Windows release, size.
type Look struct {
	Theme   string
	Locale  string
	Windows flow.WindowsVersion
	W, H    int
}

// Name is the look in a file name: win11-dark_en-US_win11_120x40.
func (l Look) Name() string {
	return fmt.Sprintf("%s_%s_win%d_%dx%d", l.Theme, l.Locale, l.Windows, l.W, l.H)
}

// start is the emulated time every walk starts at: pictures do not depend on the day.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// session is one run of the real program without a terminal, on a world of its own.
type session struct {
	d     *ui.Headless
	r     *run.Run
	world *sim.World
	// shoot takes a picture of the screen as state with a caption (nil: none is taken).
	shoot func(state, caption string) error
}

// newSession builds a run as the program's factory does, on a virtual clock, with the
// pictures' look; tweak changes the world first (a fault).
func newSession(w *sim.World, look Look) (*session, error) {
	th, err := themes.Lookup(look.Theme)
	if err != nil {
		return nil, err
	}
	clock := flow.NewVirtualClock(start)
	flow.Hold(clock)
	backend := sim.New(w, sim.Options{Clock: clock, Seed: 1})
	boot, err := backend.Boot(context.Background())
	if err != nil {
		flow.Release(clock)
		return nil, fmt.Errorf("the device did not start: %w", err)
	}
	r := run.New(run.Config{Backend: backend, Clock: clock, Windows: look.Windows, Locale: look.Locale, Frontend: "screens " + th.Name, ID: "screens"})
	r.Start(&boot)
	m := ui.New(ui.Options{Run: r, Clock: clock, Theme: th, Static: true})
	flow.Release(clock)
	d, err := ui.NewHeadless(m, r, clock, look.W, look.H)
	if err != nil {
		return nil, err
	}
	return &session{d: d, r: r, world: w}, nil
}

func (s *session) close() { s.d.Close() }

func (s *session) snap(state, caption string) error {
	if s.shoot == nil {
		return nil
	}
	return s.shoot(state, caption)
}

// errStuck is a walk that cannot go on: the page waits for something the world will not
// give (the state a fault shows).
var errStuck = errors.New("the walk cannot go on")

// walkOptions choose the user and the points where a walk stops.
type walkOptions struct {
	user sim.ScenarioUser
	// until stops the walk as soon as it holds (checked after every message).
	until func(*session) bool
}

// happyUser is the user the walk signs in as: the device's assigned user when the scenario
// knows them, else the first licensed user whose sign-in goes through (an Authenticator push
// preferred: its screen is one more to show).
func happyUser(w *sim.World) (sim.ScenarioUser, bool) {
	if id := w.DeviceIdentity; id != nil && id.UPN != "" {
		for _, u := range w.Scenario.Users {
			if strings.EqualFold(u.UPN, id.UPN) {
				return u, true
			}
		}
	}
	var found *sim.ScenarioUser
	for i, u := range w.Scenario.Users {
		if !u.Licensed || u.MFADeny || u.EnrollError != "" {
			continue
		}
		if found == nil || u.MFA == flow.MFAPush && found.MFA != flow.MFAPush {
			found = &w.Scenario.Users[i]
		}
	}
	if found == nil {
		return sim.ScenarioUser{}, false
	}
	return *found, true
}

// happyNetwork is the Wi-Fi network the walk joins: the strongest visible one with internet
// (else without: a fault took it away) that takes a key or none (802.1X asks for more than a
// walk types).
func happyNetwork(w *sim.World) (sim.ScenarioWiFi, bool) {
	var best *sim.ScenarioWiFi
	for i, n := range w.Scenario.WiFi {
		if n.Hidden || n.Security == flow.SecurityEnterprise {
			continue
		}
		if best == nil || n.Internet && !best.Internet || n.Internet == best.Internet && n.Signal > best.Signal {
			best = &w.Scenario.WiFi[i]
		}
	}
	if best == nil {
		return sim.ScenarioWiFi{}, false
	}
	return *best, true
}

// pin is the Windows Hello PIN the walk sets (drawn masked).
const pin = "135791"

// walk plays the deployment as a person who answers every page and signs in as o.user,
// taking pictures on the way (shoot), until the desktop, until o.until holds, or until the
// world stops it (errStuck).
func (s *session) walk(o walkOptions) error {
	d, r := s.d, s.r
	stop := func() bool { return o.until != nil && o.until(s) }
	for range 60 {
		if stop() {
			return nil
		}
		step, entry := d.Step(), r.Entry()
		if step == flow.StepDesktop {
			return s.snap("finish", "the finish page")
		}
		if err := s.act(step, o, stop); err != nil {
			return err
		}
		if stop() {
			return nil
		}
		if r.Entry() == entry {
			// the page's work goes on (updates, the ESP): up to the next page, or stuck
			err := d.Until(func() bool { return r.Entry() != entry || stop() })
			if errors.Is(err, ui.ErrStuck) {
				return errStuck
			}
			if err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("the walk went through 60 pages without reaching the desktop")
}

// act answers the page of step as a person would.
func (s *session) act(step flow.StepID, o walkOptions, stop func() bool) error {
	d, r := s.d, s.r
	until := func(f func() bool) error {
		err := d.Until(func() bool { return f() || stop() })
		if errors.Is(err, ui.ErrStuck) {
			return errStuck
		}
		return err
	}
	switch step {
	case flow.StepLanguage, flow.StepRegion, flow.StepKeyboard, flow.StepKeyboard2:
		if err := s.snap("page", ""); err != nil {
			return err
		}
		return d.Press("enter") // Yes; Skip for the second keyboard
	case flow.StepNetwork:
		n, ok := happyNetwork(s.world)
		if !ok {
			return fmt.Errorf("the scenario has no Wi-Fi network with internet that a walk can join")
		}
		if err := until(func() bool { return d.Line(n.SSID) != "" }); err != nil {
			return err
		}
		if err := s.snap("page", ""); err != nil {
			return err
		}
		for i := 0; i < 30 && !strings.Contains(d.Line(d.Pointer()), n.SSID); i++ {
			if err := d.Press("down"); err != nil {
				return err
			}
		}
		if err := d.Press("enter", "enter"); err != nil { // expand, Connect
			return err
		}
		if n.Key != "" {
			if err := d.Type(n.Key); err != nil {
				return err
			}
			if err := d.Press("enter"); err != nil {
				return err
			}
		}
		if stop() {
			return nil
		}
		if r.Network().Online == "" {
			return errStuck
		}
		if err := s.snap("connected", "connected: Next goes on"); err != nil {
			return err
		}
		d.Key("enter")
		return nil
	case flow.StepUpdates:
		if err := until(func() bool { u := r.Updates(); return u != nil && u.Progress > 0 || d.Step() != step }); err != nil {
			return err
		}
		if d.Step() == step {
			return s.snap("checking", "")
		}
	case flow.StepEULA:
		if err := s.snap("page", ""); err != nil {
			return err
		}
		return d.Press("enter")
	case flow.StepSignIn:
		return s.signIn(o, until, stop)
	case flow.StepESPDevice, flow.StepESPAccount:
		return s.esp(step, until)
	case flow.StepPrivacy:
		if err := s.snap("page", ""); err != nil {
			return err
		}
		if err := d.Press("tab"); err != nil {
			return err
		}
		d.Key("enter")
	case flow.StepFSIA:
		return s.snap("page", "the first sign-in animation")
	case flow.StepQualityUpdates:
		if err := until(func() bool { u := r.Updates(); return u != nil && u.Quality && u.Progress >= 0.3 || d.Step() != step }); err != nil {
			return err
		}
		if d.Step() == step {
			return s.snap("page", "")
		}
	case flow.StepWindowsSignIn:
		if err := s.snap("locked", "the lock screen"); err != nil {
			return err
		}
		if err := d.Press("enter"); err != nil {
			return err
		}
		if err := s.snap("page", ""); err != nil {
			return err
		}
		if s.world.Profile.Join != flow.JoinHybrid || !d.Sees(o.user.UPN) {
			if err := d.Type(o.user.UPN); err != nil {
				return err
			}
			if err := d.Press("enter"); err != nil {
				return err
			}
		}
		if err := d.Type(o.user.Password); err != nil {
			return err
		}
		d.Key("enter") // what follows (Account setup) is followed by the walk
		return nil
	case flow.StepHello:
		if err := s.snap("intro", ""); err != nil {
			return err
		}
		if err := d.Press("enter"); err != nil {
			return err
		}
		if err := d.Type(pin); err != nil {
			return err
		}
		if err := d.Press("tab"); err != nil {
			return err
		}
		if err := d.Type(pin); err != nil {
			return err
		}
		if err := s.snap("pin", "the PIN set (drawn masked)"); err != nil {
			return err
		}
		if err := d.Press("enter"); err != nil {
			return err
		}
		if err := s.snap("all-set", ""); err != nil {
			return err
		}
		return d.Press("enter")
	}
	return nil
}

// signIn types the user's name and password and follows the MFA the user has.
func (s *session) signIn(o walkOptions, until func(func() bool) error, stop func() bool) error {
	d, r := s.d, s.r
	si := r.SignIn()
	if err := s.snap("page", ""); err != nil {
		return err
	}
	if si == nil || si.State == run.SignUser {
		if err := d.Type(o.user.UPN); err != nil {
			return err
		}
		if err := d.Press("enter"); err != nil {
			return err
		}
		if si = r.SignIn(); si == nil || si.State != run.SignPassword {
			return errStuck
		}
		if err := s.snap("password", ""); err != nil {
			return err
		}
	}
	if err := d.Type(o.user.Password); err != nil {
		return err
	}
	d.Key("enter")
	state := func() run.SignInState {
		if si := r.SignIn(); si != nil && d.Step() == flow.StepSignIn {
			return si.State
		}
		return -1
	}
	if err := until(func() bool {
		st := state()
		return st == -1 || st == run.SignMFAPush || st == run.SignMFACode || st == run.SignMFADenied || st == run.SignEnrollError || st == run.SignOrgError || st == run.SignPassword || st == run.SignUser
	}); err != nil {
		return err
	}
	switch state() {
	case run.SignMFAPush:
		if err := s.snap("mfa-push", "Approve sign in request: the number to type in Authenticator"); err != nil {
			return err
		}
	case run.SignMFACode:
		if err := s.snap("mfa-code", "Enter code: a code from the Authenticator app"); err != nil {
			return err
		}
		if stop() {
			return nil
		}
		if err := d.Type(o.user.MFACode); err != nil {
			return err
		}
		d.Key("enter")
	}
	return nil
}

// esp follows the Enrollment Status Page, a picture as each phase starts working.
func (s *session) esp(step flow.StepID, until func(func() bool) error) error {
	d, r := s.d, s.r
	seen := map[flow.ESPPhase]bool{}
	for {
		newPhase := func() bool {
			e := r.ESPStep()
			if e == nil || d.Step() != step || e.State != run.ESPRunning {
				return true
			}
			return !seen[e.Phase()] && r.ESP().Phase(e.Phase()).Running()
		}
		if err := until(newPhase); err != nil {
			return err
		}
		e := r.ESPStep()
		if e == nil || d.Step() != step {
			return nil
		}
		if e.State == run.ESPEntraPrompt {
			if err := s.entraPrompt(until); err != nil {
				return err
			}
			continue
		}
		if e.State == run.ESPSignOut {
			// a hybrid join's Account setup ends with Sign out (reference §1.4)
			if err := s.snap("sign-out", "Account setup complete: Sign out, then sign in again"); err != nil {
				return err
			}
			return d.Press("enter")
		}
		if e.State != run.ESPRunning {
			return nil // failed, restarting: the walk's caller looks
		}
		seen[e.Phase()] = true
		if err := s.snap("working-"+string(e.Phase()), string(e.Phase())+" working"); err != nil {
			return err
		}
	}
}

// entraPrompt answers the Microsoft Entra prompt of a hybrid join's Account setup: the work
// account, "Stay signed in to all your apps" (OK), "You're all set!" (Done).
func (s *session) entraPrompt(until func(func() bool) error) error {
	d, r := s.d, s.r
	if err := s.snap("entra-prompt", "Account setup asks for the Microsoft Entra account"); err != nil {
		return err
	}
	u, _ := happyUser(s.world)
	if err := d.Type(u.UPN); err != nil {
		return err
	}
	if err := d.Press("enter"); err != nil {
		return err
	}
	if err := d.Type(u.Password); err != nil {
		return err
	}
	d.Key("enter")
	prompt := func() *run.EntraPrompt {
		if e := r.ESPStep(); e != nil && e.State == run.ESPEntraPrompt {
			return e.Prompt
		}
		return nil
	}
	if err := until(func() bool { p := prompt(); return p == nil || p.State == run.PromptStaySignedIn }); err != nil {
		return err
	}
	if prompt() == nil {
		return nil
	}
	if err := s.snap("stay-signed-in", "Stay signed in to all your apps"); err != nil {
		return err
	}
	if err := d.Press("enter"); err != nil { // OK
		return err
	}
	if prompt() != nil {
		if err := s.snap("entra-all-set", "You're all set!"); err != nil {
			return err
		}
		d.Key("enter") // Done
	}
	return nil
}

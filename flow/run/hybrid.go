package run

import (
	"context"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// The second half of a Microsoft Entra hybrid join, as Microsoft's "User-driven Microsoft
// Entra hybrid join: Deploy the device" (step 10 of 10) describes it: after the Windows
// sign-in, "the ESP appears again and the Account setup phase continues"; "after a short
// period of time" the Microsoft Entra sign-in page appears (the Entra credentials, Next),
// then "Stay signed in to all your apps" with "Allow my organization to manage my device"
// (OK), then "You're all set!" (Done); once Account setup completes, Sign out goes to the
// Windows sign-on screen, where the user signs in with the on-premises credentials and starts
// using the device. The tutorial's tip on the lock screen: a device left alone during Account
// setup may lock; Ctrl+Alt+Del and the on-premises credentials unlock it back to the ESP.

// EntraPromptDelay is how long Account setup of a hybrid join runs before the Microsoft
// Entra sign-in prompt appears ("after a short period of time"), on the emulated clock.
const EntraPromptDelay = 15 * time.Second

// PromptState is where the Microsoft Entra prompt of a hybrid join's Account setup is.
type PromptState int

const (
	// PromptCredentials: the Microsoft Entra sign-in asks for the work account and password.
	PromptCredentials PromptState = iota
	// PromptChecking: the backend checks them.
	PromptChecking
	// PromptStaySignedIn: "Stay signed in to all your apps" waits for OK.
	PromptStaySignedIn
	// PromptAllSet: "You're all set!" waits for Done.
	PromptAllSet
)

// EntraPrompt is the Microsoft Entra sign-in that comes up during a hybrid join's Account
// setup. While it waits for the user, Account setup waits with it: the backend's stream is
// not read and the phase's timeout is held, so a clock that jumps to the next wake-up (--speed
// max) does not time the phase out behind a page that waits for a person; the time it took
// counts once it is done (the deadline stays where it was).
type EntraPrompt struct {
	e *ESP
	// State is where the prompt is.
	State PromptState
	// Err is the error the sign-in shows (nil for none).
	Err *flow.Error
	// Manage is "Allow my organization to manage my device" (on by default).
	Manage bool
}

// EntraPromptChanged says the prompt moved on (or the device locked or unlocked).
type EntraPromptChanged struct{}

// armPrompt schedules the Entra prompt of a hybrid join's Account setup, once per run.
func (e *ESP) armPrompt() {
	r := e.r
	if !e.hybrid() || e.Phase() != flow.ESPAccountSetup || r.entraDone {
		return
	}
	attempt := r.esp.Phase(flow.ESPAccountSetup).Attempts
	r.after("esp.entra_prompt", r.ctx, EntraPromptDelay, func() Outcome {
		if e.State != ESPRunning || r.ESPStep() != e || r.esp.Phase(flow.ESPAccountSetup).Attempts != attempt {
			return nil
		}
		return e.showPrompt()
	})
}

// showPrompt puts the Entra prompt up: Account setup waits for it.
func (e *ESP) showPrompt() Outcome {
	e.disarm()
	e.stopIdle() // a page that waits for the person does not lock, nor keep time moving
	e.f.pause()
	e.State = ESPEntraPrompt
	e.Prompt = &EntraPrompt{e: e, Manage: true}
	e.r.log(flow.RecordEvent, flow.EventData{Event: "entra_prompt", Phase: e.Phase()})
	return &ESPChanged{}
}

// prompt checks that the prompt is on screen in one of states.
func (p *EntraPrompt) in(states ...PromptState) error {
	e := p.e
	if err := e.in(ESPEntraPrompt); err != nil {
		return err
	}
	if e.Prompt != p {
		return ErrWrongStep
	}
	for _, s := range states {
		if p.State == s {
			return nil
		}
	}
	return ErrNotReady
}

// SignIn is Next on the Microsoft Entra sign-in: the Entra credentials (a UPN, not the
// on-premises DOMAIN\user) of the user who set the device up.
func (p *EntraPrompt) SignIn(c flow.Credentials) error {
	r := p.e.r
	if err := p.in(PromptCredentials); err != nil {
		return err
	}
	c.UPN = strings.TrimSpace(c.UPN)
	if c.UPN == "" || c.Password == "" {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "entra_next"})
	p.e.touch()
	if !looksLikeUPN(c.UPN) || strings.Contains(c.UPN, `\`) {
		// Microsoft: "Don't use on-premises credentials to sign in at this step"
		p.Err = &flow.Error{Code: CodeInvalidUsername}
		r.log(flow.RecordError, flow.ErrorData{Error: "entra_sign_in", User: recordedUser(strings.ReplaceAll(c.UPN, `\`, "@")), Detail: string(CodeInvalidUsername)})
		return nil
	}
	p.State, p.Err = PromptChecking, nil
	typed := c.UPN
	r.checkCredentials("entra_sign_in", c, func(_ flow.SignInResult, err *flow.Error) Outcome {
		if p.e.Prompt != p {
			return nil
		}
		if err != nil {
			p.State, p.Err = PromptCredentials, err
			r.log(flow.RecordError, flow.ErrorData{Error: "entra_sign_in", User: recordedUser(typed), Detail: string(err.Code)})
			return &EntraPromptChanged{}
		}
		p.State = PromptStaySignedIn
		return &EntraPromptChanged{}
	})
	return nil
}

// SetManage ticks or clears "Allow my organization to manage my device".
func (p *EntraPrompt) SetManage(on bool) error {
	if err := p.in(PromptStaySignedIn); err != nil {
		return err
	}
	if p.Manage != on {
		p.Manage = on
		p.e.r.log(flow.RecordButton, flow.ButtonData{Button: "allow_manage", On: &on})
	}
	p.e.touch()
	return nil
}

// StaySignedIn is OK on "Stay signed in to all your apps".
func (p *EntraPrompt) StaySignedIn() error {
	if err := p.in(PromptStaySignedIn); err != nil {
		return err
	}
	on := p.Manage
	p.e.r.log(flow.RecordButton, flow.ButtonData{Button: "stay_signed_in", On: &on})
	p.e.touch()
	p.State = PromptAllSet
	return nil
}

// Done is Done on "You're all set!": the prompt closes and Account setup goes on.
func (p *EntraPrompt) Done() error {
	if err := p.in(PromptAllSet); err != nil {
		return err
	}
	e, r := p.e, p.e.r
	r.log(flow.RecordButton, flow.ButtonData{Button: "entra_done"})
	e.touch()
	r.entraDone = true
	e.Prompt = nil
	e.State = ESPRunning
	if e.Lock == nil {
		e.armIdle()
	}
	if e.held {
		e.completed()
		e.held = false
		return nil
	}
	e.arm()
	e.f.resume()
	return nil
}

// ScreenLock is the Windows lock screen that comes over Account setup when the device was
// left alone (Microsoft's hybrid tip): Ctrl+Alt+Del, then the password of the user signed in
// to Windows. The ESP goes on behind it.
type ScreenLock struct {
	// Unlocked is true once Ctrl+Alt+Del was pressed: the password box shows.
	Unlocked bool
	// User is who is signed in (the name typed on the Windows sign-in).
	User string
	// Form is the password form's state.
	Form Credentials
	// N counts the locks of this Account setup (1 for the first).
	N int
}

// IdleLimit is how long Account setup may go without the user before the device locks: the
// scenario's machine inactivity limit (DeviceProfile.IdleLockMinutes); 0 never locks.
func (e *ESP) IdleLimit() time.Duration {
	return time.Duration(e.r.Device().IdleLockMinutes) * time.Minute
}

// armIdle starts the idle lock's timer of a hybrid join's Account setup.
func (e *ESP) armIdle() {
	r := e.r
	limit := e.IdleLimit()
	if !e.hybrid() || e.Phase() != flow.ESPAccountSetup || limit <= 0 {
		return
	}
	e.lastInput = r.clock.Now()
	e.stopIdle()
	ctx, cancel := context.WithCancel(r.ctx)
	e.idle = cancel
	e.waitIdle(ctx, limit)
}

// stopIdle ends the idle lock's timer.
func (e *ESP) stopIdle() {
	if e.idle != nil {
		e.idle()
		e.idle = nil
	}
}

// waitIdle locks the screen once d has passed without the user, or waits again for the rest.
func (e *ESP) waitIdle(ctx context.Context, d time.Duration) {
	r := e.r
	r.after("esp.idle", ctx, d, func() Outcome {
		if r.ESPStep() != e || e.Lock != nil {
			return nil
		}
		if e.State != ESPRunning {
			return nil // Account setup is over or failed: no more locking
		}
		if left := e.lastInput.Add(e.IdleLimit()).Sub(r.clock.Now()); left > 0 {
			e.waitIdle(ctx, left)
			return nil
		}
		e.locks++
		e.Lock = &ScreenLock{User: r.winUser, N: e.locks}
		r.log(flow.RecordEvent, flow.EventData{Event: "idle_lock", Phase: e.Phase()})
		return &EntraPromptChanged{}
	})
}

// touch notes the user's input: the idle lock counts from it.
func (e *ESP) touch() { e.lastInput = e.r.clock.Now() }

// Touch tells the ESP that the user pressed a key or clicked: the device does not lock for
// the idle limit from now.
func (e *ESP) Touch() {
	if e.r.ESPStep() == e {
		e.touch()
	}
}

// UnlockScreen is Ctrl+Alt+Del on the lock screen: the password box shows.
func (e *ESP) UnlockScreen() error {
	if e.r.ESPStep() != e {
		return ErrWrongStep
	}
	l := e.Lock
	if l == nil || l.Unlocked {
		return ErrNotReady
	}
	e.r.log(flow.RecordButton, flow.ButtonData{Button: "ctrl_alt_del"})
	l.Unlocked, l.Form = true, Credentials{}
	return nil
}

// LockAgain is Esc on the lock screen's password box: back to "Press Ctrl+Alt+Del".
func (e *ESP) LockAgain() error {
	l := e.Lock
	if e.r.ESPStep() != e || l == nil || !l.Unlocked || l.Form.Checking {
		return ErrNotReady
	}
	l.Unlocked, l.Form = false, Credentials{}
	return nil
}

// UnlockSignIn checks the password of the user signed in to Windows; the ESP shows again.
func (e *ESP) UnlockSignIn(password string) error {
	r := e.r
	l := e.Lock
	if r.ESPStep() != e {
		return ErrWrongStep
	}
	if l == nil || !l.Unlocked || l.Form.Checking || password == "" {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "unlock_sign_in"})
	l.Form = Credentials{Checking: true}
	r.checkCredentials("unlock", flow.Credentials{UPN: l.User, Password: password, Windows: true}, func(_ flow.SignInResult, err *flow.Error) Outcome {
		if e.Lock != l {
			return nil
		}
		l.Form.Checking = false
		if err != nil {
			l.Form.Err = err
			r.log(flow.RecordError, flow.ErrorData{Error: "unlock", Detail: string(err.Code)})
			return &EntraPromptChanged{}
		}
		e.Lock = nil
		r.log(flow.RecordEvent, flow.EventData{Event: "unlocked", Phase: e.Phase()})
		e.armIdle()
		return &EntraPromptChanged{}
	})
	return nil
}

// signOutHybrid is Sign out at the end of a hybrid join's ESP: the Windows sign-on screen
// comes next, where the user signs in with the on-premises credentials (Deploy the device,
// step 9).
func (r *Run) signOutHybrid() {
	if r.session.InsertNext(flow.StepWindowsSignIn, "") {
		r.log(flow.RecordPlan, flow.PlanData{Steps: r.session.Steps(), Reason: "signed out: the user signs in to Windows again"})
	}
}

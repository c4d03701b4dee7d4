package run

import (
	"context"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// equalFold compares two identifiers ignoring case and surrounding spaces.
func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// WindowsSignIn is the controller of the Windows sign-in screen: on a Microsoft Entra
// hybrid join (reference §1.4 step 6) Ctrl+Alt+Del unlocks it and the user signs in with the
// on-premises credentials (DOMAIN\user or the UPN); after a restart of an Entra join
// (during Device setup, §1.7, or the quality update's, §3.7) any key dismisses the lock
// screen and the user signs in with the work account again. The user name is never
// pre-filled.
type WindowsSignIn struct {
	r *Run
	// Unlocked is true once Ctrl+Alt+Del was pressed.
	Unlocked bool
	// Form is the credentials form's state.
	Form Credentials
}

// WindowsSignInChanged says the Windows sign-in moved on.
type WindowsSignInChanged struct{}

func newWindowsSignIn(r *Run) *WindowsSignIn { return &WindowsSignIn{r: r} }

// WindowsSignIn returns the Windows sign-in's controller (nil on another step).
func (r *Run) WindowsSignIn() *WindowsSignIn {
	w, _ := r.ctl.(*WindowsSignIn)
	return w
}

// Domain is the NetBIOS name of the domain the screen signs in to ("" when unknown).
func (w *WindowsSignIn) Domain() string {
	if d := w.r.Device().DomainJoin; d != nil {
		return d.NetBIOSName
	}
	return ""
}

// NeedsCtrlAltDel reports whether the lock screen asks for Ctrl+Alt+Del (a domain-joined,
// hybrid device) rather than any key.
func (w *WindowsSignIn) NeedsCtrlAltDel() bool { return w.r.Profile().Join == flow.JoinHybrid }

// Unlock dismisses the lock screen (Ctrl+Alt+Del on a hybrid join).
func (w *WindowsSignIn) Unlock() error {
	if err := w.r.at(flow.StepWindowsSignIn); err != nil {
		return err
	}
	if w.Unlocked {
		return ErrNotReady
	}
	button := "unlock"
	if w.NeedsCtrlAltDel() {
		button = "ctrl_alt_del"
	}
	w.r.log(flow.RecordButton, flow.ButtonData{Button: button})
	w.Unlocked, w.Form = true, Credentials{}
	return nil
}

// Lock returns to the lock screen (Esc on the form).
func (w *WindowsSignIn) Lock() error {
	if err := w.r.at(flow.StepWindowsSignIn); err != nil {
		return err
	}
	if !w.Unlocked || w.Form.Checking {
		return ErrNotReady
	}
	w.Unlocked, w.Form = false, Credentials{}
	return nil
}

// SignIn checks the on-premises credentials; the user who set the device up moves on.
func (w *WindowsSignIn) SignIn(c flow.Credentials) error {
	r := w.r
	if err := r.at(flow.StepWindowsSignIn); err != nil {
		return err
	}
	c.UPN = strings.TrimSpace(c.UPN)
	if !w.Unlocked || w.Form.Checking || c.UPN == "" || c.Password == "" {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "windows_sign_in"})
	w.Form = Credentials{Checking: true}
	typed := c.UPN
	c.Windows = w.NeedsCtrlAltDel() // a hybrid join's domain sign-in
	r.checkCredentials("windows_sign_in", c, func(res flow.SignInResult, err *flow.Error) Outcome {
		w.Form.Checking = false
		if err != nil {
			w.Form.Err = err
			r.log(flow.RecordError, flow.ErrorData{Error: "windows_sign_in", User: recordedUser(strings.ReplaceAll(typed, `\`, "@")), Detail: string(err.Code)})
			return &WindowsSignInChanged{}
		}
		r.winUser, r.signInAgain = typed, false
		if r.user.UPN == "" {
			r.user = User{UPN: res.UPN, DisplayName: res.DisplayName, Ticket: res.Ticket}
		}
		r.log(flow.RecordAnswer, flow.AnswerData{WindowsUser: typed})
		r.advance()
		return nil
	})
	return nil
}

// VPNState is where the device VPN offered on the Windows sign-in screen is.
type VPNState int

const (
	// VPNOff: not connected.
	VPNOff VPNState = iota
	// VPNConnecting: the backend connects it.
	VPNConnecting
	// VPNConnected: connected; the domain is reachable through it.
	VPNConnected
	// VPNFailed: the connection failed (VPNErr says why).
	VPNFailed
)

// VPN is the device VPN the sign-in screen offers through its network sign-in icon (the
// hybrid tutorial's "Off-premises/Internet scenarios and VPN connectivity": the user
// "manually establish[es] a VPN connection from the Windows sign-in screen"): a hybrid join's
// VPN once its client app has been installed in Device setup; nil otherwise.
func (w *WindowsSignIn) VPN() *flow.VPNInfo {
	r := w.r
	v := r.Device().VPN
	if v == nil || !w.NeedsCtrlAltDel() {
		return nil
	}
	for _, g := range r.esp.Phase(flow.ESPDeviceSetup).Groups {
		for _, it := range g.Items {
			if g.Category == flow.CategoryApps && strings.EqualFold(it.ID, v.AppID) && it.State == flow.ItemComplete {
				return v
			}
		}
	}
	return nil
}

// VPNState is the VPN's state; VPNErr why it failed.
func (w *WindowsSignIn) VPNState() (VPNState, *flow.Error) { return w.r.vpn, w.r.vpnErr }

// ConnectVPN connects the device VPN from the sign-in screen.
func (w *WindowsSignIn) ConnectVPN() error {
	r := w.r
	if err := r.at(flow.StepWindowsSignIn); err != nil {
		return err
	}
	v := w.VPN()
	if v == nil || r.vpn == VPNConnecting || r.vpn == VPNConnected {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "vpn_connect", Network: v.Name})
	r.vpn, r.vpnErr = VPNConnecting, nil
	r.task("vpn", r.ctx, func(ctx context.Context) func() Outcome {
		err := r.backend.ConnectVPN(ctx)
		return func() Outcome {
			if err != nil {
				r.vpn, r.vpnErr = VPNFailed, flow.AsError(err)
				r.log(flow.RecordError, flow.ErrorData{Error: string(r.vpnErr.Code), Detail: r.vpnErr.Detail})
				return &WindowsSignInChanged{}
			}
			r.vpn = VPNConnected
			if w.Form.Err != nil && w.Form.Err.Code == flow.CodeDomainUnavailable {
				w.Form.Err = nil // the domain is in reach now
			}
			r.log(flow.RecordEvent, flow.EventData{Event: "vpn_connected", Detail: v.Name})
			return &WindowsSignInChanged{}
		}
	})
	return nil
}

// FSIAPause is how long the first sign-in animation lasts on the emulated clock.
const FSIAPause = 5 * time.Second

// startPause starts the first sign-in animation: it moves on by itself.
func (r *Run) startPause() {
	r.after("fsia", r.ctx, FSIAPause, func() Outcome {
		if r.Step() == flow.StepFSIA {
			r.advance()
		}
		return nil
	})
}

// Hello is the controller of Windows Hello for Business (reference §1.11): the intro ("Use
// Windows Hello with your account", OK), then "Set up a PIN" with the policy's rules, then
// "All set!" (OK). The PIN itself goes nowhere: only that it was set.
type Hello struct {
	r *Run
	// Config is the policy's PIN rules.
	Config flow.HelloConfig
	// PINPage is true once the intro was accepted.
	PINPage bool
	// AllSet is true once the PIN is set: "All set!" waits for OK.
	AllSet bool
}

func newHello(r *Run) *Hello { return &Hello{r: r, Config: r.Profile().Hello} }

// Hello returns the Windows Hello page's controller (nil on another step).
func (r *Run) Hello() *Hello {
	h, _ := r.ctl.(*Hello)
	return h
}

// Begin accepts the intro: the PIN page shows.
func (h *Hello) Begin() error {
	if err := h.r.at(flow.StepHello); err != nil {
		return err
	}
	if h.PINPage {
		return ErrNotReady
	}
	h.r.log(flow.RecordButton, flow.ButtonData{Button: "setup"})
	h.PINPage = true
	return nil
}

// Cancel leaves the PIN page for the intro.
func (h *Hello) Cancel() error {
	if err := h.r.at(flow.StepHello); err != nil {
		return err
	}
	if !h.PINPage || h.AllSet {
		return ErrNotReady
	}
	h.r.log(flow.RecordButton, flow.ButtonData{Button: "cancel"})
	h.PINPage = false
	return nil
}

// SetPIN sets the PIN when it meets the policy (digits only unless letters, "Include letters
// and symbols", is ticked) and moves on; ErrNotReady otherwise.
func (h *Hello) SetPIN(pin string, letters bool) error {
	r := h.r
	if err := r.at(flow.StepHello); err != nil {
		return err
	}
	if !h.PINPage || h.AllSet || !flow.PINValid(pin, h.Config) || (!letters && strings.TrimLeft(pin, "0123456789") != "") {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "ok"})
	r.log(flow.RecordAnswer, flow.AnswerData{HelloPIN: "set", LettersAndSymbols: &letters})
	r.used.PIN = true
	r.saved = false
	h.AllSet = true
	return nil
}

// Finish is OK on "All set!": on to the desktop.
func (h *Hello) Finish() error {
	r := h.r
	if err := r.at(flow.StepHello); err != nil {
		return err
	}
	if !h.AllSet {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "all_set"})
	r.advance()
	return nil
}

// Desktop is the controller of the finish page: the device's name (from the backend), and
// the end of the run.
type Desktop struct {
	r *Run
	// Elapsed is the whole setup on the emulated clock: from power-on to the desktop.
	Elapsed time.Duration
	// Name is the device's name ("" until the backend said).
	Name string
	// Err is why the name is not known.
	Err *flow.Error
}

// DesktopReady says the device's name is known (or Err).
type DesktopReady struct{}

func newDesktop(r *Run) *Desktop {
	d := &Desktop{r: r, Elapsed: r.clock.Now().Sub(r.poweredOn)}
	if n := r.Answers().DeviceName; n != "" {
		d.Name = n
		r.end("desktop", "")
		return d
	}
	r.task("device_name", r.ctx, func(ctx context.Context) func() Outcome {
		name, err := r.backend.DeviceName(ctx)
		return func() Outcome {
			if err != nil {
				d.Err = flow.AsError(err)
				r.log(flow.RecordError, flow.ErrorData{Error: "device_name", Detail: d.Err.Error()})
			} else {
				d.Name = name
				r.session.Answers.DeviceName = name
				r.log(flow.RecordAnswer, flow.AnswerData{DeviceName: name})
			}
			r.end("desktop", "")
			return &DesktopReady{}
		}
	})
	return d
}

// Desktop returns the finish page's controller (nil on another step).
func (r *Run) Desktop() *Desktop {
	d, _ := r.ctl.(*Desktop)
	return d
}

// StartAgain starts a fresh run on the same device (a kiosk's next person).
func (d *Desktop) StartAgain() error {
	if d.r.Desktop() != d {
		return ErrWrongStep
	}
	d.r.log(flow.RecordButton, flow.ButtonData{Button: "restart"})
	d.r.Restart("restart")
	return nil
}

// RecordExit records Exit on the finish page (the frontend then stops).
func (d *Desktop) RecordExit() {
	if d.r.Desktop() == d {
		d.r.log(flow.RecordButton, flow.ButtonData{Button: "exit"})
	}
}

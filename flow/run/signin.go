package run

import (
	"context"
	"errors"
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// SignInState is where the organization's sign-in is.
type SignInState int

const (
	// SignUser: typing the username.
	SignUser SignInState = iota
	// SignCheckingUser: the backend looks the username up.
	SignCheckingUser
	// SignPassword: typing the password.
	SignPassword
	// SignCheckingPassword: the backend checks the credentials.
	SignCheckingPassword
	// SignOrgError: the username belongs to another organization.
	SignOrgError
	// SignMFAPush: waiting for the Authenticator approval (number matching).
	SignMFAPush
	// SignMFADenied: the request was denied.
	SignMFADenied
	// SignMFACode: typing a verification code.
	SignMFACode
	// SignVerifying: the backend checks the code.
	SignVerifying
	// SignEnrolling: joining and enrolling the device.
	SignEnrolling
	// SignEnrollError: enrollment failed with a code.
	SignEnrollError
	// SignFederated: the organization's own identity provider's page (AD FS) asks for the
	// username and the password of a federated domain (reference §1.5).
	SignFederated
	// SignCheckingFederated: the identity provider checks them.
	SignCheckingFederated
)

// Codes of the sign-in's own checks (before anything goes to the backend).
const (
	// CodeInvalidUsername: what was typed is not a username (no @).
	CodeInvalidUsername flow.ErrorCode = "invalid_username"
	// CodeEmptyPassword: Sign in with an empty password.
	CodeEmptyPassword flow.ErrorCode = "empty_password"
	// CodeOtherUser: someone else than the user who set the device up signed in.
	CodeOtherUser flow.ErrorCode = "other_user"
)

// SignIn is the controller of the organization-branded sign-in (reference §1.5): the
// username, the password, the multifactor challenge, then the join and enrollment.
type SignIn struct {
	r *Run
	// State is where the sign-in is.
	State SignInState
	// UPN is the username being signed in (typed, or the assigned user's).
	UPN string
	// Assigned is true when the device record assigns the user: the username is filled in
	// and only the password is asked.
	Assigned bool
	// Greeting is the assigned user's friendly name ("Welcome, Alex!"), "" otherwise.
	Greeting string
	// Err is the error the page shows (nil for none).
	Err *flow.Error
	// Number is the number-matching number of an Authenticator push.
	Number int
	// HResult is Windows' code of a failed enrollment.
	HResult string

	ticket flow.Ticket
	push   context.CancelFunc // ends the wait for the push in progress
}

// SignInChanged says the sign-in moved on: the page reads State and Err.
type SignInChanged struct{}

func newSignIn(r *Run) *SignIn {
	s := &SignIn{r: r}
	if a := r.Device().AssignedUser; a != nil && a.UPN != "" && r.Profile().Join == flow.JoinEntra {
		s.Assigned, s.UPN, s.Greeting, s.State = true, a.UPN, a.FriendlyName, SignPassword
		if s.Federated() {
			s.State = SignFederated
		}
	}
	return s
}

// Federated reports whether the username's domain is federated: the organization's
// identity provider's page takes the password, and a different user than the assigned one
// can sign in there (the known issue of reference §1.5 and §4).
func (s *SignIn) Federated() bool { return s.r.Device().Organization.Federated(s.UPN) }

// SignIn returns the sign-in page's controller (nil on another step).
func (r *Run) SignIn() *SignIn {
	s, _ := r.ctl.(*SignIn)
	return s
}

// EscapeLink reports whether the page offers the "start over" link (hidden by the profile,
// reference §1.10).
func (s *SignIn) EscapeLink() bool { return !s.r.Profile().EscapeLinkHidden }

// in checks that the sign-in is on screen in one of states.
func (s *SignIn) in(states ...SignInState) error {
	if err := s.r.at(flow.StepSignIn); err != nil {
		return err
	}
	for _, st := range states {
		if s.State == st {
			return nil
		}
	}
	return ErrNotReady
}

// press records a button of the page.
func (s *SignIn) press(button string) { s.r.log(flow.RecordButton, flow.ButtonData{Button: button}) }

// looksLikeUPN reports whether v can be recorded as a username: one @, no spaces (a password
// typed into the username box is not).
func looksLikeUPN(v string) bool {
	return strings.Count(v, "@") == 1 && !strings.ContainsAny(v, " \t") && !strings.HasPrefix(v, "@") && !strings.HasSuffix(v, "@")
}

// recordedUser is v when it looks like a username, else a mark.
func recordedUser(v string) string {
	if looksLikeUPN(v) {
		return v
	}
	return "(not a username)"
}

// SubmitUser is Next on the username page: the backend looks the name up.
func (s *SignIn) SubmitUser(upn string) error {
	if err := s.in(SignUser); err != nil {
		return err
	}
	r := s.r
	s.press("next")
	upn = strings.TrimSpace(upn)
	s.UPN = upn
	if upn == "" || !strings.Contains(upn, "@") {
		s.Err = &flow.Error{Code: CodeInvalidUsername}
		return nil
	}
	s.State, s.Err = SignCheckingUser, nil
	r.task("check_user", r.ctx, func(ctx context.Context) func() Outcome {
		err := r.backend.CheckUser(ctx, upn)
		return func() Outcome { return s.userChecked(upn, err) }
	})
	return nil
}

func (s *SignIn) userChecked(upn string, err error) Outcome {
	if err == nil {
		s.State = SignPassword
		if s.Federated() {
			s.State = SignFederated
		}
		return &SignInChanged{}
	}
	return s.failed(upn, err, SignUser)
}

// failed records a failed user check or sign-in and shows it: another organization's page,
// the username page for an unknown user, else the error on the page back (the step's own).
func (s *SignIn) failed(upn string, err error, back SignInState) Outcome {
	r := s.r
	e := flow.AsError(err)
	switch {
	case errors.Is(err, flow.ErrOtherOrganization):
		r.log(flow.RecordError, flow.ErrorData{Error: string(e.Code), Domain: e.Detail})
		s.State = SignOrgError
	case errors.Is(err, flow.ErrUnknownUser):
		r.log(flow.RecordError, flow.ErrorData{Error: string(e.Code), User: recordedUser(upn)})
		s.State, s.Err = SignUser, e
	default:
		r.log(flow.RecordError, flow.ErrorData{Error: "sign_in", User: recordedUser(upn), Detail: e.Error()})
		s.State, s.Err = back, e
	}
	return &SignInChanged{}
}

// BackToUser is Back on the password page or the identity provider's page (not for an
// assigned user).
func (s *SignIn) BackToUser() error {
	if err := s.in(SignPassword, SignFederated); err != nil {
		return err
	}
	if s.Assigned {
		return ErrNotReady
	}
	s.press("back")
	s.State, s.Err = SignUser, nil
	return nil
}

// SubmitPassword is Sign in (Next on Windows 10): the credentials go to the backend; the
// password goes nowhere else.
func (s *SignIn) SubmitPassword(password string) error {
	if err := s.in(SignPassword); err != nil {
		return err
	}
	r := s.r
	s.press("signin")
	if password == "" {
		s.Err = &flow.Error{Code: CodeEmptyPassword}
		return nil
	}
	s.State, s.Err = SignCheckingPassword, nil
	cred := flow.Credentials{UPN: s.UPN, Password: password}
	r.task("sign_in", r.ctx, func(ctx context.Context) func() Outcome {
		res, err := r.backend.SignIn(ctx, cred)
		return func() Outcome { return s.signedIn(cred.UPN, res, err) }
	})
	return nil
}

// SubmitFederated is Sign in on the identity provider's page: the username typed there
// (which may not be the one the device is assigned to) and the password go to the backend.
func (s *SignIn) SubmitFederated(upn, password string) error {
	if err := s.in(SignFederated); err != nil {
		return err
	}
	r := s.r
	s.press("signin")
	upn = strings.TrimSpace(upn)
	switch {
	case upn == "" || !strings.Contains(upn, "@"):
		s.Err = &flow.Error{Code: CodeInvalidUsername}
		return nil
	case password == "":
		s.Err = &flow.Error{Code: CodeEmptyPassword}
		return nil
	}
	s.State, s.Err = SignCheckingFederated, nil
	cred := flow.Credentials{UPN: upn, Password: password}
	r.task("sign_in", r.ctx, func(ctx context.Context) func() Outcome {
		res, err := r.backend.SignIn(ctx, cred)
		return func() Outcome { return s.signedIn(cred.UPN, res, err) }
	})
	return nil
}

func (s *SignIn) signedIn(upn string, res flow.SignInResult, err error) Outcome {
	r := s.r
	back := SignPassword
	if s.State == SignCheckingFederated {
		back = SignFederated
	}
	if err != nil {
		return s.failed(upn, err, back)
	}
	if a := r.Device().AssignedUser; s.Assigned && a != nil && !strings.EqualFold(a.UPN, res.UPN) {
		// a federated sign-in does not enforce the assignment: the device goes to whoever
		// signed in (the known issue a trainer shows with the adfs fault)
		r.log(flow.RecordEvent, flow.EventData{Event: "assignment_not_enforced", Detail: "assigned to " + recordedUser(a.UPN) + ", signed in " + recordedUser(res.UPN)})
	}
	s.UPN, s.ticket = res.UPN, res.Ticket
	r.user = User{UPN: res.UPN, DisplayName: res.DisplayName, Ticket: res.Ticket}
	r.session.Answers.UPN = res.UPN
	r.used.Password = true
	r.saved = false
	r.log(flow.RecordAnswer, flow.AnswerData{UPN: res.UPN})
	switch res.MFA {
	case flow.MFAPush:
		s.Number = res.MFANumber
		s.startPush()
	case flow.MFACode:
		s.State = SignMFACode
	default:
		s.enroll()
	}
	return &SignInChanged{}
}

// startPush sends the Authenticator request and waits for its answer.
func (s *SignIn) startPush() {
	r := s.r
	s.stopPush()
	s.State, s.Err = SignMFAPush, nil
	r.log(flow.RecordEvent, flow.EventData{Event: "mfa_push", Number: s.Number})
	ctx, cancel := context.WithCancel(r.ctx)
	s.push = cancel
	tk := s.ticket
	r.task("mfa_wait", ctx, func(ctx context.Context) func() Outcome {
		err := r.backend.WaitMFA(ctx, tk)
		return func() Outcome {
			if s.State != SignMFAPush || ctx.Err() != nil {
				return nil // the person chose a code meanwhile: the answer is moot
			}
			return s.mfaAnswered(err)
		}
	})
}

func (s *SignIn) stopPush() {
	if s.push != nil {
		s.push()
		s.push = nil
	}
}

func (s *SignIn) mfaAnswered(err error) Outcome {
	r := s.r
	e := flow.AsError(err)
	switch {
	case err == nil:
		r.log(flow.RecordEvent, flow.EventData{Event: "mfa_approved"})
		s.enroll()
	case errors.Is(err, flow.ErrMFADenied):
		r.log(flow.RecordError, flow.ErrorData{Error: string(e.Code)})
		s.State, s.Err = SignMFADenied, nil
	case errors.Is(err, flow.ErrWrongCode):
		r.log(flow.RecordError, flow.ErrorData{Error: string(e.Code)})
		s.State, s.Err = SignMFACode, e
	default:
		r.log(flow.RecordError, flow.ErrorData{Error: "mfa", Detail: e.Error()})
		s.State, s.Err = SignMFADenied, e
	}
	return &SignInChanged{}
}

// UseCode is "I can't use my Microsoft Authenticator app right now" (or, after a denial,
// "Use a verification code"): the page asks for a code.
func (s *SignIn) UseCode() error {
	if err := s.in(SignMFAPush, SignMFADenied); err != nil {
		return err
	}
	s.press("usecode")
	s.stopPush()
	s.State, s.Err = SignMFACode, nil
	return nil
}

// Resend sends the Authenticator request again (also "Use the app instead" from the code
// page).
func (s *SignIn) Resend() error {
	if err := s.in(SignMFADenied, SignMFACode); err != nil {
		return err
	}
	if s.State == SignMFACode {
		s.press("usepush")
	} else {
		s.press("resend")
	}
	s.startPush()
	return nil
}

// VerifyCode checks a verification code from the app; the code goes to the backend only.
func (s *SignIn) VerifyCode(code string) error {
	if err := s.in(SignMFACode); err != nil {
		return err
	}
	r := s.r
	s.press("verify")
	code = strings.TrimSpace(code)
	if code == "" {
		return ErrNotReady
	}
	s.State, s.Err = SignVerifying, nil
	tk := s.ticket
	r.task("verify_code", r.ctx, func(ctx context.Context) func() Outcome {
		err := r.backend.VerifyCode(ctx, tk, code)
		return func() Outcome {
			if err == nil {
				r.used.MFACode = true
			}
			return s.mfaAnswered(err)
		}
	})
	return nil
}

// enroll joins and enrolls the device.
func (s *SignIn) enroll() {
	r := s.r
	s.State, s.Err = SignEnrolling, nil
	tk := s.ticket
	r.task("enroll", r.ctx, func(ctx context.Context) func() Outcome {
		err := r.backend.Enroll(ctx, tk)
		return func() Outcome {
			if err != nil {
				e := flow.AsError(err)
				s.State, s.HResult, s.Err = SignEnrollError, e.HResult, e
				r.log(flow.RecordError, flow.ErrorData{Error: string(e.Code), Code: e.HResult, Detail: e.Detail})
				return &SignInChanged{}
			}
			r.log(flow.RecordEvent, flow.EventData{Event: "enrolled"})
			r.advance()
			return nil
		}
	})
}

// RetryEnroll is Try again on the enrollment error page.
func (s *SignIn) RetryEnroll() error {
	if err := s.in(SignEnrollError); err != nil {
		return err
	}
	s.press("retry")
	s.enroll()
	return nil
}

// StartOver is the escape link ("sign in with a different account") and Start over on the
// error pages: back to an empty username, the assignment forgotten.
func (s *SignIn) StartOver() error {
	if err := s.in(SignPassword, SignFederated, SignOrgError, SignEnrollError, SignMFADenied); err != nil {
		return err
	}
	if !s.EscapeLink() {
		return ErrNotReady
	}
	s.press("startover")
	s.r.log(flow.RecordEvent, flow.EventData{Event: "start_over"})
	s.stopPush()
	s.State, s.Err, s.UPN, s.Assigned, s.Greeting = SignUser, nil, "", false, ""
	return nil
}

// SignInAgain is "Sign in again" on the other-organization page: back to the username page
// with the name typed still in the box, to correct it (Start over empties it instead).
func (s *SignIn) SignInAgain() error {
	if err := s.in(SignOrgError); err != nil {
		return err
	}
	s.press("again")
	s.State, s.Err = SignUser, nil // s.UPN stays: the page keeps the name typed
	return nil
}

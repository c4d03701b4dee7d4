package flow

import (
	"fmt"
	"strings"
)

// Credentials are what the user types on a sign-in page: the branded sign-in, the Windows
// sign-in after a restart or of a hybrid join.
type Credentials struct {
	// UPN is the username: a user principal name, or DOMAIN\user on the Windows sign-in of a
	// Microsoft Entra hybrid join.
	UPN string `json:"upn"`
	// Password is the account password.
	// SECRET: it crosses a wire only in this field; String and GoString leave it out, and no
	// record, log or bundle type has a field for it.
	Password string `json:"password"`
	// Windows is true for credentials typed on the Windows sign-in screen of a Microsoft
	// Entra hybrid join: a domain sign-in, which needs a domain controller the first time the
	// user signs in to the device (later ones use the cached credentials).
	Windows bool `json:"windows,omitempty"`
}

// String returns the credentials with the password redacted.
func (c Credentials) String() string {
	return fmt.Sprintf("{UPN:%s Password:%s}", c.UPN, redact(c.Password))
}

// GoString returns the credentials with the password redacted (for %#v).
func (c Credentials) GoString() string {
	return fmt.Sprintf("flow.Credentials{UPN:%q, Password:%q}", c.UPN, redact(c.Password))
}

// Format makes every fmt verb (%v, %+v, %s, %q, %#v) print the redacted form.
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// redact hides a secret, showing only whether it is set.
func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return "***"
}

// Ticket names one sign-in to the backend: SignIn returns it, and the calls that need a
// signed-in user (WaitMFA, VerifyCode, Enroll, Provision) take it. It is opaque to the run.
type Ticket string

// SignInResult is a successful first factor.
type SignInResult struct {
	// Ticket names this sign-in in the calls that follow.
	Ticket Ticket `json:"ticket"`
	// UPN is the user principal name as the directory spells it (also when DOMAIN\user was
	// typed).
	UPN string `json:"upn"`
	// DisplayName is the user's name for greetings ("Hi, Megan").
	DisplayName string `json:"displayName"`
	// MFA is the challenge that follows (none, push or code).
	MFA MFAMethod `json:"mfa"`
	// MFANumber is the 2-digit number (10–99) the sign-in screen shows for number matching
	// with a push; 0 otherwise.
	MFANumber int `json:"mfaNumber,omitempty"`
}

// MFAMethod is the multifactor challenge that follows a sign-in.
type MFAMethod string

const (
	// MFANone means the user is not challenged.
	MFANone MFAMethod = "none"
	// MFAPush is an Authenticator push notification with number matching.
	MFAPush MFAMethod = "push"
	// MFACode is a verification code from the Authenticator app.
	MFACode MFAMethod = "code"
)

// Windows' codes of failed enrollments a trainer can demonstrate (reference §6), in the form
// the "Something went wrong" page shows them.
const (
	// HResultPlatformBlocked is a device platform restriction blocking Windows.
	HResultPlatformBlocked = "80180014"
	// HResultUnlicensed is a user without an Intune licence (or over the device limit).
	HResultUnlicensed = "80180018"
	// HResultJoinNotAllowed is a user not allowed to join devices, or over the device quota.
	HResultJoinNotAllowed = "801c0003"
	// HResultJoinRejected is Entra device registration rejecting the request.
	HResultJoinRejected = "801c03ed"
	// HResultHomeEdition is Windows Home, which cannot enroll.
	HResultHomeEdition = "80180022"
	// HResultAlreadyEnrolled is a device already enrolled by another user.
	HResultAlreadyEnrolled = "8018000a"
	// HResultDomainUnreachable is the hybrid join failure (no domain controller, connector rights).
	HResultDomainUnreachable = "80070774"
)

// EnrollmentErrorReason returns the trainer's explanation of an enrollment error code (hex,
// with or without 0x, any case), or "" for a code it does not know.
func EnrollmentErrorReason(code string) string {
	switch NormalizeErrorCode(code) {
	case HResultPlatformBlocked:
		return "a device platform restriction blocks Windows enrollment"
	case HResultUnlicensed:
		return "the user has no Intune licence or reached the enrollment device limit"
	case HResultJoinNotAllowed:
		return "the user may not join devices to Microsoft Entra ID or reached the device quota"
	case HResultJoinRejected:
		return "Microsoft Entra device registration rejected the request"
	case HResultHomeEdition:
		return "Windows Home edition cannot enroll"
	case HResultAlreadyEnrolled:
		return "the device is already enrolled by another user"
	case HResultDomainUnreachable:
		return "the domain controller cannot be reached or the device cannot join the domain"
	}
	return ""
}

// NormalizeErrorCode writes a hex error code the way the sign-in error page shows it: no 0x,
// lowercase, e.g. "0x80180018" → "80180018".
func NormalizeErrorCode(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	return strings.TrimPrefix(code, "0x")
}

// UPNDomain returns the domain part of upn ("" without an @).
func UPNDomain(upn string) string {
	upn = strings.TrimSpace(upn)
	at := strings.LastIndex(upn, "@")
	if at < 0 {
		return ""
	}
	return upn[at+1:]
}

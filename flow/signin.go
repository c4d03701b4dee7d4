package flow

import (
	"errors"
	"fmt"
	"strings"
)

// Credentials are what the user types on the sign-in page.
type Credentials struct {
	// UPN is the username (user principal name).
	UPN string `json:"upn"`
	// Password is the account password.
	// SECRET: never logged or recorded; String, GoString and JSON leave it out.
	Password string `json:"-"`
}

// String returns the credentials with the password redacted.
func (c Credentials) String() string {
	return fmt.Sprintf("{UPN:%s Password:%s}", c.UPN, redact(c.Password))
}

// GoString returns the credentials with the password redacted (for %#v).
func (c Credentials) GoString() string {
	return fmt.Sprintf("flow.Credentials{UPN:%q, Password:%q}", c.UPN, redact(c.Password))
}

// redact hides a secret, showing only whether it is set.
func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return "***"
}

// SignInResult is a successful first factor.
type SignInResult struct {
	// UPN is the user principal name as the directory spells it.
	UPN string `json:"upn"`
	// DisplayName is the user's name for greetings.
	DisplayName string `json:"displayName"`
	// MFA is the challenge that follows (none, push or code).
	MFA MFAMethod `json:"mfa"`
	// MFANumber is the 2-digit number (10–99) the sign-in screen shows for number matching
	// with a push; 0 otherwise.
	MFANumber int `json:"mfaNumber,omitempty"`
}

// Errors of sign-in and multifactor authentication.
var (
	// ErrWrongPassword means the password does not match the account.
	ErrWrongPassword = errors.New("your account or password is incorrect")
	// ErrUnknownUser means no account with that username exists in the organization.
	ErrUnknownUser = errors.New("we couldn't find an account with that username")
	// ErrMFADenied means the user denied the Authenticator request.
	ErrMFADenied = errors.New("the sign-in request was denied")
	// ErrWrongCode means the verification code was not accepted.
	ErrWrongCode = errors.New("that code didn't work")
	// ErrNotSignedIn means an MFA, enrollment or account-setup call came before a successful
	// SignIn.
	ErrNotSignedIn = errors.New("no user is signed in")
	// ErrMFARequired means Enroll was called before the multifactor challenge was answered.
	ErrMFARequired = errors.New("multifactor authentication has not been completed")
)

// OrgMismatchError says the username's domain is not one of the tenant's domains: the
// account belongs to another organization (registry TenantMatched=0).
type OrgMismatchError struct {
	// Domain is the domain part of the username typed.
	Domain string
}

// Error returns the message of the sign-in page.
func (e *OrgMismatchError) Error() string {
	return fmt.Sprintf("that username looks like it belongs to another organization (%s)", e.Domain)
}

// EnrollmentError is a failed Entra join or MDM enrollment, shown on the "Something went
// wrong" page with its code.
type EnrollmentError struct {
	// Code is the Windows error code in hex without 0x, e.g. "80180018".
	Code string
	// Reason is a short explanation for the trainer.
	Reason string
}

// Error returns the code and the reason.
func (e *EnrollmentError) Error() string {
	if e.Reason == "" {
		return "enrollment failed: " + e.Code
	}
	return "enrollment failed: " + e.Code + ": " + e.Reason
}

// Enrollment error codes a scenario can demonstrate (reference §6).
const (
	// CodePlatformBlocked is a device platform restriction blocking Windows.
	CodePlatformBlocked = "80180014"
	// CodeUnlicensed is a user without an Intune licence (or over the device limit).
	CodeUnlicensed = "80180018"
	// CodeJoinNotAllowed is a user not allowed to join devices, or over the device quota.
	CodeJoinNotAllowed = "801c0003"
	// CodeJoinRejected is Entra device registration rejecting the request.
	CodeJoinRejected = "801c03ed"
	// CodeHomeEdition is Windows Home, which cannot enroll.
	CodeHomeEdition = "80180022"
	// CodeAlreadyEnrolled is a device already enrolled by another user.
	CodeAlreadyEnrolled = "8018000a"
	// CodeDomainUnreachable is the hybrid join failure (no domain controller, connector rights).
	CodeDomainUnreachable = "80070774"
)

// EnrollmentErrorReason returns the trainer's explanation of an enrollment error code (hex,
// with or without 0x, any case), or "" for a code it does not know.
func EnrollmentErrorReason(code string) string {
	switch NormalizeErrorCode(code) {
	case CodePlatformBlocked:
		return "a device platform restriction blocks Windows enrollment"
	case CodeUnlicensed:
		return "the user has no Intune licence or reached the enrollment device limit"
	case CodeJoinNotAllowed:
		return "the user may not join devices to Microsoft Entra ID or reached the device quota"
	case CodeJoinRejected:
		return "Microsoft Entra device registration rejected the request"
	case CodeHomeEdition:
		return "Windows Home edition cannot enroll"
	case CodeAlreadyEnrolled:
		return "the device is already enrolled by another user"
	case CodeDomainUnreachable:
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

// equalFoldTrim compares two identifiers ignoring case and surrounding spaces.
func equalFoldTrim(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

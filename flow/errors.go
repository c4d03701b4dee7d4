package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrorCode is the stable name of a backend error: what a backend returns, what crosses a
// wire and what the run records. A page decides what to show from the code alone.
type ErrorCode string

// Error codes of the Backend port. Windows' own hexadecimal codes (80180018, 0x81036502) are
// not codes: they travel in Error.HResult beside one of these.
const (
	// CodeWrongKey: the network security key was not accepted (Connect).
	CodeWrongKey ErrorCode = "wrong_key"
	// CodeServerUnverified: an 802.1X network's server presented a certificate the device
	// cannot verify; Windows asks "Continue connecting?" and a Connect with TrustServer goes
	// on (Connect; Detail describes the certificate).
	CodeServerUnverified ErrorCode = "server_unverified"
	// CodeNoSuchNetwork: no network with that name is in range (Connect).
	CodeNoSuchNetwork ErrorCode = "no_such_network"
	// CodeUnknownUser: no account with that username exists in the organization.
	CodeUnknownUser ErrorCode = "unknown_user"
	// CodeWrongPassword: the password does not match the account.
	CodeWrongPassword ErrorCode = "wrong_password"
	// CodeOtherOrganization: the username belongs to another organization (TenantMatched=0);
	// Detail is the username's domain.
	CodeOtherOrganization ErrorCode = "other_organization"
	// CodeMFADenied: the user denied the Authenticator request.
	CodeMFADenied ErrorCode = "mfa_denied"
	// CodeWrongCode: the verification code was not accepted.
	CodeWrongCode ErrorCode = "wrong_code"
	// CodeNotSignedIn: the ticket is missing, unknown or belongs to a sign-in that never
	// completed (an MFA, enrollment or provisioning call without a signed-in user).
	CodeNotSignedIn ErrorCode = "not_signed_in"
	// CodeMFARequired: Enroll was called before the multifactor challenge was answered.
	CodeMFARequired ErrorCode = "mfa_required"
	// CodeNotEnrolled: Provision was called for a ticket whose device was never enrolled.
	CodeNotEnrolled ErrorCode = "not_enrolled"
	// CodeEnrollmentFailed: the Entra join or MDM enrollment failed; HResult is the code the
	// "Something went wrong" page shows (e.g. 80180018).
	CodeEnrollmentFailed ErrorCode = "enrollment_failed"
	// CodeDomainUnavailable: a domain sign-in on the Windows sign-in screen found no domain
	// controller (no line of sight, no VPN): Windows says the domain isn't available.
	CodeDomainUnavailable ErrorCode = "domain_unavailable"
	// CodeBadRequest: the request itself is invalid (an unknown ESP phase, an empty name).
	CodeBadRequest ErrorCode = "bad_request"
	// CodeUnavailable: the backend cannot be reached or failed to answer (a transport error,
	// a crashed helper process, an HTTP 5xx).
	CodeUnavailable ErrorCode = "unavailable"
	// CodeProtocol: the backend answered something that breaks the protocol (garbage, an
	// event out of order, an unknown event kind).
	CodeProtocol ErrorCode = "protocol"
	// CodeTimeout: the backend did not answer within the operation's time limit (a hung
	// helper process, a server that accepts the call and never replies).
	CodeTimeout ErrorCode = "timeout"
	// CodeCancelled: the call was cancelled by the caller (the page was left).
	CodeCancelled ErrorCode = "cancelled"
	// CodeInternal: anything else; Detail says what.
	CodeInternal ErrorCode = "internal"
)

// Error is the one error type of the Backend port: a stable code, Windows' hexadecimal code
// when the failure has one, and a detail in words for trainers and logs. It never holds a
// secret. errors.Is matches an *Error against a sentinel of the same code (ErrWrongKey, …);
// a sentinel with an HResult matches only that HResult.
type Error struct {
	// Code names the error.
	Code ErrorCode `json:"code"`
	// HResult is Windows' code in lower-case hex without 0x ("80180018"), when there is one.
	HResult string `json:"hresult,omitempty"`
	// Detail explains the error in words (the domain of another organization, a transport
	// message); it is shown to trainers and never holds a secret.
	Detail string `json:"detail,omitempty"`
}

// Error returns the code, the HResult and the detail on one line.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.HResult != "" {
		b.WriteString(" " + e.HResult)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

// Is reports whether target is an *Error with the same code (and, when target has one, the
// same HResult).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Code != e.Code {
		return false
	}
	return t.HResult == "" || strings.EqualFold(t.HResult, e.HResult)
}

// Sentinels: the targets of errors.Is for every code a page reacts to.
var (
	// ErrWrongKey means the network security key was not accepted.
	ErrWrongKey = &Error{Code: CodeWrongKey}
	// ErrServerUnverified matches a CodeServerUnverified error.
	ErrServerUnverified = &Error{Code: CodeServerUnverified}
	// ErrNoSuchNetwork means no network with that name is in range.
	ErrNoSuchNetwork = &Error{Code: CodeNoSuchNetwork}
	// ErrUnknownUser means no account with that username exists in the organization.
	ErrUnknownUser = &Error{Code: CodeUnknownUser}
	// ErrWrongPassword means the password does not match the account.
	ErrWrongPassword = &Error{Code: CodeWrongPassword}
	// ErrOtherOrganization means the username belongs to another organization.
	ErrOtherOrganization = &Error{Code: CodeOtherOrganization}
	// ErrMFADenied means the user denied the Authenticator request.
	ErrMFADenied = &Error{Code: CodeMFADenied}
	// ErrWrongCode means the verification code was not accepted.
	ErrWrongCode = &Error{Code: CodeWrongCode}
	// ErrNotSignedIn means a call needed a completed sign-in and had none.
	ErrNotSignedIn = &Error{Code: CodeNotSignedIn}
	// ErrMFARequired means Enroll came before the multifactor challenge was answered.
	ErrMFARequired = &Error{Code: CodeMFARequired}
	// ErrNotEnrolled means Provision came for a device that was never enrolled.
	ErrNotEnrolled = &Error{Code: CodeNotEnrolled}
	// ErrEnrollment matches every failed enrollment, whatever its HResult.
	ErrEnrollment = &Error{Code: CodeEnrollmentFailed}
	// ErrBadRequest means the request itself was invalid.
	ErrBadRequest = &Error{Code: CodeBadRequest}
	// ErrUnavailable means the backend could not be reached or did not answer.
	ErrUnavailable = &Error{Code: CodeUnavailable}
	// ErrProtocol means the backend broke the protocol.
	ErrProtocol = &Error{Code: CodeProtocol}
	// ErrTimeout means the backend did not answer in time.
	ErrTimeout = &Error{Code: CodeTimeout}
)

// Errorf returns an *Error with code and a detail formatted as fmt.Sprintf does.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// EnrollmentFailure returns the error of a failed enrollment with Windows' code hresult (hex,
// with or without 0x) and, as its detail, the trainer's explanation of that code.
func EnrollmentFailure(hresult string) *Error {
	code := NormalizeErrorCode(hresult)
	return &Error{Code: CodeEnrollmentFailed, HResult: code, Detail: EnrollmentErrorReason(code)}
}

// OtherOrganization returns the error of a username of domain, which belongs to another
// organization.
func OtherOrganization(domain string) *Error {
	return &Error{Code: CodeOtherOrganization, Detail: domain}
}

// AsError returns err as an *Error: itself when it is one (or wraps one), CodeCancelled for a
// cancelled or expired context, CodeInternal with err's text otherwise; nil for nil.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: CodeCancelled, Detail: err.Error()}
	}
	return &Error{Code: CodeInternal, Detail: err.Error()}
}

// ErrorCodeOf returns the code of err (see AsError), "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if e := AsError(err); e != nil {
		return e.Code
	}
	return ""
}

package sim

import (
	"context"
	"crypto/subtle"
	"slices"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// Emulated durations of sign-in and enrollment (before jitter).
const (
	// CheckUserDelay is how long looking up a username takes.
	CheckUserDelay = time.Second
	// SignInDelay is how long checking the credentials takes.
	SignInDelay = 2 * time.Second
	// MFAPushDelay is how long the user takes to answer the Authenticator push.
	MFAPushDelay = 4 * time.Second
	// VerifyCodeDelay is how long checking a verification code takes.
	VerifyCodeDelay = time.Second
	// EnrollDelay is how long the Entra join and MDM enrollment take.
	EnrollDelay = 4 * time.Second
)

// tenantDomains returns the tenant's verified domains or, when the organization was not
// imported, the domains of the scenario's users (nil when there are none: every domain is
// accepted and unknown users are simply unknown).
func tenantDomains(t *flow.Tenant) []string {
	if len(t.Organization.Domains) > 0 {
		return slices.Clone(t.Organization.Domains)
	}
	var out []string
	for _, u := range t.Scenario.Users {
		d := flow.UPNDomain(u.UPN)
		if d == "" {
			continue
		}
		if !slices.ContainsFunc(out, func(have string) bool { return strings.EqualFold(have, d) }) {
			out = append(out, d)
		}
	}
	return out
}

// lookup finds the scenario user for upn: *flow.OrgMismatchError for a domain the tenant does
// not own, flow.ErrUnknownUser for a malformed or unknown username.
func (b *Backend) lookup(upn string) (flow.ScenarioUser, error) {
	upn = strings.TrimSpace(upn)
	dom := flow.UPNDomain(upn)
	if dom == "" || strings.HasPrefix(upn, "@") {
		return flow.ScenarioUser{}, flow.ErrUnknownUser
	}
	if len(b.domains) > 0 && !(flow.Organization{Domains: b.domains}).OwnsUPN(upn) {
		return flow.ScenarioUser{}, &flow.OrgMismatchError{Domain: dom}
	}
	u, ok := b.scen.User(upn)
	if !ok {
		return flow.ScenarioUser{}, flow.ErrUnknownUser
	}
	return u, nil
}

// CheckUser looks up a username after about 1 s: nil for a scenario user of the tenant's
// domains, *flow.OrgMismatchError for another domain, flow.ErrUnknownUser otherwise.
func (b *Backend) CheckUser(ctx context.Context, upn string) error {
	if err := b.wait(ctx, b.jitter(CheckUserDelay)); err != nil {
		return err
	}
	_, err := b.lookup(upn)
	return err
}

// SignIn checks the credentials after about 2 s: *flow.OrgMismatchError for a UPN of another
// domain, flow.ErrUnknownUser for a user the scenario does not know, flow.ErrWrongPassword
// for a wrong (or empty) password. On success the user becomes the signed-in user (a failed
// attempt leaves the previous one) and, for a push user, the result holds a number-matching
// number 10–99 from the seeded generator.
func (b *Backend) SignIn(ctx context.Context, cred flow.Credentials) (flow.SignInResult, error) {
	if err := b.wait(ctx, b.jitter(SignInDelay)); err != nil {
		return flow.SignInResult{}, err
	}
	u, err := b.lookup(cred.UPN)
	if err != nil {
		return flow.SignInResult{}, err
	}
	if cred.Password == "" || subtle.ConstantTimeCompare([]byte(cred.Password), []byte(u.Password)) != 1 {
		return flow.SignInResult{}, flow.ErrWrongPassword
	}
	res := flow.SignInResult{UPN: u.UPN, DisplayName: u.DisplayName, MFA: u.MFA}
	if res.MFA == "" {
		res.MFA = flow.MFANone
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if res.MFA == flow.MFAPush {
		res.MFANumber = 10 + b.rng.IntN(90)
	}
	b.user = &u
	b.mfaDone = res.MFA == flow.MFANone
	return res, nil
}

// signedIn returns a copy of the signed-in user.
func (b *Backend) signedIn() (flow.ScenarioUser, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.user == nil {
		return flow.ScenarioUser{}, false
	}
	return *b.user, true
}

// WaitMFA answers the Authenticator push of the signed-in user: after about 6 s it approves,
// or returns flow.ErrMFADenied for a user with mfaDeny. A user without MFA passes at once;
// flow.ErrNotSignedIn before a successful SignIn; ctx.Err() when cancelled.
func (b *Backend) WaitMFA(ctx context.Context) error {
	u, ok := b.signedIn()
	if !ok {
		return flow.ErrNotSignedIn
	}
	if u.MFA == flow.MFANone || u.MFA == "" {
		return ctx.Err()
	}
	if err := b.wait(ctx, b.jitter(MFAPushDelay)); err != nil {
		return err
	}
	if u.MFADeny {
		return flow.ErrMFADenied
	}
	b.setMFADone()
	return nil
}

// setMFADone marks the multifactor challenge answered.
func (b *Backend) setMFADone() {
	b.mu.Lock()
	b.mfaDone = true
	b.mu.Unlock()
}

// VerifyCode checks a verification code of the signed-in user after about 1 s: the user's
// mfaCode (flow.DefaultMFACode when the scenario sets none), spaces ignored, or
// flow.ErrWrongCode. flow.ErrNotSignedIn before a successful SignIn.
func (b *Backend) VerifyCode(ctx context.Context, code string) error {
	u, ok := b.signedIn()
	if !ok {
		return flow.ErrNotSignedIn
	}
	if err := b.wait(ctx, b.jitter(VerifyCodeDelay)); err != nil {
		return err
	}
	code = strings.Join(strings.Fields(code), "")
	if code == "" || subtle.ConstantTimeCompare([]byte(code), []byte(u.Code())) != 1 {
		return flow.ErrWrongCode
	}
	b.setMFADone()
	return nil
}

// Enroll joins and enrolls the device for the signed-in user after about 4 s. It fails with
// *flow.EnrollmentError: the user's enrollError code when the scenario sets one, 80180018
// for an unlicensed user. flow.ErrNotSignedIn before SignIn, flow.ErrMFARequired before the
// multifactor challenge was answered.
func (b *Backend) Enroll(ctx context.Context) error {
	u, ok := b.signedIn()
	if !ok {
		return flow.ErrNotSignedIn
	}
	b.mu.Lock()
	mfa := b.mfaDone
	b.mu.Unlock()
	if !mfa {
		return flow.ErrMFARequired
	}
	if err := b.wait(ctx, b.jitter(EnrollDelay)); err != nil {
		return err
	}
	if u.EnrollError != "" {
		code := flow.NormalizeErrorCode(u.EnrollError)
		reason := flow.EnrollmentErrorReason(code)
		if reason == "" {
			reason = "enrollment error set by the scenario"
		}
		return &flow.EnrollmentError{Code: code, Reason: reason}
	}
	if !u.Licensed {
		return &flow.EnrollmentError{Code: flow.CodeUnlicensed, Reason: flow.EnrollmentErrorReason(flow.CodeUnlicensed)}
	}
	return nil
}

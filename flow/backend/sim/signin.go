package sim

import (
	"context"
	"crypto/subtle"
	"fmt"
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
func tenantDomains(w *World) []string {
	if len(w.Organization.Domains) > 0 {
		return slices.Clone(w.Organization.Domains)
	}
	var out []string
	for _, u := range w.Scenario.Users {
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

// domainFQDN is the Active Directory domain of a hybrid join: the Domain Join configuration's,
// else the scenario's domain controller's, else the organization's default domain.
func (b *Backend) domainFQDN() string {
	switch {
	case b.tn().DomainJoin != nil && strings.TrimSpace(b.tn().DomainJoin.Domain) != "":
		return strings.TrimSpace(b.tn().DomainJoin.Domain)
	case strings.TrimSpace(b.sc().DomainController.Domain) != "":
		return strings.TrimSpace(b.sc().DomainController.Domain)
	}
	return strings.TrimSpace(b.tn().Organization.DefaultDomain)
}

// netBIOSDomain is the on-premises domain's NetBIOS name as the simulation assumes it: the
// first label of domainFQDN in upper case ("" when none is known).
func (b *Backend) netBIOSDomain() string {
	dom := b.domainFQDN()
	if i := strings.IndexByte(dom, '.'); i >= 0 {
		dom = dom[:i]
	}
	return strings.ToUpper(dom)
}

// onPremisesUPN maps a name typed on the Windows sign-in screen to a UPN: DOMAIN\user (the
// NetBIOS name, case-insensitive) becomes the UPN of the scenario user whose local part is
// user; a UPN is returned trimmed. ok is false for DOMAIN\user of another domain or of nobody.
func (b *Backend) onPremisesUPN(name string) (upn string, ok bool) {
	name = strings.TrimSpace(name)
	dom, user, found := strings.Cut(name, `\`)
	if !found {
		return name, name != ""
	}
	if user == "" || !strings.EqualFold(strings.TrimSpace(dom), b.netBIOSDomain()) {
		return "", false
	}
	for _, u := range b.sc().Users {
		local, _, _ := strings.Cut(u.UPN, "@")
		if strings.EqualFold(local, strings.TrimSpace(user)) {
			return u.UPN, true
		}
	}
	return "", false
}

// lookup finds the scenario user for upn: flow.ErrOtherOrganization for a domain the tenant
// does not own, flow.ErrUnknownUser for a malformed or unknown username.
func (b *Backend) lookup(upn string) (ScenarioUser, error) {
	upn = strings.TrimSpace(upn)
	dom := flow.UPNDomain(upn)
	if dom == "" || strings.HasPrefix(upn, "@") {
		return ScenarioUser{}, flow.Errorf(flow.CodeUnknownUser, "%q is not a username", upn)
	}
	if len(b.domains) > 0 && b.sc().Unregistered == "" && !(flow.Organization{Domains: b.domains}).OwnsUPN(upn) {
		return ScenarioUser{}, flow.OtherOrganization(dom)
	}
	u, ok := b.sc().User(upn)
	if !ok {
		return ScenarioUser{}, flow.Errorf(flow.CodeUnknownUser, "no account %s", upn)
	}
	return u, nil
}

// CheckUser looks up a username after about 1 s: nil for a scenario user of the tenant's
// domains, flow.ErrOtherOrganization for another domain, flow.ErrUnknownUser otherwise.
func (b *Backend) CheckUser(ctx context.Context, upn string) error {
	if err := b.cloud(ctx, b.jitter(CheckUserDelay)); err != nil {
		return err
	}
	if code := b.sc().IdentityProviderBlocked; code != "" {
		// a proxy or firewall in the way of the sign-in service (reference §6)
		return &flow.Error{Code: flow.CodeUnavailable, HResult: code, Detail: "the sign-in service cannot be reached from this network"}
	}
	_, err := b.lookup(upn)
	return err
}

// SignIn checks the credentials after about 2 s: flow.ErrOtherOrganization for a UPN of
// another domain, flow.ErrUnknownUser for a user the scenario does not know (or DOMAIN\user
// of another domain), flow.ErrWrongPassword for a wrong (or empty) password. On success the
// result carries a new ticket and, for a push user, a number-matching number 10–99 from the
// seeded generator.
func (b *Backend) SignIn(ctx context.Context, cred flow.Credentials) (flow.SignInResult, error) {
	if err := b.cloud(ctx, b.jitter(SignInDelay)); err != nil {
		return flow.SignInResult{}, err
	}
	upn, ok := b.onPremisesUPN(cred.UPN)
	if !ok {
		return flow.SignInResult{}, flow.Errorf(flow.CodeUnknownUser, "%s is not a user of %s", strings.TrimSpace(cred.UPN), b.netBIOSDomain())
	}
	u, err := b.lookup(upn)
	if err != nil {
		return flow.SignInResult{}, err
	}
	domain := cred.Windows && b.tn().Profile.Join == flow.JoinHybrid
	b.mu.Lock()
	cached := b.cachedLogon[strings.ToLower(u.UPN)]
	b.mu.Unlock()
	if domain && !cached {
		// the first domain sign-in on the device needs a domain controller (later ones use
		// the cached credentials)
		ok, err := b.domainReachable(ctx)
		if err != nil {
			return flow.SignInResult{}, err
		}
		if !ok {
			return flow.SignInResult{}, flow.Errorf(flow.CodeDomainUnavailable, "no domain controller of %s answers", b.netBIOSDomain())
		}
	}
	if cred.Password == "" || subtle.ConstantTimeCompare([]byte(cred.Password), []byte(u.Password)) != 1 {
		return flow.SignInResult{}, flow.Errorf(flow.CodeWrongPassword, "wrong password for %s", u.UPN)
	}
	if domain {
		b.mu.Lock()
		b.cachedLogon[strings.ToLower(u.UPN)] = true
		b.mu.Unlock()
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
	b.nTickets++
	res.Ticket = flow.Ticket(fmt.Sprintf("sim-%d-%d", b.seed, b.nTickets))
	b.tickets[res.Ticket] = &signIn{user: u, mfaDone: res.MFA == flow.MFANone}
	return res, nil
}

// signedIn returns the sign-in of ticket t: flow.ErrNotSignedIn for a missing or unknown one.
func (b *Backend) signedIn(t flow.Ticket) (signIn, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.tickets[t]
	if !ok {
		if t == "" {
			return signIn{}, flow.Errorf(flow.CodeNotSignedIn, "no ticket: nobody signed in")
		}
		return signIn{}, flow.Errorf(flow.CodeNotSignedIn, "ticket %q is not a sign-in of this device", t)
	}
	return *s, nil
}

// WaitMFA answers the Authenticator push of the sign-in: after about 4 s it approves, or
// returns flow.ErrMFADenied for a user with mfaDeny. A user without MFA passes at once.
func (b *Backend) WaitMFA(ctx context.Context, t flow.Ticket) error {
	s, err := b.signedIn(t)
	if err != nil {
		return err
	}
	if s.user.MFA == flow.MFANone || s.user.MFA == "" {
		return ctx.Err()
	}
	if err := b.cloud(ctx, b.jitter(MFAPushDelay)); err != nil {
		return err
	}
	if b.now(s.user).MFADeny {
		return flow.Errorf(flow.CodeMFADenied, "%s denied the request", s.user.UPN)
	}
	b.setMFADone(t)
	return nil
}

// setMFADone marks the multifactor challenge of ticket t answered.
func (b *Backend) setMFADone(t flow.Ticket) {
	b.mu.Lock()
	if s, ok := b.tickets[t]; ok {
		s.mfaDone = true
	}
	b.mu.Unlock()
}

// VerifyCode checks a verification code of the sign-in after about 1 s: the user's mfaCode
// (DefaultMFACode when the scenario sets none), spaces ignored, or flow.ErrWrongCode.
func (b *Backend) VerifyCode(ctx context.Context, t flow.Ticket, code string) error {
	s, err := b.signedIn(t)
	if err != nil {
		return err
	}
	if err := b.cloud(ctx, b.jitter(VerifyCodeDelay)); err != nil {
		return err
	}
	code = strings.Join(strings.Fields(code), "")
	if code == "" || subtle.ConstantTimeCompare([]byte(code), []byte(s.user.Code())) != 1 {
		return flow.Errorf(flow.CodeWrongCode, "the code was not accepted")
	}
	b.setMFADone(t)
	return nil
}

// Enroll joins and enrolls the device for the sign-in after about 4 s. It fails with
// flow.ErrEnrollment: the user's enrollError code when the scenario sets one, 80180018 for an
// unlicensed user. flow.ErrMFARequired before the multifactor challenge was answered.
func (b *Backend) Enroll(ctx context.Context, t flow.Ticket) error {
	s, err := b.signedIn(t)
	if err != nil {
		return err
	}
	if !s.mfaDone {
		return flow.Errorf(flow.CodeMFARequired, "%s has not answered the multifactor challenge", s.user.UPN)
	}
	if err := b.cloud(ctx, b.jitter(EnrollDelay)); err != nil {
		return err
	}
	u := b.now(s.user)
	if u.EnrollError != "" {
		e := flow.EnrollmentFailure(u.EnrollError)
		if e.Detail == "" {
			e.Detail = "enrollment error set by the scenario"
		}
		return e
	}
	if !u.Licensed {
		return flow.EnrollmentFailure(flow.HResultUnlicensed)
	}
	b.mu.Lock()
	b.enrolledBy = u.UPN
	b.mu.Unlock()
	return nil
}

// now is the signed-in user as the world is now: a fault turned on or off since the sign-in
// changes what happens next (the ticket keeps who signed in, not their state).
func (b *Backend) now(u ScenarioUser) ScenarioUser {
	if cur, ok := b.sc().User(u.UPN); ok {
		return cur
	}
	return u
}

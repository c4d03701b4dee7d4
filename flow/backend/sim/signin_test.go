package sim_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

func TestSignInErrors(t *testing.T) {
	tests := []struct {
		name string
		cred flow.Credentials
		want error
	}{
		{"wrong password", flow.Credentials{UPN: "megan.rivera@larkspuraero.com", Password: "contrail#2026"}, flow.ErrWrongPassword},
		{"empty password", flow.Credentials{UPN: "megan.rivera@larkspuraero.com"}, flow.ErrWrongPassword},
		{"unknown user in the tenant's domain", flow.Credentials{UPN: "nobody@larkspuraero.com", Password: "x"}, flow.ErrUnknownUser},
		{"unknown user in the initial domain", flow.Credentials{UPN: "megan.rivera@larkspuraero.onmicrosoft.com", Password: "Contrail#2026"}, flow.ErrUnknownUser},
		{"no domain", flow.Credentials{UPN: "megan.rivera", Password: "Contrail#2026"}, flow.ErrUnknownUser},
		{"no name", flow.Credentials{UPN: "@larkspuraero.com", Password: "Contrail#2026"}, flow.ErrUnknownUser},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, c := embedded(t, 1)
			_, err := b.SignIn(context.Background(), tc.cred)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if d := c.Now().Sub(epoch); !about(d, sim.SignInDelay) {
				t.Errorf("took %v", d)
			}
			if err := b.Enroll(context.Background(), ""); !errors.Is(err, flow.ErrNotSignedIn) {
				t.Errorf("Enroll after a failed sign-in = %v", err)
			}
		})
	}
}

func TestSignInOtherOrganization(t *testing.T) {
	b, _ := embedded(t, 1)
	for _, upn := range []string{"alex.wilber@fabrikam.com", "megan.rivera@larkspuraero.com.evil.com"} {
		_, err := b.SignIn(context.Background(), flow.Credentials{UPN: upn, Password: "Contrail#2026"})
		if !errors.Is(err, flow.ErrOtherOrganization) || flow.AsError(err).Detail != flow.UPNDomain(upn) {
			t.Errorf("SignIn(%s) = %v, want other_organization", upn, err)
		}
		if err := b.CheckUser(context.Background(), upn); !errors.Is(err, flow.ErrOtherOrganization) {
			t.Errorf("CheckUser(%s) = %v", upn, err)
		}
	}
	if err := b.CheckUser(context.Background(), " Megan.Rivera@LarkspurAero.com "); err != nil {
		t.Errorf("CheckUser(megan) = %v", err)
	}
	if err := b.CheckUser(context.Background(), "nobody@larkspuraero.com"); !errors.Is(err, flow.ErrUnknownUser) {
		t.Errorf("CheckUser(nobody) = %v", err)
	}
}

// TestSignInPush: Megan signs in, approves the push with number matching and enrolls.
func TestSignInPush(t *testing.T) {
	b, c := embedded(t, 5)
	ctx := context.Background()
	res := signIn(t, b, "Megan.Rivera@larkspuraero.com", "Contrail#2026")
	if res.UPN != "megan.rivera@larkspuraero.com" || res.DisplayName != "Megan Rivera" || res.MFA != flow.MFAPush {
		t.Errorf("result = %+v", res)
	}
	if res.MFANumber < 10 || res.MFANumber > 99 {
		t.Errorf("MFANumber = %d", res.MFANumber)
	}
	if err := b.Enroll(ctx, res.Ticket); !errors.Is(err, flow.ErrMFARequired) {
		t.Errorf("Enroll before MFA = %v", err)
	}
	mark := c.Now()
	if err := b.WaitMFA(ctx, res.Ticket); err != nil {
		t.Fatalf("WaitMFA: %v", err)
	}
	if d := c.Now().Sub(mark); !about(d, sim.MFAPushDelay) {
		t.Errorf("push took %v", d)
	}
	mark = c.Now()
	if err := b.Enroll(ctx, res.Ticket); err != nil {
		t.Fatalf("Enroll: %v", err)
	}
	if d := c.Now().Sub(mark); !about(d, sim.EnrollDelay) {
		t.Errorf("enroll took %v", d)
	}
	// Same seed, same number; the numbers vary with the seed.
	b2, _ := embedded(t, 5)
	if r2 := signIn(t, b2, "megan.rivera@larkspuraero.com", "Contrail#2026"); r2.MFANumber != res.MFANumber {
		t.Errorf("seed 5 gave %d and %d", res.MFANumber, r2.MFANumber)
	}
	seen := map[int]bool{}
	for seed := int64(0); seed < 20; seed++ {
		b, _ := embedded(t, seed)
		seen[signIn(t, b, "megan.rivera@larkspuraero.com", "Contrail#2026").MFANumber] = true
	}
	if len(seen) < 5 {
		t.Errorf("20 seeds gave only %d numbers", len(seen))
	}
}

// TestSignInCode: Tomás answers with a verification code.
func TestSignInCode(t *testing.T) {
	b, _ := embedded(t, 1)
	ctx := context.Background()
	if err := b.VerifyCode(ctx, "", "246810"); !errors.Is(err, flow.ErrNotSignedIn) {
		t.Errorf("VerifyCode before sign-in = %v", err)
	}
	res := signIn(t, b, "tomas.okafor@larkspuraero.com", "Tailwind#2026")
	tk := res.Ticket
	if res.MFA != flow.MFACode || res.MFANumber != 0 || res.DisplayName != "Tomás Okafor" {
		t.Errorf("result = %+v", res)
	}
	for _, wrong := range []string{"", "000000", "24681", "2468100"} {
		if err := b.VerifyCode(ctx, tk, wrong); !errors.Is(err, flow.ErrWrongCode) {
			t.Errorf("VerifyCode(%q) = %v", wrong, err)
		}
	}
	if err := b.Enroll(ctx, tk); !errors.Is(err, flow.ErrMFARequired) {
		t.Errorf("Enroll after wrong codes = %v", err)
	}
	if err := b.VerifyCode(ctx, tk, " 246 810 "); err != nil {
		t.Fatalf("VerifyCode: %v", err)
	}
	if err := b.Enroll(ctx, tk); err != nil {
		t.Errorf("Enroll: %v", err)
	}
}

func TestSignInCustomCodeAndDefault(t *testing.T) {
	tn := testTenant()
	tn.Scenario.Users = append(tn.Scenario.Users,
		sim.ScenarioUser{UPN: "c@x.com", Password: "pw-c", MFA: flow.MFACode, MFACode: "97531024", Licensed: true},
		sim.ScenarioUser{UPN: "d@x.com", Password: "pw-d", MFA: flow.MFACode, Licensed: true, EnrollError: "0x801C0003"})
	b := sim.New(tn, sim.Options{Clock: flow.NewVirtualClock(epoch)})
	ctx := context.Background()
	c := signIn(t, b, "c@x.com", "pw-c").Ticket
	if err := b.VerifyCode(ctx, c, sim.DefaultMFACode); !errors.Is(err, flow.ErrWrongCode) {
		t.Errorf("default code accepted for a user with its own: %v", err)
	}
	if err := b.VerifyCode(ctx, c, "97531024"); err != nil {
		t.Errorf("own code: %v", err)
	}
	d := signIn(t, b, "d@x.com", "pw-d").Ticket
	if err := b.VerifyCode(ctx, d, sim.DefaultMFACode); err != nil {
		t.Errorf("default code: %v", err)
	}
	if err := b.VerifyCode(ctx, c, "97531024"); err != nil {
		t.Errorf("a second sign-in voided the first: %v", err)
	}
	err := b.Enroll(ctx, d)
	if !errors.Is(err, flow.ErrEnrollment) || flow.AsError(err).HResult != "801c0003" || flow.AsError(err).Detail == "" {
		t.Errorf("Enroll = %v", err)
	}
	if !errors.Is(err, &flow.Error{Code: flow.CodeEnrollmentFailed, HResult: "801C0003"}) || errors.Is(err, &flow.Error{Code: flow.CodeEnrollmentFailed, HResult: "80180018"}) {
		t.Errorf("errors.Is with an HResult = %v", err)
	}
	// Without an organization, the users' domains are the tenant's.
	if _, err := b.SignIn(ctx, flow.Credentials{UPN: "a@fabrikam.com", Password: "x"}); !errors.Is(err, flow.ErrOtherOrganization) {
		t.Errorf("other domain = %v", err)
	}
}

// TestSignInUnlicensed: Priya has no MFA and no licence: enrollment fails with 80180018.
func TestSignInUnlicensed(t *testing.T) {
	b, _ := embedded(t, 1)
	ctx := context.Background()
	res := signIn(t, b, "priya.natarajan@larkspuraero.com", "Crosswind#2026")
	if res.MFA != flow.MFANone {
		t.Errorf("MFA = %s", res.MFA)
	}
	if err := b.WaitMFA(ctx, res.Ticket); err != nil {
		t.Errorf("WaitMFA without MFA = %v", err)
	}
	err := b.Enroll(ctx, res.Ticket)
	if !errors.Is(err, flow.ErrEnrollment) || flow.AsError(err).HResult != "80180018" {
		t.Fatalf("Enroll = %v, want 80180018", err)
	}
}

// TestSignInDenied: Jordan denies the push.
func TestSignInDenied(t *testing.T) {
	b, c := embedded(t, 1)
	ctx := context.Background()
	tk := signIn(t, b, "jordan.blake@larkspuraero.com", "Holding#2026").Ticket
	mark := c.Now()
	if err := b.WaitMFA(ctx, tk); !errors.Is(err, flow.ErrMFADenied) {
		t.Fatalf("WaitMFA = %v", err)
	}
	if d := c.Now().Sub(mark); !about(d, sim.MFAPushDelay) {
		t.Errorf("denial took %v", d)
	}
	if err := b.Enroll(ctx, tk); !errors.Is(err, flow.ErrMFARequired) {
		t.Errorf("Enroll after denial = %v", err)
	}
}

func TestSignInCancel(t *testing.T) {
	b := sim.New(testTenant(), sim.Options{Clock: stuckClock{}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := b.SignIn(ctx, flow.Credentials{UPN: "megan@x.com", Password: "Contrail#2026"})
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("SignIn after cancel = %v", err)
	}
	if err := b.VerifyCode(ctx, "", "246810"); !errors.Is(err, flow.ErrNotSignedIn) {
		t.Errorf("VerifyCode = %v", err)
	}
	if err := b.CheckUser(ctx, "megan@x.com"); !errors.Is(err, context.Canceled) {
		t.Errorf("CheckUser = %v", err)
	}
}

// TestSignInOnPremises: the Windows sign-in of a hybrid join accepts DOMAIN\user of the
// domain's NetBIOS name and returns the directory's UPN and display name.
func TestSignInOnPremises(t *testing.T) {
	w := testTenant()
	w.Profile.Join = flow.JoinHybrid
	w.DomainJoin = &flow.DomainJoin{Domain: "corp.x.com", Prefix: "X-", RandomChars: 4}
	b := sim.New(w, sim.Options{Clock: flow.NewVirtualClock(epoch)})
	ctx := context.Background()
	for _, name := range []string{`CORP\megan`, `corp\Megan`, "megan@x.com"} {
		res, err := b.SignIn(ctx, flow.Credentials{UPN: name, Password: "Contrail#2026"})
		if err != nil || res.UPN != "megan@x.com" || res.DisplayName != "Megan" || res.Ticket == "" {
			t.Errorf("SignIn(%s) = %+v, %v", name, res, err)
		}
	}
	for _, name := range []string{`OTHER\megan`, `CORP\nobody`, `CORP\`} {
		if _, err := b.SignIn(ctx, flow.Credentials{UPN: name, Password: "Contrail#2026"}); !errors.Is(err, flow.ErrUnknownUser) {
			t.Errorf("SignIn(%s) = %v", name, err)
		}
	}
	p, err := b.DownloadProfile(ctx)
	if err != nil || p.DomainJoin == nil || p.DomainJoin.NetBIOSName != "CORP" || p.DomainJoin.Domain != "corp.x.com" {
		t.Errorf("DownloadProfile domain = %+v, %v", p.DomainJoin, err)
	}
}

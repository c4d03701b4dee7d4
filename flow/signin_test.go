package flow_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

// TestCredentialsRedacted: the password crosses a wire in its JSON field and nowhere else:
// every fmt verb leaves it out.
func TestCredentialsRedacted(t *testing.T) {
	c := flow.Credentials{UPN: "megan.rivera@larkspuraero.com", Password: "Contrail#2026"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c), fmt.Sprintf("%q", c), fmt.Sprintf("%v", &c), fmt.Sprintf("%+v", []flow.Credentials{c})} {
		if strings.Contains(s, "Contrail") {
			t.Errorf("password leaked: %s", s)
		}
		if !strings.Contains(s, "megan.rivera@larkspuraero.com") {
			t.Errorf("UPN missing: %s", s)
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back flow.Credentials
	if err := json.Unmarshal(b, &back); err != nil || back != c {
		t.Errorf("wire round trip = %+v, %v (from %s)", back, err, b)
	}
	if s := c.String(); !strings.Contains(s, "***") {
		t.Errorf("String = %s", s)
	}
	if s := (flow.Credentials{UPN: "a@b.c"}).String(); strings.Contains(s, "***") {
		t.Errorf("empty password shown as set: %s", s)
	}
}

// TestErrors: a backend error is a code (with Windows' code and a detail) that errors.Is
// matches against the sentinels, through wrapping and a JSON round trip.
func TestErrors(t *testing.T) {
	err := fmt.Errorf("sign-in: %w", flow.OtherOrganization("fabrikam.com"))
	if !errors.Is(err, flow.ErrOtherOrganization) || errors.Is(err, flow.ErrUnknownUser) || flow.AsError(err).Detail != "fabrikam.com" {
		t.Errorf("OtherOrganization = %v", err)
	}
	ee := flow.EnrollmentFailure("0x80180018")
	if !errors.Is(ee, flow.ErrEnrollment) || ee.HResult != "80180018" || !strings.Contains(ee.Detail, "licence") {
		t.Errorf("EnrollmentFailure = %+v", ee)
	}
	b, _ := json.Marshal(ee)
	var back *flow.Error
	if err := json.Unmarshal(b, &back); err != nil || !errors.Is(back, &flow.Error{Code: flow.CodeEnrollmentFailed, HResult: "80180018"}) {
		t.Errorf("round trip = %+v, %v", back, err)
	}
	if ee.Error() != "enrollment_failed 80180018: "+ee.Detail {
		t.Errorf("Error() = %q", ee.Error())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for in, want := range map[error]flow.ErrorCode{ctx.Err(): flow.CodeCancelled, errors.New("boom"): flow.CodeInternal, flow.ErrWrongKey: flow.CodeWrongKey, nil: ""} {
		if got := flow.ErrorCodeOf(in); got != want {
			t.Errorf("ErrorCodeOf(%v) = %q, want %q", in, got, want)
		}
	}
	for code, want := range map[string]string{"0x80180018": "80180018", " 801C0003 ": "801c0003", "80070774": "80070774"} {
		if got := flow.NormalizeErrorCode(code); got != want {
			t.Errorf("NormalizeErrorCode(%q) = %q", code, got)
		}
		if flow.EnrollmentErrorReason(code) == "" {
			t.Errorf("no reason for %s", code)
		}
	}
	if flow.EnrollmentErrorReason("12345678") != "" {
		t.Error("reason for an unknown code")
	}
	for upn, want := range map[string]string{"a@fabrikam.com": "fabrikam.com", " a@b@c.com ": "c.com", "nobody": ""} {
		if got := flow.UPNDomain(upn); got != want {
			t.Errorf("UPNDomain(%q) = %q", upn, got)
		}
	}
}

func TestPrivacyToggles(t *testing.T) {
	if n := len(flow.PrivacyToggles(flow.Windows11)); n != 6 {
		t.Errorf("Windows 11 toggles = %d", n)
	}
	w10 := flow.PrivacyToggles(flow.Windows10)
	if len(w10) != 7 || w10[0] != flow.PrivacySpeech {
		t.Errorf("Windows 10 toggles = %v", w10)
	}
	d := flow.DefaultPrivacy(flow.Windows11)
	if len(d) != 6 || !d[flow.PrivacyDiagnosticData] {
		t.Errorf("DefaultPrivacy = %v", d)
	}
}

package flow_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

func TestCredentialsRedacted(t *testing.T) {
	c := flow.Credentials{UPN: "megan.rivera@larkspuraero.com", Password: "Contrail#2026"}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore S1025 every formatting verb is checked on purpose, %s included
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c), string(b)} {
		if strings.Contains(s, "Contrail") {
			t.Errorf("password leaked: %s", s)
		}
		if !strings.Contains(s, "megan.rivera@larkspuraero.com") {
			t.Errorf("UPN missing: %s", s)
		}
	}
	if s := c.String(); !strings.Contains(s, "***") {
		t.Errorf("String = %s", s)
	}
	if s := (flow.Credentials{UPN: "a@b.c"}).String(); strings.Contains(s, "***") {
		t.Errorf("empty password shown as set: %s", s)
	}
}

func TestSignInErrors(t *testing.T) {
	var err error = fmt.Errorf("sign-in: %w", &flow.OrgMismatchError{Domain: "fabrikam.com"})
	var org *flow.OrgMismatchError
	if !errors.As(err, &org) || org.Domain != "fabrikam.com" || !strings.Contains(err.Error(), "belongs to another organization") {
		t.Errorf("OrgMismatchError = %v", err)
	}
	err = fmt.Errorf("enroll: %w", &flow.EnrollmentError{Code: flow.CodeUnlicensed, Reason: flow.EnrollmentErrorReason("0x80180018")})
	var ee *flow.EnrollmentError
	if !errors.As(err, &ee) || ee.Code != "80180018" || !strings.Contains(ee.Reason, "licence") {
		t.Errorf("EnrollmentError = %v", err)
	}
	if (&flow.EnrollmentError{Code: "801c0003"}).Error() != "enrollment failed: 801c0003" {
		t.Error("EnrollmentError without reason")
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
	for _, e := range []error{flow.ErrWrongPassword, flow.ErrUnknownUser, flow.ErrMFADenied, flow.ErrWrongCode, flow.ErrNotSignedIn, flow.ErrMFARequired} {
		if e.Error() == "" {
			t.Error("empty message")
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

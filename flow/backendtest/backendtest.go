// Package backendtest is the conformance suite of flow.Backend: the contracts written on the
// interface, checked against any backend. Every backend runs it in its own tests, the
// simulated one directly and remote ones through their transport:
//
//	func TestConformance(t *testing.T) {
//		backendtest.Run(t, func(t *testing.T) backendtest.Fixture { … })
//	}
//
// The fixture names data the backend knows (a network and its key, a user who can enroll),
// so the suite can drive a whole deployment.
package backendtest

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// Fixture is one fresh backend at power-on and what the suite may use with it.
type Fixture struct {
	// Backend is the backend under test, at power-on.
	Backend flow.Backend
	// SSID and Key name a secured Wi-Fi network in range and its key.
	SSID, Key string
	// UPN and Password are a licensed user who can sign in and enroll the device.
	UPN, Password string
	// Code is the user's verification code when the user answers MFA by code ("" for push
	// or no MFA).
	Code string
	// OtherOrganizationUPN is a username of a domain the tenant does not own.
	OtherOrganizationUPN string
	// Timeout bounds each call and stream of the suite in real time (0: 10 s).
	Timeout time.Duration
}

// Run checks the contracts of flow.Backend on fixtures from newFixture (one per subtest).
func Run(t *testing.T, newFixture func(t *testing.T) Fixture) {
	tests := []struct {
		name string
		fn   func(*testing.T, Fixture)
	}{
		{"boot", testBoot},
		{"network", testNetwork},
		{"profile", testProfile},
		{"update stream", testUpdates},
		{"sign-in errors have codes", testSignInErrors},
		{"tickets are enforced", testTickets},
		{"deployment", testDeployment},
		{"cancellation ends streams", testCancel},
		{"close ends streams", testClose},
		{"cancelled calls fail", testCancelledCalls},
		{"no VPN before Device setup", testVPN},
		{"reset returns to the start", testReset},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newFixture(t)) })
	}
}

func (f Fixture) ctx(t *testing.T) context.Context {
	d := f.Timeout
	if d <= 0 {
		d = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// wantCode fails unless err is an *flow.Error (or wraps one) with code.
func wantCode(t *testing.T, what string, err error, code flow.ErrorCode) {
	t.Helper()
	var fe *flow.Error
	if !errors.As(err, &fe) {
		t.Errorf("%s: error %v (%T) is not a *flow.Error", what, err, err)
		return
	}
	if fe.Code != code {
		t.Errorf("%s: code %q (%v), want %q", what, fe.Code, err, code)
	}
}

// noSecret fails when text holds one of the fixture's secrets.
func (f Fixture) noSecret(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{f.Password, f.Key, f.Code} {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s holds a secret: %s", what, text)
		}
	}
}

// drain reads s to its end: the events, and whether it ended with io.EOF.
func drain(t *testing.T, ctx context.Context, s flow.Stream) []flow.Event {
	t.Helper()
	defer s.Close()
	var out []flow.Event
	for i := 0; ; i++ {
		ev, err := s.Next(ctx)
		if errors.Is(err, io.EOF) {
			// after the end, the end again
			if _, err := s.Next(ctx); !errors.Is(err, io.EOF) {
				t.Errorf("Next after io.EOF = %v, want io.EOF again", err)
			}
			return out
		}
		if err != nil {
			t.Fatalf("stream event %d: %v", i, err)
		}
		out = append(out, ev)
		if i > 100000 {
			t.Fatal("stream never ends")
		}
	}
}

// checkOrder fails unless evs start with one of first, end with last and never run
// backwards in time; no event after the last; an event marked More is followed by another
// at the same time.
func checkOrder(t *testing.T, what string, evs []flow.Event, first []flow.EventKind, last flow.EventKind) {
	t.Helper()
	if len(evs) == 0 {
		t.Fatalf("%s: no events", what)
	}
	ok := false
	for _, k := range first {
		ok = ok || evs[0].Kind == k
	}
	if !ok {
		t.Errorf("%s: first event %q, want one of %v", what, evs[0].Kind, first)
	}
	if evs[len(evs)-1].Kind != last {
		t.Errorf("%s: last event %q, want %q", what, evs[len(evs)-1].Kind, last)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].At.Before(evs[i-1].At) {
			t.Errorf("%s: event %d (%s) at %v runs back from %v", what, i, evs[i].Kind, evs[i].At, evs[i-1].At)
		}
		if evs[i-1].Kind == last {
			t.Errorf("%s: event %d (%s) after the last one", what, i, evs[i].Kind)
		}
		if evs[i-1].More && !evs[i].At.Equal(evs[i-1].At) {
			t.Errorf("%s: event %d is marked More but the next comes %v later", what, i-1, evs[i].At.Sub(evs[i-1].At))
		}
	}
	if evs[len(evs)-1].More {
		t.Errorf("%s: the last event is marked More", what)
	}
}

func testBoot(t *testing.T, f Fixture) {
	info, err := f.Backend.Boot(f.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Boot.Languages) == 0 {
		t.Error("no display language")
	}
	if info.Boot.ProfileKnown != (info.Profile != nil) {
		t.Errorf("ProfileKnown %v but profile %v", info.Boot.ProfileKnown, info.Profile != nil)
	}
}

func testNetwork(t *testing.T, f Fixture) {
	ctx := f.ctx(t)
	nets, err := f.Backend.Scan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Backend.Connect(ctx, flow.ConnectRequest{SSID: f.SSID, Key: f.Key + "-wrong"}); err == nil {
		t.Error("a wrong key connected")
	} else {
		wantCode(t, "wrong key", err, flow.CodeWrongKey)
		f.noSecret(t, "the wrong-key error", err.Error())
	}
	if _, err := f.Backend.Connect(ctx, flow.ConnectRequest{SSID: "no such network \u2603"}); err == nil {
		t.Error("a network not in range connected")
	} else {
		wantCode(t, "unknown network", err, flow.CodeNoSuchNetwork)
	}
	if _, err := f.Backend.Connect(ctx, flow.ConnectRequest{SSID: f.SSID, Key: f.Key, Auto: true}); err != nil {
		t.Errorf("Connect(%s): %v", f.SSID, err)
	}
	_ = nets
}

func testProfile(t *testing.T, f Fixture) {
	p, err := f.Backend.DownloadProfile(f.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.Profile.Join != flow.JoinEntra && p.Profile.Join != flow.JoinHybrid {
		t.Errorf("join type %q", p.Profile.Join)
	}
}

func testUpdates(t *testing.T, f Fixture) {
	ctx := f.ctx(t)
	s, err := f.Backend.CheckUpdates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	evs := drain(t, ctx, s)
	checkOrder(t, "CheckUpdates", evs, []flow.EventKind{flow.EventUpdateProgress}, flow.EventUpdateDone)
	for _, ev := range evs {
		if ev.Progress < 0 || ev.Progress > 1 {
			t.Errorf("progress %v outside 0–1", ev.Progress)
		}
	}
}

func testSignInErrors(t *testing.T, f Fixture) {
	ctx := f.ctx(t)
	_, err := f.Backend.SignIn(ctx, flow.Credentials{UPN: f.UPN, Password: f.Password + "x"})
	wantCode(t, "wrong password", err, flow.CodeWrongPassword)
	if err != nil {
		f.noSecret(t, "the wrong-password error", err.Error())
	}
	if f.OtherOrganizationUPN != "" {
		wantCode(t, "CheckUser of another organization", f.Backend.CheckUser(ctx, f.OtherOrganizationUPN), flow.CodeOtherOrganization)
		_, err = f.Backend.SignIn(ctx, flow.Credentials{UPN: f.OtherOrganizationUPN, Password: f.Password})
		wantCode(t, "SignIn of another organization", err, flow.CodeOtherOrganization)
	}
	if err := f.Backend.CheckUser(ctx, f.UPN); err != nil {
		t.Errorf("CheckUser(%s) = %v", f.UPN, err)
	}
}

func testTickets(t *testing.T, f Fixture) {
	ctx := f.ctx(t)
	for _, tk := range []flow.Ticket{"", "forged-ticket"} {
		wantCode(t, "WaitMFA("+string(tk)+")", f.Backend.WaitMFA(ctx, tk), flow.CodeNotSignedIn)
		wantCode(t, "VerifyCode("+string(tk)+")", f.Backend.VerifyCode(ctx, tk, "000000"), flow.CodeNotSignedIn)
		wantCode(t, "Enroll("+string(tk)+")", f.Backend.Enroll(ctx, tk), flow.CodeNotSignedIn)
		_, err := f.Backend.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup, Ticket: tk})
		wantCode(t, "Provision("+string(tk)+")", err, flow.CodeNotSignedIn)
	}
	res, err := f.Backend.SignIn(ctx, flow.Credentials{UPN: f.UPN, Password: f.Password})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ticket == "" {
		t.Fatal("SignIn returned no ticket")
	}
	if res.MFA != flow.MFANone {
		wantCode(t, "Enroll before MFA", f.Backend.Enroll(ctx, res.Ticket), flow.CodeMFARequired)
	}
	_, err = f.Backend.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup, Ticket: res.Ticket})
	wantCode(t, "Provision before Enroll", err, flow.CodeNotEnrolled)
}

// enroll signs the fixture's user in, answers MFA and enrolls; it returns the ticket.
func enroll(t *testing.T, ctx context.Context, f Fixture) flow.Ticket {
	t.Helper()
	res, err := f.Backend.SignIn(ctx, flow.Credentials{UPN: f.UPN, Password: f.Password})
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	switch res.MFA {
	case flow.MFAPush:
		if res.MFANumber < 10 || res.MFANumber > 99 {
			t.Errorf("number matching number %d", res.MFANumber)
		}
		if err := f.Backend.WaitMFA(ctx, res.Ticket); err != nil {
			t.Fatalf("WaitMFA: %v", err)
		}
	case flow.MFACode:
		wantCode(t, "a wrong code", f.Backend.VerifyCode(ctx, res.Ticket, "00000000"), flow.CodeWrongCode)
		if err := f.Backend.VerifyCode(ctx, res.Ticket, f.Code); err != nil {
			t.Fatalf("VerifyCode: %v", err)
		}
	}
	if err := f.Backend.Enroll(ctx, res.Ticket); err != nil {
		t.Fatalf("Enroll: %v", err)
	}
	return res.Ticket
}

func testDeployment(t *testing.T, f Fixture) {
	ctx := f.ctx(t)
	tk := enroll(t, ctx, f)
	for _, p := range flow.ESPPhases() {
		s, err := f.Backend.Provision(ctx, flow.ProvisionRequest{Phase: p, Ticket: tk})
		if err != nil {
			t.Fatalf("Provision(%s): %v", p, err)
		}
		evs := drain(t, ctx, s)
		checkOrder(t, string(p), evs, []flow.EventKind{flow.EventESPPhaseStart}, flow.EventESPPhaseDone)
		for i, ev := range evs {
			if ev.ESPPhase() != p {
				t.Errorf("%s event %d is about phase %q", p, i, ev.Phase)
			}
		}
		if done := evs[len(evs)-1]; done.State != flow.ItemComplete && done.State != flow.ItemFailed {
			t.Errorf("%s ends %q", p, done.State)
		}
	}
	q, err := f.Backend.QualityUpdates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkOrder(t, "QualityUpdates", drain(t, ctx, q), []flow.EventKind{flow.EventUpdateProgress}, flow.EventUpdateDone)
	name, err := f.Backend.DeviceName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := flow.ValidateDeviceName(name); err != nil {
		t.Errorf("DeviceName %q: %v", name, err)
	}
	if again, _ := f.Backend.DeviceName(ctx); again != name {
		t.Errorf("DeviceName changed from %q to %q", name, again)
	}
	_, err = f.Backend.Provision(ctx, flow.ProvisionRequest{Phase: "no-such-phase", Ticket: tk})
	wantCode(t, "an unknown phase", err, flow.CodeBadRequest)
}

// firstEvent opens a device-setup stream and reads its first event.
func firstEvent(t *testing.T, f Fixture, ctx, streamCtx context.Context) flow.Stream {
	t.Helper()
	tk := enroll(t, ctx, f)
	s, err := f.Backend.Provision(streamCtx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup, Ticket: tk})
	if err != nil {
		t.Fatal(err)
	}
	if ev, err := s.Next(ctx); err != nil || ev.Kind != flow.EventESPPhaseStart {
		t.Fatalf("first event %+v, %v", ev, err)
	}
	return s
}

func testCancel(t *testing.T, f Fixture) {
	ctx := f.ctx(t)
	streamCtx, cancel := context.WithCancel(ctx)
	s := firstEvent(t, f, ctx, streamCtx)
	defer s.Close()
	cancel()
	if ev, err := s.Next(ctx); err == nil {
		t.Errorf("an event after cancel: %+v", ev)
	}
	// a cancelled Next call ends the stream too
	s2 := firstEvent(t, f, ctx, ctx)
	defer s2.Close()
	callCtx, cancelCall := context.WithCancel(ctx)
	cancelCall()
	if ev, err := s2.Next(callCtx); err == nil {
		t.Errorf("an event from a cancelled Next: %+v", ev)
	}
}

func testClose(t *testing.T, f Fixture) {
	ctx := f.ctx(t)
	s := firstEvent(t, f, ctx, ctx)
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if ev, err := s.Next(ctx); err == nil {
		t.Errorf("an event after Close: %+v", ev)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func testCancelledCalls(t *testing.T, f Fixture) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := f.Backend
	if _, err := b.Scan(ctx); err == nil {
		t.Error("Scan succeeded on a cancelled context")
	}
	if _, err := b.Connect(ctx, flow.ConnectRequest{SSID: f.SSID, Key: f.Key}); err == nil {
		t.Error("Connect succeeded on a cancelled context")
	}
	if _, err := b.SignIn(ctx, flow.Credentials{UPN: f.UPN, Password: f.Password}); err == nil {
		t.Error("SignIn succeeded on a cancelled context")
	}
	if s, err := b.CheckUpdates(ctx); err == nil {
		if _, err := s.Next(ctx); err == nil {
			t.Error("CheckUpdates streamed on a cancelled context")
		}
		s.Close()
	}
	if err := b.ConnectVPN(ctx); err == nil {
		t.Error("ConnectVPN succeeded on a cancelled context")
	}
}

// testVPN: at power-on no VPN client has been installed (Device setup installs it), so
// ConnectVPN is refused with CodeBadRequest.
func testVPN(t *testing.T, f Fixture) {
	wantCode(t, "ConnectVPN before Device setup", f.Backend.ConnectVPN(f.ctx(t)), flow.CodeBadRequest)
}

func testReset(t *testing.T, f Fixture) {
	ctx := f.ctx(t)
	tk := enroll(t, ctx, f)
	if err := f.Backend.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := f.Backend.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDevicePreparation, Ticket: tk})
	wantCode(t, "a ticket from before Reset", err, flow.CodeNotSignedIn)
	if _, err := f.Backend.Boot(ctx); err != nil {
		t.Errorf("Boot after Reset: %v", err)
	}
	tk = enroll(t, ctx, f)
	s, err := f.Backend.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDevicePreparation, Ticket: tk})
	if err != nil {
		t.Fatalf("Provision after Reset: %v", err)
	}
	checkOrder(t, "device preparation after Reset", drain(t, ctx, s), []flow.EventKind{flow.EventESPPhaseStart}, flow.EventESPPhaseDone)
}

package sim

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// TestDCAddress: --dc takes HOST or HOST:PORT (LDAP's 389 when no port is given, IPv6 in
// brackets); anything else is one line saying what is wrong.
func TestDCAddress(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"dc01.corp.example":   "dc01.corp.example:389",
		" 10.0.0.5 ":          "10.0.0.5:389",
		"10.0.0.5:636":        "10.0.0.5:636",
		"[::1]:3268":          "[::1]:3268",
		"::1":                 "[::1]:389",
		"[fd00::5]":           "[fd00::5]:389",
		"dc01.corp.example:1": "dc01.corp.example:1",
	} {
		got, err := DCAddress(in)
		if err != nil || got != want {
			t.Errorf("DCAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"dc:ldap":    `want a port from 1 to 65535, got "ldap"`,
		"dc:0":       `want a port from 1 to 65535, got "0"`,
		"dc:65536":   `want a port from 1 to 65535, got "65536"`,
		":389":       "want a host name or address",
		"dc one:389": "want a host name or address",
		"[::1:389":   "want HOST or HOST:PORT",
	} {
		_, err := DCAddress(in)
		if err == nil || !strings.Contains(err.Error(), msg) || strings.Contains(err.Error(), "\n") {
			t.Errorf("DCAddress(%q) error %v, want one line with %q", in, err, msg)
		}
	}
}

// TestCheckDC: the real check connects to a listener (reachable), is refused by a closed port
// (unreachable), and gives no outcome once its context is cancelled (the stream was closed).
func TestCheckDC(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := New(nil, Options{DC: ln.Addr().String(), DCTimeout: time.Second})
	if ok, err := b.checkDC(context.Background()); !ok || err != nil {
		t.Errorf("a listener: reachable %v, %v", ok, err)
	}
	ln.Close()
	if ok, err := b.checkDC(context.Background()); ok || err != nil {
		t.Errorf("a closed port: reachable %v, %v; want unreachable", ok, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if ok, err := b.checkDC(ctx); ok || err == nil {
		t.Errorf("a cancelled check: reachable %v, %v; want the context's error", ok, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("a cancelled check took %v", d)
	}
}

// TestConnectVPN: the device VPN connects only on a hybrid join whose scenario has one, once
// its client app was installed in Device setup; a server that does not answer is unavailable.
func TestConnectVPN(t *testing.T) {
	w := &World{Tenant: flow.Tenant{Profile: flow.DefaultProfile()}, Scenario: DefaultScenario()}
	w.Profile.Join = flow.JoinHybrid
	if err := New(w, Options{Clock: flow.NewVirtualClock(time.Now())}).ConnectVPN(context.Background()); !errors.Is(err, &flow.Error{Code: flow.CodeBadRequest}) {
		t.Errorf("no VPN in the scenario: %v", err)
	}
	w.Scenario.Apps = append(w.Scenario.Apps, ScenarioApp{ID: "vpn-app", Name: "VPN client"})
	w.Scenario.VPN = &ScenarioVPN{Name: "Larkspur VPN", AppID: "vpn-app"}
	b := New(w, Options{Clock: flow.NewVirtualClock(time.Now())})
	if err := b.ConnectVPN(context.Background()); !errors.Is(err, &flow.Error{Code: flow.CodeBadRequest}) || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("the client not installed yet: %v", err)
	}
	b.markInstalled(flow.ESPDeviceSetup, string(flow.CategoryApps)+"/vpn-app")
	if err := b.ConnectVPN(context.Background()); err != nil {
		t.Errorf("installed: %v", err)
	}
	w.Scenario.VPN.ServerUnreachable = true
	b = New(w, Options{Clock: flow.NewVirtualClock(time.Now())})
	b.markInstalled(flow.ESPDeviceSetup, string(flow.CategoryApps)+"/vpn-app")
	if err := b.ConnectVPN(context.Background()); !errors.Is(err, &flow.Error{Code: flow.CodeUnavailable}) {
		t.Errorf("the server does not answer: %v", err)
	}
}

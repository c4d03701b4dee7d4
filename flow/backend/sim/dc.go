package sim

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// DefaultDCPort is the port a real domain controller check connects to when --dc names none:
// LDAP, which every domain controller serves.
const DefaultDCPort = "389"

// DefaultDCTimeout bounds a real domain controller check: resolving the name and the TCP
// connection together.
const DefaultDCTimeout = 5 * time.Second

// DCAddress checks a domain controller given as HOST or HOST:PORT ([v6]:PORT for an IPv6
// literal) and returns it as host:port with DefaultDCPort when none is given; "" stays "".
// An error names what is wrong in one line.
func DCAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		// no port: a name, an IPv4 address or a bare IPv6 address
		bracketed := strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]")
		host, port = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"), DefaultDCPort
		if strings.ContainsAny(host, "[]") || strings.ContainsAny(s, "[]") && !bracketed || strings.Count(host, ":") == 1 {
			return "", fmt.Errorf("want HOST or HOST:PORT, got %q", s)
		}
	}
	if host == "" || strings.ContainsAny(host, " /\\\t") {
		return "", fmt.Errorf("want a host name or address, got %q", s)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("want a port from 1 to 65535, got %q", port)
	}
	return net.JoinHostPort(host, port), nil
}

// checkDC is the real domain controller check: it resolves the address and opens a TCP
// connection within the timeout (or until ctx ends). It runs inside the stream's Next, a
// task the run holds: a virtual or paced clock stands still meanwhile, so a slow or
// unanswered connection moves no emulated time. reachable reports the outcome; err is
// ctx's error when the stream ended first.
func (b *Backend) checkDC(ctx context.Context) (reachable bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, b.dcWait)
	defer cancel()
	var d net.Dialer
	c, derr := d.DialContext(ctx, "tcp", b.dc)
	if derr == nil {
		c.Close()
		return true, nil
	}
	if cerr := context.Cause(ctx); cerr != nil && cerr != context.DeadlineExceeded {
		return false, cerr // the stream was closed: no outcome
	}
	return false, nil
}

// VPNConnectDelay is how long connecting the device VPN takes.
const VPNConnectDelay = 3 * time.Second

// ConnectVPN connects the scenario's device VPN after about 3 s: CodeBadRequest when the
// scenario has none or its client app has not been installed in Device setup yet,
// CodeUnavailable when the VPN server does not answer (scenario vpn.serverUnreachable).
// Once connected, the domain controller counts as reachable (with Options.DC the real check
// still decides).
func (b *Backend) ConnectVPN(ctx context.Context) error {
	v := b.sc().VPN
	if v == nil || b.tn().Profile.Join != flow.JoinHybrid {
		return flow.Errorf(flow.CodeBadRequest, "this device has no VPN")
	}
	if !b.wasInstalled(flow.ESPDeviceSetup, string(flow.CategoryApps)+"/"+strings.ToLower(v.AppID)) {
		return flow.Errorf(flow.CodeBadRequest, "the VPN client %s is not installed", v.AppID)
	}
	if err := b.wait(ctx, b.jitter(VPNConnectDelay)); err != nil {
		return err
	}
	if v.ServerUnreachable {
		return flow.Errorf(flow.CodeUnavailable, "the VPN server of %s does not answer", v.Name)
	}
	b.mu.Lock()
	b.vpnUp = true
	b.mu.Unlock()
	return nil
}

// domainReachable reports whether a domain controller answers a domain sign-in: the real one
// with Options.DC, else the scenario's, or any once the VPN is connected.
func (b *Backend) domainReachable(ctx context.Context) (bool, error) {
	if b.dc != "" {
		return b.checkDC(ctx)
	}
	b.mu.Lock()
	up := b.vpnUp
	b.mu.Unlock()
	return up || b.sc().DomainController.IsReachable(), nil
}

package run

import (
	"context"
	"errors"

	"github.com/oobe-emu/oobe/flow"
)

// NetState is where the network page is.
type NetState int

const (
	// NetScanning: looking for networks.
	NetScanning NetState = iota
	// NetReady: the list is there; the person chooses.
	NetReady
	// NetConnecting: the backend joins a network.
	NetConnecting
)

// Network is the controller of "Let's connect you to a network": the scan, joining a
// network (a hidden one by name), no internet, and Next once the device is online.
type Network struct {
	r *Run
	// State is where the page is.
	State NetState
	// Networks are the networks the scan found (and hidden ones joined), strongest first.
	Networks []flow.Network
	// Online is the network with internet the device is joined to ("" offline).
	Online string
	// NoInternet is the network joined without internet ("" none).
	NoInternet string
	// Target is the network being joined, or the last one tried.
	Target string
	// Err is the last failure (scan, wrong key, not in range, connect), nil after a success.
	Err *flow.Error
	// ScanFailed is true while the last scan failed (a backend that cannot be reached): the
	// page offers Try again (Rescan).
	ScanFailed bool
	// OfflineNote is set once "I don't have internet" was chosen (Windows 10).
	OfflineNote bool
	// Confirm is the 802.1X network whose server certificate could not be verified: Windows
	// asks "Continue connecting?" ("" none); ContinueConnecting or CancelEntry answers.
	Confirm string

	unverified flow.ConnectRequest // the request Confirm is about, its secret included
	trusted    map[string]bool     // 802.1X networks whose server the user accepted
}

// NetworkScanned says the scan ended (Err set when it failed).
type NetworkScanned struct{}

// NetworkJoined says the device joined SSID; Internet is false without internet.
type NetworkJoined struct {
	// SSID is the network joined.
	SSID string
	// Internet is true when the network reaches the internet.
	Internet bool
}

// NetworkFailed says joining SSID failed with Err (ErrWrongKey: the key prompt again).
type NetworkFailed struct {
	// SSID is the network tried.
	SSID string
	// Err is why.
	Err *flow.Error
}

func newNetwork(r *Run) *Network {
	n := &Network{r: r}
	if a := r.Answers(); a.Network != "" && a.Network != "ethernet" {
		n.Online = a.Network // coming back: still connected
	}
	n.scan()
	return n
}

// scan asks the backend for the networks in range.
func (n *Network) scan() {
	r := n.r
	r.task("scan", r.ctx, func(ctx context.Context) func() Outcome {
		nets, err := r.backend.Scan(ctx)
		return func() Outcome {
			n.State, n.Networks, n.Err, n.ScanFailed = NetReady, nets, flow.AsError(err), err != nil
			if err != nil {
				r.log(flow.RecordError, flow.ErrorData{Error: "scan", Detail: n.Err.Error()})
			}
			return &NetworkScanned{}
		}
	})
}

// Rescan is Try again after a failed scan: the page searches for networks again.
func (n *Network) Rescan() error {
	if err := n.r.at(flow.StepNetwork); err != nil {
		return err
	}
	if n.State != NetReady || !n.ScanFailed {
		return ErrNotReady
	}
	n.State, n.Err, n.ScanFailed = NetScanning, nil, false
	n.r.log(flow.RecordButton, flow.ButtonData{Button: "retry"})
	n.scan()
	return nil
}

// Network returns the network page's controller (nil on another step).
func (r *Run) Network() *Network {
	n, _ := r.ctl.(*Network)
	return n
}

// has reports whether the list holds ssid.
func (n *Network) has(ssid string) bool {
	for _, x := range n.Networks {
		if x.SSID == ssid {
			return true
		}
	}
	return false
}

// Lookup returns the scanned network named ssid.
func (n *Network) Lookup(ssid string) (flow.Network, bool) {
	for _, x := range n.Networks {
		if x.SSID == ssid {
			return x, true
		}
	}
	return flow.Network{}, false
}

// Connect joins a network: an open one at once, a secured one with req.Key (and req.Identity
// for 802.1X); hidden says it was typed on "Hidden network". The key goes to the backend
// only.
func (n *Network) Connect(req flow.ConnectRequest, hidden bool) error {
	r := n.r
	if err := r.at(flow.StepNetwork); err != nil {
		return err
	}
	if n.State != NetReady || req.SSID == "" {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "connect", Network: req.SSID})
	return n.connect(req, hidden)
}

// connect asks the backend to join req's network.
func (n *Network) connect(req flow.ConnectRequest, hidden bool) error {
	r := n.r
	if n.State != NetReady || req.SSID == "" {
		return ErrNotReady
	}
	n.State, n.Target, n.Err, n.OfflineNote, n.Confirm = NetConnecting, req.SSID, nil, false, ""
	req.TrustServer = req.TrustServer || n.trusted[req.SSID]
	secured := req.Key != ""
	if known, ok := n.Lookup(req.SSID); ok {
		secured = known.Secured()
	}
	r.task("connect", r.ctx, func(ctx context.Context) func() Outcome {
		res, err := r.backend.Connect(ctx, req)
		return func() Outcome { return n.connected(req, hidden, secured, res, err) }
	})
	return nil
}

// connected applies the backend's answer to a Connect.
func (n *Network) connected(req flow.ConnectRequest, hidden, secured bool, res flow.ConnectResult, err error) Outcome {
	r := n.r
	n.State = NetReady
	if err == nil {
		r.setNet(res.Network)
	}
	if err != nil {
		n.Err = flow.AsError(err)
		if errors.Is(err, flow.ErrServerUnverified) && !req.TrustServer {
			n.Confirm, n.unverified, n.Err = req.SSID, req, nil
			r.log(flow.RecordEvent, flow.EventData{Event: "certificate_prompt", Detail: flow.AsError(err).Detail})
			return &NetworkFailed{SSID: req.SSID, Err: flow.AsError(err)}
		}
		switch {
		case errors.Is(err, flow.ErrWrongKey):
			r.log(flow.RecordError, flow.ErrorData{Error: string(flow.CodeWrongKey), Network: req.SSID})
		default:
			r.log(flow.RecordError, flow.ErrorData{Error: string(n.Err.Code), Network: req.SSID, Detail: n.Err.Detail})
		}
		return &NetworkFailed{SSID: req.SSID, Err: n.Err}
	}
	if !n.has(req.SSID) {
		sec := flow.SecurityOpen
		if secured {
			sec = flow.SecurityPSK
		}
		n.Networks = append(n.Networks, flow.Network{SSID: req.SSID, Signal: 3, Security: sec})
	}
	a := &r.session.Answers
	if !res.Internet {
		n.NoInternet, n.Online = req.SSID, ""
		a.Network = ""
		r.log(flow.RecordError, flow.ErrorData{Error: "no_internet", Network: req.SSID})
		return &NetworkJoined{SSID: req.SSID}
	}
	n.Online, n.NoInternet = req.SSID, ""
	a.Network, a.ConnectAutomatically = req.SSID, req.Auto
	r.used.Hidden, r.used.WiFiKey = hidden, secured && req.Key != ""
	auto := req.Auto
	r.log(flow.RecordAnswer, flow.AnswerData{Network: req.SSID, ConnectAutomatically: &auto, Hidden: hidden})
	return &NetworkJoined{SSID: req.SSID, Internet: true}
}

// Next leaves the page once the device is online.
func (n *Network) Next() error {
	r := n.r
	if err := r.at(flow.StepNetwork); err != nil {
		return err
	}
	if n.Online == "" || n.State == NetConnecting {
		return ErrNotReady
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "next"})
	r.advance()
	return nil
}

// Offline is "I don't have internet" (Windows 10): Autopilot needs a network, so the page
// only says so.
func (n *Network) Offline() error {
	if err := n.r.at(flow.StepNetwork); err != nil {
		return err
	}
	n.r.log(flow.RecordButton, flow.ButtonData{Button: "offline"})
	n.OfflineNote = true
	return nil
}

// CancelEntry records Cancel on the security key, hidden network or "Continue
// connecting?" prompt.
func (n *Network) CancelEntry() {
	if n.r.at(flow.StepNetwork) == nil {
		n.r.log(flow.RecordButton, flow.ButtonData{Button: "cancel"})
		n.Err, n.Confirm, n.unverified = nil, "", flow.ConnectRequest{}
	}
}

// ContinueConnecting is Connect on "Continue connecting?": the 802.1X network is joined with
// the credentials typed before, its server trusted.
func (n *Network) ContinueConnecting() error {
	if err := n.r.at(flow.StepNetwork); err != nil {
		return err
	}
	if n.Confirm == "" || n.State != NetReady {
		return ErrNotReady
	}
	req := n.unverified
	req.TrustServer = true
	n.Confirm, n.unverified = "", flow.ConnectRequest{}
	if n.trusted == nil {
		n.trusted = map[string]bool{}
	}
	n.trusted[req.SSID] = true // as Windows keeps it in the network's profile
	n.r.log(flow.RecordButton, flow.ButtonData{Button: "continue_connecting", Network: req.SSID})
	n.State = NetReady
	return n.connect(req, false)
}

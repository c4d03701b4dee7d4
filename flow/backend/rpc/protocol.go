// Package rpc is the backend protocol: flow.Backend as JSON-RPC 2.0 methods, so that a lab
// can plug in a backend written in any language. The same methods travel over two
// transports: a child process's standard input and output (one JSON message a line, see
// Exec) and HTTP (one POST a call, see DialHTTP and NewHTTPHandler). Client is a
// flow.Backend that speaks the protocol; Serve and NewHTTPHandler serve any flow.Backend.
//
// docs/backend-protocol.md is the protocol's reference and docs/backend-protocol.schema.json
// its JSON Schema, generated from the types of this file (go generate ./flow/backend/rpc).
package rpc

//go:generate env OOBE_UPDATE_SCHEMA=1 go test -run TestSchemaUpToDate .

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// Version is the protocol version this package speaks (semantic versioning: a client and a
// backend of the same major version understand each other).
const Version = "1.0.0"

// Methods of the protocol, one per operation of flow.Backend, with the handshake and the
// stream methods.
const (
	// MethodHello is the handshake: protocol version, names, capabilities.
	MethodHello = "hello"
	// MethodBoot is flow.Backend.Boot.
	MethodBoot = "boot"
	// MethodScan is flow.Backend.Scan.
	MethodScan = "scan"
	// MethodConnect is flow.Backend.Connect.
	MethodConnect = "connect"
	// MethodProfile is flow.Backend.DownloadProfile.
	MethodProfile = "profile.download"
	// MethodCheckUpdates is flow.Backend.CheckUpdates: it opens a stream.
	MethodCheckUpdates = "updates.check"
	// MethodCheckUser is flow.Backend.CheckUser.
	MethodCheckUser = "user.check"
	// MethodSignIn is flow.Backend.SignIn.
	MethodSignIn = "signin"
	// MethodWaitMFA is flow.Backend.WaitMFA.
	MethodWaitMFA = "mfa.wait"
	// MethodVerifyCode is flow.Backend.VerifyCode.
	MethodVerifyCode = "code.verify"
	// MethodEnroll is flow.Backend.Enroll.
	MethodEnroll = "enroll"
	// MethodProvision is flow.Backend.Provision: it opens a stream.
	MethodProvision = "provision"
	// MethodQualityUpdates is flow.Backend.QualityUpdates: it opens a stream.
	MethodQualityUpdates = "quality.updates"
	// MethodConnectVPN is flow.Backend.ConnectVPN.
	MethodConnectVPN = "vpn.connect"
	// MethodDeviceName is flow.Backend.DeviceName.
	MethodDeviceName = "device.name"
	// MethodReset is flow.Backend.Reset.
	MethodReset = "reset"
	// MethodStreamNext is flow.Stream.Next: a long poll for the next events of a stream.
	MethodStreamNext = "stream.next"
	// MethodStreamClose is flow.Stream.Close.
	MethodStreamClose = "stream.close"
	// MethodCancel is a notification: the client gave up waiting for the call of that id.
	MethodCancel = "cancel"
)

// Capabilities a backend may announce in its hello; a client uses an optional part of the
// protocol only when the backend announced it.
const (
	// CapabilityTrainer is the reserved name of the trainer's methods (list faults, inject a
	// fault, drop and restore the network), not part of protocol 1.0.
	CapabilityTrainer = "trainer"
)

// idempotent says which methods a client may send twice with no effect beyond the first:
// only these are retried by the HTTP transport.
var idempotent = map[string]bool{
	MethodHello: true, MethodBoot: true, MethodScan: true, MethodProfile: true,
	MethodCheckUser: true, MethodDeviceName: true, MethodStreamClose: true,
}

// Idempotent reports whether method may be repeated safely (see docs/backend-protocol.md);
// every other call carries an idempotency key over HTTP.
func Idempotent(method string) bool { return idempotent[method] }

// Hello is the handshake the client sends first.
type Hello struct {
	// Protocol is the client's protocol version ("1.0.0").
	Protocol string `json:"protocol"`
	// Client names the program and its version ("oobe 1.4.0").
	Client string `json:"client"`
	// Speed is how many times faster than real time the user asked the emulation to run;
	// 0 means as fast as possible (--speed max). A simulator may honour it; a real device
	// ignores it.
	Speed float64 `json:"speed"`
}

// HelloResult is the backend's answer to Hello.
type HelloResult struct {
	// Protocol is the backend's protocol version.
	Protocol string `json:"protocol"`
	// Name names the backend ("larkspur-lab").
	Name string `json:"name"`
	// Version is the backend's own version.
	Version string `json:"version"`
	// Capabilities lists the optional parts of the protocol the backend implements.
	Capabilities []string `json:"capabilities"`
}

// Empty is the params or result of a method that has none: {}.
type Empty struct{}

// ScanResult is the result of scan.
type ScanResult struct {
	// Networks are the Wi-Fi networks in range.
	Networks []flow.Network `json:"networks"`
}

// UserRequest is the params of user.check.
type UserRequest struct {
	// UPN is the username typed.
	UPN string `json:"upn"`
}

// TicketRequest is the params of mfa.wait and enroll.
type TicketRequest struct {
	// Ticket names the sign-in.
	Ticket flow.Ticket `json:"ticket"`
}

// CodeRequest is the params of code.verify.
type CodeRequest struct {
	// Ticket names the sign-in.
	Ticket flow.Ticket `json:"ticket"`
	// Code is the verification code typed.
	// SECRET: never logged; redacted in the transcript.
	Code string `json:"code"`
}

// NameResult is the result of device.name.
type NameResult struct {
	// Name is the device's computer name.
	Name string `json:"name"`
}

// StreamResult is the result of the methods that open a stream (updates.check, provision,
// quality.updates): its id for stream.next and stream.close.
type StreamResult struct {
	// Stream is the stream's id, unique within the session.
	Stream string `json:"stream"`
}

// StreamRequest is the params of stream.next and stream.close.
type StreamRequest struct {
	// Stream is the id from the call that opened the stream.
	Stream string `json:"stream"`
}

// NextResult is the result of stream.next: the next events in order, and whether the
// stream is over after them.
type NextResult struct {
	// Events are the next events: at least one, unless the backend had nothing to send
	// within its poll time (ask again) or End is true. A batch holds the events marked More
	// that follow the first, so one call brings everything of one emulated moment.
	Events []flow.Event `json:"events"`
	// End is true when the stream is over after Events (its last event was sent).
	End bool `json:"end"`
}

// ErrorData is the data member of a JSON-RPC error that carries a flow.Error: the same JSON
// as flow.Error, so the client gives back an identical error.
type ErrorData = flow.Error

// Codes of JSON-RPC errors beside the standard ones (-32700 … -32603).
const (
	// CodeBackendError is the JSON-RPC error code of every flow.Error; its data says which.
	CodeBackendError = -32000
)

// eventKinds are the event kinds protocol 1 knows; a stream that sends another is broken.
var eventKinds = map[flow.EventKind]bool{
	flow.EventUpdateProgress: true, flow.EventUpdateRestart: true, flow.EventUpdateResumed: true,
	flow.EventUpdateDone: true, flow.EventError: true, flow.EventESPPhaseStart: true,
	flow.EventESPIdentified: true, flow.EventESPItem: true, flow.EventESPReboot: true,
	flow.EventESPResumed: true, flow.EventESPPhaseDone: true,
}

// last reports whether ev is the last event of its stream.
func last(ev flow.Event) bool {
	switch ev.Kind {
	case flow.EventUpdateDone, flow.EventESPPhaseDone, flow.EventError:
		return true
	}
	return false
}

// compatible returns nil when a backend speaking version v can serve a client of Version,
// else the error a user reads.
func compatible(v string) *flow.Error {
	major, ok := majorOf(v)
	want, _ := majorOf(Version)
	if !ok {
		return flow.Errorf(flow.CodeProtocol, "the backend announced protocol version %q, which is not a version (want %s)", clip(v, 40), Version)
	}
	if major != want {
		return flow.Errorf(flow.CodeProtocol, "the backend speaks protocol %s and this oobe speaks %s: the major versions differ, so update one of them", v, Version)
	}
	return nil
}

// majorOf reads the major number of a semantic version ("1.2.3" → 1).
func majorOf(v string) (int, bool) {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return 0, false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(parts[0])
	return n, true
}

// clip shortens s to n bytes for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// errorFromData turns the data of a JSON-RPC error into the flow.Error it carries; ok is
// false when data is not one.
func errorFromData(data json.RawMessage) (*flow.Error, bool) {
	if len(data) == 0 {
		return nil, false
	}
	var e flow.Error
	if json.Unmarshal(data, &e) != nil || e.Code == "" {
		return nil, false
	}
	return &e, true
}

// describe words a method for messages ("the sign-in (signin)").
func describe(method string) string {
	if w, ok := methodWords[method]; ok {
		return fmt.Sprintf("%s (%s)", w, method)
	}
	return method
}

var methodWords = map[string]string{
	MethodHello: "the handshake", MethodBoot: "the start", MethodScan: "the network scan",
	MethodConnect: "joining the network", MethodProfile: "the profile download",
	MethodCheckUpdates: "the update check", MethodCheckUser: "the username check",
	MethodSignIn: "the sign-in", MethodWaitMFA: "the Authenticator approval",
	MethodVerifyCode: "the code check", MethodEnroll: "the enrollment",
	MethodProvision: "the Enrollment Status Page", MethodQualityUpdates: "the quality update",
	MethodConnectVPN: "the VPN connection", MethodDeviceName: "the device name", MethodReset: "the reset",
	MethodStreamNext: "the progress", MethodStreamClose: "closing a progress stream",
}

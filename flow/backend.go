package flow

import (
	"context"
	"errors"
	"time"
)

// Security is how a Wi-Fi network is secured.
type Security string

const (
	// SecurityOpen is an open network.
	SecurityOpen Security = "open"
	// SecurityPSK is WPA2/WPA3-Personal (a network security key).
	SecurityPSK Security = "psk"
	// SecurityEnterprise is 802.1X (user name and password).
	SecurityEnterprise Security = "enterprise"
)

// Network is one Wi-Fi network as a scan reports it.
type Network struct {
	// SSID is the network name.
	SSID string `json:"ssid"`
	// Signal is the strength in bars, 1 to 4.
	Signal int `json:"signal"`
	// Security is open, psk or enterprise.
	Security Security `json:"security"`
}

// Secured reports whether the network needs credentials.
func (n Network) Secured() bool { return n.Security != SecurityOpen && n.Security != "" }

// BootInfo is what the backend reports about the device when OOBE starts.
type BootInfo struct {
	// Boot is the state the step graph needs.
	Boot Boot
	// Serial is the hardware serial number.
	Serial string
	// EthernetPresent is true when a cable is plugged in (with or without internet).
	EthernetPresent bool
}

// ConnectRequest asks the backend to join a Wi-Fi network.
type ConnectRequest struct {
	// SSID is the network name (typed by the user for a hidden network).
	SSID string
	// Key is the network security key; it is never recorded.
	Key string
	// Auto is "Connect automatically".
	Auto bool
}

// ConnectResult is the outcome of a successful association.
type ConnectResult struct {
	// Internet is false when the network connects but cannot reach the internet.
	Internet bool
}

// Errors a backend returns from Connect.
var (
	// ErrWrongKey means the network security key was not accepted.
	ErrWrongKey = errors.New("wrong network security key")
	// ErrNoSuchNetwork means no network with that name is in range.
	ErrNoSuchNetwork = errors.New("network not found")
)

// EventKind classifies a backend event.
type EventKind string

// Event kinds of the update check.
const (
	// EventUpdateProgress carries Progress (0–1) and Phase ("checking", "downloading", "installing").
	EventUpdateProgress EventKind = "update.progress"
	// EventUpdateRestart says the device restarts now to finish the update.
	EventUpdateRestart EventKind = "update.restart"
	// EventUpdateResumed says OOBE is back after the restart.
	EventUpdateResumed EventKind = "update.resumed"
	// EventUpdateDone ends the update check.
	EventUpdateDone EventKind = "update.done"
	// EventError ends a stream with Err set.
	EventError EventKind = "error"
)

// Event is one item of a backend's progress stream.
type Event struct {
	// Kind says what happened.
	Kind EventKind `json:"kind"`
	// At is the backend's clock when it happened.
	At time.Time `json:"at"`
	// Phase names the sub-step ("checking", "downloading", …).
	Phase string `json:"phase,omitempty"`
	// Progress is the fraction done, 0–1.
	Progress float64 `json:"progress,omitempty"`
	// Err is set on EventError.
	Err error `json:"-"`
}

// Backend performs or simulates everything OOBE asks of the device and the cloud. The UI
// calls it only from commands, never while updating its state, so a slow backend never blocks
// the screen. Streams are closed by the backend after their last event.
type Backend interface {
	// Boot reports the device and network state at power-on.
	Boot(ctx context.Context) (BootInfo, error)
	// Scan lists the Wi-Fi networks in range.
	Scan(ctx context.Context) ([]Network, error)
	// Connect joins a Wi-Fi network.
	Connect(ctx context.Context, req ConnectRequest) (ConnectResult, error)
	// DownloadProfile fetches the Autopilot profile once the device is online.
	DownloadProfile(ctx context.Context) (Profile, error)
	// CheckUpdates runs the critical-update check and streams its progress.
	CheckUpdates(ctx context.Context) (<-chan Event, error)
}

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

// Event kinds of the Enrollment Status Page (Backend.Provision). Every ESP event carries the
// phase name in Phase (see Event.ESPPhase).
const (
	// EventESPPhaseStart is the first event of every Provision stream: the phase starts (again,
	// after Try again) with all its items reset.
	EventESPPhaseStart EventKind = "esp.start"
	// EventESPIdentified says the item list of one category is known: Category and Items (each
	// waiting; no Items means nothing to set up in that category).
	EventESPIdentified EventKind = "esp.identified"
	// EventESPItem gives one item its new State and Code: Category and ItemID name it; an empty
	// ItemID addresses a Device preparation sub-item (the group itself).
	EventESPItem EventKind = "esp.item"
	// EventESPReboot says the device restarts now during Device setup (or, for a Microsoft
	// Entra hybrid join, at the end of Device preparation after the offline domain join); the
	// UI shows a restart and then, for Entra join, the Windows sign-in screen, where the user
	// types the credentials again (the username is not pre-filled). A hybrid join continues
	// without credentials once EventESPResumed arrives (nobody is signed in to Windows yet).
	// The stream goes on after the restart.
	EventESPReboot EventKind = "esp.reboot"
	// EventESPResumed says the device is back after an EventESPReboot and the ESP continues.
	EventESPResumed EventKind = "esp.resumed"
	// EventESPPhaseDone is the last event of a Provision stream: State is complete or failed;
	// when failed, Category, ItemID and Code name the failure that ended the phase.
	EventESPPhaseDone EventKind = "esp.done"
)

// Event is one item of a backend's progress stream.
type Event struct {
	// Kind says what happened.
	Kind EventKind `json:"kind"`
	// At is the backend's clock when it happened.
	At time.Time `json:"at"`
	// Phase names the sub-step of an update ("checking", "downloading", …) or, for ESP
	// events, the ESPPhase as a string (read it with ESPPhase).
	Phase string `json:"phase,omitempty"`
	// Progress is the fraction done, 0–1.
	Progress float64 `json:"progress,omitempty"`
	// Category is the ESP group an ESP event is about.
	Category ESPCategory `json:"category,omitempty"`
	// Items are the items of Category on EventESPIdentified.
	Items []ESPItem `json:"items,omitempty"`
	// ItemID names the item of an EventESPItem ("" for a Device preparation sub-item).
	ItemID string `json:"itemId,omitempty"`
	// State is the new state on EventESPItem and the outcome on EventESPPhaseDone.
	State ItemState `json:"state,omitempty"`
	// Code is the failure code, like "0x81036502", when State is failed.
	Code string `json:"code,omitempty"`
	// Err is set on EventError.
	Err error `json:"-"`
}

// ESPPhase returns the ESP phase an ESP event is about (Phase as an ESPPhase).
func (e Event) ESPPhase() ESPPhase { return ESPPhase(e.Phase) }

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
	// CheckUser looks up the username typed on the sign-in page before the password is
	// asked: ErrUnknownUser or *OrgMismatchError when it cannot sign in here.
	CheckUser(ctx context.Context, upn string) error
	// SignIn checks the credentials on the branded sign-in page: *OrgMismatchError for a UPN
	// of another organization, ErrUnknownUser, ErrWrongPassword. The result says which
	// multifactor challenge follows.
	SignIn(ctx context.Context, cred Credentials) (SignInResult, error)
	// WaitMFA waits for the answer to the Authenticator push (number matching) of the user
	// signed in last: nil when approved, ErrMFADenied when denied, ctx.Err() when cancelled.
	WaitMFA(ctx context.Context) error
	// VerifyCode checks a verification code from the Authenticator app: nil or ErrWrongCode.
	VerifyCode(ctx context.Context, code string) error
	// Enroll joins the device to Microsoft Entra ID and enrolls it in MDM once sign-in and
	// MFA are done; a failure is an *EnrollmentError with the code the page shows.
	Enroll(ctx context.Context) error
	// Provision runs one ESP phase and streams its progress: EventESPPhaseStart first,
	// EventESPPhaseDone last, then the channel is closed. Calling it again for a failed phase
	// is Try again.
	Provision(ctx context.Context, phase ESPPhase) (<-chan Event, error)
	// Reset wipes the device and returns it to the state of the scenario's start (Reset
	// device, or the next person on a kiosk); the next Boot starts a fresh OOBE.
	Reset(ctx context.Context) error
}

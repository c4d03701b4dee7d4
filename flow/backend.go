package flow

import (
	"context"
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
	// Boot is the state the step graph needs (the run sets Boot.Windows from its own input).
	Boot Boot `json:"boot"`
	// Serial is the hardware serial number.
	Serial string `json:"serial"`
	// EthernetPresent is true when a cable is plugged in (with or without internet).
	EthernetPresent bool `json:"ethernetPresent"`
	// Profile is the downloaded Autopilot profile when the device was online at power-on
	// (Boot.ProfileKnown); nil otherwise: the run calls DownloadProfile once it is online.
	Profile *DeviceProfile `json:"profile,omitempty"`
	// Handout is the lab hand-out of a practice run: what a trainee needs to type (nil: none,
	// as on a real device).
	Handout []HandoutLine `json:"handout,omitempty"`
	// Network is the adapters' configuration at power-on (the cable's link, a Wi-Fi network
	// rejoined from its saved profile after a restart); nil when the backend does not say.
	Network *NetConfig `json:"network,omitempty"`
	// CommandPromptBlocked is true when the image blocks the Shift+F10 command prompt (a
	// DisableCMDRequest.TAG file in %WINDIR%\Setup\Scripts, reference §1.8).
	CommandPromptBlocked bool `json:"commandPromptBlocked,omitempty"`
	// VPN are the VPN connections configured for all users on the device.
	VPN []VPNConnection `json:"vpn,omitempty"`
}

// HandoutLine is one line of a practice run's hand-out: the Wi-Fi network and its key, an
// account and its password. It is practice data shown on screen beside the page, and like
// every secret never written to a record, an answers file or a bundle.
type HandoutLine struct {
	// Label says what it is ("Wi-Fi Larkspur-Corp").
	Label string `json:"label"`
	// Value is what to type ("Runway-2026!").
	// SECRET: practice data; shown on screen only.
	Value string `json:"value"`
}

// String never shows the value: a hand-out line printed by mistake leaks nothing.
func (l HandoutLine) String() string { return l.Label + ": [hidden]" }

// DeviceProfile is what the device learns when it downloads its Autopilot profile: the
// profile with its ESP and Windows Hello settings, the organization's name and domains, the
// company branding with its square logos, the assigned user and what the Windows sign-in of a
// hybrid join shows. It never holds the backend's own world (accounts, passwords, networks).
type DeviceProfile struct {
	// Profile is the deployment profile that applies, with the ESP and Windows Hello settings.
	Profile Profile `json:"profile"`
	// Organization is the Entra tenant's name and verified domains.
	Organization Organization `json:"organization"`
	// Branding is the company branding with its localizations.
	Branding Branding `json:"branding"`
	// SquareLogo and SquareLogoDark are PNG images of the branding's square logos; nil shows
	// a text badge.
	SquareLogo []byte `json:"squareLogo,omitempty"`
	// SquareLogoDark is the dark-theme square logo (PNG); nil when there is none.
	SquareLogoDark []byte `json:"squareLogoDark,omitempty"`
	// AssignedUser is the user the Autopilot device record assigns; nil when none.
	AssignedUser *AssignedUser `json:"assignedUser,omitempty"`
	// DomainJoin is what a hybrid join shows of the on-premises domain; nil for Entra join.
	DomainJoin *DomainInfo `json:"domainJoin,omitempty"`
	// VPN is the device VPN a hybrid join without the domain controller check uses to reach
	// the domain from the Windows sign-in screen; nil when none.
	VPN *VPNInfo `json:"vpn,omitempty"`
	// IdleLockMinutes is the device's machine inactivity limit: a hybrid join's Account setup
	// left alone this long shows the Windows lock screen (0: it never locks).
	IdleLockMinutes int `json:"idleLockMinutes,omitempty"`
}

// AssignedUser is the user an Autopilot device record assigns (reference §2.7).
type AssignedUser struct {
	// UPN is the assigned user's principal name, pre-filled on the sign-in page.
	UPN string `json:"upn"`
	// FriendlyName is the greeting name (addressableUserName): "Welcome, Alex!".
	FriendlyName string `json:"friendlyName,omitempty"`
}

// DomainInfo is what the device shows of the Active Directory domain of a hybrid join.
type DomainInfo struct {
	// Domain is the domain's FQDN ("larkspur.local").
	Domain string `json:"domain"`
	// NetBIOSName is the domain's short name the Windows sign-in shows ("Sign in to:
	// LARKSPUR") and accepts in DOMAIN\user.
	NetBIOSName string `json:"netbiosName"`
}

// VPNInfo is what the device shows of its VPN: the connection's name and the Intune app that
// installs the VPN client (a Device setup app; the sign-in screen offers the connection once
// it is installed).
type VPNInfo struct {
	// Name is the connection's name ("Larkspur VPN").
	Name string `json:"name"`
	// AppID is the ESP item (app id) of the VPN client.
	AppID string `json:"appId"`
}

// ConnectRequest asks the backend to join a Wi-Fi network.
type ConnectRequest struct {
	// SSID is the network name (typed by the user for a hidden network).
	SSID string `json:"ssid"`
	// Identity is the user name of an 802.1X (enterprise) network; empty otherwise.
	Identity string `json:"identity,omitempty"`
	// Key is the network security key (psk) or the password (enterprise).
	// SECRET: it crosses a wire only in this field and is never recorded.
	Key string `json:"key,omitempty"`
	// Auto is "Connect automatically".
	Auto bool `json:"auto"`
	// TrustServer is the user's Connect on "Continue connecting?": an 802.1X server whose
	// certificate cannot be verified is accepted (see CodeServerUnverified).
	TrustServer bool `json:"trustServer,omitempty"`
}

// ConnectResult is the outcome of a successful association.
type ConnectResult struct {
	// Internet is false when the network connects but cannot reach the internet.
	Internet bool `json:"internet"`
	// Network is the adapters' configuration once joined (the address DHCP gave); nil when
	// the backend does not say.
	Network *NetConfig `json:"network,omitempty"`
}

// ProvisionRequest asks the backend to run one phase of the Enrollment Status Page.
type ProvisionRequest struct {
	// Phase is the ESP phase to run.
	Phase ESPPhase `json:"phase"`
	// Ticket is the sign-in of the user who enrolled the device (Account setup: of the user
	// signed in to Windows).
	Ticket Ticket `json:"ticket"`
}

// EventKind classifies a backend event.
type EventKind string

// Event kinds of the update checks (CheckUpdates and QualityUpdates).
const (
	// EventUpdateProgress carries Progress (0–1) and Phase ("checking", "downloading",
	// "installing").
	EventUpdateProgress EventKind = "update.progress"
	// EventUpdateRestart says the device restarts now to finish the update.
	EventUpdateRestart EventKind = "update.restart"
	// EventUpdateResumed says the device is back after the restart.
	EventUpdateResumed EventKind = "update.resumed"
	// EventUpdateDone is the last event of an update stream.
	EventUpdateDone EventKind = "update.done"
	// EventError ends a stream that failed: Error says why.
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
	// Entra hybrid join, at the end of Device preparation after the offline domain join). The
	// stream goes on after the restart with EventESPResumed.
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
	// Code is Windows' failure code of an item, like "0x81036502", when State is failed.
	Code string `json:"code,omitempty"`
	// Error is why the stream failed, on EventError.
	Error *Error `json:"error,omitempty"`
	// More promises that the stream's next event follows at the same emulated time, with no
	// wait between: a reader may take it before it shows anything (false: no promise).
	More bool `json:"more,omitempty"`
}

// ESPPhase returns the ESP phase an ESP event is about (Phase as an ESPPhase).
func (e Event) ESPPhase() ESPPhase { return ESPPhase(e.Phase) }

// Stream is a backend's progress stream (the update checks, an ESP phase), read one event at
// a time. The backend does the work between events while the caller waits in Next, so a
// reader that stops reading stops the work.
type Stream interface {
	// Next blocks until the next event. After the last one (EventUpdateDone, EventESPPhaseDone
	// or EventError) it returns io.EOF; when ctx ends, ctx.Err() (and the stream is over).
	Next(ctx context.Context) (Event, error)
	// Close ends the stream early and frees what it holds; it is safe to call more than once
	// and after io.EOF.
	Close() error
}

// Backend performs or simulates everything OOBE asks of the device and the cloud.
//
// Contracts every backend keeps (flow/backendtest checks them):
//   - Errors are *Error values (or wrap one) with a stable Code; a cancelled ctx gives an
//     error within a short time and never a success.
//   - Calls are made only from the run's tasks, never while a page updates its state; a slow
//     backend never blocks the screen. Methods may be called concurrently.
//   - Streams begin with their start event (EventUpdateProgress, EventESPPhaseStart), end
//     with their last event and then io.EOF; event times never run backwards. An event
//     marked More is followed by another at the same time (never the last one).
//   - A Ticket is valid only for the sign-in that returned it, until Reset. WaitMFA,
//     VerifyCode, Enroll and Provision refuse a missing or unknown ticket with
//     CodeNotSignedIn, Enroll refuses one whose MFA is pending with CodeMFARequired, and
//     Provision refuses one that never enrolled with CodeNotEnrolled.
//   - Reset returns the device to its state at power-on: the next Boot starts a fresh OOBE,
//     earlier tickets are void.
//   - Secrets (Credentials.Password, ConnectRequest.Key, codes) cross the interface only in
//     the fields that carry them and never come back in a result, an event or an error.
type Backend interface {
	// Boot reports the device and network state at power-on (and the profile, when the device
	// was online already). Boot again without Reset is a restart (shutdown /r, the power
	// button): the device keeps what it was given (its enrollment, what was installed, the
	// Wi-Fi networks it joined with Connect automatically, which it rejoins), and the profile
	// is downloaded again.
	Boot(ctx context.Context) (BootInfo, error)
	// Scan lists the Wi-Fi networks in range.
	Scan(ctx context.Context) ([]Network, error)
	// Connect joins a Wi-Fi network: ErrWrongKey for a key (or 802.1X credentials) not
	// accepted, ErrNoSuchNetwork for a network not in range.
	Connect(ctx context.Context, req ConnectRequest) (ConnectResult, error)
	// DownloadProfile fetches the Autopilot profile once the device is online.
	DownloadProfile(ctx context.Context) (DeviceProfile, error)
	// CheckUpdates runs the critical-update check and streams its progress.
	CheckUpdates(ctx context.Context) (Stream, error)
	// CheckUser looks up the username typed on the sign-in page before the password is asked:
	// ErrUnknownUser, or ErrOtherOrganization (Detail: the domain) when it cannot sign in here.
	CheckUser(ctx context.Context, upn string) error
	// SignIn checks credentials: on the branded sign-in page (a UPN), or on the Windows
	// sign-in screen (a UPN or DOMAIN\user of the hybrid join's domain). Errors:
	// ErrOtherOrganization, ErrUnknownUser, ErrWrongPassword. The result names the user and
	// the multifactor challenge that follows, and carries the ticket of this sign-in.
	SignIn(ctx context.Context, cred Credentials) (SignInResult, error)
	// WaitMFA waits for the answer to the Authenticator push (number matching) of the
	// sign-in: nil when approved, ErrMFADenied when denied.
	WaitMFA(ctx context.Context, t Ticket) error
	// VerifyCode checks a verification code from the Authenticator app: nil or ErrWrongCode.
	VerifyCode(ctx context.Context, t Ticket, code string) error
	// Enroll joins the device to Microsoft Entra ID and enrolls it in MDM for the sign-in once
	// its MFA is done; a failure is ErrEnrollment with the HResult the page shows.
	Enroll(ctx context.Context, t Ticket) error
	// Provision runs one ESP phase and streams its progress: EventESPPhaseStart first,
	// EventESPPhaseDone last. Calling it again for a failed phase is Try again.
	Provision(ctx context.Context, req ProvisionRequest) (Stream, error)
	// QualityUpdates runs the monthly quality update at the end of OOBE (Windows 11) and
	// streams its progress like CheckUpdates.
	QualityUpdates(ctx context.Context) (Stream, error)
	// ConnectVPN connects the device VPN from the Windows sign-in screen (a hybrid join
	// reaching its domain off premises): CodeBadRequest when the VPN client is not installed,
	// CodeUnavailable when the VPN server cannot be reached.
	ConnectVPN(ctx context.Context) error
	// DeviceName returns the computer name the device got (from the profile's template, the
	// hybrid join's prefix, or Windows' own DESKTOP-…).
	DeviceName(ctx context.Context) (string, error)
	// Reset wipes the device and returns it to its state at power-on (Reset device, or the
	// next person on a kiosk).
	Reset(ctx context.Context) error
}

// Diagnoser is a backend with something of its own for a diagnostics bundle: a remote
// backend's last protocol exchanges, a helper process's standard error. The text never holds
// a secret; Diagnostics does no I/O (it may be called while a page updates).
type Diagnoser interface {
	// Diagnostics returns the backend's part of a bundle, as text.
	Diagnostics() []byte
}

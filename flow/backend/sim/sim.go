// Package sim is the simulated flow.Backend, the emulator's default: it plays a World (the
// organization's tenant and a scenario of everything Graph does not hold: the device, the
// Wi-Fi networks in range, the zero-day update, the people who sign in and what the
// Enrollment Status Page installs), with emulated delays on an injected clock and random
// choices from a seed, so runs are fast and reproducible. It owns the scenario: nothing
// outside the backend sees the accounts, passwords or networks.
package sim

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// World is what the simulated backend plays: the organization's tenant (what Graph holds)
// and the scenario (everything else).
type World struct {
	flow.Tenant
	// Scenario is the simulation's own data: device, networks, users, apps and timings.
	Scenario Scenario
}

// Emulated durations of the simulated operations (before jitter).
const (
	// ScanDelay is how long a Wi-Fi scan takes.
	ScanDelay = 1500 * time.Millisecond
	// ConnectDelay is how long a successful association takes.
	ConnectDelay = 3 * time.Second
	// RejectDelay is how long it takes to reject a wrong key or an unknown network.
	RejectDelay = 2 * time.Second
	// ProfileDelay is how long downloading the Autopilot profile takes.
	ProfileDelay = time.Second
)

// Update phases reported in EventUpdateProgress.Phase.
const (
	// PhaseChecking is the search for updates.
	PhaseChecking = "checking"
	// PhaseDownloading is the download of the update.
	PhaseDownloading = "downloading"
	// PhaseInstalling is the installation of the update.
	PhaseInstalling = "installing"
	// PhaseFinishing is the quality update's last step after its restart.
	PhaseFinishing = "finishing"
)

// Options configures a simulated backend.
type Options struct {
	// Clock times every emulated wait; nil means flow.RealClock.
	Clock flow.Clock
	// Seed seeds the simulation's random choices (same seed, same run).
	Seed int64
	// Wired forces an Ethernet cable with internet at boot (the profile is prefetched),
	// whatever the scenario says.
	Wired bool
	// DC makes a hybrid join's domain controller check real: "HOST[:PORT]" (LDAP, 389, by
	// default) is resolved and connected to over TCP, and the outcome decides the join
	// instead of the scenario's domainController.reachable (see DCAddress). "" leaves it to
	// the scenario.
	DC string
	// DCTimeout bounds the real check (0: DefaultDCTimeout).
	DCTimeout time.Duration
}

// Backend simulates the device and the cloud from a World. It is safe for concurrent use.
type Backend struct {
	clock  flow.Clock
	wired  bool
	dc     string        // the real domain controller's address (host:port), "" for none
	dcWait time.Duration // the real check's timeout
	seed   int64
	// base is the world as given, before any fault; st is what the backend plays now: base
	// with the faults that are on. st is replaced whole (never changed) when a trainer turns
	// a fault on or off, so a call reads one consistent world without a lock.
	base    World
	st      atomic.Pointer[state]
	serial  string
	domains []string // the tenant's domains; a UPN of another domain is another organization
	// assigned is true when the Autopilot device record has a pre-assigned user (not
	// supported with hybrid join: 0x80070774).
	assigned bool

	mu  sync.Mutex // guards rng and the device state below
	rng *rand.Rand

	tickets     map[flow.Ticket]*signIn           // sign-ins since power-on
	nTickets    int                               // tickets handed out since power-on
	enrolledBy  string                            // UPN of the user who enrolled the device ("" = not enrolled)
	attempts    map[string]int                    // install attempts per user and app id
	installed   map[flow.ESPPhase]map[string]bool // items completed in an earlier attempt of a phase
	vpnUp       bool                              // the device VPN is connected
	cachedLogon map[string]bool                   // UPNs that signed in to the domain once: their credentials are cached
	name        string                            // the device name once chosen
	// joined is the Wi-Fi network joined with Connect automatically ("" none): the device
	// rejoins it when it restarts; joinedInternet says whether it reaches the internet.
	joined         string
	joinedInternet bool
	// downloads counts the profile downloads since power-on (ProfileAssignedLate).
	downloads int
}

// signIn is one successful first factor: its user and how far it got.
type signIn struct {
	user    ScenarioUser
	mfaDone bool
}

var _ flow.Backend = (*Backend)(nil)

// New returns a backend simulating w (nil means an empty tenant with the default scenario).
// It keeps its own copy of w.
func New(w *World, opts Options) *Backend {
	b := &Backend{clock: opts.Clock, wired: opts.Wired, seed: opts.Seed, dcWait: opts.DCTimeout}
	if addr, err := DCAddress(opts.DC); err == nil {
		b.dc = addr // a caller validates the address first (cmd/oobe: --dc); a bad one is ignored
	}
	if b.dcWait <= 0 {
		b.dcWait = DefaultDCTimeout
	}
	if b.clock == nil {
		b.clock = flow.RealClock{}
	}
	if w == nil {
		w = &World{Tenant: flow.Tenant{Profile: flow.DefaultProfile()}, Scenario: DefaultScenario()}
	}
	b.base = World{Tenant: cloneTenant(w.Tenant), Scenario: w.Scenario.Clone()}
	b.base.Scenario.Faults = nil
	b.setState(activeFaults(w.Scenario.Faults))
	b.serial = w.Scenario.Device.Serial
	if b.serial == "" && w.DeviceIdentity != nil {
		b.serial = w.DeviceIdentity.Serial
	}
	b.domains = tenantDomains(w)
	b.assigned = w.DeviceIdentity != nil && strings.TrimSpace(w.DeviceIdentity.UPN) != ""
	seed := uint64(opts.Seed)
	b.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b.powerOn()
	return b
}

// powerOn forgets every sign-in, enrollment and install: the device as it left the factory.
func (b *Backend) powerOn() {
	b.tickets = map[flow.Ticket]*signIn{}
	b.enrolledBy = ""
	b.attempts = map[string]int{}
	b.installed = map[flow.ESPPhase]map[string]bool{}
	b.name = ""
	b.vpnUp = false
	b.cachedLogon = map[string]bool{}
	b.joined, b.joinedInternet = "", false
	b.downloads = 0
}

// cloneTenant deep-copies the parts of t the backend keeps.
func cloneTenant(t flow.Tenant) flow.Tenant {
	t.Profile.ESP.BlockingAppIDs = slices.Clone(t.Profile.ESP.BlockingAppIDs)
	t.Organization.Domains = slices.Clone(t.Organization.Domains)
	t.Organization.FederatedDomains = slices.Clone(t.Organization.FederatedDomains)
	if t.DeviceIdentity != nil {
		id := *t.DeviceIdentity
		t.DeviceIdentity = &id
	}
	if t.DomainJoin != nil {
		dj := *t.DomainJoin
		t.DomainJoin = &dj
	}
	return t
}

// jitter returns d varied by up to ±10 %, drawn from the seeded generator.
func (b *Backend) jitter(d time.Duration) time.Duration {
	b.mu.Lock()
	f := 0.9 + 0.2*b.rng.Float64()
	b.mu.Unlock()
	return time.Duration(float64(d) * f)
}

// wait blocks for emulated duration d on the clock, or until ctx is done.
func (b *Backend) wait(ctx context.Context, d time.Duration) error {
	return b.clock.Sleep(ctx, d)
}

// OfflineRetry is how often a call to the cloud tries again while the network is lost.
const OfflineRetry = time.Second

// offline waits while the device has lost its internet (Scenario.NetworkLost, the
// network-lost fault), trying again every OfflineRetry, and returns how long it waited.
func (b *Backend) offline(ctx context.Context) (time.Duration, error) {
	var waited time.Duration
	for b.sc().NetworkLost {
		if err := b.wait(ctx, OfflineRetry); err != nil {
			return waited, err
		}
		waited += OfflineRetry
	}
	return waited, nil
}

// cloud is a call to the cloud that takes d: it waits d, then for the internet if it was
// lost.
func (b *Backend) cloud(ctx context.Context, d time.Duration) error {
	if err := b.wait(ctx, d); err != nil {
		return err
	}
	_, err := b.offline(ctx)
	return err
}

// Boot reports the scenario's device: its display languages (en-US when none), the Ethernet
// state (Options.Wired forces a cable with internet) and, when wired, the prefetched profile;
// the adapters (the Wi-Fi network joined with Connect automatically before a restart is
// joined again), whether the image blocks Shift+F10 and the VPN connections.
func (b *Backend) Boot(ctx context.Context) (flow.BootInfo, error) {
	wired := b.wired || (b.sc().Ethernet.Present && b.sc().Ethernet.Internet && !b.sc().NetworkLost)
	if wired {
		if err := b.wait(ctx, b.jitter(ProfileDelay)); err != nil {
			return flow.BootInfo{}, err
		}
	} else if err := ctx.Err(); err != nil {
		return flow.BootInfo{}, err
	}
	langs := slices.Clone(b.sc().DisplayLanguages)
	if len(langs) == 0 {
		langs = []string{"en-US"}
	}
	info := flow.BootInfo{
		Boot:            flow.Boot{Languages: langs, Wired: wired, ProfileKnown: wired},
		Serial:          b.serial,
		EthernetPresent: b.wired || b.sc().Ethernet.Present,
	}
	if wired {
		p := b.download()
		info.Profile = &p
	}
	if b.sc().Handout {
		info.Handout = b.handout()
	}
	b.mu.Lock()
	joined, internet := b.joined, b.joinedInternet
	b.mu.Unlock()
	info.Network = b.netConfig(joined, internet)
	info.CommandPromptBlocked = b.sc().DisableCmdRequest
	info.VPN = b.vpnConnections()
	return info, nil
}

// handout is the practice hand-out of the scenario: a network with internet to join and the
// first user's account.
func (b *Backend) handout() []flow.HandoutLine {
	var out []flow.HandoutLine
	for _, n := range b.sc().WiFi {
		if n.Internet && !n.Hidden && n.Security != flow.SecurityEnterprise {
			v := n.Key
			if n.Security == flow.SecurityOpen {
				v = "(open)"
			}
			out = append(out, flow.HandoutLine{Label: "Wi-Fi " + n.SSID, Value: v})
			break
		}
	}
	if len(b.sc().Users) > 0 {
		u := b.sc().Users[0]
		out = append(out, flow.HandoutLine{Label: "Account", Value: u.UPN}, flow.HandoutLine{Label: "Password", Value: u.Password})
		if u.MFA == flow.MFACode {
			out = append(out, flow.HandoutLine{Label: "Code", Value: u.Code()})
		}
	}
	return out
}

// Scan lists the visible (not hidden) networks, strongest first, then by name
// (case-insensitive), after about 1.5 s.
func (b *Backend) Scan(ctx context.Context) ([]flow.Network, error) {
	if err := b.wait(ctx, b.jitter(ScanDelay)); err != nil {
		return nil, err
	}
	var out []flow.Network
	for _, n := range b.sc().WiFi {
		if n.Hidden {
			continue
		}
		out = append(out, flow.Network{SSID: n.SSID, Signal: n.Signal, Security: n.Security})
	}
	slices.SortStableFunc(out, func(x, y flow.Network) int {
		if x.Signal != y.Signal {
			return y.Signal - x.Signal
		}
		if c := strings.Compare(strings.ToLower(x.SSID), strings.ToLower(y.SSID)); c != 0 {
			return c
		}
		return strings.Compare(x.SSID, y.SSID)
	})
	return out, nil
}

// Connect joins the network with exactly req.SSID (hidden ones included). An unknown SSID
// gives flow.ErrNoSuchNetwork and a wrong key flow.ErrWrongKey, both after about 2 s; success
// takes about 3 s and reports whether the network reaches the internet. A psk network checks
// req.Key against its key; an enterprise network accepts the password of any scenario user
// as req.Key (the 802.1X user name is not checked).
func (b *Backend) Connect(ctx context.Context, req flow.ConnectRequest) (flow.ConnectResult, error) {
	n, ok := b.sc().Network(req.SSID)
	if !ok {
		if err := b.wait(ctx, b.jitter(RejectDelay)); err != nil {
			return flow.ConnectResult{}, err
		}
		return flow.ConnectResult{}, flow.Errorf(flow.CodeNoSuchNetwork, "no network named %q is in range", req.SSID)
	}
	accepted := true
	switch n.Security {
	case flow.SecurityPSK:
		accepted = req.Key == n.Key
	case flow.SecurityEnterprise:
		// 802.1X (PEAP): a directory user's name and password; an unverifiable server
		// certificate is asked about first
		if n.CertificatePrompt && !req.TrustServer {
			if err := b.wait(ctx, b.jitter(RejectDelay)); err != nil {
				return flow.ConnectResult{}, err
			}
			return flow.ConnectResult{}, &flow.Error{Code: flow.CodeServerUnverified,
				Detail: "the network's authentication server presented a certificate this device cannot verify"}
		}
		accepted = false
		for _, u := range b.sc().Users {
			if req.Key != "" && req.Key == u.Password && strings.EqualFold(strings.TrimSpace(req.Identity), u.UPN) {
				accepted = true
			}
		}
	}
	if !accepted {
		if err := b.wait(ctx, b.jitter(RejectDelay)); err != nil {
			return flow.ConnectResult{}, err
		}
		return flow.ConnectResult{}, flow.Errorf(flow.CodeWrongKey, "%s did not accept the key", req.SSID)
	}
	if err := b.wait(ctx, b.jitter(ConnectDelay)); err != nil {
		return flow.ConnectResult{}, err
	}
	internet := n.Internet && !b.sc().NetworkLost
	b.mu.Lock()
	if req.Auto {
		b.joined, b.joinedInternet = n.SSID, n.Internet // a saved profile: rejoined after a restart
	} else if b.joined == n.SSID {
		b.joined, b.joinedInternet = "", false
	}
	b.mu.Unlock()
	return flow.ConnectResult{Internet: internet, Network: b.netConfig(n.SSID, internet)}, nil
}

// DownloadProfile returns what the device learns of the tenant after about 1 s.
func (b *Backend) DownloadProfile(ctx context.Context) (flow.DeviceProfile, error) {
	if err := b.cloud(ctx, b.jitter(ProfileDelay)); err != nil {
		return flow.DeviceProfile{}, err
	}
	return b.download(), nil
}

// DefaultProfileName names the profile a device gets before its own is assigned
// (ProfileAssignedLate).
const DefaultProfileName = "Default profile (none assigned yet)"

// download is one download of the profile: the device's view of the tenant, with the default
// deployment profile the first time when the scenario assigns it late.
func (b *Backend) download() flow.DeviceProfile {
	b.mu.Lock()
	b.downloads++
	first := b.downloads == 1
	b.mu.Unlock()
	p := b.deviceProfile()
	if first && b.sc().ProfileAssignedLate {
		p.Profile = flow.DefaultProfile()
		p.Profile.Name = DefaultProfileName
		p.AssignedUser, p.DomainJoin = nil, nil
	}
	return p
}

// deviceProfile is the device's view of the tenant: no scenario data except the NetBIOS name
// of the domain the Windows sign-in shows.
func (b *Backend) deviceProfile() flow.DeviceProfile {
	if why := b.sc().Unregistered; why != "" {
		// Autopilot does not know the device: nothing of the tenant reaches it
		return flow.DeviceProfile{Profile: flow.OrdinaryProfile(why)}
	}
	t := cloneTenant(*b.tn())
	p := flow.DeviceProfile{
		Profile:        t.Profile,
		Organization:   t.Organization,
		Branding:       t.Branding,
		SquareLogo:     slices.Clone(t.SquareLogo),
		SquareLogoDark: slices.Clone(t.SquareLogoDark),
	}
	if id := t.DeviceIdentity; id != nil && strings.TrimSpace(id.UPN) != "" {
		p.AssignedUser = &flow.AssignedUser{UPN: strings.TrimSpace(id.UPN), FriendlyName: id.FriendlyName}
	}
	if t.Profile.Join == flow.JoinHybrid {
		p.DomainJoin = &flow.DomainInfo{Domain: b.domainFQDN(), NetBIOSName: b.netBIOSDomain()}
	}
	p.IdleLockMinutes = b.sc().IdleLockMinutes
	if v := b.sc().VPN; v != nil && t.Profile.Join == flow.JoinHybrid {
		p.VPN = &flow.VPNInfo{Name: v.Name, AppID: v.AppID}
	}
	return p
}

// seconds converts scenario seconds into a duration (negative values count as 0).
func seconds(s float64) time.Duration {
	if s <= 0 {
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// CheckUpdates streams the zero-day update check: "checking" progress 0→1 in quarters, then,
// when an update is available, "downloading" and "installing" progress 0→1 in tenths, then,
// when it needs a restart, EventUpdateRestart, the restart, EventUpdateResumed, and finally
// EventUpdateDone. Each phase lasts the scenario's seconds.
func (b *Backend) CheckUpdates(ctx context.Context) (flow.Stream, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u := b.sc().Updates
	return b.stream(ctx, func(s *emitter) {
		if !s.progress(PhaseChecking, seconds(u.CheckSeconds), 4) {
			return
		}
		if u.Available {
			if !s.progress(PhaseDownloading, seconds(u.DownloadSeconds), 10) ||
				!s.progress(PhaseInstalling, seconds(u.InstallSeconds), 10) {
				return
			}
			if u.Restart && !s.restart(seconds(u.RestartSeconds)) {
				return
			}
		}
		s.send(flow.Event{Kind: flow.EventUpdateDone, Progress: 1})
	}), nil
}

// The monthly quality update at the end of OOBE (reference §3.7): QualitySteps steps of
// QualityStep each to download (the first QualityDownloadSteps) and install, a restart of
// QualityRestart, then QualityStep to finish.
const (
	// QualityStep is one step of the quality update's progress.
	QualityStep = time.Second
	// QualitySteps is the number of download and install steps.
	QualitySteps = 10
	// QualityDownloadSteps is the number of those steps spent downloading.
	QualityDownloadSteps = 4
	// QualityRestart is how long the quality update's restart takes.
	QualityRestart = 2 * time.Second
)

// QualityUpdates streams the monthly quality update: "downloading" then "installing"
// progress in tenths, a restart, then "finishing" and EventUpdateDone.
func (b *Backend) QualityUpdates(ctx context.Context) (flow.Stream, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return b.stream(ctx, func(s *emitter) {
		phase := func(step int) string {
			if step < QualityDownloadSteps {
				return PhaseDownloading
			}
			return PhaseInstalling
		}
		if !s.send(flow.Event{Kind: flow.EventUpdateProgress, Phase: phase(0)}) {
			return
		}
		for step := 1; step <= QualitySteps; step++ {
			if !s.wait(QualityStep) {
				return
			}
			if step < QualitySteps && !s.send(flow.Event{Kind: flow.EventUpdateProgress, Phase: phase(step), Progress: float64(step) / QualitySteps}) {
				return
			}
		}
		if !s.restart(QualityRestart) ||
			!s.send(flow.Event{Kind: flow.EventUpdateProgress, Phase: PhaseFinishing, Progress: 1}) ||
			!s.wait(QualityStep) {
			return
		}
		s.send(flow.Event{Kind: flow.EventUpdateDone, Progress: 1})
	}), nil
}

// Reset forgets every sign-in, the enrollment, the install attempts, what was installed and
// the device name, so the next run plays the scenario from its start again (failures
// included); tickets handed out before are void.
func (b *Backend) Reset(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.powerOn()
	return nil
}

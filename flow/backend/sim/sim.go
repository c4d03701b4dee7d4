// Package sim is a simulated flow.Backend driven by a tenant's scenario: the device, the
// Wi-Fi networks in range, the zero-day update, the people who sign in and what the
// Enrollment Status Page installs behave as the scenario says, with emulated delays taken
// from an injected clock so runs are fast and reproducible.
package sim

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

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
}

// Backend simulates the device and the cloud from a tenant. It is safe for concurrent use.
type Backend struct {
	clock   flow.Clock
	wired   bool
	profile flow.Profile
	scen    flow.Scenario
	serial  string
	domains []string // the tenant's domains; a UPN of another domain is another organization
	// assigned is true when the Autopilot device record has a pre-assigned user (not
	// supported with hybrid join: 0x80070774).
	assigned bool

	mu  sync.Mutex // guards rng and the account state below
	rng *rand.Rand

	user      *flow.ScenarioUser         // the user signed in last
	mfaDone   bool                       // the user's multifactor challenge is answered
	attempts  map[string]int             // install attempts per user and app id
	installed map[flow.ESPPhase][]string // items completed in an earlier attempt of a phase
}

var _ flow.Backend = (*Backend)(nil)

// New returns a backend simulating tenant t (nil means an empty tenant with the default
// scenario). It keeps its own copy of t.
func New(t *flow.Tenant, opts Options) *Backend {
	b := &Backend{clock: opts.Clock, wired: opts.Wired}
	if b.clock == nil {
		b.clock = flow.RealClock{}
	}
	if t == nil {
		t = &flow.Tenant{Profile: flow.DefaultProfile(), Scenario: flow.DefaultScenario()}
	}
	b.profile = cloneProfile(t.Profile)
	b.scen = t.Scenario.Clone()
	b.serial = t.Scenario.Device.Serial
	if b.serial == "" && t.DeviceIdentity != nil {
		b.serial = t.DeviceIdentity.Serial
	}
	b.domains = tenantDomains(t)
	b.assigned = t.DeviceIdentity != nil && strings.TrimSpace(t.DeviceIdentity.UPN) != ""
	b.attempts = map[string]int{}
	b.installed = map[flow.ESPPhase][]string{}
	seed := uint64(opts.Seed)
	b.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return b
}

// cloneProfile deep-copies p.
func cloneProfile(p flow.Profile) flow.Profile {
	p.ESP.BlockingAppIDs = slices.Clone(p.ESP.BlockingAppIDs)
	return p
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
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-b.clock.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Boot reports the scenario's device: its display languages (en-US when none), the Ethernet
// state (Options.Wired forces a cable with internet) and, when wired, a prefetched profile.
func (b *Backend) Boot(ctx context.Context) (flow.BootInfo, error) {
	wired := b.wired || (b.scen.Ethernet.Present && b.scen.Ethernet.Internet)
	if wired {
		if err := b.wait(ctx, b.jitter(ProfileDelay)); err != nil {
			return flow.BootInfo{}, err
		}
	} else if err := ctx.Err(); err != nil {
		return flow.BootInfo{}, err
	}
	langs := slices.Clone(b.scen.DisplayLanguages)
	if len(langs) == 0 {
		langs = []string{"en-US"}
	}
	return flow.BootInfo{
		Boot:            flow.Boot{Languages: langs, Wired: wired, ProfileKnown: wired},
		Serial:          b.serial,
		EthernetPresent: b.wired || b.scen.Ethernet.Present,
	}, nil
}

// Scan lists the visible (not hidden) networks, strongest first, then by name
// (case-insensitive), after about 1.5 s.
func (b *Backend) Scan(ctx context.Context) ([]flow.Network, error) {
	if err := b.wait(ctx, b.jitter(ScanDelay)); err != nil {
		return nil, err
	}
	var out []flow.Network
	for _, n := range b.scen.WiFi {
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
	n, ok := b.scen.Network(req.SSID)
	if !ok {
		if err := b.wait(ctx, b.jitter(RejectDelay)); err != nil {
			return flow.ConnectResult{}, err
		}
		return flow.ConnectResult{}, flow.ErrNoSuchNetwork
	}
	accepted := true
	switch n.Security {
	case flow.SecurityPSK:
		accepted = req.Key == n.Key
	case flow.SecurityEnterprise:
		accepted = false
		for _, u := range b.scen.Users {
			if req.Key != "" && req.Key == u.Password {
				accepted = true
			}
		}
	}
	if !accepted {
		if err := b.wait(ctx, b.jitter(RejectDelay)); err != nil {
			return flow.ConnectResult{}, err
		}
		return flow.ConnectResult{}, flow.ErrWrongKey
	}
	if err := b.wait(ctx, b.jitter(ConnectDelay)); err != nil {
		return flow.ConnectResult{}, err
	}
	return flow.ConnectResult{Internet: n.Internet}, nil
}

// DownloadProfile returns the tenant's profile after about 1 s.
func (b *Backend) DownloadProfile(ctx context.Context) (flow.Profile, error) {
	if err := b.wait(ctx, b.jitter(ProfileDelay)); err != nil {
		return flow.Profile{}, err
	}
	return cloneProfile(b.profile), nil
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
// EventUpdateDone. Each phase lasts the scenario's seconds. The channel is closed after the
// last event, or as soon as ctx is done; the caller must read it until it is closed or
// cancel ctx.
func (b *Backend) CheckUpdates(ctx context.Context) (<-chan flow.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u := b.scen.Updates
	out := make(chan flow.Event)
	go func() {
		defer close(out)
		send := func(ev flow.Event) bool {
			ev.At = b.clock.Now()
			select {
			case out <- ev:
				return true
			case <-ctx.Done():
				return false
			}
		}
		phase := func(name string, total time.Duration, steps int) bool {
			if !send(flow.Event{Kind: flow.EventUpdateProgress, Phase: name, Progress: 0}) {
				return false
			}
			for i := 1; i <= steps; i++ {
				if b.wait(ctx, total/time.Duration(steps)) != nil {
					return false
				}
				if !send(flow.Event{Kind: flow.EventUpdateProgress, Phase: name, Progress: float64(i) / float64(steps)}) {
					return false
				}
			}
			return true
		}
		if !phase(PhaseChecking, seconds(u.CheckSeconds), 4) {
			return
		}
		if u.Available {
			if !phase(PhaseDownloading, seconds(u.DownloadSeconds), 10) ||
				!phase(PhaseInstalling, seconds(u.InstallSeconds), 10) {
				return
			}
			if u.Restart {
				if !send(flow.Event{Kind: flow.EventUpdateRestart}) ||
					b.wait(ctx, seconds(u.RestartSeconds)) != nil ||
					!send(flow.Event{Kind: flow.EventUpdateResumed}) {
					return
				}
			}
		}
		send(flow.Event{Kind: flow.EventUpdateDone, Progress: 1})
	}()
	return out, nil
}

// Reset forgets the signed-in user, the install attempts and what was installed, so the next
// run plays the scenario from its start again (failures included).
func (b *Backend) Reset(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.user, b.mfaDone = nil, false
	b.attempts = map[string]int{}
	b.installed = map[flow.ESPPhase][]string{}
	return nil
}

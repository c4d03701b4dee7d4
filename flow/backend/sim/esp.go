package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// Emulated durations of the Enrollment Status Page (before jitter; item durations come from
// the scenario and are exact).
const (
	// ForeverDelay stands for a wait that never ends on its own (a century).
	ForeverDelay = 100 * 365 * 24 * time.Hour
	// IdentifyDelay is how long a setup phase shows "Identifying" before its item lists.
	IdentifyDelay = 2 * time.Second
	// PreparingMDMDelay is how long "Preparing your device for mobile management" works.
	PreparingMDMDelay = 5 * time.Second
	// ESPRestartDelay is how long a restart during Device setup takes.
	ESPRestartDelay = 20 * time.Second
	// ODJBlobDelay is how long a hybrid join waits for the offline domain join blob from the
	// Intune Connector for Active Directory.
	ODJBlobDelay = 6 * time.Second
	// DCCheckDelay is how long the domain controller connectivity check of a hybrid join takes.
	DCCheckDelay = 2 * time.Second
)

// HybridJoinFailCode is the code of a failed hybrid domain join (reference §1.4, §6): no
// domain controller answers, or a user is pre-assigned on a hybrid profile.
const HybridJoinFailCode = "0x" + flow.HResultDomainUnreachable

// PolicyTrackingID is the one item "Security policies" tracks in a setup phase: the ESP does
// not track the policies themselves, so the row always reads 1 of 1 (reference §3.4).
const PolicyTrackingID = "EntDMID"

// DefaultAppFailCode is the code of a failed app when the scenario gives none.
const DefaultAppFailCode = "0x81036502"

// step is one tracked item of a setup phase, in install order.
type step struct {
	cat      flow.ESPCategory
	id, name string
	dur      time.Duration
	app      *ScenarioApp // nil for a policy, certificate or network profile
	failCode string       // a non-app item's failure code ("" = succeeds)
	reboot   bool         // the device restarts after this item installs
}

// inPhase reports whether an item of context c belongs to phase p.
func inPhase(c InstallContext, p flow.ESPPhase) bool {
	if p == flow.ESPAccountSetup {
		return c == ContextUser
	}
	return c == ContextDevice || c == ""
}

// plan lists the items of setup phase p in install order: the security policies'
// placeholder, certificates, network connections, apps. In Device setup the device restarts after each app with rebootAfter or,
// when the scenario sets deviceSetupReboot and no app restarts by itself, after the first
// app (or the last item when there is no app).
func (b *Backend) plan(p flow.ESPPhase) []step {
	// the ESP does not track security policies: the category tracks one placeholder item,
	// done in a second whatever the policies (reference §3.4)
	out := []step{{cat: flow.CategoryPolicies, id: PolicyTrackingID, name: PolicyTrackingID, dur: time.Second}}
	items := []struct {
		cat  flow.ESPCategory
		list []ScenarioItem
	}{
		{flow.CategoryCertificates, b.sc().Certificates},
		{flow.CategoryNetworkConnections, b.sc().NetworkProfiles},
	}
	for _, l := range items {
		for i, it := range l.list {
			if inPhase(it.Context, p) {
				out = append(out, step{cat: l.cat, id: fmt.Sprintf("%s-%d", l.cat, i+1), name: it.Name, dur: seconds(it.Seconds), failCode: it.FailCode})
			}
		}
	}
	firstApp, appReboots := -1, false
	for i := range b.sc().Apps {
		a := &b.sc().Apps[i]
		if !inPhase(a.Context, p) {
			continue
		}
		if firstApp < 0 {
			firstApp = len(out)
		}
		reboot := a.RebootAfter && p == flow.ESPDeviceSetup
		appReboots = appReboots || reboot
		out = append(out, step{cat: flow.CategoryApps, id: a.ID, name: a.Name, dur: seconds(a.Seconds), app: a, reboot: reboot})
	}
	if p == flow.ESPDeviceSetup && b.sc().DeviceSetupReboot && !appReboots && len(out) > 0 {
		if firstApp >= 0 {
			out[firstApp].reboot = true
		} else {
			out[len(out)-1].reboot = true
		}
	}
	return out
}

// wasInstalled reports whether item id of phase p completed in an earlier attempt.
func (b *Backend) wasInstalled(p flow.ESPPhase, key string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.installed[p][key]
}

// markInstalled remembers that item key of phase p completed.
func (b *Backend) markInstalled(p flow.ESPPhase, key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.installed[p] == nil {
		b.installed[p] = map[string]bool{}
	}
	b.installed[p][key] = true
}

// attempt counts one more install attempt of app id for user upn and returns its number
// (1-based).
func (b *Backend) attempt(upn, id string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	key := strings.ToLower(upn) + "/" + strings.ToLower(id)
	b.attempts[key]++
	return b.attempts[key]
}

// Provision streams one ESP phase. Every stream starts with EventESPPhaseStart and ends with
// EventESPPhaseDone, then the channel is closed (or as soon as ctx is done; the caller must
// read until it is closed or cancel ctx).
//
// Device preparation: "Securing your hardware", "Joining your organization's network" and
// "Registering your device for mobile management" are complete at once (the join and the
// enrollment happened at sign-in), "Preparing your device for mobile management" works about
// 5 s.
//
// With a hybrid join profile, "Joining your organization's network" waits about 6 s for the
// offline domain join blob and then, unless the profile skips it, checks for about 2 s that a
// domain controller answers: the scenario's, or with Options.DC a real TCP connection to that
// address (its real wait takes no emulated time). A device record with a pre-assigned user, or an unreachable
// domain controller (scenario domainController.reachable false), fails the sub-item with
// 0x80070774: the later sub-items become previousFailed and the phase fails. On success the
// device always restarts at the end of the phase: EventESPReboot, about 20 s, EventESPResumed,
// then EventESPPhaseDone.
//
// Device setup and Account setup (device- or user-context scenario items): after about 2 s of
// identifying, one EventESPIdentified per category (security policies, certificates, network
// connections, apps) with every item waiting. "Security policies" always tracks one
// placeholder item (PolicyTrackingID) that takes a second: the ESP does not track the
// scenario's policies. The categories then progress side by side, each one item at a time in
// its order: an item goes working for its seconds, then complete or failed with its code. A
// failed app that blocks (listed in the ESP's blocking apps, or every app when that list is
// empty) or a failed certificate or network profile fails the phase: every item not done yet
// becomes previousFailed and EventESPPhaseDone reports failed with the failure's category,
// item and code. A failed app that does not block stays failed and the phase goes on. In
// Device setup EventESPReboot, a restart of about 20 s and EventESPResumed follow an app that
// restarts the device (see plan); the other categories wait meanwhile.
//
// Calling Provision again for a phase is Try again: items completed in an earlier attempt
// complete at once, and an app with failTimes fails only on its first failTimes attempts
// (attempts are counted per user and app across calls).
func (b *Backend) Provision(ctx context.Context, req flow.ProvisionRequest) (flow.Stream, error) {
	phase := req.Phase
	if !phase.Valid() {
		return nil, flow.Errorf(flow.CodeBadRequest, "unknown ESP phase %q", phase)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := b.signedIn(req.Ticket)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	enrolled := b.enrolledBy != ""
	b.mu.Unlock()
	if !enrolled {
		return nil, flow.Errorf(flow.CodeNotEnrolled, "the device was never enrolled: nothing to provision")
	}
	upn := s.user.UPN
	return b.phaseStream(ctx, string(phase), func(e *emitter) {
		if !e.send(flow.Event{Kind: flow.EventESPPhaseStart, State: flow.ItemWorking}) {
			return
		}
		if phase == flow.ESPDevicePreparation {
			b.prepare(e)
			return
		}
		b.setup(e, phase, upn)
	}), nil
}

// prepare runs Device preparation (reference §3.4): on a user-driven device "Securing your
// hardware" is complete at once, and so are "Joining your organization's network" and
// "Registering your device for mobile management" (the join and the enrollment happened at
// sign-in), except that a hybrid join joins the domain there; "Preparing your device for
// mobile management" is the real work of the phase.
func (b *Backend) prepare(e *emitter) {
	send := e.send
	item := func(c flow.ESPCategory, s flow.ItemState) bool {
		return send(flow.Event{Kind: flow.EventESPItem, Category: c, State: s})
	}
	hybrid := b.tn().Profile.Join == flow.JoinHybrid
	if !item(flow.CategorySecuringHardware, flow.ItemComplete) {
		return
	}
	if hybrid {
		if !item(flow.CategoryRegisteringMDM, flow.ItemComplete) || !item(flow.CategoryJoiningNetwork, flow.ItemWorking) {
			return
		}
		ok, failed := b.domainJoin(e)
		if !ok {
			return
		}
		if failed {
			b.failJoin(send)
			return
		}
		if !item(flow.CategoryJoiningNetwork, flow.ItemComplete) {
			return
		}
	} else if !item(flow.CategoryJoiningNetwork, flow.ItemComplete) || !item(flow.CategoryRegisteringMDM, flow.ItemComplete) {
		return
	}
	if !item(flow.CategoryPreparingMDM, flow.ItemWorking) || !e.wait(b.jitter(PreparingMDMDelay)) || !e.stall() || !item(flow.CategoryPreparingMDM, flow.ItemComplete) {
		return
	}
	if hybrid && !b.reboot(e) {
		return
	}
	send(flow.Event{Kind: flow.EventESPPhaseDone, State: flow.ItemComplete})
}

// domainJoin emulates the offline domain join of a hybrid join: the wait for the blob, then
// the domain controller check unless the profile skips it. ok is false when ctx ended;
// failed is true when the join fails (assigned user, or no domain controller answers).
func (b *Backend) domainJoin(e *emitter) (ok, failed bool) {
	if !e.wait(b.jitter(ODJBlobDelay)) {
		return false, false
	}
	if b.assigned {
		return true, true
	}
	if b.tn().Profile.SkipDCCheck {
		return true, false
	}
	reachable := b.sc().DomainController.IsReachable()
	if b.dc != "" {
		// --dc: a real connection decides; it takes no emulated time of its own
		var err error
		if reachable, err = b.checkDC(e.s.callCtx); err != nil {
			return false, false
		}
	}
	if !e.wait(b.jitter(DCCheckDelay)) {
		return false, false
	}
	return true, !reachable
}

// failJoin fails "Joining your organization's network" with HybridJoinFailCode and ends the
// phase.
func (b *Backend) failJoin(send func(flow.Event) bool) {
	c := flow.CategoryJoiningNetwork
	if !send(flow.Event{Kind: flow.EventESPItem, Category: c, State: flow.ItemFailed, Code: HybridJoinFailCode}) {
		return
	}
	if !send(flow.Event{Kind: flow.EventESPItem, Category: flow.CategoryPreparingMDM, State: flow.ItemPreviousFailed}) {
		return
	}
	send(flow.Event{Kind: flow.EventESPPhaseDone, State: flow.ItemFailed, Category: c, Code: HybridJoinFailCode})
}

// setup runs Device setup or Account setup (reference §3.4): after identifying, the
// categories progress side by side, each one item at a time in its own order, so several
// counters move at once. An item that restarts the device pauses them all. A failed item that
// blocks ends the phase: every item not done yet becomes previousFailed.
func (b *Backend) setup(e *emitter, phase flow.ESPPhase, upn string) {
	send := e.send
	steps := b.plan(phase)
	if phase == flow.ESPAccountSetup && b.sc().AccountIdentifying {
		e.wait(ForeverDelay) // the tracking list never comes: only the ESP timeout ends it
		return
	}
	if !e.wait(b.jitter(IdentifyDelay)) {
		return
	}
	type lane struct {
		steps []int // indices into steps, in install order
		next  int   // the next of them to start
		cur   int   // the one working (-1: none)
		end   time.Duration
	}
	lanes := make([]*lane, 0, 4)
	for _, c := range flow.SetupCategories() {
		l := &lane{cur: -1}
		var items []flow.ESPItem
		for i, s := range steps {
			if s.cat == c {
				l.steps = append(l.steps, i)
				items = append(items, flow.ESPItem{ID: s.id, Name: s.name, State: flow.ItemWaiting})
			}
		}
		lanes = append(lanes, l)
		if !send(flow.Event{Kind: flow.EventESPIdentified, Category: c, Items: items}) {
			return
		}
	}
	item := func(s step, st flow.ItemState, code string) bool {
		return send(flow.Event{Kind: flow.EventESPItem, Category: s.cat, ItemID: s.id, State: st, Code: code})
	}
	key := func(s step) string { return string(s.cat) + "/" + strings.ToLower(s.id) }
	done := make([]bool, len(steps))
	var now time.Duration // the phase's own time: restarts do not count
	// start begins l's next item not installed in an earlier attempt (those complete at once)
	start := func(l *lane) bool {
		l.cur = -1
		for l.next < len(l.steps) {
			i := l.steps[l.next]
			l.next++
			if b.wasInstalled(phase, key(steps[i])) {
				done[i] = true
				if !item(steps[i], flow.ItemComplete, "") {
					return false
				}
				continue
			}
			l.cur, l.end = i, now+steps[i].dur
			return item(steps[i], flow.ItemWorking, "")
		}
		return true
	}
	for _, l := range lanes {
		if !start(l) {
			return
		}
	}
	blocks := b.tn().Profile.ESP.BlockingSet()
	for {
		var l *lane
		for _, c := range lanes {
			if c.cur >= 0 && (l == nil || c.end < l.end) {
				l = c
			}
		}
		if l == nil {
			break
		}
		if l.end > now && !e.wait(l.end-now) {
			return
		}
		now = l.end
		if lost, ok := e.online(); !ok {
			return
		} else if lost > 0 {
			// no install got on while the internet was lost: every lane's end moves on
			now += lost
			for _, c := range lanes {
				if c.cur >= 0 {
					c.end += lost
				}
			}
		}
		i := l.cur
		s := steps[i]
		code, blocking := s.failCode, true
		if s.app != nil {
			code = ""
			app := s.app
			if cur := b.sc().app(app.ID); cur != nil {
				app = cur // a fault turned on (or off) since the phase started
			}
			if app.Fails(upn, b.attempt(upn, app.ID)) {
				code = app.FailCode
				if code == "" {
					code = DefaultAppFailCode
				}
			}
			blocking = blocks(s.app.ID)
		}
		done[i] = true
		if code == "" {
			b.markInstalled(phase, key(s))
			if !item(s, flow.ItemComplete, "") || (s.reboot && !b.reboot(e)) || !start(l) {
				return
			}
			continue
		}
		if !item(s, flow.ItemFailed, code) {
			return
		}
		if !blocking {
			if !start(l) {
				return
			}
			continue
		}
		for j, rest := range steps {
			if !done[j] && !item(rest, flow.ItemPreviousFailed, "") {
				return
			}
		}
		send(flow.Event{Kind: flow.EventESPPhaseDone, State: flow.ItemFailed, Category: s.cat, ItemID: s.id, Code: code})
		return
	}
	send(flow.Event{Kind: flow.EventESPPhaseDone, State: flow.ItemComplete})
}

// reboot emits a restart (during Device setup, or at the end of a hybrid Device
// preparation) and the return after it.
func (b *Backend) reboot(e *emitter) bool {
	return e.send(flow.Event{Kind: flow.EventESPReboot}) &&
		e.wait(b.jitter(ESPRestartDelay)) &&
		e.send(flow.Event{Kind: flow.EventESPResumed})
}

// DeviceName returns the computer name the device got (reference §2.9), the same for the
// whole run: a hybrid join's Domain Join prefix and random characters; an Entra join's
// profile template with the serial and random digits; without either, Windows' own DESKTOP-
// and seven random characters. A template that cannot make a valid name falls back to the
// DESKTOP- name.
func (b *Backend) DeviceName(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.name == "" {
		b.name = b.chooseName()
	}
	return b.name, nil
}

// chooseName picks the device name from its own generator of the seed, so the name does not
// depend on how many random choices the run made before.
func (b *Backend) chooseName() string {
	rng := rand.New(rand.NewPCG(uint64(b.seed), 0x0dde5c70))
	p := b.tn().Profile
	if p.Join == flow.JoinHybrid {
		if dj := b.tn().DomainJoin; dj != nil && dj.Prefix != "" {
			prefix := dj.Prefix
			if len(prefix) > flow.MaxDeviceNameLength-1 {
				prefix = prefix[:flow.MaxDeviceNameLength-1]
			}
			n := dj.RandomChars
			if n <= 0 {
				n = 3
			}
			return prefix + randomChars(rng, min(n, flow.MaxDeviceNameLength-len(prefix)))
		}
	} else if p.DeviceNameTemplate != "" {
		if name, err := flow.ExpandDeviceName(p.DeviceNameTemplate, b.serial, rng); err == nil {
			return name
		}
	}
	return "DESKTOP-" + randomChars(rng, 7)
}

// randomChars returns n random characters of A–Z and 0–9.
func randomChars(rng *rand.Rand, n int) string {
	const set = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	out := make([]byte, n)
	for i := range out {
		out[i] = set[rng.IntN(len(set))]
	}
	return string(out)
}

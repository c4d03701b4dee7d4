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
	// IdentifyDelay is how long a setup phase shows "Identifying" before its item lists.
	IdentifyDelay = 2 * time.Second
	// PrepareStepDelay is how long "Joining your organization's network" and "Registering
	// your device for mobile management" work in Device preparation.
	PrepareStepDelay = time.Second
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

// plan lists the items of setup phase p in install order: policies, certificates, network
// connections, apps. In Device setup the device restarts after each app with rebootAfter or,
// when the scenario sets deviceSetupReboot and no app restarts by itself, after the first
// app (or the last item when there is no app).
func (b *Backend) plan(p flow.ESPPhase) []step {
	var out []step
	items := []struct {
		cat  flow.ESPCategory
		list []ScenarioItem
	}{
		{flow.CategoryPolicies, b.scen.Policies},
		{flow.CategoryCertificates, b.scen.Certificates},
		{flow.CategoryNetworkConnections, b.scen.NetworkProfiles},
	}
	for _, l := range items {
		for i, it := range l.list {
			if inPhase(it.Context, p) {
				out = append(out, step{cat: l.cat, id: fmt.Sprintf("%s-%d", l.cat, i+1), name: it.Name, dur: seconds(it.Seconds), failCode: it.FailCode})
			}
		}
	}
	firstApp, appReboots := -1, false
	for i := range b.scen.Apps {
		a := &b.scen.Apps[i]
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
	if p == flow.ESPDeviceSetup && b.scen.DeviceSetupReboot && !appReboots && len(out) > 0 {
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
// Device preparation: "Securing your hardware" completes at once, "Joining your
// organization's network" and "Registering your device for mobile management" work about
// 1 s each, "Preparing your device for mobile management" about 8 s.
//
// With a hybrid join profile, "Joining your organization's network" waits about 6 s for the
// offline domain join blob and then, unless the profile skips it, checks for about 2 s that a
// domain controller answers. A device record with a pre-assigned user, or an unreachable
// domain controller (scenario domainController.reachable false), fails the sub-item with
// 0x80070774: the later sub-items become previousFailed and the phase fails. On success the
// device always restarts at the end of the phase: EventESPReboot, about 20 s, EventESPResumed,
// then EventESPPhaseDone.
//
// Device setup and Account setup (device- or user-context scenario items): after about 3 s of
// identifying, one EventESPIdentified per category (policies, certificates, network
// connections, apps) with every item waiting, then each item in that order goes working for
// its seconds and then complete or failed with its code. A failed app that blocks (listed in
// the ESP's blocking apps, or every app when that list is empty) or a failed policy,
// certificate or network profile fails the phase: every later item becomes previousFailed
// and EventESPPhaseDone reports failed with the failure's category, item and code. A failed
// app that does not block stays failed and the phase goes on. In Device setup
// EventESPReboot, a restart of about 20 s and EventESPResumed follow an app that restarts
// the device (see plan).
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

// prepare runs Device preparation.
func (b *Backend) prepare(e *emitter) {
	send := e.send
	item := func(c flow.ESPCategory, s flow.ItemState) bool {
		return send(flow.Event{Kind: flow.EventESPItem, Category: c, State: s})
	}
	if !item(flow.CategorySecuringHardware, flow.ItemComplete) {
		return
	}
	hybrid := b.tenant.Profile.Join == flow.JoinHybrid
	for _, st := range []struct {
		cat flow.ESPCategory
		d   time.Duration
	}{
		{flow.CategoryJoiningNetwork, PrepareStepDelay},
		{flow.CategoryRegisteringMDM, PrepareStepDelay},
		{flow.CategoryPreparingMDM, PreparingMDMDelay},
	} {
		if !item(st.cat, flow.ItemWorking) {
			return
		}
		if hybrid && st.cat == flow.CategoryJoiningNetwork {
			ok, failed := b.domainJoin(e)
			if !ok {
				return
			}
			if failed {
				b.failJoin(send)
				return
			}
			if !item(st.cat, flow.ItemComplete) {
				return
			}
			continue
		}
		if !e.wait(b.jitter(st.d)) || !item(st.cat, flow.ItemComplete) {
			return
		}
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
	if b.tenant.Profile.SkipDCCheck {
		return true, false
	}
	if !e.wait(b.jitter(DCCheckDelay)) {
		return false, false
	}
	return true, !b.scen.DomainController.IsReachable()
}

// failJoin fails "Joining your organization's network" with HybridJoinFailCode and ends the
// phase.
func (b *Backend) failJoin(send func(flow.Event) bool) {
	c := flow.CategoryJoiningNetwork
	if !send(flow.Event{Kind: flow.EventESPItem, Category: c, State: flow.ItemFailed, Code: HybridJoinFailCode}) {
		return
	}
	for _, rest := range []flow.ESPCategory{flow.CategoryRegisteringMDM, flow.CategoryPreparingMDM} {
		if !send(flow.Event{Kind: flow.EventESPItem, Category: rest, State: flow.ItemPreviousFailed}) {
			return
		}
	}
	send(flow.Event{Kind: flow.EventESPPhaseDone, State: flow.ItemFailed, Category: c, Code: HybridJoinFailCode})
}

// setup runs Device setup or Account setup.
func (b *Backend) setup(e *emitter, phase flow.ESPPhase, upn string) {
	send := e.send
	steps := b.plan(phase)
	if !e.wait(b.jitter(IdentifyDelay)) {
		return
	}
	for _, c := range flow.SetupCategories() {
		var items []flow.ESPItem
		for _, s := range steps {
			if s.cat == c {
				items = append(items, flow.ESPItem{ID: s.id, Name: s.name, State: flow.ItemWaiting})
			}
		}
		if !send(flow.Event{Kind: flow.EventESPIdentified, Category: c, Items: items}) {
			return
		}
	}
	item := func(s step, st flow.ItemState, code string) bool {
		return send(flow.Event{Kind: flow.EventESPItem, Category: s.cat, ItemID: s.id, State: st, Code: code})
	}
	blocks := b.tenant.Profile.ESP.BlockingSet()
	for i, s := range steps {
		key := string(s.cat) + "/" + strings.ToLower(s.id)
		if b.wasInstalled(phase, key) {
			if !item(s, flow.ItemComplete, "") {
				return
			}
			continue
		}
		if !item(s, flow.ItemWorking, "") || !e.wait(s.dur) {
			return
		}
		code, blocking := s.failCode, true
		if s.app != nil {
			code = ""
			if s.app.Fails(upn, b.attempt(upn, s.app.ID)) {
				code = s.app.FailCode
				if code == "" {
					code = DefaultAppFailCode
				}
			}
			blocking = blocks(s.app.ID)
		}
		if code == "" {
			b.markInstalled(phase, key)
			if !item(s, flow.ItemComplete, "") {
				return
			}
			if s.reboot && !b.reboot(e) {
				return
			}
			continue
		}
		if !item(s, flow.ItemFailed, code) {
			return
		}
		if !blocking {
			continue
		}
		for _, rest := range steps[i+1:] {
			if !item(rest, flow.ItemPreviousFailed, "") {
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
	p := b.tenant.Profile
	if p.Join == flow.JoinHybrid {
		if dj := b.tenant.DomainJoin; dj != nil && dj.Prefix != "" {
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

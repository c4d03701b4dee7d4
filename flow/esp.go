package flow

import (
	"slices"
	"strings"
	"time"
)

// ESPPhase names one of the three phases of the Enrollment Status Page (reference §3.4).
type ESPPhase string

// The three ESP phases, in the order they run.
const (
	// ESPDevicePreparation is "Device preparation": join, MDM enrollment, policy providers.
	ESPDevicePreparation ESPPhase = "devicePreparation"
	// ESPDeviceSetup is "Device setup": device-targeted policies, certificates, networks and apps.
	ESPDeviceSetup ESPPhase = "deviceSetup"
	// ESPAccountSetup is "Account setup": user-targeted items, after the first sign-in animation.
	ESPAccountSetup ESPPhase = "accountSetup"
)

// ESPPhases returns the three phases in order.
func ESPPhases() [3]ESPPhase {
	return [3]ESPPhase{ESPDevicePreparation, ESPDeviceSetup, ESPAccountSetup}
}

// index returns the position of p in ESPPhases, or -1.
func (p ESPPhase) index() int {
	switch p {
	case ESPDevicePreparation:
		return 0
	case ESPDeviceSetup:
		return 1
	case ESPAccountSetup:
		return 2
	}
	return -1
}

// Valid reports whether p is one of the three phases.
func (p ESPPhase) Valid() bool { return p.index() >= 0 }

// ESPCategory names one row group of an ESP phase.
type ESPCategory string

// Categories: the four fixed sub-items of Device preparation, then the four categories of the
// setup phases.
const (
	// CategorySecuringHardware is "Securing your hardware" (Device preparation).
	CategorySecuringHardware ESPCategory = "securingHardware"
	// CategoryJoiningNetwork is "Joining your organization's network" (Device preparation).
	CategoryJoiningNetwork ESPCategory = "joiningNetwork"
	// CategoryRegisteringMDM is "Registering your device for mobile management" (Device preparation).
	CategoryRegisteringMDM ESPCategory = "registeringMDM"
	// CategoryPreparingMDM is "Preparing your device for mobile management" (Device preparation).
	CategoryPreparingMDM ESPCategory = "preparingMDM"
	// CategoryPolicies is "Security policies" (counter "n of m applied").
	CategoryPolicies ESPCategory = "policies"
	// CategoryCertificates is "Certificates" (counter "n of m added").
	CategoryCertificates ESPCategory = "certificates"
	// CategoryNetworkConnections is "Network connections" (counter "n of m added").
	CategoryNetworkConnections ESPCategory = "networkConnections"
	// CategoryApps is "Apps" (counter "n of m installed").
	CategoryApps ESPCategory = "apps"
)

// PreparationCategories returns the fixed sub-items of Device preparation, in order.
func PreparationCategories() []ESPCategory {
	return []ESPCategory{CategorySecuringHardware, CategoryJoiningNetwork, CategoryRegisteringMDM, CategoryPreparingMDM}
}

// SetupCategories returns the categories of Device setup and Account setup, in order.
func SetupCategories() []ESPCategory {
	return []ESPCategory{CategoryPolicies, CategoryCertificates, CategoryNetworkConnections, CategoryApps}
}

// ItemState is the status of an ESP item, group or phase.
type ItemState string

// Item states (reference §3.4).
const (
	// ItemIdentifying means the tracking list is still being computed.
	ItemIdentifying ItemState = "identifying"
	// ItemWaiting is "Waiting for previous step to complete".
	ItemWaiting ItemState = "waiting"
	// ItemWorking is "Working on it…".
	ItemWorking ItemState = "working"
	// ItemComplete is "Complete" (installed, applied or added).
	ItemComplete ItemState = "complete"
	// ItemNotRequired is "No setup needed".
	ItemNotRequired ItemState = "notRequired"
	// ItemFailed is "Failed: 0x…".
	ItemFailed ItemState = "failed"
	// ItemPreviousFailed is "Previous step failed".
	ItemPreviousFailed ItemState = "previousFailed"
)

// Done reports whether s is a successful end state (complete or not required).
func (s ItemState) Done() bool { return s == ItemComplete || s == ItemNotRequired }

// ESPItem is one tracked policy, certificate, network profile or app.
type ESPItem struct {
	// ID identifies the item within its category (the Intune app id for apps).
	ID string `json:"id"`
	// Name is the display name.
	Name string `json:"name"`
	// State is the item's status.
	State ItemState `json:"state"`
	// Code is the failure code, like "0x81036502", when State is failed.
	Code string `json:"code,omitempty"`
}

// stateSlot numbers the item states for the per-group counters.
func stateSlot(s ItemState) int {
	switch s {
	case ItemWorking:
		return 1
	case ItemFailed:
		return 2
	case ItemPreviousFailed:
		return 3
	case ItemComplete, ItemNotRequired:
		return 4
	}
	return 0 // waiting, identifying or unknown: not started
}

// ESPGroup is one row group of a phase. In Device preparation a group is a fixed sub-item
// with no Items and its own Status; in the setup phases it is a category with Items.
// A group built by ESPStatus.Apply keeps an index and counters, so an event costs the same
// whatever the number of items; a group built by hand is counted when asked.
type ESPGroup struct {
	// Category names the group.
	Category ESPCategory `json:"category"`
	// Items are the tracked items of a setup-phase category, in install order.
	Items []ESPItem `json:"items,omitempty"`
	// Identified is true once the item list of a setup-phase category is known.
	Identified bool `json:"identified,omitempty"`
	// Status is the own state of a Device preparation sub-item ("" for categories).
	Status ItemState `json:"status,omitempty"`
	// Code is the failure code of a failed Device preparation sub-item.
	Code string `json:"code,omitempty"`

	index  map[string]int // item id → position; nil for a group built by hand
	counts [5]int         // items per stateSlot, kept with index
	failed []int          // positions of failed items, in the order they failed
}

// fixed reports whether g is a Device preparation sub-item (a group without an item list).
func (g *ESPGroup) fixed() bool { return g.Status != "" }

// tally returns the items per stateSlot: kept by Apply, counted for a hand-made group.
func (g *ESPGroup) tally() [5]int {
	if g.index != nil || len(g.Items) == 0 {
		return g.counts
	}
	var c [5]int
	for _, it := range g.Items {
		c[stateSlot(it.State)]++
	}
	return c
}

// Counts returns done and total for a counter such as "3 of 7 installed": items complete or
// not required, and all items. A Device preparation sub-item counts as one item.
func (g ESPGroup) Counts() (done, total int) {
	if g.fixed() {
		if g.Status.Done() {
			return 1, 1
		}
		return 0, 1
	}
	return g.tally()[4], len(g.Items)
}

// State returns the group's summary: a sub-item's own Status; otherwise identifying until the
// items are known, notRequired when there are none, working while any item works, failed if
// any failed, complete when all are done, previousFailed when the rest was skipped after a
// failure, waiting when nothing has started, and working in between.
func (g ESPGroup) State() ItemState {
	if g.fixed() {
		return g.Status
	}
	if !g.Identified {
		return ItemIdentifying
	}
	n := len(g.Items)
	if n == 0 {
		return ItemNotRequired
	}
	c := g.tally()
	switch {
	case c[1] > 0:
		return ItemWorking
	case c[2] > 0:
		return ItemFailed
	case c[4] == n:
		return ItemComplete
	case c[3] > 0:
		return ItemPreviousFailed
	case c[0] == n:
		return ItemWaiting
	}
	return ItemWorking
}

// PreviousFailed returns how many items did not run because an earlier one failed.
func (g ESPGroup) PreviousFailed() int { return g.tally()[3] }

// FailedItems returns the failed items, in the order they failed (hand-made groups: in list
// order).
func (g ESPGroup) FailedItems() []ESPItem {
	var out []ESPItem
	if g.index == nil {
		for _, it := range g.Items {
			if it.State == ItemFailed {
				out = append(out, it)
			}
		}
		return out
	}
	for _, i := range g.failed {
		if g.Items[i].State == ItemFailed {
			out = append(out, g.Items[i])
		}
	}
	return out
}

// setItems replaces the item list (an EventESPIdentified).
func (g *ESPGroup) setItems(items []ESPItem) {
	g.Identified = true
	g.Items = slices.Clone(items)
	g.index = make(map[string]int, len(items))
	g.counts = [5]int{}
	g.failed = nil
	for i := range g.Items {
		if g.Items[i].State == "" {
			g.Items[i].State = ItemWaiting
		}
		g.index[g.Items[i].ID] = i
		g.counts[stateSlot(g.Items[i].State)]++
		if g.Items[i].State == ItemFailed {
			g.failed = append(g.failed, i)
		}
	}
}

// setItem gives item id its new state, adding it when the list does not have it.
func (g *ESPGroup) setItem(id string, st ItemState, code string) {
	if g.index == nil {
		g.setItems(g.Items)
	}
	i, ok := g.index[id]
	if !ok {
		g.Items = append(g.Items, ESPItem{ID: id, Name: id, State: ItemWaiting})
		i = len(g.Items) - 1
		g.index[id] = i
		g.counts[0]++
		g.Identified = true
	}
	it := &g.Items[i]
	g.counts[stateSlot(it.State)]--
	g.counts[stateSlot(st)]++
	if st == ItemFailed && it.State != ItemFailed {
		g.failed = append(g.failed, i)
	}
	it.State, it.Code = st, code
}

// ESPPhaseState is the progress of one phase.
type ESPPhaseState struct {
	// Phase names the phase.
	Phase ESPPhase `json:"phase"`
	// Groups are the phase's sub-items (Device preparation) or categories (setup phases).
	Groups []ESPGroup `json:"groups"`
	// State is waiting before the phase starts, working while it runs, then complete or failed.
	State ItemState `json:"state"`
	// Started is when the current attempt began (zero before the phase starts).
	Started time.Time `json:"started"`
	// Ended is when the phase finished (zero while it runs).
	Ended time.Time `json:"ended"`
	// Attempts counts the times the phase was started (Try again adds one).
	Attempts int `json:"attempts,omitempty"`
	// FailedCategory and FailedItemID name what failed the phase (FailedItemID is "" for a
	// Device preparation sub-item); FailedCode is its code.
	FailedCategory ESPCategory `json:"failedCategory,omitempty"`
	// FailedItemID is the id of the item that failed the phase.
	FailedItemID string `json:"failedItemId,omitempty"`
	// FailedCode is the code of the failure that ended the phase.
	FailedCode string `json:"failedCode,omitempty"`
}

// Running reports whether the phase has started and not yet ended.
func (ps ESPPhaseState) Running() bool { return ps.State == ItemWorking }

// Group returns the group of category c.
func (ps ESPPhaseState) Group(c ESPCategory) (ESPGroup, bool) {
	for _, g := range ps.Groups {
		if g.Category == c {
			return g, true
		}
	}
	return ESPGroup{}, false
}

// Items returns how many items the phase tracks (a Device preparation sub-item counts one).
func (ps ESPPhaseState) Items() int {
	n := 0
	for _, g := range ps.Groups {
		if g.fixed() {
			n++
		} else {
			n += len(g.Items)
		}
	}
	return n
}

// ESPStatus is the whole Enrollment Status Page as the pages draw it, built from Provision
// events with Apply. It belongs to the run: Apply changes it in place (an event costs the
// same whatever the number of items), so readers must not keep its slices across Apply.
type ESPStatus struct {
	// Phases are always the three phases in order.
	Phases [3]ESPPhaseState `json:"phases"`
}

// freshPhase returns phase p before it starts.
func freshPhase(p ESPPhase) ESPPhaseState {
	ps := ESPPhaseState{Phase: p, State: ItemWaiting}
	if p == ESPDevicePreparation {
		for _, c := range PreparationCategories() {
			ps.Groups = append(ps.Groups, ESPGroup{Category: c, Status: ItemWaiting})
		}
		return ps
	}
	for _, c := range SetupCategories() {
		ps.Groups = append(ps.Groups, ESPGroup{Category: c})
	}
	return ps
}

// NewESPStatus returns the ESP before anything started: Device preparation's sub-items
// waiting, the setup categories identifying, every phase waiting.
func NewESPStatus() ESPStatus {
	var s ESPStatus
	for i, p := range ESPPhases() {
		s.Phases[i] = freshPhase(p)
	}
	return s
}

// Apply updates the status from one Provision event; events of other kinds or of an unknown
// phase are ignored.
func (s *ESPStatus) Apply(ev Event) {
	i := ev.ESPPhase().index()
	if i < 0 {
		return
	}
	ps := &s.Phases[i]
	switch ev.Kind {
	case EventESPPhaseStart:
		attempts := ps.Attempts
		*ps = freshPhase(ps.Phase)
		ps.State, ps.Started, ps.Attempts = ItemWorking, ev.At, attempts+1
	case EventESPIdentified:
		ps.groupPtr(ev.Category).setItems(ev.Items)
		ps.markStarted(ev.At)
	case EventESPItem:
		g := ps.groupPtr(ev.Category)
		if ev.ItemID == "" {
			g.Status, g.Code = ev.State, ev.Code
			if g.Status == "" {
				g.Status = ItemWaiting
			}
		} else {
			g.setItem(ev.ItemID, ev.State, ev.Code)
		}
		ps.markStarted(ev.At)
	case EventESPPhaseDone:
		ps.State, ps.Ended = ev.State, ev.At
		if ps.State != ItemFailed {
			ps.State = ItemComplete
		} else {
			ps.FailedCategory, ps.FailedItemID, ps.FailedCode = ev.Category, ev.ItemID, ev.Code
		}
		ps.markStarted(ev.At)
	}
}

// markStarted sets the phase running when an event arrives without a start event before it.
func (ps *ESPPhaseState) markStarted(at time.Time) {
	if ps.State == ItemWaiting {
		ps.State, ps.Started = ItemWorking, at
		if ps.Attempts == 0 {
			ps.Attempts = 1
		}
	}
}

// groupPtr returns the group of category c, adding it when the phase has none.
func (ps *ESPPhaseState) groupPtr(c ESPCategory) *ESPGroup {
	for i := range ps.Groups {
		if ps.Groups[i].Category == c {
			return &ps.Groups[i]
		}
	}
	ps.Groups = append(ps.Groups, ESPGroup{Category: c})
	return &ps.Groups[len(ps.Groups)-1]
}

// Phase returns the state of phase p (the zero value for an unknown phase).
func (s *ESPStatus) Phase(p ESPPhase) ESPPhaseState {
	if i := p.index(); i >= 0 {
		return s.Phases[i]
	}
	return ESPPhaseState{}
}

// Failed returns the first failed phase and the item that failed it (for a Device
// preparation sub-item, an item whose ID is the category); ok is false when no phase failed.
func (s *ESPStatus) Failed() (phase ESPPhase, item ESPItem, ok bool) {
	for _, ps := range s.Phases {
		if ps.State != ItemFailed {
			continue
		}
		return ps.Phase, ps.failedItem(), true
	}
	return "", ESPItem{}, false
}

// failedItem finds the item that failed the phase: the one named by the done event, else the
// first failed item or sub-item.
func (ps ESPPhaseState) failedItem() ESPItem {
	var first *ESPItem
	for _, g := range ps.Groups {
		if g.fixed() {
			it := ESPItem{ID: string(g.Category), State: g.Status, Code: g.Code}
			if g.Category == ps.FailedCategory && ps.FailedItemID == "" {
				return it
			}
			if g.Status == ItemFailed && first == nil {
				first = &it
			}
			continue
		}
		if g.Category == ps.FailedCategory && ps.FailedItemID != "" {
			if i, ok := g.index[ps.FailedItemID]; ok {
				return g.Items[i]
			}
			for _, it := range g.Items {
				if it.ID == ps.FailedItemID {
					return it
				}
			}
		}
		if f := g.FailedItems(); len(f) > 0 && first == nil {
			first = &f[0]
		}
	}
	if first != nil {
		return *first
	}
	return ESPItem{ID: ps.FailedItemID, State: ItemFailed, Code: ps.FailedCode}
}

// TimedOut reports whether phase p has been running longer than limit at time now. Device
// preparation and Device setup share one timer (reference §3.5: one timer for the device
// phase, reboots do not reset it) that starts with Device preparation; Try again on Device
// setup restarts it. Account setup has its own timer. A limit ≤ 0 never times out, and a
// phase that has not started or has ended never times out.
func (s *ESPStatus) TimedOut(p ESPPhase, now time.Time, limit time.Duration) bool {
	deadline, ok := s.Deadline(p, limit)
	return ok && now.After(deadline)
}

// Deadline returns when phase p times out with limit (see TimedOut); ok is false when it
// cannot time out (limit ≤ 0, the phase not running).
func (s *ESPStatus) Deadline(p ESPPhase, limit time.Duration) (time.Time, bool) {
	ps := s.Phase(p)
	if limit <= 0 || !ps.Running() || ps.Started.IsZero() {
		return time.Time{}, false
	}
	start := ps.Started
	if p == ESPDeviceSetup && ps.Attempts <= 1 {
		if prep := s.Phases[0]; !prep.Started.IsZero() && prep.Started.Before(start) {
			start = prep.Started
		}
	}
	return start.Add(limit), true
}

// ESPButtons are the buttons of the ESP error view.
type ESPButtons struct {
	// TryAgain restarts tracking of the failed phase.
	TryAgain bool
	// Reset wipes the device and restarts OOBE.
	Reset bool
	// Continue is "Continue anyway": leave the ESP, the rest installs in the background.
	Continue bool
	// CollectLogs saves a diagnostics .cab to a USB drive.
	CollectLogs bool
	// Diagnostics opens the Windows Autopilot diagnostics page (Windows 11).
	Diagnostics bool
}

// Buttons returns which buttons the ESP error view shows for cfg on windows (reference §3.6):
// Try again with BlockDeviceUse, Reset device with AllowReset, Continue anyway with
// AllowContinue, Collect logs with AllowLogCollection and View diagnostics with
// AllowLogCollection on Windows 11 (see WindowsVersion.Is11). Without BlockDeviceUse the ESP is non-blocking: no Try
// again, and Continue anyway is always offered.
func Buttons(cfg ESPConfig, windows WindowsVersion) ESPButtons {
	b := ESPButtons{
		TryAgain:    cfg.BlockDeviceUse,
		Reset:       cfg.AllowReset,
		Continue:    cfg.AllowContinue || !cfg.BlockDeviceUse,
		CollectLogs: cfg.AllowLogCollection,
		Diagnostics: cfg.AllowLogCollection && windows.Is11(),
	}
	return b
}

// Blocking reports whether a failure of the app with id fails the ESP phase: the app is one of
// cfg.BlockingAppIDs, or that list is empty (all required apps block).
func (cfg ESPConfig) Blocking(id string) bool { return cfg.BlockingSet()(id) }

// BlockingSet is Blocking for many apps: it reads the list once, then answers in constant time.
func (cfg ESPConfig) BlockingSet() func(id string) bool {
	if len(cfg.BlockingAppIDs) == 0 {
		return func(string) bool { return true }
	}
	set := make(map[string]bool, len(cfg.BlockingAppIDs))
	for _, b := range cfg.BlockingAppIDs {
		set[strings.ToLower(strings.TrimSpace(b))] = true
	}
	return func(id string) bool { return set[strings.ToLower(strings.TrimSpace(id))] }
}

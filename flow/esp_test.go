package flow_test

import (
	"os"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/tenant"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func ev(kind flow.EventKind, p flow.ESPPhase, at time.Duration) flow.Event {
	return flow.Event{Kind: kind, Phase: string(p), At: t0.Add(at)}
}

func itemEv(p flow.ESPPhase, c flow.ESPCategory, id string, s flow.ItemState, code string, at time.Duration) flow.Event {
	e := ev(flow.EventESPItem, p, at)
	e.Category, e.ItemID, e.State, e.Code = c, id, s, code
	return e
}

func identified(p flow.ESPPhase, c flow.ESPCategory, at time.Duration, ids ...string) flow.Event {
	e := ev(flow.EventESPIdentified, p, at)
	e.Category = c
	for _, id := range ids {
		e.Items = append(e.Items, flow.ESPItem{ID: id, Name: "Item " + id, State: flow.ItemWaiting})
	}
	return e
}

func TestNewESPStatus(t *testing.T) {
	s := flow.NewESPStatus()
	for i, p := range flow.ESPPhases() {
		ps := s.Phases[i]
		if ps.Phase != p || ps.State != flow.ItemWaiting || !ps.Started.IsZero() {
			t.Errorf("phase %d = %+v", i, ps)
		}
		if s.Phase(p).Phase != p {
			t.Errorf("Phase(%s) wrong", p)
		}
		want := flow.SetupCategories()
		wantState := flow.ItemIdentifying
		if p == flow.ESPDevicePreparation {
			want, wantState = flow.PreparationCategories(), flow.ItemWaiting
		}
		if len(ps.Groups) != len(want) {
			t.Fatalf("%s has %d groups", p, len(ps.Groups))
		}
		for j, g := range ps.Groups {
			if g.Category != want[j] || g.State() != wantState {
				t.Errorf("%s group %d = %s %s, want %s %s", p, j, g.Category, g.State(), want[j], wantState)
			}
		}
	}
	if _, _, ok := s.Failed(); ok {
		t.Error("fresh status failed")
	}
	if got := s.Phase("nope"); got.Phase != "" {
		t.Errorf("unknown phase = %+v", got)
	}
}

func TestESPGroupStateAndCounts(t *testing.T) {
	items := func(states ...flow.ItemState) flow.ESPGroup {
		g := flow.ESPGroup{Category: flow.CategoryApps, Identified: true}
		for i, s := range states {
			g.Items = append(g.Items, flow.ESPItem{ID: string(rune('a' + i)), State: s})
		}
		return g
	}
	W, K, C, N, F, P := flow.ItemWaiting, flow.ItemWorking, flow.ItemComplete, flow.ItemNotRequired, flow.ItemFailed, flow.ItemPreviousFailed
	tests := []struct {
		name        string
		g           flow.ESPGroup
		state       flow.ItemState
		done, total int
	}{
		{"not identified", flow.ESPGroup{Category: flow.CategoryApps}, flow.ItemIdentifying, 0, 0},
		{"identified empty", flow.ESPGroup{Category: flow.CategoryApps, Identified: true}, flow.ItemNotRequired, 0, 0},
		{"all waiting", items(W, W, W), W, 0, 3},
		{"one working", items(C, K, W), K, 1, 3},
		{"between two items", items(C, W, W), K, 1, 3},
		{"working beats failed", items(F, K, W), K, 0, 3},
		{"failed", items(C, F, C), F, 2, 3},
		{"failed then skipped", items(C, F, P), F, 1, 3},
		{"only skipped", items(P, P), P, 0, 2},
		{"complete", items(C, C, N), C, 3, 3},
		{"fixed working", flow.ESPGroup{Category: flow.CategoryPreparingMDM, Status: K}, K, 0, 1},
		{"fixed complete", flow.ESPGroup{Category: flow.CategoryPreparingMDM, Status: C}, C, 1, 1},
		{"fixed failed", flow.ESPGroup{Category: flow.CategorySecuringHardware, Status: F, Code: "0x800705b4"}, F, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.g.State(); got != tc.state {
				t.Errorf("State = %s, want %s", got, tc.state)
			}
			if d, n := tc.g.Counts(); d != tc.done || n != tc.total {
				t.Errorf("Counts = %d of %d, want %d of %d", d, n, tc.done, tc.total)
			}
		})
	}
}

func TestESPApplyDeviceSetup(t *testing.T) {
	s := flow.NewESPStatus()
	setup := flow.ESPDeviceSetup
	s.Apply(ev(flow.EventESPPhaseStart, setup, 0))
	s.Apply(identified(setup, flow.CategoryPolicies, time.Second, "p1"))
	s.Apply(identified(setup, flow.CategoryCertificates, time.Second))
	s.Apply(identified(setup, flow.CategoryNetworkConnections, time.Second))
	s.Apply(identified(setup, flow.CategoryApps, time.Second, "a1", "a2", "a3"))
	s.Apply(itemEv(setup, flow.CategoryPolicies, "p1", flow.ItemWorking, "", 2*time.Second))
	s.Apply(itemEv(setup, flow.CategoryPolicies, "p1", flow.ItemComplete, "", 3*time.Second))
	s.Apply(itemEv(setup, flow.CategoryApps, "a1", flow.ItemWorking, "", 3*time.Second))

	ps := s.Phase(setup)
	if ps.State != flow.ItemWorking || !ps.Started.Equal(t0) || ps.Attempts != 1 {
		t.Errorf("phase = %s started %v attempts %d", ps.State, ps.Started, ps.Attempts)
	}
	want := map[flow.ESPCategory]struct {
		state       flow.ItemState
		done, total int
	}{
		flow.CategoryPolicies:           {flow.ItemComplete, 1, 1},
		flow.CategoryCertificates:       {flow.ItemNotRequired, 0, 0},
		flow.CategoryNetworkConnections: {flow.ItemNotRequired, 0, 0},
		flow.CategoryApps:               {flow.ItemWorking, 0, 3},
	}
	for c, w := range want {
		g, ok := ps.Group(c)
		d, n := g.Counts()
		if !ok || g.State() != w.state || d != w.done || n != w.total {
			t.Errorf("%s = %s %d/%d, want %s %d/%d", c, g.State(), d, n, w.state, w.done, w.total)
		}
	}
	// A blocking failure: a2 fails, a3 skipped, the phase fails.
	s.Apply(itemEv(setup, flow.CategoryApps, "a1", flow.ItemComplete, "", 10*time.Second))
	s.Apply(itemEv(setup, flow.CategoryApps, "a2", flow.ItemWorking, "", 10*time.Second))
	s.Apply(itemEv(setup, flow.CategoryApps, "a2", flow.ItemFailed, "0x87D1041C", 20*time.Second))
	s.Apply(itemEv(setup, flow.CategoryApps, "a3", flow.ItemPreviousFailed, "", 20*time.Second))
	done := ev(flow.EventESPPhaseDone, setup, 20*time.Second)
	done.State, done.Category, done.ItemID, done.Code = flow.ItemFailed, flow.CategoryApps, "a2", "0x87D1041C"
	s.Apply(done)
	ps = s.Phase(setup)
	if ps.State != flow.ItemFailed || !ps.Ended.Equal(t0.Add(20*time.Second)) {
		t.Errorf("phase = %s ended %v", ps.State, ps.Ended)
	}
	g, _ := ps.Group(flow.CategoryApps)
	if d, n := g.Counts(); g.State() != flow.ItemFailed || d != 1 || n != 3 {
		t.Errorf("apps = %s %d/%d", g.State(), d, n)
	}
	p, it, ok := s.Failed()
	if !ok || p != setup || it.ID != "a2" || it.Code != "0x87D1041C" || it.State != flow.ItemFailed {
		t.Errorf("Failed = %s %+v %v", p, it, ok)
	}
	// Try again: a new start resets the phase and counts the attempt.
	s.Apply(ev(flow.EventESPPhaseStart, setup, time.Minute))
	ps = s.Phase(setup)
	if ps.State != flow.ItemWorking || ps.Attempts != 2 || !ps.Ended.IsZero() || !ps.Started.Equal(t0.Add(time.Minute)) {
		t.Errorf("after retry phase = %+v", ps)
	}
	if g, _ := ps.Group(flow.CategoryApps); g.State() != flow.ItemIdentifying {
		t.Errorf("after retry apps = %s", g.State())
	}
	if _, _, ok := s.Failed(); ok {
		t.Error("still failed after retry")
	}
}

func TestESPApplyPreparation(t *testing.T) {
	s := flow.NewESPStatus()
	prep := flow.ESPDevicePreparation
	s.Apply(ev(flow.EventESPPhaseStart, prep, 0))
	s.Apply(itemEv(prep, flow.CategorySecuringHardware, "", flow.ItemComplete, "", 0))
	s.Apply(itemEv(prep, flow.CategoryJoiningNetwork, "", flow.ItemWorking, "", 0))
	ps := s.Phase(prep)
	if g, _ := ps.Group(flow.CategorySecuringHardware); g.State() != flow.ItemComplete {
		t.Errorf("securing = %s", g.State())
	}
	if g, _ := ps.Group(flow.CategoryJoiningNetwork); g.State() != flow.ItemWorking {
		t.Errorf("joining = %s", g.State())
	}
	if g, _ := ps.Group(flow.CategoryPreparingMDM); g.State() != flow.ItemWaiting {
		t.Errorf("preparing = %s", g.State())
	}
	s.Apply(itemEv(prep, flow.CategoryJoiningNetwork, "", flow.ItemFailed, "0x801c03ea", time.Second))
	done := ev(flow.EventESPPhaseDone, prep, time.Second)
	done.State, done.Category, done.Code = flow.ItemFailed, flow.CategoryJoiningNetwork, "0x801c03ea"
	s.Apply(done)
	p, it, ok := s.Failed()
	if !ok || p != prep || it.ID != string(flow.CategoryJoiningNetwork) || it.Code != "0x801c03ea" {
		t.Errorf("Failed = %s %+v %v", p, it, ok)
	}
	// Events of other kinds or phases change nothing.
	before := s
	s.Apply(flow.Event{Kind: flow.EventUpdateProgress, Phase: "checking"})
	s.Apply(flow.Event{Kind: flow.EventESPItem, Phase: "elsewhere"})
	if s.Phase(prep).State != before.Phase(prep).State {
		t.Error("foreign event changed the status")
	}
}

func TestESPTimedOut(t *testing.T) {
	c := flow.NewVirtualClock(t0)
	s := flow.NewESPStatus()
	limit := 60 * time.Minute
	if s.TimedOut(flow.ESPDevicePreparation, c.Now().Add(2*time.Hour), limit) {
		t.Error("a phase that has not started timed out")
	}
	start := func(p flow.ESPPhase) {
		s.Apply(flow.Event{Kind: flow.EventESPPhaseStart, Phase: string(p), At: c.Now()})
	}
	finish := func(p flow.ESPPhase) {
		s.Apply(flow.Event{Kind: flow.EventESPPhaseDone, Phase: string(p), At: c.Now(), State: flow.ItemComplete})
	}
	start(flow.ESPDevicePreparation)
	c.Advance(20 * time.Minute)
	finish(flow.ESPDevicePreparation)
	start(flow.ESPDeviceSetup)
	c.Advance(39 * time.Minute)
	if s.TimedOut(flow.ESPDeviceSetup, c.Now(), limit) {
		t.Error("device phase timed out after 59 minutes")
	}
	c.Advance(2 * time.Minute)
	if !s.TimedOut(flow.ESPDeviceSetup, c.Now(), limit) {
		t.Error("device phase (preparation + setup, 61 minutes) not timed out")
	}
	if s.TimedOut(flow.ESPDevicePreparation, c.Now(), limit) {
		t.Error("an ended phase timed out")
	}
	if s.TimedOut(flow.ESPDeviceSetup, c.Now(), 0) {
		t.Error("limit 0 timed out")
	}
	// Try again restarts the device timer.
	start(flow.ESPDeviceSetup)
	c.Advance(30 * time.Minute)
	if s.TimedOut(flow.ESPDeviceSetup, c.Now(), limit) {
		t.Error("retried setup timed out after 30 minutes")
	}
	finish(flow.ESPDeviceSetup)
	// Account setup has a fresh timer.
	start(flow.ESPAccountSetup)
	c.Advance(limit)
	if s.TimedOut(flow.ESPAccountSetup, c.Now(), limit) {
		t.Error("account setup timed out at exactly the limit")
	}
	c.Advance(time.Second)
	if !s.TimedOut(flow.ESPAccountSetup, c.Now(), limit) {
		t.Error("account setup not timed out after the limit")
	}
}

func TestButtons(t *testing.T) {
	tests := []struct {
		name    string
		cfg     flow.ESPConfig
		windows flow.WindowsVersion
		want    flow.ESPButtons
	}{
		{"blocking, nothing allowed", flow.ESPConfig{BlockDeviceUse: true}, flow.Windows11,
			flow.ESPButtons{TryAgain: true}},
		{"blocking, everything allowed, Windows 11", flow.ESPConfig{BlockDeviceUse: true, AllowReset: true, AllowContinue: true, AllowLogCollection: true}, flow.Windows11,
			flow.ESPButtons{TryAgain: true, Reset: true, Continue: true, CollectLogs: true, Diagnostics: true}},
		{"blocking, everything allowed, Windows 10", flow.ESPConfig{BlockDeviceUse: true, AllowReset: true, AllowContinue: true, AllowLogCollection: true}, flow.Windows10,
			flow.ESPButtons{TryAgain: true, Reset: true, Continue: true, CollectLogs: true}},
		{"non-blocking", flow.ESPConfig{}, flow.Windows11,
			flow.ESPButtons{Continue: true}},
		{"non-blocking with logs", flow.ESPConfig{AllowLogCollection: true}, flow.Windows10,
			flow.ESPButtons{Continue: true, CollectLogs: true}},
		{"default profile", flow.DefaultProfile().ESP, flow.Windows11,
			flow.ESPButtons{TryAgain: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := flow.Buttons(tc.cfg, tc.windows); got != tc.want {
				t.Errorf("Buttons = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestButtonsSamples: the samples' esp-configuration.json offers Try again, Reset device,
// Collect logs and (Windows 11) View diagnostics, no Continue anyway.
func TestButtonsSamples(t *testing.T) {
	const dir = "../samples"
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
	tn, err := tenant.Load(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	want := flow.ESPButtons{TryAgain: true, Reset: true, CollectLogs: true, Diagnostics: true}
	if got := flow.Buttons(tn.Profile.ESP, flow.Windows11); got != want {
		t.Errorf("Windows 11 buttons = %+v, want %+v", got, want)
	}
	want.Diagnostics = false
	if got := flow.Buttons(tn.Profile.ESP, flow.Windows10); got != want {
		t.Errorf("Windows 10 buttons = %+v, want %+v", got, want)
	}
}

func TestESPConfigBlocking(t *testing.T) {
	all := flow.ESPConfig{}
	sel := flow.ESPConfig{BlockingAppIDs: []string{"AAA-1", " b "}}
	for _, tc := range []struct {
		cfg  flow.ESPConfig
		id   string
		want bool
	}{
		{all, "anything", true},
		{sel, "aaa-1", true},
		{sel, "b", true},
		{sel, "c", false},
	} {
		if got := tc.cfg.Blocking(tc.id); got != tc.want {
			t.Errorf("Blocking(%q) with %v = %v", tc.id, tc.cfg.BlockingAppIDs, got)
		}
	}
}

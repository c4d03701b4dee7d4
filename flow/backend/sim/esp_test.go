package sim_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

func TestProvisionDevicePreparation(t *testing.T) {
	b, c := embedded(t, 3)
	enroll(t, b, "megan.rivera@larkspuraero.com", "Contrail#2026")
	start := c.Now()
	st := flow.NewESPStatus()
	evs := provision(t, b, flow.ESPDevicePreparation, &st)
	want := []string{
		"start",
		// on a user-driven Entra join the join and the enrollment happened at sign-in: those
		// sub-items are complete when the ESP opens (reference §3.4)
		"item:securingHardware=complete", "item:joiningNetwork=complete", "item:registeringMDM=complete",
		"item:preparingMDM=working", "item:preparingMDM=complete",
		"done:complete",
	}
	if got := describe(evs); !slices.Equal(got, want) {
		t.Fatalf("events =\n%v\nwant\n%v", got, want)
	}
	if evs[1].At != evs[0].At {
		t.Error("securing your hardware did not complete at once")
	}
	if evs[3].At != evs[0].At {
		t.Error("joining and registering were not complete when the ESP opened")
	}
	if d := evs[5].At.Sub(evs[4].At); !about(d, sim.PreparingMDMDelay) {
		t.Errorf("preparing took %v", d)
	}
	if d := c.Now().Sub(start); !about(d, sim.PreparingMDMDelay) {
		t.Errorf("phase took %v", d)
	}
	ps := st.Phase(flow.ESPDevicePreparation)
	if ps.State != flow.ItemComplete || ps.Ended.Sub(ps.Started) != c.Now().Sub(start) {
		t.Errorf("phase = %s %v–%v", ps.State, ps.Started, ps.Ended)
	}
	for _, g := range ps.Groups {
		if g.State() != flow.ItemComplete {
			t.Errorf("%s = %s", g.Category, g.State())
		}
	}
}

// TestProvisionEmbeddedMegan: the embedded tenant installs everything for Megan.
func TestProvisionEmbeddedMegan(t *testing.T) {
	b, c := embedded(t, 3)
	enroll(t, b, "megan.rivera@larkspuraero.com", "Contrail#2026")
	st := flow.NewESPStatus()
	provision(t, b, flow.ESPDevicePreparation, &st)
	start := c.Now()
	evs := provision(t, b, flow.ESPDeviceSetup, &st)
	got := describe(evs)
	// the categories progress side by side (reference §3.4): certificates and network
	// connections finish while the apps install; "Security policies" is one placeholder
	const portal, edge = "1de24c19-559c-41a9-bed6-0844b7bd2e27", "e86ea3e7-554d-4860-b974-7bd16def97f0"
	want := []string{
		"start",
		"identified:policies=1", "identified:certificates=2", "identified:networkConnections=2", "identified:apps=5",
		"item:policies/EntDMID=working", "item:certificates/certificates-1=working",
		"item:networkConnections/networkConnections-1=working", "item:apps/" + portal + "=working",
		"item:policies/EntDMID=complete", "item:certificates/certificates-1=complete", "item:certificates/certificates-2=working",
		"item:networkConnections/networkConnections-1=complete", "item:networkConnections/networkConnections-2=working",
		"item:certificates/certificates-2=complete", "item:networkConnections/networkConnections-2=complete",
		"item:apps/" + portal + "=complete", "item:apps/" + edge + "=working", "item:apps/" + edge + "=complete",
		"item:apps/530fb7c8-14ed-4ec2-a29c-9b7c61679ec3=working", "item:apps/530fb7c8-14ed-4ec2-a29c-9b7c61679ec3=complete",
		"item:apps/a3179aa5-1ab0-444e-8801-2f45d7a502c2=working", "item:apps/a3179aa5-1ab0-444e-8801-2f45d7a502c2=complete",
		"item:apps/c97c2d82-b544-410a-9772-9a522c3c75be=working", "item:apps/c97c2d82-b544-410a-9772-9a522c3c75be=complete",
		"done:complete",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("events =\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Identified lists carry names, all waiting.
	if it := evs[4].Items[3]; it.Name != "Microsoft 365 Apps for enterprise" || it.State != flow.ItemWaiting {
		t.Errorf("apps[3] = %+v", it)
	}
	// Each item works for its scenario seconds, the categories side by side: the apps'
	// 2+3+2+4+3 = 14 s are the longest lane (policies 1 s, certificates 2 s, networks 2 s).
	if d := c.Now().Sub(start) - evs[1].At.Sub(start); d != 14*time.Second {
		t.Errorf("items took %v, want 14s", d)
	}
	if d := evs[1].At.Sub(start); !about(d, sim.IdentifyDelay) {
		t.Errorf("identifying took %v", d)
	}
	ps := st.Phase(flow.ESPDeviceSetup)
	if ps.State != flow.ItemComplete {
		t.Errorf("device setup = %s", ps.State)
	}
	for c, n := range map[flow.ESPCategory]int{flow.CategoryPolicies: 1, flow.CategoryCertificates: 2, flow.CategoryNetworkConnections: 2, flow.CategoryApps: 5} {
		g, _ := ps.Group(c)
		if done, total := g.Counts(); done != n || total != n || g.State() != flow.ItemComplete {
			t.Errorf("%s = %s %d of %d, want %d of %d", c, g.State(), done, total, n, n)
		}
	}

	evs = provision(t, b, flow.ESPAccountSetup, &st)
	got = describe(evs)
	want = []string{
		"start",
		"identified:policies=1", "identified:certificates=1", "identified:networkConnections=1", "identified:apps=3",
		"item:policies/EntDMID=working", "item:certificates/certificates-3=working",
		"item:networkConnections/networkConnections-3=working", "item:apps/1bc8b18f-0591-4a0d-a4ba-bd783fb6ef60=working",
		"item:policies/EntDMID=complete", "item:certificates/certificates-3=complete", "item:networkConnections/networkConnections-3=complete",
		"item:apps/1bc8b18f-0591-4a0d-a4ba-bd783fb6ef60=complete",
		"item:apps/6ba5ec2d-4487-489b-bf8a-09b8517336df=working", "item:apps/6ba5ec2d-4487-489b-bf8a-09b8517336df=complete",
		"item:apps/90051e17-4e21-44e5-8b70-2f857ecf1ef7=working", "item:apps/90051e17-4e21-44e5-8b70-2f857ecf1ef7=complete",
		"done:complete",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("account events =\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, _, failed := st.Failed(); failed {
		t.Error("Megan's run failed")
	}
	for _, ps := range st.Phases {
		if ps.State != flow.ItemComplete {
			t.Errorf("%s = %s", ps.Phase, ps.State)
		}
	}
}

// TestProvisionEmbeddedTomasRetry: for Tomás the VPN client fails once (blocking); the
// later apps are skipped; Try again succeeds and does not reinstall what was installed.
func TestProvisionEmbeddedTomasRetry(t *testing.T) {
	b, c := embedded(t, 3)
	enroll(t, b, "tomas.okafor@larkspuraero.com", "Tailwind#2026")
	st := flow.NewESPStatus()
	evs := provision(t, b, flow.ESPDeviceSetup, &st)
	got := describe(evs)
	const vpn, m365, ops = "530fb7c8-14ed-4ec2-a29c-9b7c61679ec3", "a3179aa5-1ab0-444e-8801-2f45d7a502c2", "c97c2d82-b544-410a-9772-9a522c3c75be"
	wantTail := []string{
		"item:apps/" + vpn + "=working", "item:apps/" + vpn + "=failed(0x87D1041C)",
		"item:apps/" + m365 + "=previousFailed", "item:apps/" + ops + "=previousFailed",
		"done:failed(apps/" + vpn + " 0x87D1041C)",
	}
	if len(got) < len(wantTail) || !slices.Equal(got[len(got)-len(wantTail):], wantTail) {
		t.Fatalf("events =\n%v\nwant the tail\n%v", strings.Join(got, "\n"), strings.Join(wantTail, "\n"))
	}
	phase, item, ok := st.Failed()
	if !ok || phase != flow.ESPDeviceSetup || item.ID != vpn || item.Code != "0x87D1041C" || item.Name != "Larkspur SecureLink VPN" {
		t.Errorf("Failed = %s %+v %v", phase, item, ok)
	}
	apps, _ := st.Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
	if done, total := apps.Counts(); done != 2 || total != 5 || apps.State() != flow.ItemFailed {
		t.Errorf("apps = %s %d of %d", apps.State(), done, total)
	}
	if g, _ := st.Phase(flow.ESPDeviceSetup).Group(flow.CategoryPolicies); g.State() != flow.ItemComplete {
		t.Errorf("policies = %s", g.State())
	}

	// Try again.
	mark := c.Now()
	evs = provision(t, b, flow.ESPDeviceSetup, &st)
	got = describe(evs)
	if got[len(got)-1] != "done:complete" {
		t.Fatalf("retry = %v", got)
	}
	if !slices.Contains(got, "item:policies/EntDMID=complete") || slices.Contains(got, "item:policies/EntDMID=working") {
		t.Errorf("retry reinstalled an installed policy: %v", got)
	}
	if !slices.Contains(got, "item:apps/"+vpn+"=working") {
		t.Errorf("retry did not reinstall the VPN client: %v", got)
	}
	// Only VPN (2), M365 (4) and Flight Ops (3) take time on the retry.
	if d := c.Now().Sub(mark) - evs[1].At.Sub(mark); d != 9*time.Second {
		t.Errorf("retry items took %v, want 9s", d)
	}
	ps := st.Phase(flow.ESPDeviceSetup)
	if ps.State != flow.ItemComplete || ps.Attempts != 2 {
		t.Errorf("after retry = %s, attempts %d", ps.State, ps.Attempts)
	}
	if _, _, failed := st.Failed(); failed {
		t.Error("still failed after retry")
	}
	apps, _ = ps.Group(flow.CategoryApps)
	if done, total := apps.Counts(); done != 5 || total != 5 {
		t.Errorf("apps after retry = %d of %d", done, total)
	}
}

// espTenant is a small tenant for the ESP rules.
func espTenant(blocking []string, apps ...sim.ScenarioApp) *sim.World {
	tn := testTenant()
	tn.Profile.ESP.Show = true
	tn.Profile.ESP.BlockingAppIDs = blocking
	tn.Scenario.Apps = apps
	tn.Scenario.Policies = []sim.ScenarioItem{{Name: "Baseline", Seconds: 2}}
	return tn
}

func runSetup(t *testing.T, tn *sim.World, p flow.ESPPhase) ([]string, flow.ESPStatus, *sim.Backend) {
	t.Helper()
	b := sim.New(tn, sim.Options{Clock: flow.NewVirtualClock(epoch)})
	enroll(t, b, "megan@x.com", "Contrail#2026")
	st := flow.NewESPStatus()
	return describe(provision(t, b, p, &st)), st, b
}

func TestProvisionFailures(t *testing.T) {
	a := func(id string, code string) sim.ScenarioApp {
		return sim.ScenarioApp{ID: id, Name: "App " + id, Seconds: 1, FailCode: code}
	}
	t.Run("non-blocking app fails, the phase goes on", func(t *testing.T) {
		got, st, _ := runSetup(t, espTenant([]string{"a", "c"}, a("a", ""), a("b", "0x81036502"), a("c", "")), flow.ESPDeviceSetup)
		want := []string{
			"start", "identified:policies=1", "identified:certificates=0", "identified:networkConnections=0", "identified:apps=3",
			"item:policies/EntDMID=working", "item:apps/a=working", "item:policies/EntDMID=complete",
			"item:apps/a=complete", "item:apps/b=working", "item:apps/b=failed(0x81036502)",
			"item:apps/c=working", "item:apps/c=complete",
			"done:complete",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("events =\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		apps, _ := st.Phase(flow.ESPDeviceSetup).Group(flow.CategoryApps)
		if done, total := apps.Counts(); done != 2 || total != 3 || apps.State() != flow.ItemFailed {
			t.Errorf("apps = %s %d of %d", apps.State(), done, total)
		}
		if _, _, failed := st.Failed(); failed {
			t.Error("a non-blocking failure failed the phase")
		}
		if g, _ := st.Phase(flow.ESPDeviceSetup).Group(flow.CategoryCertificates); g.State() != flow.ItemNotRequired {
			t.Errorf("certificates = %s", g.State())
		}
	})
	t.Run("blocking app fails, the rest is skipped", func(t *testing.T) {
		got, st, _ := runSetup(t, espTenant([]string{"B"}, a("a", ""), a("b", "0x81036502"), a("c", "")), flow.ESPDeviceSetup)
		want := []string{"item:apps/b=failed(0x81036502)", "item:apps/c=previousFailed", "done:failed(apps/b 0x81036502)"}
		if !slices.Equal(got[len(got)-3:], want) {
			t.Fatalf("events = %v", got)
		}
		if _, it, ok := st.Failed(); !ok || it.ID != "b" {
			t.Errorf("Failed = %+v %v", it, ok)
		}
	})
	t.Run("empty blocking list: every app blocks", func(t *testing.T) {
		got, _, _ := runSetup(t, espTenant(nil, a("a", "0x87D1041C"), a("b", "")), flow.ESPDeviceSetup)
		want := []string{"item:apps/a=failed(0x87D1041C)", "item:apps/b=previousFailed", "done:failed(apps/a 0x87D1041C)"}
		if !slices.Equal(got[len(got)-3:], want) {
			t.Fatalf("events = %v", got)
		}
	})
	t.Run("policies are not tracked: one placeholder, 1 of 1, whatever the policies", func(t *testing.T) {
		tn := espTenant([]string{"x"}, a("a", ""))
		tn.Scenario.Policies = []sim.ScenarioItem{{Name: "P1", Seconds: 1, FailCode: "0x87d1fde8"}, {Name: "P2", Seconds: 1}, {Name: "P3", Seconds: 1}}
		got, st, _ := runSetup(t, tn, flow.ESPDeviceSetup)
		if got[len(got)-1] != "done:complete" || !slices.Contains(got, "identified:policies=1") {
			t.Fatalf("events = %v", got)
		}
		g, _ := st.Phase(flow.ESPDeviceSetup).Group(flow.CategoryPolicies)
		if done, total := g.Counts(); done != 1 || total != 1 || g.Items[0].ID != sim.PolicyTrackingID {
			t.Errorf("security policies %d of %d, items %+v; want 1 of 1, the placeholder", done, total, g.Items)
		}
	})
	t.Run("a failing certificate blocks: every item not done is skipped", func(t *testing.T) {
		tn := espTenant([]string{"x"}, sim.ScenarioApp{ID: "a", Name: "A", Seconds: 5})
		tn.Scenario.Certificates = []sim.ScenarioItem{{Name: "C1", Seconds: 1, FailCode: "0x87d1fde8"}, {Name: "C2", Seconds: 1}}
		got, _, _ := runSetup(t, tn, flow.ESPDeviceSetup)
		want := []string{
			"item:policies/EntDMID=complete", "item:certificates/certificates-1=failed(0x87d1fde8)",
			"item:certificates/certificates-2=previousFailed", "item:apps/a=previousFailed",
			"done:failed(certificates/certificates-1 0x87d1fde8)",
		}
		if !slices.Equal(got[len(got)-5:], want) {
			t.Fatalf("events = %v", got)
		}
	})
	t.Run("failFor another user does not fail", func(t *testing.T) {
		app := a("a", "0x81036502")
		app.FailFor = []string{"someone.else@x.com"}
		got, _, _ := runSetup(t, espTenant(nil, app), flow.ESPDeviceSetup)
		if got[len(got)-1] != "done:complete" {
			t.Errorf("events = %v", got)
		}
	})
	t.Run("always failing app fails on retry too", func(t *testing.T) {
		got, _, b := runSetup(t, espTenant(nil, a("a", "0x81036502")), flow.ESPDeviceSetup)
		if got[len(got)-1] != "done:failed(apps/a 0x81036502)" {
			t.Fatalf("events = %v", got)
		}
		st := flow.NewESPStatus()
		if got := describe(provision(t, b, flow.ESPDeviceSetup, &st)); got[len(got)-1] != "done:failed(apps/a 0x81036502)" {
			t.Errorf("retry = %v", got)
		}
	})
	t.Run("failTimes 2: fails twice, then succeeds", func(t *testing.T) {
		app := a("a", "0x81036502")
		app.FailTimes = 2
		b := sim.New(espTenant(nil, app), sim.Options{Clock: flow.NewVirtualClock(epoch)})
		enroll(t, b, "megan@x.com", "Contrail#2026")
		st := flow.NewESPStatus()
		var ends []string
		for range 3 {
			got := describe(provision(t, b, flow.ESPDeviceSetup, &st))
			ends = append(ends, got[len(got)-1])
		}
		want := []string{"done:failed(apps/a 0x81036502)", "done:failed(apps/a 0x81036502)", "done:complete"}
		if !slices.Equal(ends, want) {
			t.Errorf("attempts = %v", ends)
		}
		if st.Phase(flow.ESPDeviceSetup).Attempts != 3 {
			t.Errorf("attempts = %d", st.Phase(flow.ESPDeviceSetup).Attempts)
		}
	})
	t.Run("user apps in account setup, device apps not", func(t *testing.T) {
		u := a("u", "0x81036502")
		u.Context = sim.ContextUser
		got, st, _ := runSetup(t, espTenant(nil, a("d", ""), u), flow.ESPAccountSetup)
		want := []string{"start", "identified:policies=1", "identified:certificates=0", "identified:networkConnections=0", "identified:apps=1",
			"item:policies/EntDMID=working", "item:apps/u=working", "item:policies/EntDMID=complete", "item:apps/u=failed(0x81036502)",
			"done:failed(apps/u 0x81036502)"}
		if !slices.Equal(got, want) {
			t.Fatalf("events = %v", got)
		}
		if p, _, ok := st.Failed(); !ok || p != flow.ESPAccountSetup {
			t.Errorf("Failed = %s %v", p, ok)
		}
	})
}

func TestProvisionReboot(t *testing.T) {
	app := func(id string, reboot bool) sim.ScenarioApp {
		return sim.ScenarioApp{ID: id, Name: id, Seconds: 1, RebootAfter: reboot}
	}
	tests := []struct {
		name   string
		apps   []sim.ScenarioApp
		flag   bool
		phase  flow.ESPPhase
		after  []string // the item completed right before each reboot
		noApps bool
	}{
		{"deviceSetupReboot: after the first app", []sim.ScenarioApp{app("a", false), app("b", false)}, true, flow.ESPDeviceSetup, []string{"item:apps/a=complete"}, false},
		{"rebootAfter", []sim.ScenarioApp{app("a", false), app("b", true), app("c", false)}, false, flow.ESPDeviceSetup, []string{"item:apps/b=complete"}, false},
		{"rebootAfter wins over deviceSetupReboot", []sim.ScenarioApp{app("a", false), app("b", true)}, true, flow.ESPDeviceSetup, []string{"item:apps/b=complete"}, false},
		{"deviceSetupReboot without apps: after the last item", nil, true, flow.ESPDeviceSetup, []string{"item:policies/EntDMID=complete"}, true},
		{"no reboot", []sim.ScenarioApp{app("a", false)}, false, flow.ESPDeviceSetup, nil, false},
		{"never in account setup", []sim.ScenarioApp{{ID: "u", Name: "u", Context: sim.ContextUser, Seconds: 1}}, true, flow.ESPAccountSetup, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tn := espTenant(nil, tc.apps...)
			tn.Scenario.DeviceSetupReboot = tc.flag
			if tc.phase == flow.ESPAccountSetup {
				tn.Scenario.Policies = nil
			}
			b := sim.New(tn, sim.Options{Clock: flow.NewVirtualClock(epoch)})
			st := flow.NewESPStatus()
			evs := provision(t, b, tc.phase, &st)
			got := describe(evs)
			var after []string
			for i, s := range got {
				if s != "reboot" {
					continue
				}
				after = append(after, got[i-1])
				if got[i+1] != "resumed" {
					t.Errorf("reboot not followed by resumed: %v", got)
				}
				if d := evs[i+1].At.Sub(evs[i].At); !about(d, sim.ESPRestartDelay) {
					t.Errorf("restart took %v", d)
				}
			}
			if !slices.Equal(after, tc.after) {
				t.Errorf("reboots after %v, want %v (events %v)", after, tc.after, got)
			}
			if got[len(got)-1] != "done:complete" {
				t.Errorf("last = %s", got[len(got)-1])
			}
		})
	}
	t.Run("no second reboot on retry when the app was installed", func(t *testing.T) {
		tn := espTenant(nil, app("a", true), sim.ScenarioApp{ID: "b", Name: "b", Seconds: 1, FailCode: "0x81036502", FailTimes: 1})
		b := sim.New(tn, sim.Options{Clock: flow.NewVirtualClock(epoch)})
		st := flow.NewESPStatus()
		first := describe(provision(t, b, flow.ESPDeviceSetup, &st))
		second := describe(provision(t, b, flow.ESPDeviceSetup, &st))
		if !slices.Contains(first, "reboot") || slices.Contains(second, "reboot") {
			t.Errorf("first %v\nsecond %v", first, second)
		}
		if second[len(second)-1] != "done:complete" {
			t.Errorf("retry = %v", second)
		}
	})
}

func TestProvisionErrorsAndCancel(t *testing.T) {
	b, _ := newSim(sim.Options{})
	tk := enroll(t, b, "megan@x.com", "Contrail#2026")
	if s, err := b.Provision(context.Background(), flow.ProvisionRequest{Phase: "nope", Ticket: tk}); !errors.Is(err, flow.ErrBadRequest) || s != nil {
		t.Errorf("unknown phase = %v, %v", s, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if s, err := b.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup, Ticket: tk}); err == nil || s != nil {
		t.Errorf("cancelled = %v, %v", s, err)
	}
	for _, p := range flow.ESPPhases() {
		b, _ := newSim(sim.Options{})
		tk := enroll(t, b, "megan@x.com", "Contrail#2026")
		ctx, cancel := context.WithCancel(context.Background())
		s, err := b.Provision(ctx, flow.ProvisionRequest{Phase: p, Ticket: tk})
		if err != nil {
			t.Fatal(err)
		}
		if ev, err := s.Next(context.Background()); err != nil || ev.Kind != flow.EventESPPhaseStart {
			t.Errorf("%s first event = %+v, %v", p, ev, err)
		}
		cancel()
		if _, err := s.Next(context.Background()); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Next after cancel = %v", p, err)
		}
	}
}

// TestProvisionNeedsAnEnrolledSignIn: nobody provisions a device without a completed sign-in
// (reference §1.2: the ESP follows the sign-in and enrollment).
func TestProvisionNeedsAnEnrolledSignIn(t *testing.T) {
	b, _ := newSim(sim.Options{})
	ctx := context.Background()
	if _, err := b.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup}); !errors.Is(err, flow.ErrNotSignedIn) {
		t.Errorf("no ticket: %v", err)
	}
	if _, err := b.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup, Ticket: "forged"}); !errors.Is(err, flow.ErrNotSignedIn) {
		t.Errorf("forged ticket: %v", err)
	}
	res := signIn(t, b, "megan@x.com", "Contrail#2026")
	if _, err := b.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup, Ticket: res.Ticket}); !errors.Is(err, flow.ErrNotEnrolled) {
		t.Errorf("signed in, not enrolled: %v", err)
	}
	tk := enroll(t, b, "megan@x.com", "Contrail#2026")
	if err := b.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Provision(ctx, flow.ProvisionRequest{Phase: flow.ESPDeviceSetup, Ticket: tk}); !errors.Is(err, flow.ErrNotSignedIn) {
		t.Errorf("ticket from before Reset: %v", err)
	}
}

// TestResetReplaysTheScenario: after Reset the app that fails once for tomas fails again, and
// nothing counts as installed.
func TestResetReplaysTheScenario(t *testing.T) {
	b, _ := embedded(t, 1)
	run := func() []string {
		enroll(t, b, "tomas.okafor@larkspuraero.com", "Tailwind#2026")
		st := flow.NewESPStatus()
		return describe(provision(t, b, flow.ESPDeviceSetup, &st))
	}
	first := run()
	if err := b.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	again := run()
	if !strings.HasPrefix(first[len(first)-1], "done:failed") || !strings.HasPrefix(again[len(again)-1], "done:failed") {
		t.Errorf("first run ends %q, after reset %q; want both to fail", first[len(first)-1], again[len(again)-1])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Reset(ctx); err == nil {
		t.Error("Reset with a cancelled context succeeded")
	}
}

// TestStreamsMarkEventsAtTheSameTime: events that happen at the same instant (an item's
// completion and the next item's start, the categories starting side by side) are marked
// More, and an event marked More is always followed at once.
func TestStreamsMarkEventsAtTheSameTime(t *testing.T) {
	b, _ := embedded(t, 3)
	enroll(t, b, "megan.rivera@larkspuraero.com", "Contrail#2026")
	st := flow.NewESPStatus()
	provision(t, b, flow.ESPDevicePreparation, &st)
	evs := provision(t, b, flow.ESPDeviceSetup, &st)
	var more, working int
	for i, ev := range evs {
		if ev.More {
			more++
			if i+1 == len(evs) || !evs[i+1].At.Equal(ev.At) {
				t.Errorf("event %d (%s) marked More is not followed at once", i, ev.Kind)
			}
		} else if i+1 < len(evs) && evs[i+1].At.Equal(ev.At) {
			t.Errorf("event %d (%s) is followed at once but not marked More", i, ev.Kind)
		}
		if ev.Kind == flow.EventESPItem && ev.State == flow.ItemWorking {
			working++
		}
	}
	if more < working-1 {
		t.Errorf("%d events marked More for %d items", more, working)
	}
}

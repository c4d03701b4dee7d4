package sim_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

func TestBoot(t *testing.T) {
	tests := []struct {
		name            string
		eth             sim.ScenarioEthernet
		wiredOpt        bool
		wired, ethernet bool
		elapsedAtLeast  time.Duration
		elapsedAtMost   time.Duration
	}{
		{"Wi-Fi only", sim.ScenarioEthernet{}, false, false, false, 0, 0},
		{"cable without internet", sim.ScenarioEthernet{Present: true}, false, false, true, 0, 0},
		{"cable with internet prefetches", sim.ScenarioEthernet{Present: true, Internet: true}, false, true, true, 900 * time.Millisecond, 1100 * time.Millisecond},
		{"Wired option overrides", sim.ScenarioEthernet{}, true, true, true, 900 * time.Millisecond, 1100 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tn := testTenant()
			tn.Scenario.Ethernet = tc.eth
			c := flow.NewVirtualClock(epoch)
			b := sim.New(tn, sim.Options{Clock: c, Wired: tc.wiredOpt})
			bi, err := b.Boot(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if bi.Boot.Wired != tc.wired || bi.Boot.ProfileKnown != tc.wired || bi.EthernetPresent != tc.ethernet {
				t.Errorf("BootInfo = %+v", bi)
			}
			if !slices.Equal(bi.Boot.Languages, []string{"en-US", "de-DE"}) || bi.Serial != "8CG3471KQD" {
				t.Errorf("languages/serial = %v %q", bi.Boot.Languages, bi.Serial)
			}
			if d := c.Now().Sub(epoch); d < tc.elapsedAtLeast || d > tc.elapsedAtMost {
				t.Errorf("boot took %v", d)
			}
		})
	}
}

func TestScanOrder(t *testing.T) {
	b, c := newSim(sim.Options{Seed: 1})
	nets, err := b.Scan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range nets {
		got = append(got, n.SSID)
	}
	want := []string{"Corp", "Guest", "Crew", "alpha", "cafe", "weak"}
	if !slices.Equal(got, want) {
		t.Errorf("scan = %v, want %v (hidden Lab left out)", got, want)
	}
	if nets[0].Security != flow.SecurityPSK || nets[0].Signal != 4 || !nets[0].Secured() || nets[1].Secured() {
		t.Errorf("first networks = %+v", nets[:2])
	}
	if d := c.Now().Sub(epoch); d < 1350*time.Millisecond || d > 1650*time.Millisecond {
		t.Errorf("scan took %v emulated, want about 1.5 s", d)
	}
}

func TestConnect(t *testing.T) {
	tests := []struct {
		name     string
		req      flow.ConnectRequest
		err      error
		internet bool
		about    time.Duration
	}{
		{"psk right key", flow.ConnectRequest{SSID: "Corp", Key: "Runway-2026!"}, nil, true, 3 * time.Second},
		{"psk wrong key", flow.ConnectRequest{SSID: "Corp", Key: "runway-2026!"}, flow.ErrWrongKey, false, 2 * time.Second},
		{"psk empty key", flow.ConnectRequest{SSID: "Corp"}, flow.ErrWrongKey, false, 2 * time.Second},
		{"open with internet", flow.ConnectRequest{SSID: "Guest"}, nil, true, 3 * time.Second},
		{"open without internet", flow.ConnectRequest{SSID: "cafe"}, nil, false, 3 * time.Second},
		{"hidden by exact SSID", flow.ConnectRequest{SSID: "Lab", Key: "Flaps-Down-15"}, nil, true, 3 * time.Second},
		{"hidden wrong key", flow.ConnectRequest{SSID: "Lab", Key: "Flaps-Up"}, flow.ErrWrongKey, false, 2 * time.Second},
		{"SSID is case-sensitive", flow.ConnectRequest{SSID: "lab", Key: "Flaps-Down-15"}, flow.ErrNoSuchNetwork, false, 2 * time.Second},
		{"unknown", flow.ConnectRequest{SSID: "Nowhere"}, flow.ErrNoSuchNetwork, false, 2 * time.Second},
		// 802.1X: a user's name and password; a password alone is not enough
		{"enterprise with a user's name and password", flow.ConnectRequest{SSID: "Crew", Identity: "Megan@X.com", Key: "Contrail#2026"}, nil, true, 3 * time.Second},
		{"enterprise with a password alone", flow.ConnectRequest{SSID: "Crew", Key: "Contrail#2026"}, flow.ErrWrongKey, false, 2 * time.Second},
		{"enterprise with another user's password", flow.ConnectRequest{SSID: "Crew", Identity: "megan@x.com", Key: "Tailwind#2026"}, flow.ErrWrongKey, false, 2 * time.Second},
		{"enterprise with a wrong password", flow.ConnectRequest{SSID: "Crew", Identity: "megan@x.com", Key: "nope"}, flow.ErrWrongKey, false, 2 * time.Second},
		{"enterprise with an unverifiable server: asked first", flow.ConnectRequest{SSID: "CrewCert", Identity: "megan@x.com", Key: "Contrail#2026"}, flow.ErrServerUnverified, false, 2 * time.Second},
		{"enterprise with an unverifiable server, trusted", flow.ConnectRequest{SSID: "CrewCert", Identity: "megan@x.com", Key: "Contrail#2026", TrustServer: true}, nil, true, 3 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, c := newSim(sim.Options{Seed: 7})
			res, err := b.Connect(context.Background(), tc.req)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if res.Internet != tc.internet {
				t.Errorf("Internet = %v, want %v", res.Internet, tc.internet)
			}
			lo, hi := tc.about*9/10, tc.about*11/10
			if d := c.Now().Sub(epoch); d < lo || d > hi {
				t.Errorf("took %v emulated, want about %v", d, tc.about)
			}
		})
	}
}

func TestDownloadProfile(t *testing.T) {
	tn := testTenant()
	b := sim.New(tn, sim.Options{Clock: flow.NewVirtualClock(epoch)})
	tn.Profile.ESP.BlockingAppIDs[0] = "changed after New"
	p, err := b.DownloadProfile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.Profile.Name != "Test profile" || p.Profile.ESP.BlockingAppIDs[0] != "a" {
		t.Errorf("profile = %+v", p)
	}
	p.Profile.ESP.BlockingAppIDs[0] = "caller change"
	if p2, _ := b.DownloadProfile(context.Background()); p2.Profile.ESP.BlockingAppIDs[0] != "a" {
		t.Error("callers share the backend's profile")
	}
	if p.AssignedUser != nil || p.DomainJoin != nil {
		t.Errorf("assigned user %+v, domain %+v on an Entra profile without a device record", p.AssignedUser, p.DomainJoin)
	}
}

func TestCheckUpdatesStream(t *testing.T) {
	tests := []struct {
		name       string
		u          sim.ScenarioUpdates
		phases     []string
		restart    bool
		total      time.Duration
		progresses int
	}{
		{"update with restart", sim.ScenarioUpdates{Available: true, Restart: true, CheckSeconds: 4, DownloadSeconds: 6, InstallSeconds: 5, RestartSeconds: 8},
			[]string{sim.PhaseChecking, sim.PhaseDownloading, sim.PhaseInstalling}, true, 23 * time.Second, 5 + 11 + 11},
		{"update without restart", sim.ScenarioUpdates{Available: true, CheckSeconds: 2, DownloadSeconds: 1, InstallSeconds: 1},
			[]string{sim.PhaseChecking, sim.PhaseDownloading, sim.PhaseInstalling}, false, 4 * time.Second, 5 + 11 + 11},
		{"nothing available", sim.ScenarioUpdates{Restart: true, CheckSeconds: 4, RestartSeconds: 8},
			[]string{sim.PhaseChecking}, false, 4 * time.Second, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tn := testTenant()
			tn.Scenario.Updates = tc.u
			c := flow.NewVirtualClock(epoch)
			b := sim.New(tn, sim.Options{Clock: c})
			s, err := b.CheckUpdates(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			evs := collect(t, s)
			var phases []string
			progress, lastAt := 0, epoch
			restartAt := -1
			for i, ev := range evs {
				if ev.At.Before(lastAt) {
					t.Errorf("event %d goes back in time", i)
				}
				lastAt = ev.At
				switch ev.Kind {
				case flow.EventUpdateProgress:
					progress++
					if len(phases) == 0 || phases[len(phases)-1] != ev.Phase {
						if ev.Progress != 0 {
							t.Errorf("phase %s starts at %v", ev.Phase, ev.Progress)
						}
						phases = append(phases, ev.Phase)
					} else if prev := evs[i-1]; ev.Progress <= prev.Progress {
						t.Errorf("progress not increasing in %s: %v after %v", ev.Phase, ev.Progress, prev.Progress)
					}
					if ev.Progress < 0 || ev.Progress > 1 {
						t.Errorf("progress %v outside 0–1", ev.Progress)
					}
					if restartAt >= 0 {
						t.Error("progress after the restart")
					}
				case flow.EventUpdateRestart:
					restartAt = i
					if evs[i-1].Phase != sim.PhaseInstalling || evs[i-1].Progress != 1 {
						t.Errorf("restart before installing finished: %+v", evs[i-1])
					}
				case flow.EventUpdateResumed:
					if restartAt != i-1 {
						t.Error("resumed not right after restart")
					}
					if got := ev.At.Sub(evs[i-1].At); got != seconds(tc.u.RestartSeconds) {
						t.Errorf("restart took %v", got)
					}
				case flow.EventUpdateDone:
					if i != len(evs)-1 {
						t.Error("done is not the last event")
					}
				default:
					t.Errorf("unexpected event %+v", ev)
				}
			}
			if evs[len(evs)-1].Kind != flow.EventUpdateDone {
				t.Error("stream does not end with done")
			}
			if !slices.Equal(phases, tc.phases) {
				t.Errorf("phases = %v, want %v", phases, tc.phases)
			}
			if (restartAt >= 0) != tc.restart {
				t.Errorf("restart = %v, want %v", restartAt >= 0, tc.restart)
			}
			if progress != tc.progresses {
				t.Errorf("%d progress events, want %d", progress, tc.progresses)
			}
			if d := c.Now().Sub(epoch); d != tc.total {
				t.Errorf("took %v emulated, want %v", d, tc.total)
			}
		})
	}
}

func TestCheckUpdatesCancel(t *testing.T) {
	t.Run("during a wait", func(t *testing.T) {
		b := sim.New(testTenant(), sim.Options{Clock: stuckClock{}})
		ctx, cancel := context.WithCancel(context.Background())
		s, err := b.CheckUpdates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ev, err := s.Next(context.Background()); err != nil || ev.Kind != flow.EventUpdateProgress || ev.Phase != sim.PhaseChecking {
			t.Errorf("first event = %+v, %v", ev, err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := s.Next(context.Background())
			done <- err
		}()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Next while cancelled = %v", err)
		}
		if _, err := s.Next(context.Background()); !errors.Is(err, context.Canceled) {
			t.Errorf("Next after cancel = %v", err)
		}
	})
	t.Run("Close while nobody reads", func(t *testing.T) {
		b, _ := newSim(sim.Options{})
		s, err := b.CheckUpdates(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		s.Next(context.Background())
		s.Next(context.Background())
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Next(context.Background()); err == nil {
			t.Error("Next after Close gave an event")
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close = %v", err)
		}
	})
	t.Run("Close during Next", func(t *testing.T) {
		b := sim.New(testTenant(), sim.Options{Clock: stuckClock{}})
		s, _ := b.CheckUpdates(context.Background())
		s.Next(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := s.Next(context.Background())
			done <- err
		}()
		time.Sleep(time.Millisecond) // let Next reach its wait; the result is the same if not
		s.Close()
		if err := <-done; err == nil {
			t.Error("Next during Close gave an event")
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		b, _ := newSim(sim.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if s, err := b.CheckUpdates(ctx); err == nil || s != nil {
			t.Errorf("CheckUpdates on a cancelled context = %v, %v", s, err)
		}
	})
	t.Run("other calls", func(t *testing.T) {
		b := sim.New(testTenant(), sim.Options{Clock: stuckClock{}})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := b.Scan(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Scan err = %v", err)
		}
		if _, err := b.Connect(ctx, flow.ConnectRequest{SSID: "Guest"}); !errors.Is(err, context.Canceled) {
			t.Errorf("Connect err = %v", err)
		}
		if _, err := b.DownloadProfile(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("DownloadProfile err = %v", err)
		}
	})
}

// run performs a fixed sequence and returns the emulated time after each operation.
func run(t *testing.T, seed int64) []time.Duration {
	t.Helper()
	b, c := newSim(sim.Options{Seed: seed})
	ctx := context.Background()
	var out []time.Duration
	mark := func() { out = append(out, c.Now().Sub(epoch)) }
	if _, err := b.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	mark()
	b.Connect(ctx, flow.ConnectRequest{SSID: "Corp", Key: "wrong-key"})
	mark()
	b.Connect(ctx, flow.ConnectRequest{SSID: "Corp", Key: "Runway-2026!"})
	mark()
	b.DownloadProfile(ctx)
	mark()
	s, _ := b.CheckUpdates(ctx)
	for _, ev := range collect(t, s) {
		out = append(out, ev.At.Sub(epoch))
	}
	return out
}

func TestSameSeedSameRun(t *testing.T) {
	a, b := run(t, 42), run(t, 42)
	if !slices.Equal(a, b) {
		t.Errorf("seed 42 gave two runs:\n%v\n%v", a, b)
	}
	if c := run(t, 43); slices.Equal(a[:4], c[:4]) {
		t.Errorf("seeds 42 and 43 gave the same timings %v", a[:4])
	}
}

func TestConcurrentUse(t *testing.T) {
	b := sim.New(testTenant(), sim.Options{Clock: flow.NewVirtualClock(epoch), Seed: 3})
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := b.Scan(ctx); err != nil {
				t.Error(err)
			}
			if _, err := b.Connect(ctx, flow.ConnectRequest{SSID: "Guest"}); err != nil {
				t.Error(err)
			}
			s, err := b.CheckUpdates(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			for {
				if _, err := s.Next(ctx); err != nil {
					break
				}
			}
		}()
	}
	wg.Wait()
}

func TestNilInputs(t *testing.T) {
	b := sim.New(nil, sim.Options{Clock: flow.NewVirtualClock(epoch)})
	bi, err := b.Boot(context.Background())
	if err != nil || len(bi.Boot.Languages) != 1 || bi.Boot.Wired {
		t.Errorf("Boot on a nil tenant = %+v, %v", bi, err)
	}
	nets, err := b.Scan(context.Background())
	if err != nil || len(nets) != 1 {
		t.Errorf("Scan on a nil tenant = %+v, %v", nets, err)
	}
}

// TestQualityUpdates: the monthly update downloads and installs in tenths over 10 s, restarts
// for 2 s and finishes in 1 s (reference §3.7).
func TestQualityUpdates(t *testing.T) {
	b, c := newSim(sim.Options{})
	s, err := b.QualityUpdates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	evs := collect(t, s)
	var kinds []string
	for _, ev := range evs {
		k := string(ev.Kind)
		if ev.Kind == flow.EventUpdateProgress {
			k = ev.Phase
		}
		if len(kinds) == 0 || kinds[len(kinds)-1] != k {
			kinds = append(kinds, k)
		}
	}
	want := []string{sim.PhaseDownloading, sim.PhaseInstalling, string(flow.EventUpdateRestart), string(flow.EventUpdateResumed), sim.PhaseFinishing, string(flow.EventUpdateDone)}
	if !slices.Equal(kinds, want) {
		t.Errorf("stream = %v, want %v", kinds, want)
	}
	if d := c.Now().Sub(epoch); d != 13*time.Second {
		t.Errorf("took %v, want 13s", d)
	}
}

// TestDeviceName: the name follows the profile (reference §2.9) and stays the same for the
// run; Reset picks it again from the seed (the same one).
func TestDeviceName(t *testing.T) {
	ctx := context.Background()
	w := testTenant()
	w.Profile.DeviceNameTemplate = "LSA-%SERIAL%"
	b := sim.New(w, sim.Options{Clock: flow.NewVirtualClock(epoch)})
	if n, err := b.DeviceName(ctx); err != nil || n != "LSA-8CG3471KQD" {
		t.Errorf("template name = %q, %v", n, err)
	}
	w.Profile.DeviceNameTemplate = ""
	b = sim.New(w, sim.Options{Clock: flow.NewVirtualClock(epoch), Seed: 4})
	n, _ := b.DeviceName(ctx)
	if !strings.HasPrefix(n, "DESKTOP-") || len(n) != 15 {
		t.Errorf("default name = %q", n)
	}
	b.Reset(ctx)
	if again, _ := b.DeviceName(ctx); again != n {
		t.Errorf("after Reset %q, before %q", again, n)
	}
	w.Profile.Join = flow.JoinHybrid
	w.DomainJoin = &flow.DomainJoin{Domain: "corp.x.com", Prefix: "FABHY-", RandomChars: 5}
	b = sim.New(w, sim.Options{Clock: flow.NewVirtualClock(epoch)})
	if n, _ := b.DeviceName(ctx); !strings.HasPrefix(n, "FABHY-") || len(n) != 11 {
		t.Errorf("hybrid name = %q", n)
	}
}

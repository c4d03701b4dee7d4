package sim_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
)

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testTenant is a small world: one push user megan@x.com, a few networks, an update.
func testTenant() *sim.World {
	p := flow.DefaultProfile()
	p.Name = "Test profile"
	p.ESP.BlockingAppIDs = []string{"a"}
	return &sim.World{
		Tenant: flow.Tenant{Profile: p},
		Scenario: sim.Scenario{
			Schema:           sim.ScenarioSchema,
			Device:           sim.ScenarioDevice{Serial: "8CG3471KQD"},
			DisplayLanguages: []string{"en-US", "de-DE"},
			WiFi: []sim.ScenarioWiFi{
				{SSID: "weak", Signal: 1, Security: flow.SecurityOpen, Internet: true},
				{SSID: "Corp", Signal: 4, Security: flow.SecurityPSK, Key: "Runway-2026!", Internet: true},
				{SSID: "cafe", Signal: 2, Security: flow.SecurityOpen, Internet: false},
				{SSID: "Lab", Signal: 4, Security: flow.SecurityPSK, Key: "Flaps-Down-15", Internet: true, Hidden: true},
				{SSID: "Guest", Signal: 4, Security: flow.SecurityOpen, Internet: true},
				{SSID: "alpha", Signal: 2, Security: flow.SecurityPSK, Key: "12345678", Internet: true},
				{SSID: "Crew", Signal: 3, Security: flow.SecurityEnterprise, Internet: true},
				{SSID: "CrewCert", Signal: 3, Security: flow.SecurityEnterprise, Internet: true, Hidden: true, CertificatePrompt: true},
			},
			Updates: sim.ScenarioUpdates{Available: true, Restart: true, CheckSeconds: 4, DownloadSeconds: 6, InstallSeconds: 5, RestartSeconds: 8},
			Users:   []sim.ScenarioUser{{UPN: "megan@x.com", DisplayName: "Megan", Password: "Contrail#2026", MFA: flow.MFAPush, Licensed: true}},
		},
	}
}

func newSim(opts sim.Options) (*sim.Backend, *flow.VirtualClock) {
	c := flow.NewVirtualClock(epoch)
	opts.Clock = c
	return sim.New(testTenant(), opts), c
}

// embedded returns a backend on the embedded tenant (Larkspur Aviation) and its clock.
func embedded(t *testing.T, seed int64) (*sim.Backend, *flow.VirtualClock) {
	t.Helper()
	w, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	c := flow.NewVirtualClock(epoch)
	return sim.New(w, sim.Options{Clock: c, Seed: seed}), c
}

// about reports whether d is within ±10 % of want.
func about(d, want time.Duration) bool { return d >= want*9/10 && d <= want*11/10 }

// seconds converts scenario seconds into a duration.
func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func signIn(t *testing.T, b *sim.Backend, upn, pw string) flow.SignInResult {
	t.Helper()
	res, err := b.SignIn(context.Background(), flow.Credentials{UPN: upn, Password: pw})
	if err != nil {
		t.Fatalf("SignIn(%s): %v", upn, err)
	}
	return res
}

var (
	ticketsMu sync.Mutex
	tickets   = map[*sim.Backend]flow.Ticket{}
)

// enroll signs upn in, answers the MFA challenge (push or the user's code) and enrolls the
// device; provision uses the ticket afterwards.
func enroll(t *testing.T, b *sim.Backend, upn, pw string, code ...string) flow.Ticket {
	t.Helper()
	ctx := context.Background()
	res := signIn(t, b, upn, pw)
	switch res.MFA {
	case flow.MFAPush:
		if err := b.WaitMFA(ctx, res.Ticket); err != nil {
			t.Fatalf("WaitMFA(%s): %v", upn, err)
		}
	case flow.MFACode:
		c := sim.DefaultMFACode
		if len(code) > 0 {
			c = code[0]
		}
		if err := b.VerifyCode(ctx, res.Ticket, c); err != nil {
			t.Fatalf("VerifyCode(%s): %v", upn, err)
		}
	}
	if err := b.Enroll(ctx, res.Ticket); err != nil {
		t.Fatalf("Enroll(%s): %v", upn, err)
	}
	ticketsMu.Lock()
	tickets[b] = res.Ticket
	ticketsMu.Unlock()
	return res.Ticket
}

// ticketFor is the ticket of the last enroll on b; without one it enrolls the world's usual
// user first (megan@x.com on testTenant, Megan Rivera on the embedded tenant).
func ticketFor(t *testing.T, b *sim.Backend) flow.Ticket {
	t.Helper()
	ticketsMu.Lock()
	tk, ok := tickets[b]
	ticketsMu.Unlock()
	if ok {
		return tk
	}
	if _, err := b.SignIn(context.Background(), flow.Credentials{UPN: "megan@x.com", Password: "Contrail#2026"}); err == nil {
		return enroll(t, b, "megan@x.com", "Contrail#2026")
	}
	return enroll(t, b, "megan.rivera@larkspuraero.com", "Contrail#2026")
}

// collect reads a stream to its end (failing after 10 s of real time).
func collect(t *testing.T, s flow.Stream) []flow.Event {
	t.Helper()
	type item struct {
		ev  flow.Event
		err error
	}
	items := make(chan item)
	go func() {
		defer close(items)
		for {
			ev, err := s.Next(context.Background())
			items <- item{ev, err}
			if err != nil {
				return
			}
		}
	}()
	var out []flow.Event
	guard := time.After(10 * time.Second)
	for {
		select {
		case it := <-items:
			if errors.Is(it.err, io.EOF) {
				return out
			}
			if it.err != nil {
				t.Fatalf("stream: %v", it.err)
			}
			out = append(out, it.ev)
		case <-guard:
			t.Fatal("stream never ended")
		}
	}
}

// provision runs one phase for the enrolled user of b to its end and returns the events and
// the status built from them.
func provision(t *testing.T, b *sim.Backend, p flow.ESPPhase, st *flow.ESPStatus) []flow.Event {
	t.Helper()
	s, err := b.Provision(context.Background(), flow.ProvisionRequest{Phase: p, Ticket: ticketFor(t, b)})
	if err != nil {
		t.Fatalf("Provision(%s): %v", p, err)
	}
	evs := collect(t, s)
	last := time.Time{}
	for i, ev := range evs {
		if ev.ESPPhase() != p {
			t.Errorf("event %d of %s is about %q", i, p, ev.Phase)
		}
		if ev.At.Before(last) {
			t.Errorf("event %d goes back in time", i)
		}
		last = ev.At
		st.Apply(ev)
	}
	if len(evs) < 2 || evs[0].Kind != flow.EventESPPhaseStart || evs[len(evs)-1].Kind != flow.EventESPPhaseDone {
		t.Fatalf("%s stream does not start and end right: %v", p, describe(evs))
	}
	for _, ev := range evs[1 : len(evs)-1] {
		if ev.Kind == flow.EventESPPhaseStart || ev.Kind == flow.EventESPPhaseDone {
			t.Errorf("%s in the middle of the stream", ev.Kind)
		}
	}
	return evs
}

// describe renders events compactly: "item:apps/a=working".
func describe(evs []flow.Event) []string {
	var out []string
	for _, ev := range evs {
		switch ev.Kind {
		case flow.EventESPPhaseStart:
			out = append(out, "start")
		case flow.EventESPIdentified:
			out = append(out, fmt.Sprintf("identified:%s=%d", ev.Category, len(ev.Items)))
		case flow.EventESPItem:
			s := fmt.Sprintf("item:%s/%s=%s", ev.Category, ev.ItemID, ev.State)
			if ev.ItemID == "" {
				s = fmt.Sprintf("item:%s=%s", ev.Category, ev.State)
			}
			if ev.Code != "" {
				s += "(" + ev.Code + ")"
			}
			out = append(out, s)
		case flow.EventESPReboot:
			out = append(out, "reboot")
		case flow.EventESPResumed:
			out = append(out, "resumed")
		case flow.EventESPPhaseDone:
			s := "done:" + string(ev.State)
			if ev.State == flow.ItemFailed {
				s += fmt.Sprintf("(%s/%s %s)", ev.Category, ev.ItemID, ev.Code)
			}
			out = append(out, s)
		default:
			out = append(out, string(ev.Kind))
		}
	}
	return out
}

// stuckClock never moves: every sleep lasts until its context ends.
type stuckClock struct{}

func (stuckClock) Now() time.Time { return epoch }
func (stuckClock) Sleep(ctx context.Context, _ time.Duration) error {
	<-ctx.Done()
	return ctx.Err()
}

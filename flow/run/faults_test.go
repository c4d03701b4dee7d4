package run_test

import (
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// ordinaryOOBE checks that a device Autopilot does not know goes through the pages Autopilot
// skips after the license: Let's name your device and How would you like to set up this
// device? (reference §1.2), then the sign-in without branding, and no ESP.
func ordinaryOOBE(t *testing.T, h *harness, f sim.Fault) {
	r := h.r
	h.toNetwork()
	h.must("connect", r.Network().Connect(flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!"}, false))
	h.until("joined", func() bool { return r.Network().State == run.NetReady })
	h.must("next", r.Network().Next())
	h.on(flow.StepEULA)
	if p := r.Profile(); !p.NotAutopilot || r.Device().Organization.DisplayName != "" {
		t.Fatalf("profile %+v, organization %+v: want the ordinary OOBE", p, r.Device().Organization)
	}
	h.must("eula", r.AcceptEULA())
	h.on(flow.StepDeviceName)
	if err := r.NameDevice("12345"); err == nil {
		t.Error("an all-digit name was taken")
	}
	h.must("name", r.NameDevice("LAB-PC-07"))
	h.on(flow.StepSetupChoice)
	h.must("work or school", r.ChooseSetup(true))
	h.on(flow.StepSignIn)
	for _, s := range r.Steps() {
		if s == flow.StepESPDevice || s == flow.StepESPAccount {
			t.Errorf("the plan %v has the ESP", r.Steps())
		}
	}
	h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
	h.on(flow.StepPrivacy)
	if r.Answers().DeviceName != "LAB-PC-07" || r.Answers().SetupFor != "work" {
		t.Errorf("answers %+v", r.Answers())
	}
}

// TestFaultsAppearAtTheirPlace (issue 10, reference §6): every fault of the catalogue, applied
// to the embedded tenant, shows where `oobe faults` says, with its code.
func TestFaultsAppearAtTheirPlace(t *testing.T) {
	hybrid := func(w *sim.World) {
		w.Profile.Join = flow.JoinHybrid
		w.DomainJoin = &flow.DomainJoin{Domain: "corp.larkspuraero.com", Prefix: "LSA-", RandomChars: 5}
	}
	espFailed := func(t *testing.T, h *harness) *run.ESP {
		h.toSignIn()
		h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
		h.on(flow.StepESPDevice)
		e := h.r.ESPStep()
		h.until("the ESP error", func() bool { return e.State == run.ESPFailed })
		return e
	}
	checks := map[string]func(t *testing.T, h *harness, f sim.Fault){
		"no-internet": func(t *testing.T, h *harness, f sim.Fault) {
			r := h.r
			h.toNetwork()
			h.must("connect", r.Network().Connect(flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!"}, false))
			h.until("joined", func() bool { return r.Network().State == run.NetReady })
			if r.Network().NoInternet != "Larkspur-Corp" || r.Network().Next() == nil {
				t.Errorf("Larkspur-Corp has internet (%+v)", r.Network())
			}
		},
		"mfa-denied": func(t *testing.T, h *harness, f sim.Fault) {
			h.toSignIn()
			s := h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
			h.until("the answer", func() bool { return s.State != run.SignMFAPush })
			if s.State != run.SignMFADenied {
				t.Errorf("state %d, want MFA denied", s.State)
			}
		},
		"dc-unreachable": func(t *testing.T, h *harness, f sim.Fault) {
			e := espFailed(t, h)
			if ps, item, ok := h.r.ESP().Failed(); !ok || ps != flow.ESPDevicePreparation || !strings.EqualFold(item.Code, f.Code) {
				t.Errorf("failed %s %+v, want Device preparation with %s (timed out %v)", ps, item, f.Code, e.TimedOut)
			}
		},
		"restart-during-setup": func(t *testing.T, h *harness, f sim.Fault) {
			h.toSignIn()
			h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
			h.on(flow.StepESPDevice)
			e := h.r.ESPStep()
			h.until("the restart", func() bool { return e.State == run.ESPRestarting })
		},
		"network-lost": func(t *testing.T, h *harness, f sim.Fault) {
			r := h.r
			h.toNetwork()
			h.must("connect", r.Network().Connect(flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!"}, false))
			h.until("joined", func() bool { return r.Network().State == run.NetReady })
			if r.Network().NoInternet != "Larkspur-Corp" {
				t.Errorf("Larkspur-Corp has internet with the network lost (%+v)", r.Network())
			}
		},
		"not-registered": ordinaryOOBE,
		"no-profile":     ordinaryOOBE,
		"adfs": func(t *testing.T, h *harness, f sim.Fault) {
			h.toSignIn()
			s := h.r.SignIn()
			if s.State != run.SignFederated || !s.Assigned || s.UPN != "megan.rivera@larkspuraero.com" {
				t.Fatalf("sign-in state %d, assigned %v, %q; want the AD FS page for the assigned user", s.State, s.Assigned, s.UPN)
			}
			h.must("sign in as another user", s.SubmitFederated("priya.natarajan@larkspuraero.com", "Crosswind#2026"))
			h.until("the enrollment", func() bool { return s.State == run.SignEnrollError || h.r.Step() != flow.StepSignIn })
			if h.r.User().UPN != "priya.natarajan@larkspuraero.com" {
				t.Errorf("signed in %q, want the other user", h.r.User().UPN)
			}
		},
		"stuck-identifying": func(t *testing.T, h *harness, f sim.Fault) {
			h.toSignIn()
			h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
			h.on(flow.StepPrivacy)
			h.must("privacy", h.r.AcceptPrivacy(nil))
			h.on(flow.StepESPAccount)
			e := h.r.ESPStep()
			h.until("the ESP timeout", func() bool { return e.State == run.ESPFailed })
			g, _ := h.r.ESP().Phase(flow.ESPAccountSetup).Group(flow.CategoryApps)
			if !e.TimedOut || g.State() != flow.ItemIdentifying {
				t.Errorf("Account setup: timed out %v, apps %s; want a timeout while identifying", e.TimedOut, g.State())
			}
		},
		"esp-timeout": func(t *testing.T, h *harness, f sim.Fault) {
			if e := espFailed(t, h); !e.TimedOut {
				t.Error("the ESP failed without timing out")
			}
		},
	}
	for _, f := range sim.Faults() {
		t.Run(f.Name, func(t *testing.T) {
			h := newHarness(t, func(w *sim.World) {
				if f.HybridOnly {
					hybrid(w)
				}
				if err := sim.ApplyFault(w, f.Name); err != nil {
					t.Fatal(err)
				}
			})
			if check, ok := checks[f.Name]; ok {
				check(t, h, f)
				return
			}
			switch {
			case f.Where == "sign-in: after the user name":
				h.toSignIn()
				s := h.r.SignIn()
				h.must("user", s.SubmitUser("megan.rivera@larkspuraero.com"))
				h.until("checked", func() bool { return s.State != run.SignCheckingUser })
				if s.State != run.SignUser || s.Err == nil || s.Err.HResult != f.Code {
					t.Errorf("after the user name: state %d, error %v; want the user page with %s", s.State, s.Err, f.Code)
				}
			case strings.HasPrefix(f.Where, "sign-in: enrollment"):
				h.toSignIn()
				s := h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
				h.until("the enrollment", func() bool { return s.State == run.SignEnrollError })
				if !strings.EqualFold(s.HResult, f.Code) {
					t.Errorf("enrollment failed with %q, want %s", s.HResult, f.Code)
				}
			case strings.HasPrefix(f.Where, "Enrollment Status Page: Device setup, Apps"):
				espFailed(t, h)
				if ps, item, ok := h.r.ESP().Failed(); !ok || ps != flow.ESPDeviceSetup || item.Code != f.Code {
					t.Errorf("failed %s %+v, want Device setup with %s", ps, item, f.Code)
				}
			default:
				t.Fatalf("no check for %s (%s)", f.Name, f.Where)
			}
		})
	}
	if err := sim.ApplyFault(&sim.World{}, "nope"); err == nil || !strings.Contains(err.Error(), "unlicensed") {
		t.Errorf("an unknown fault: %v", err)
	}
}

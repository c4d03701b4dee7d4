package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/tenant"
	"github.com/oobe-emu/oobe/themes"
)

// TestREADMERecipesLoad: every recipe of the README's trainer section loads on a fresh clone
// (the files are in examples/): the program gets as far as needing a terminal, and oobe
// check finds the hybrid tenant valid.
func TestREADMERecipesLoad(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	for _, args := range [][]string{
		{"--tenant", filepath.Join(root, "tenants", "larkspur-hybrid")},
		{"--tenant", filepath.Join(root, "tenants", "larkspur-hybrid"), "--scenario", filepath.Join(root, "scenarios", "dc-unreachable.json")},
	} {
		var out, errb bytes.Buffer
		if code := run(args, env(), &out, &errb); code != 1 || !strings.Contains(errb.String(), "needs an interactive terminal") {
			t.Errorf("%v: exit %d, stderr %q; want the files loaded", args, code, errb.String())
		}
	}
	scenarios, _ := filepath.Glob(filepath.Join(root, "scenarios", "*.json"))
	if len(scenarios) < 7 {
		t.Fatalf("%d example scenarios", len(scenarios))
	}
	for _, f := range scenarios {
		var out, errb bytes.Buffer
		if code := run([]string{"--scenario", f}, env(), &out, &errb); code != 1 || !strings.Contains(errb.String(), "needs an interactive terminal") {
			t.Errorf("%s: exit %d, stderr %q; want it loaded", f, code, errb.String())
		}
		var story struct{ Story string }
		if data, err := os.ReadFile(f); err != nil || json.Unmarshal(data, &story) != nil || len(story.Story) < 40 {
			t.Errorf("%s has no story for the trainer", f)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"check", filepath.Join(root, "tenants", "larkspur-hybrid")}, env(), &out, &errb); code != 0 || !strings.Contains(out.String(), "(hybrid join)") {
		t.Errorf("check: exit %d:\n%s%s", code, out.String(), errb.String())
	}
	// the hybrid trainer scenarios name their tenant: --scenario alone plays a hybrid join
	for _, c := range []struct {
		file      string
		skipCheck bool
	}{{"hybrid.json", false}, {"hybrid-no-dc-check.json", true}} {
		var errb bytes.Buffer
		w, ok := loadTenant(tenantConfig{scenario: filepath.Join(root, "scenarios", c.file)}, &errb)
		if !ok {
			t.Fatalf("%s: %s", c.file, errb.String())
		}
		if w.Profile.Join != flow.JoinHybrid || w.Profile.SkipDCCheck != c.skipCheck || w.DomainJoin == nil {
			t.Errorf("%s: profile %+v, domain join %+v; want a hybrid join (skip check %v)", c.file, w.Profile, w.DomainJoin, c.skipCheck)
		}
		if c.skipCheck && (w.Scenario.VPN == nil || w.Scenario.DomainController.IsReachable()) {
			t.Errorf("%s: VPN %+v, domain controller reachable %v", c.file, w.Scenario.VPN, w.Scenario.DomainController.IsReachable())
		}
	}
	// a tenant that is not relative to the scenario is one clear line
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"$schema": "oobe-scenario/1", "tenant": "/etc"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := run([]string{"--scenario", bad}, env(), &out, &errb); code == 0 || !strings.Contains(errb.String(), "$.tenant: want a folder relative to the scenario file") {
		t.Errorf("an absolute tenant: exit %d, %q", code, errb.String())
	}
}

// TestFaultsCommand: oobe faults lists every fault with where it appears and its code (also
// as JSON); --fault and OOBE_FAULT take names from it, and an unknown one is a usage error.
func TestFaultsCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"faults"}, env(), &out, &errb); code != 0 || !strings.Contains(out.String(), "unlicensed") || !strings.Contains(out.String(), "80180018") {
		t.Fatalf("faults: exit %d:\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"faults", "--json"}, env(), &out, &errb); code != 0 {
		t.Fatalf("faults --json: exit %d", code)
	}
	var list []struct{ Name, Where, Code, Description string }
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) < 10 {
		t.Fatalf("faults --json: %v, %d faults", err, len(list))
	}
	for _, f := range list {
		if f.Name == "" || f.Where == "" || f.Description == "" {
			t.Errorf("fault %+v lacks a name, place or description", f)
		}
	}
	for _, c := range []struct {
		args []string
		env  func(string) string
		code int
		want string
	}{
		{[]string{"--fault", "unlicensed,app-failure"}, env(), 1, "needs an interactive terminal"},
		{nil, env("OOBE_FAULT", "esp-timeout"), 1, "needs an interactive terminal"},
		{[]string{"--fault", "gremlins"}, env(), 2, `no fault named "gremlins"`},
		{[]string{"--fault", "unlicensed@signin", "--trainer"}, env(), 1, "needs an interactive terminal"},
		{[]string{"--fault", "unlicensed@nowhere"}, env(), 2, `no step "nowhere"; the steps are language, region`},
		{[]string{"--fault", "gremlins@signin"}, env(), 2, `no fault named "gremlins"`},
	} {
		errb.Reset()
		if code := run(c.args, c.env, &out, &errb); code != c.code || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errb.String(), c.code, c.want)
		}
	}
}

// TestScheduledFaultsReachTheRun: --fault NAME@STEP waits for its step in the run built by
// the factory (the sim does not play it from power-on), a plain NAME is on from power-on, and
// --trainer gives the model its panel.
func TestScheduledFaultsReachTheRun(t *testing.T) {
	w, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	later, err := planFaults(w, []string{"unlicensed@signin", "app-failure", "app-failure"})
	if err != nil {
		t.Fatal(err)
	}
	if len(later) != 1 || later[0] != (flow.ScheduledFault{Name: "unlicensed", At: flow.StepSignIn}) || !slices.Equal(w.Scenario.Faults, []string{"app-failure"}) {
		t.Fatalf("later %v, from power-on %v", later, w.Scenario.Faults)
	}
	th, _ := themes.Lookup(themes.DefaultName)
	f := factory{world: w, theme: th, windows: flow.Windows11, locale: "en-US", speed: speed{}, seed: 1, faults: later, trainer: true, id: "t"}
	b, err := f.build(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.run.Close()
	if s := b.run.Trainer().Scheduled(); !slices.Equal(s, later) {
		t.Errorf("the run waits for %v, want %v", s, later)
	}
	b.model.Init()
	b.model.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if !strings.Contains(b.model.View().Content, "f9") {
		t.Errorf("the help line does not offer the trainer panel:\n%s", b.model.View().Content)
	}
}

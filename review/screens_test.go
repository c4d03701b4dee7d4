package review

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
)

// loadDir loads a tenant folder of the repository.
func loadDir(dir string) func() (*sim.World, error) {
	return func() (*sim.World, error) {
		w, _, err := tenant.LoadPaths([]string{dir}, tenant.Options{})
		return w, err
	}
}

var look120 = Look{Theme: "win11-dark", Locale: "en-US", Windows: flow.Windows11, W: 120, H: 40}

// TestScreensCoverThePlanAndTheStates: the gallery of the embedded tenant has every page of
// its plan, in the plan's order, then each notable state; every picture is written in each
// format under a name made of its number, step, state and look.
func TestScreensCoverThePlanAndTheStates(t *testing.T) {
	out := t.TempDir()
	g, err := Screens(ScreensOptions{Load: tenant.LoadEmbedded, Looks: []Look{look120}, Formats: []string{"txt", "svg", "png", "html"}, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	pics := g.Looks[0].Pictures
	var tourSteps []flow.StepID
	states := map[string]*Picture{}
	for _, p := range pics {
		if n := len(tourSteps); n == 0 || tourSteps[n-1] != p.Step {
			tourSteps = append(tourSteps, p.Step)
		}
		states[p.State] = p
		if p.State == "finish" {
			break
		}
	}
	var plan []flow.StepID
	for _, l := range g.Plan {
		if l.Shown {
			plan = append(plan, l.Step)
		}
		if l.Step == flow.StepQualityUpdates && l.Shown {
			plan = append(plan, flow.StepWindowsSignIn) // its restart adds the Windows sign-in
		}
	}
	if !slices.Equal(tourSteps, plan) {
		t.Errorf("the tour's pages\n%v\nare not the plan\n%v", tourSteps, plan)
	}
	for _, p := range pics {
		states[p.State] = p
	}
	for _, want := range []string{"mfa-push", "working-devicePreparation", "working-deviceSetup", "working-accountSetup",
		"unknown-user", "wrong-password", "mfa-code", "mfa-denied", "fault-no-internet", "fault-app-failure",
		"fault-esp-timeout", "fault-stuck-identifying", "account-app-failed", "account-timeout", "diagnostics", "restart", "finish"} {
		if states[want] == nil {
			t.Errorf("no picture of the state %s", want)
		}
	}
	// the failed ESP shows the tenant's own message and the buttons its ESP profile allows
	failed := states["fault-app-failure"]
	if failed != nil {
		for _, want := range []string{"Larkspur Ops IT desk", "0x81036502", "Try again", "Reset device", "Collect logs"} {
			if !strings.Contains(flatText(failed.Text), want) {
				t.Errorf("the failed ESP lacks %q:\n%s", want, failed.Text)
			}
		}
	}
	for _, st := range []string{"fault-esp-timeout", "account-timeout"} {
		if p := states[st]; p != nil && !strings.Contains(flatText(p.Text), "taking longer than expected") {
			t.Errorf("the %s picture:\n%s", st, p.Text)
		}
	}
	if p := states["account-app-failed"]; p != nil && (p.Step != flow.StepESPAccount || !strings.Contains(p.Text, "0x80070643")) {
		t.Errorf("the failed Account setup is on %s:\n%s", p.Step, p.Text)
	}
	// the walk types the scenario's secrets; no picture shows one
	w, _ := tenant.LoadEmbedded()
	secrets := []string{pin}
	for _, u := range w.Scenario.Users {
		secrets = append(secrets, u.Password, u.MFACode)
	}
	for _, n := range w.Scenario.WiFi {
		secrets = append(secrets, n.Key)
	}
	for _, p := range pics {
		for _, sec := range secrets {
			if sec != "" && strings.Contains(p.Text, sec) {
				t.Errorf("picture %s/%s shows the secret %q", p.Step, p.State, sec)
			}
		}
	}
	name := regexp.MustCompile(`^\d\d-[a-z0-9-]+-[a-zA-Z0-9-]+_win11-dark_en-US_win11_120x40\.(txt|svg|png)$`)
	for _, p := range pics {
		for _, f := range []string{"txt", "svg", "png"} {
			file := p.Files[f]
			if !name.MatchString(file) || !strings.Contains(file, string(p.Step)+"-"+p.State) {
				t.Errorf("picture %d %s/%s: file %q", p.Seq, p.Step, p.State, file)
			}
			if st, err := os.Stat(filepath.Join(out, file)); err != nil || st.Size() == 0 {
				t.Errorf("%s not written: %v", file, err)
			}
		}
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(index), "<img "); n != len(pics) {
		t.Errorf("index.html shows %d pictures of %d", n, len(pics))
	}
	checkSelfContained(t, string(index))
}

// TestGalleryGivesThePlansReasons: the sample Entra profile hides the license and privacy
// pages; the gallery says so and shows neither.
func TestGalleryGivesThePlansReasons(t *testing.T) {
	out := t.TempDir()
	g, err := Screens(ScreensOptions{Load: loadDir("../examples/tenants/fabrikam-entra"), Looks: []Look{look120}, Formats: []string{"txt", "html"}, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range g.Looks[0].Pictures {
		if p.Step == flow.StepEULA || p.Step == flow.StepPrivacy {
			t.Errorf("picture of %s, which the profile hides", p.Step)
		}
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	for _, want := range []string{"EULA hidden by the profile (hideEULA)", "privacy settings hidden by the profile", "escape link (Sign in with another account / Start over) hidden by the profile"} {
		if !strings.Contains(string(index), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

// TestScreensOfAHybridJoin: the shipped hybrid tenant's tour goes through the Microsoft Entra
// prompt of Account setup and its Sign out to the Windows sign-in and the desktop
// (reference §1.4).
func TestScreensOfAHybridJoin(t *testing.T) {
	g, err := Screens(ScreensOptions{Load: loadDir("../examples/tenants/larkspur-hybrid"), Looks: []Look{look120}, Formats: []string{"txt"}, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var tour []string
	for _, p := range g.Looks[0].Pictures {
		tour = append(tour, string(p.Step)+"/"+p.State)
		if p.State == "finish" {
			break
		}
	}
	got := strings.Join(tour, " ")
	for _, want := range []string{"esp-account/entra-prompt esp-account/stay-signed-in esp-account/entra-all-set esp-account/sign-out windows-signin/locked windows-signin/page", "desktop/finish"} {
		if !strings.Contains(got, want) {
			t.Errorf("the hybrid tour lacks %q:\n%s", want, got)
		}
	}
}

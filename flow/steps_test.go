package flow_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

const (
	lang   = flow.StepLanguage
	region = flow.StepRegion
	kb     = flow.StepKeyboard
	kb2    = flow.StepKeyboard2
	netw   = flow.StepNetwork
	upd    = flow.StepUpdates
	eula   = flow.StepEULA
	signin = flow.StepSignIn
	espD   = flow.StepESPDevice
	priv   = flow.StepPrivacy
	fsia   = flow.StepFSIA
	espA   = flow.StepESPAccount
	qual   = flow.StepQualityUpdates
	whfb   = flow.StepHello
	desk   = flow.StepDesktop
)

// tail is the plan after sign-in for the default profile (ESP hidden, privacy shown, Hello
// not configured).
var tail = []flow.StepID{priv, fsia, whfb, desk}

// with returns head followed by tail.
func with(head ...flow.StepID) []flow.StepID { return append(head, tail...) }

func profile(locale flow.LocaleMode, kbSkipped, eulaHidden bool) flow.Profile {
	p := flow.DefaultProfile()
	p.LocaleMode = locale
	if locale == flow.LocaleFixed {
		p.Locale = "de-DE"
	}
	p.KeyboardSkipped = kbSkipped
	p.EULAHidden = eulaHidden
	return p
}

func boot(langs int, wired bool) flow.Boot {
	b := flow.Boot{Languages: []string{"en-US", "de-DE"}[:langs]}
	if wired {
		b.Wired, b.ProfileKnown = true, true
	}
	return b
}

// TestPlanTable spells out the notable combinations.
func TestPlanTable(t *testing.T) {
	tests := []struct {
		name string
		p    flow.Profile
		b    flow.Boot
		want []flow.StepID
	}{
		{"Wi-Fi, 1 language, user-select, everything shown",
			profile(flow.LocaleUserSelect, false, false), boot(1, false),
			with(region, kb, kb2, netw, upd, eula, signin)},
		{"Wi-Fi, 2 languages adds the language page",
			profile(flow.LocaleUserSelect, false, false), boot(2, false),
			with(lang, region, kb, kb2, netw, upd, eula, signin)},
		{"Wi-Fi, fixed locale + keyboard skipped: profile not known yet, region/keyboard stay",
			profile(flow.LocaleFixed, true, true), boot(1, false),
			with(region, kb, kb2, netw, upd, signin)},
		{"Wi-Fi, 2 languages, fixed locale + keyboard skipped: language stays too",
			profile(flow.LocaleFixed, true, false), boot(2, false),
			with(lang, region, kb, kb2, netw, upd, eula, signin)},
		{"wired, fixed locale + keyboard skipped: straight to updates",
			profile(flow.LocaleFixed, true, true), boot(2, true),
			with(upd, signin)},
		{"wired, fixed locale, keyboard not skipped: region and keyboard stay",
			profile(flow.LocaleFixed, false, false), boot(2, true),
			with(region, kb, kb2, upd, eula, signin)},
		{"wired, os-default + keyboard skipped: no language set, nothing skipped but network",
			profile(flow.LocaleOSDefault, true, false), boot(1, true),
			with(region, kb, kb2, upd, eula, signin)},
		{"wired, user-select, 2 languages: the user still picks",
			profile(flow.LocaleUserSelect, true, true), boot(2, true),
			with(lang, region, kb, kb2, upd, signin)},
		{"wired but profile not prefetched: region/keyboard stay",
			profile(flow.LocaleFixed, true, true), flow.Boot{Languages: []string{"en-US"}, Wired: true},
			with(region, kb, kb2, upd, signin)},
		{"profile known without a cable cannot skip anything",
			profile(flow.LocaleFixed, true, true), flow.Boot{Languages: []string{"en-US"}, ProfileKnown: true},
			with(region, kb, kb2, netw, upd, signin)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := flow.Plan(tc.p, tc.b); !slices.Equal(got, tc.want) {
				t.Errorf("Plan = %v, want %v", got, tc.want)
			}
		})
	}
}

// expectedPlan restates reference §1.1, §1.2 and §1.10 independently of flow.Visible.
func expectedPlan(langs int, wired bool, locale flow.LocaleMode, kbSkipped, eulaHidden bool) []flow.StepID {
	prefetched := wired // wired at boot = profile known before the first page
	fixed := locale == flow.LocaleFixed
	var out []flow.StepID
	if langs > 1 && !(prefetched && fixed) {
		out = append(out, lang)
	}
	if !(prefetched && fixed && kbSkipped) {
		out = append(out, region, kb, kb2)
	}
	if !wired {
		out = append(out, netw)
	}
	out = append(out, upd)
	if !eulaHidden {
		out = append(out, eula)
	}
	out = append(out, signin)
	// After sign-in (reference §1.2 rows 9–15) for the default profile: ESP not shown, privacy
	// shown, Hello not configured.
	return append(out, priv, fsia, whfb, desk)
}

// TestPlanMatrix covers every combination of the matrix.
func TestPlanMatrix(t *testing.T) {
	n := 0
	for _, langs := range []int{1, 2} {
		for _, wired := range []bool{false, true} {
			for _, locale := range []flow.LocaleMode{flow.LocaleUserSelect, flow.LocaleOSDefault, flow.LocaleFixed} {
				for _, kbSkipped := range []bool{false, true} {
					for _, eulaHidden := range []bool{false, true} {
						n++
						name := fmt.Sprintf("langs=%d/wired=%t/%s/kbSkipped=%t/eulaHidden=%t", langs, wired, locale, kbSkipped, eulaHidden)
						p, b := profile(locale, kbSkipped, eulaHidden), boot(langs, wired)
						got := flow.Plan(p, b)
						if want := expectedPlan(langs, wired, locale, kbSkipped, eulaHidden); !slices.Equal(got, want) {
							t.Errorf("%s: Plan = %v, want %v", name, got, want)
						}
						if !wired && !slices.Contains(got, region) {
							t.Errorf("%s: Wi-Fi must always show region (profile unknown before it)", name)
						}
						for _, s := range flow.AllSteps {
							if flow.Visible(s, p, b) != slices.Contains(got, s) {
								t.Errorf("%s: Visible(%s) disagrees with Plan", name, s)
							}
						}
					}
				}
			}
		}
	}
	if n != 48 {
		t.Fatalf("matrix has %d cases, want 48", n)
	}
}

// TestSessionBack walks every plan of the matrix forward, trying Back at each step.
func TestSessionBack(t *testing.T) {
	for _, langs := range []int{1, 2} {
		for _, wired := range []bool{false, true} {
			for _, locale := range []flow.LocaleMode{flow.LocaleUserSelect, flow.LocaleOSDefault, flow.LocaleFixed} {
				for _, kbSkipped := range []bool{false, true} {
					for _, eulaHidden := range []bool{false, true} {
						name := fmt.Sprintf("langs=%d/wired=%t/%s/kbSkipped=%t/eulaHidden=%t", langs, wired, locale, kbSkipped, eulaHidden)
						checkBack(t, name, profile(locale, kbSkipped, eulaHidden), boot(langs, wired))
					}
				}
			}
		}
	}
}

func checkBack(t *testing.T, name string, p flow.Profile, b flow.Boot) {
	t.Helper()
	s := flow.NewSession(p, b)
	plan := s.Steps()
	for i := 0; ; i++ {
		cur := s.Current()
		if cur != plan[i] {
			t.Fatalf("%s: at %d current = %s, want %s", name, i, cur, plan[i])
		}
		backOK := s.Back()
		switch {
		case cur == upd || cur == eula || cur == signin || cur == lang || slices.Index(flow.AllSteps, cur) > slices.Index(flow.AllSteps, signin):
			if backOK {
				t.Errorf("%s: Back allowed from %s", name, cur)
			}
		case i == 0:
			if backOK {
				t.Errorf("%s: Back allowed from the first step %s", name, cur)
			}
		default:
			if !backOK {
				t.Errorf("%s: Back refused from %s", name, cur)
			}
		}
		if backOK {
			if got := s.Current(); got != plan[i-1] || !flow.Visible(got, p, b) {
				t.Errorf("%s: Back from %s landed on %s, want the visible %s", name, cur, got, plan[i-1])
			}
			if !s.Advance() || s.Current() != cur {
				t.Fatalf("%s: cannot return to %s", name, cur)
			}
		} else if s.Current() != cur {
			t.Errorf("%s: refused Back moved from %s to %s", name, cur, s.Current())
		}
		if !s.Advance() {
			break
		}
	}
	if s.Current() != desk {
		t.Errorf("%s: ended on %s", name, s.Current())
	}
}

// TestSessionBackSkipsHidden: on Wi-Fi with a fixed locale and keyboard skipped the keyboard
// pages are shown; wired with a prefetched profile they are not, and Back from network is
// impossible because network is hidden too.
func TestSessionBackSkipsHidden(t *testing.T) {
	p := profile(flow.LocaleFixed, true, false)
	s := flow.NewSession(p, boot(1, false))
	for s.Current() != netw {
		if !s.Advance() {
			t.Fatal("network step not reached")
		}
	}
	if !s.Back() || s.Current() != kb2 {
		t.Errorf("Back from network = %s, want keyboard2", s.Current())
	}

	s = flow.NewSession(p, boot(2, true))
	if s.Current() != upd {
		t.Fatalf("wired first step = %s, want updates", s.Current())
	}
	if s.CanGoBack() || s.Back() {
		t.Error("Back allowed from updates")
	}
	s.Advance()
	if s.Current() != eula || s.Back() {
		t.Errorf("Back allowed from %s", s.Current())
	}
}

// TestPlanAfterSignIn covers the rules of the steps after sign-in (reference §1.2 rows 9–15).
func TestPlanAfterSignIn(t *testing.T) {
	wired := boot(1, true)
	head := []flow.StepID{region, kb, kb2, upd, eula, signin}
	tests := []struct {
		name   string
		change func(*flow.Profile, *flow.Boot)
		want   []flow.StepID
	}{
		{"default: ESP hidden", func(*flow.Profile, *flow.Boot) {}, []flow.StepID{priv, fsia, whfb, desk}},
		{"ESP shown, no quality updates", func(p *flow.Profile, _ *flow.Boot) { p.ESP.Show = true },
			[]flow.StepID{espD, priv, fsia, espA, whfb, desk}},
		{"ESP shown with quality updates on Windows 11", func(p *flow.Profile, _ *flow.Boot) { p.ESP.Show, p.ESP.InstallQualityUpdates = true, true },
			[]flow.StepID{espD, priv, fsia, espA, qual, whfb, desk}},
		{"quality updates need Windows 11", func(p *flow.Profile, b *flow.Boot) {
			p.ESP.Show, p.ESP.InstallQualityUpdates, b.Windows = true, true, flow.Windows10
		}, []flow.StepID{espD, priv, fsia, espA, whfb, desk}},
		{"quality updates need the ESP", func(p *flow.Profile, _ *flow.Boot) { p.ESP.InstallQualityUpdates = true },
			[]flow.StepID{priv, fsia, whfb, desk}},
		{"privacy hidden", func(p *flow.Profile, _ *flow.Boot) { p.ESP.Show, p.PrivacyHidden = true, true },
			[]flow.StepID{espD, fsia, espA, whfb, desk}},
		{"Hello enabled", func(p *flow.Profile, _ *flow.Boot) { p.Hello.State = flow.HelloEnabled },
			[]flow.StepID{priv, fsia, whfb, desk}},
		{"Hello disabled", func(p *flow.Profile, _ *flow.Boot) { p.Hello.State = flow.HelloDisabled },
			[]flow.StepID{priv, fsia, desk}},
		{"everything off", func(p *flow.Profile, _ *flow.Boot) { p.PrivacyHidden, p.Hello.State = true, flow.HelloDisabled },
			[]flow.StepID{fsia, desk}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := profile(flow.LocaleUserSelect, false, false)
			b := wired
			tc.change(&p, &b)
			want := append(slices.Clone(head), tc.want...)
			if got := flow.Plan(p, b); !slices.Equal(got, want) {
				t.Errorf("Plan = %v, want %v", got, want)
			}
			s := flow.NewSession(p, b)
			for s.Current() != signin {
				s.Advance()
			}
			for s.Advance() {
				if s.CanGoBack() || flow.CanGoBack(s.Current()) {
					t.Errorf("Back allowed from %s", s.Current())
				}
			}
			if s.Current() != desk {
				t.Errorf("ended on %s", s.Current())
			}
		})
	}
}

// TestPlanSamplesOrder checks the order of the samples README for the Entra profile: ESP
// shown with quality updates, privacy and EULA hidden.
func TestPlanSamplesOrder(t *testing.T) {
	p := profile(flow.LocaleFixed, true, true)
	p.PrivacyHidden = true
	p.ESP.Show, p.ESP.InstallQualityUpdates = true, true
	want := []flow.StepID{region, kb, kb2, netw, upd, signin, espD, fsia, espA, qual, whfb, desk}
	if got := flow.Plan(p, boot(1, false)); !slices.Equal(got, want) {
		t.Errorf("Plan = %v, want %v", got, want)
	}
}

// TestPlanHybrid: a hybrid join adds the Windows sign-in after privacy and before the first
// sign-in animation, with no way back; it ends with the ESP's Sign out, so quality updates and
// the PIN set-up are not planned. Entra join never shows the Windows sign-in.
func TestPlanHybrid(t *testing.T) {
	const winsign = flow.StepWindowsSignIn
	wired := boot(1, true)
	head := []flow.StepID{region, kb, kb2, upd, eula, signin}
	tests := []struct {
		name   string
		change func(*flow.Profile)
		want   []flow.StepID
	}{
		{"Entra, ESP shown, unchanged", func(p *flow.Profile) { p.ESP.Show, p.ESP.InstallQualityUpdates = true, true },
			[]flow.StepID{espD, priv, fsia, espA, qual, whfb, desk}},
		{"hybrid, ESP shown", func(p *flow.Profile) {
			p.Join, p.ESP.Show, p.ESP.InstallQualityUpdates = flow.JoinHybrid, true, true
		}, []flow.StepID{espD, priv, winsign, fsia, espA, desk}},
		{"hybrid, privacy hidden", func(p *flow.Profile) { p.Join, p.ESP.Show, p.PrivacyHidden = flow.JoinHybrid, true, true },
			[]flow.StepID{espD, winsign, fsia, espA, desk}},
		{"hybrid, ESP hidden", func(p *flow.Profile) { p.Join = flow.JoinHybrid },
			[]flow.StepID{priv, winsign, fsia, desk}},
		{"hybrid, Windows Hello for Business enabled", func(p *flow.Profile) {
			p.Join, p.ESP.Show, p.Hello.State = flow.JoinHybrid, true, flow.HelloEnabled
		}, []flow.StepID{espD, priv, winsign, fsia, espA, whfb, desk}},
		{"Entra, Hello not configured: offered", func(p *flow.Profile) { p.Hello.State = "notConfigured" },
			[]flow.StepID{priv, fsia, whfb, desk}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := profile(flow.LocaleUserSelect, false, false)
			tc.change(&p)
			want := append(slices.Clone(head), tc.want...)
			if got := flow.Plan(p, wired); !slices.Equal(got, want) {
				t.Errorf("Plan = %v, want %v", got, want)
			}
			if flow.Visible(winsign, p, wired) != (p.Join == flow.JoinHybrid) {
				t.Errorf("windows-signin visible = %v for join %s", !(p.Join == flow.JoinHybrid), p.Join)
			}
		})
	}
	if flow.CanGoBack(winsign) {
		t.Error("Back allowed from the Windows sign-in")
	}
	if i, j := slices.Index(flow.AllSteps, priv), slices.Index(flow.AllSteps, winsign); j != i+1 || flow.AllSteps[j+1] != fsia {
		t.Errorf("windows-signin at %d in AllSteps, want between privacy and fsia", j)
	}
}

// TestPlanSamplesHybridOrder checks the order of the samples README for the hybrid profile
// (deployment-profile-hybrid-skipcheck.json with esp-configuration.json): privacy and the
// keyboard page shown, EULA hidden, locale os-default, on Wi-Fi.
func TestPlanSamplesHybridOrder(t *testing.T) {
	p := profile(flow.LocaleOSDefault, false, true)
	p.Join, p.SkipDCCheck, p.UserType = flow.JoinHybrid, true, flow.UserAdministrator
	p.ESP.Show, p.ESP.InstallQualityUpdates = true, true
	want := []flow.StepID{region, kb, kb2, netw, upd, signin, espD, priv, flow.StepWindowsSignIn, fsia, espA, desk}
	if got := flow.Plan(p, boot(1, false)); !slices.Equal(got, want) {
		t.Errorf("Plan = %v, want %v", got, want)
	}
}

// TestReplan: the profile downloaded once online changes only the steps still to come
// (reference §1.1: the profile is applied after the network comes up).
func TestReplan(t *testing.T) {
	s := flow.NewSession(flow.DefaultProfile(), boot(1, false))
	for s.Current() != upd {
		s.Advance()
	}
	p := flow.DefaultProfile()
	p.EULAHidden, p.ESP.Show, p.PrivacyHidden = true, true, true
	if !s.Replan(p) {
		t.Fatal("Replan saw no change")
	}
	want := []flow.StepID{region, kb, kb2, flow.StepNetwork, upd, signin, flow.StepESPDevice, fsia, flow.StepESPAccount, whfb, desk}
	if got := s.Steps(); !slices.Equal(got, want) {
		t.Errorf("steps = %v, want %v", got, want)
	}
	if s.Current() != upd || s.Profile.EULAHidden != true {
		t.Errorf("current %s", s.Current())
	}
	if s.Replan(p) {
		t.Error("the same profile changed the plan again")
	}
}

// TestSessionDivert: Windows key ×5 diverts the plan to the technician steps after the page on
// screen (reference §1.8), and Undivert returns to that page with the plan as it was; a
// second Divert while diverted is refused, and Plan never holds the technician steps.
func TestSessionDivert(t *testing.T) {
	s := flow.NewSession(flow.DefaultProfile(), boot(2, true))
	plan := s.Steps()
	for _, st := range flow.TechnicianSteps {
		if slices.Contains(plan, st) {
			t.Fatalf("the plan holds %s", st)
		}
	}
	if !s.Divert(flow.TechnicianSteps...) || s.Current() != flow.StepPreProvisionChoice || !s.Diverted() {
		t.Fatalf("after Divert: on %s", s.Current())
	}
	if want := append([]flow.StepID{plan[0]}, flow.TechnicianSteps...); !slices.Equal(s.Steps(), want) {
		t.Errorf("diverted steps %v, want %v", s.Steps(), want)
	}
	if s.Divert(flow.StepDesktop) {
		t.Error("a second Divert was taken")
	}
	if !s.Undivert() || s.Current() != plan[0] || !slices.Equal(s.Steps(), plan) || s.Diverted() {
		t.Errorf("after Undivert: on %s, steps %v", s.Current(), s.Steps())
	}
	if s.Undivert() {
		t.Error("Undivert without a Divert")
	}
}

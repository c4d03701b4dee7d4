package flow_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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
)

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
			[]flow.StepID{region, kb, kb2, netw, upd, eula, signin}},
		{"Wi-Fi, 2 languages adds the language page",
			profile(flow.LocaleUserSelect, false, false), boot(2, false),
			[]flow.StepID{lang, region, kb, kb2, netw, upd, eula, signin}},
		{"Wi-Fi, fixed locale + keyboard skipped: profile not known yet, region/keyboard stay",
			profile(flow.LocaleFixed, true, true), boot(1, false),
			[]flow.StepID{region, kb, kb2, netw, upd, signin}},
		{"Wi-Fi, 2 languages, fixed locale + keyboard skipped: language stays too",
			profile(flow.LocaleFixed, true, false), boot(2, false),
			[]flow.StepID{lang, region, kb, kb2, netw, upd, eula, signin}},
		{"wired, fixed locale + keyboard skipped: straight to updates",
			profile(flow.LocaleFixed, true, true), boot(2, true),
			[]flow.StepID{upd, signin}},
		{"wired, fixed locale, keyboard not skipped: region and keyboard stay",
			profile(flow.LocaleFixed, false, false), boot(2, true),
			[]flow.StepID{region, kb, kb2, upd, eula, signin}},
		{"wired, os-default + keyboard skipped: no language set, nothing skipped but network",
			profile(flow.LocaleOSDefault, true, false), boot(1, true),
			[]flow.StepID{region, kb, kb2, upd, eula, signin}},
		{"wired, user-select, 2 languages: the user still picks",
			profile(flow.LocaleUserSelect, true, true), boot(2, true),
			[]flow.StepID{lang, region, kb, kb2, upd, signin}},
		{"wired but profile not prefetched: region/keyboard stay",
			profile(flow.LocaleFixed, true, true), flow.Boot{Languages: []string{"en-US"}, Wired: true},
			[]flow.StepID{region, kb, kb2, upd, signin}},
		{"profile known without a cable cannot skip anything",
			profile(flow.LocaleFixed, true, true), flow.Boot{Languages: []string{"en-US"}, ProfileKnown: true},
			[]flow.StepID{region, kb, kb2, netw, upd, signin}},
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
	return append(out, signin)
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
	var buf bytes.Buffer
	s := flow.NewSession(p, b, flow.NewRecorder(&buf, nil))
	plan := s.Steps()
	for i := 0; ; i++ {
		cur := s.Current()
		if cur != plan[i] {
			t.Fatalf("%s: at %d current = %s, want %s", name, i, cur, plan[i])
		}
		backOK := s.Back()
		switch {
		case cur == upd || cur == eula || cur == signin || cur == lang:
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
	if s.Current() != signin {
		t.Errorf("%s: ended on %s", name, s.Current())
	}
	// Every backtrack recorded lands on a visible step.
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rl struct {
			Kind flow.RecordKind
			Data map[string]flow.StepID
		}
		if err := json.Unmarshal([]byte(line), &rl); err != nil {
			continue // lines whose data is not a step map
		}
		if rl.Kind == flow.RecordBacktrack && !flow.Visible(rl.Data["to"], p, b) {
			t.Errorf("%s: backtrack to hidden step %s", name, rl.Data["to"])
		}
	}
}

// TestSessionBackSkipsHidden: on Wi-Fi with a fixed locale and keyboard skipped the keyboard
// pages are shown; wired with a prefetched profile they are not, and Back from network is
// impossible because network is hidden too.
func TestSessionBackSkipsHidden(t *testing.T) {
	p := profile(flow.LocaleFixed, true, false)
	s := flow.NewSession(p, boot(1, false), nil)
	for s.Current() != netw {
		if !s.Advance() {
			t.Fatal("network step not reached")
		}
	}
	if !s.Back() || s.Current() != kb2 {
		t.Errorf("Back from network = %s, want keyboard2", s.Current())
	}

	s = flow.NewSession(p, boot(2, true), nil)
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

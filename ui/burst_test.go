package ui

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

// burstKeys are the keys a person hammers when a page seems slow.
var burstKeys = []string{"enter", "enter", "enter", "tab", "shift+tab", "esc", "space", "down"}

// reach walks Megan's deployment of the embedded tenant until step s is on screen, stopping
// at the first moment it shows (pages that pass by themselves included).
func reach(t *testing.T, d *driver, s flow.StepID) {
	t.Helper()
	upTo := func() bool {
		for d.m.Step() != s && d.next() {
		}
		return d.m.Step() == s
	}
	keys := func(ks ...string) func() {
		return func() {
			for _, k := range ks {
				d.key(k)
			}
		}
	}
	for _, act := range []func(){
		keys("enter"), keys("enter"), keys("enter"), keys("enter"), keys("enter"), keys("enter"),
		func() { d.typeText("Runway-2026!") }, keys("enter"), keys("enter"), keys("enter"),
		func() { signIn(d, testUPN, "Contrail#2026") },
	} {
		if upTo() {
			return
		}
		act()
	}
	if !upTo() {
		walkTo(t, d, s)
	}
}

// leftSteps reads, from a record, the steps in the order they were entered, and for each
// entry the steps completed (left forward) before it.
func leftSteps(t *testing.T, record string) (entered []flow.StepID, doneBefore []map[flow.StepID]bool) {
	t.Helper()
	lines, err := flow.ReadRecord(strings.NewReader(record))
	if err != nil {
		t.Fatal(err)
	}
	done := map[flow.StepID]bool{}
	for _, l := range lines {
		switch l.Kind {
		case flow.RecordStepLeave:
			done[l.Step] = true
		case flow.RecordStepEnter:
			snapshot := make(map[flow.StepID]bool, len(done))
			for k, v := range done {
				snapshot[k] = v
			}
			entered = append(entered, l.Step)
			doneBefore = append(doneBefore, snapshot)
		}
	}
	return entered, doneBefore
}

// TestBurstsNeverSkipAPage (issue 12, reference §1): a burst of Enter, Tab, Esc, Space and
// arrows on any page — keys arriving before the app has finished what the first one started,
// as when a person hammers Enter — never skips a page: whenever a page shows, every page
// before it in the deployment was completed, the sign-in included.
func TestBurstsNeverSkipAPage(t *testing.T) {
	targets := allVisibleSteps[:len(allVisibleSteps)-1]
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	for _, target := range targets {
		t.Run(string(target), func(t *testing.T) {
			for seed := range seeds {
				var rec bytes.Buffer
				d := newDriver(t, setup{rec: &rec})
				reach(t, d, target)
				rng := rand.New(rand.NewPCG(uint64(seed), 12))
				var sent []string
				for range 3 + rng.IntN(10) {
					k := burstKeys[rng.IntN(len(burstKeys))]
					sent = append(sent, k)
					d.key(k)
					for rng.IntN(3) == 0 && d.next() { // sometimes the app catches up a little
					}
				}
				d.idle()
				entered, done := leftSteps(t, recorded(&rec).String())
				for i, s := range entered {
					at := slices.Index(allVisibleSteps, s)
					for _, before := range allVisibleSteps[:max(at, 0)] {
						if !done[i][before] {
							t.Fatalf("seed %d, keys %v on %s: %s showed before %s was completed (steps entered: %v)",
								seed, sent, target, s, before, entered)
						}
					}
				}
				if at := slices.Index(allVisibleSteps, d.m.Step()); at > slices.Index(allVisibleSteps, flow.StepSignIn) && d.r.Answers().UPN == "" {
					t.Fatalf("seed %d, keys %v: on %s with nobody signed in", seed, sent, d.m.Step())
				}
			}
		})
	}
}

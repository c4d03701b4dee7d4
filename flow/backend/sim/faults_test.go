package sim_test

import (
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// TestScenarioFaultsAreChecked: a scenario's "faults" must name faults of the catalogue; an
// unknown one is an error at its JSON path.
func TestScenarioFaultsAreChecked(t *testing.T) {
	s := sim.DefaultScenario()
	s.Faults = []string{"unlicensed", "gremlins"}
	err := s.Validate()
	if err == nil || !strings.Contains(err.Error(), `$.faults[1]: no fault named "gremlins"`) || strings.Contains(err.Error(), "faults[0]") {
		t.Errorf("Validate = %v", err)
	}
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// runFaults is "oobe faults [--json]": the failures a trainer can show, where each appears
// and its code.
func runFaults(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oobe faults", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print the list as JSON")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "oobe faults: usage: oobe faults [--json]")
		return 2
	}
	list := sim.Faults()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(list); err != nil {
			fmt.Fprintf(stderr, "oobe faults: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintln(stdout, "Faults (oobe --fault NAME[@STEP], or \"faults\": [...] in a scenario); each appears at its place,\nfrom power-on or from the step named after @ (with --trainer, F9 turns them on and off live):")
	for _, f := range list {
		code := f.Code
		if code == "" {
			code = "-"
		}
		where := f.Where
		if f.HybridOnly {
			where += " (hybrid join)"
		}
		if f.PreProvisioningOnly {
			where += " (pre-provisioning and self-deploying only)"
		}
		fmt.Fprintf(stdout, "\n  %-26s %s\n  %-26s %s\n  %-26s %s\n", f.Name, f.Description, "", "where: "+where, "", "code:  "+code)
	}
	return 0
}

// planFaults takes the faults of --fault and of the scenario, each once: those without a
// step go into the scenario (the sim plays them from power-on), those with @STEP are
// returned for the run to turn on when it enters that step.
func planFaults(w *sim.World, specs []string) ([]flow.ScheduledFault, error) {
	known := map[string]bool{}
	for _, f := range sim.Faults() {
		known[f.Name] = true
	}
	seen := map[flow.ScheduledFault]bool{}
	var now []string
	var later []flow.ScheduledFault
	for _, spec := range append(slices.Clone(specs), w.Scenario.Faults...) {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		f, err := flow.ParseFaultSpec(spec)
		if err != nil {
			return nil, errors.New(flow.AsError(err).Detail)
		}
		if !known[f.Name] {
			return nil, sim.ApplyFault(&sim.World{}, f.Name)
		}
		if seen[f] {
			continue
		}
		seen[f] = true
		if f.At == "" {
			now = append(now, f.Name)
		} else {
			later = append(later, f)
		}
	}
	w.Scenario.Faults = now
	return later, nil
}

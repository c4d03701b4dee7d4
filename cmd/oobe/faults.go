package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	flag "github.com/spf13/pflag"

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
	fmt.Fprintln(stdout, "Faults (oobe --fault NAME, or \"faults\": [...] in a scenario); each appears at its place:")
	for _, f := range list {
		code := f.Code
		if code == "" {
			code = "-"
		}
		where := f.Where
		if f.HybridOnly {
			where += " (hybrid join)"
		}
		fmt.Fprintf(stdout, "\n  %-26s %s\n  %-26s %s\n  %-26s %s\n", f.Name, f.Description, "", "where: "+where, "", "code:  "+code)
	}
	return 0
}

// applyFaults applies the faults given with --fault and the scenario's own, each once.
func applyFaults(w *sim.World, names []string) error {
	seen := map[string]bool{}
	for _, n := range append(append([]string(nil), names...), w.Scenario.Faults...) {
		key := strings.ToLower(strings.TrimSpace(n))
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		if err := sim.ApplyFault(w, key); err != nil {
			return err
		}
	}
	return nil
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/convert"
	"github.com/oobe-emu/oobe/flow/tenant"
)

const convertUsage = `oobe convert writes the AutopilotConfigurationFile.json (Autopilot for existing devices)
that corresponds to a Graph deployment profile, with the values Microsoft's
ConvertTo-AutopilotConfigurationJSON writes, ASCII-encoded with CRLF line endings.

Usage:
  oobe convert PROFILE.json [--org ORG.json] [-o OUT]

The tenant id and default domain come from --org (a Graph GET /organization export) or,
without it, from the profile file itself or the first organization file found next to it.
Warnings go to standard error. Exit codes: 0 converted, 1 bad input, 2 bad usage.

Flags:
`

// runConvert is "oobe convert": it returns the exit code.
func runConvert(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oobe convert", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	org := fs.String("org", "", "`ORG.json`: organization export (Graph GET /organization) giving the tenant id and default domain")
	out := fs.StringP("output", "o", "", "write the file to `OUT` instead of standard output")
	help := fs.BoolP("help", "h", false, "show this help")
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "oobe convert: %s (see oobe convert --help)\n", msg)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err.Error())
	}
	if *help {
		fmt.Fprint(stdout, convertUsage+fs.FlagUsages())
		return 0
	}
	switch {
	case fs.NArg() == 0:
		return usageErr("missing PROFILE.json")
	case fs.NArg() > 1:
		return usageErr(fmt.Sprintf("unexpected argument %q: convert takes one profile", fs.Arg(1)))
	case fs.Changed("org") && *org == "":
		return usageErr("--org needs a file name")
	case fs.Changed("output") && *out == "":
		return usageErr("-o needs a file name")
	}
	profPath := fs.Arg(0)
	fail := func(err error) int {
		lines := strings.Split(err.Error(), "\n")
		for i, l := range lines {
			// After a syntax or type error, "want a …, but the file holds nothing
			// recognisable" only repeats it.
			if i > 0 && strings.Contains(l, "holds nothing recognisable") {
				continue
			}
			fmt.Fprintf(stderr, "oobe convert: %s\n", l)
		}
		return 1
	}
	warn := func(format string, a ...any) { fmt.Fprintf(stderr, "oobe convert: warning: "+format+"\n", a...) }

	pt, rep, err := loadOne(profPath, tenant.KindProfile)
	if err != nil {
		return fail(err)
	}
	p := pt.Profile
	if strings.TrimSpace(p.ID) == "" {
		return fail(fmt.Errorf("%s: the deployment profile has no id (needed for ZtdCorrelationId)", profPath))
	}
	// The importer's findings about the profile file itself (legacy and new names that
	// disagree, a name template…), except what only concerns the emulator; findings about the
	// tenant as a whole (no scenario, no ESP, a hybrid profile without its Domain Join
	// configuration, which the file does not use) do not concern the conversion.
	if fr, ok := rep.File(profPath); ok {
		for _, f := range fr.Findings {
			if f.Severity >= tenant.SeverityWarning && !strings.Contains(f.Message, "the emulator") {
				warn("%s", f)
			}
		}
	}

	var o flow.Organization
	var orgPath string
	switch {
	case *org != "":
		ot, _, err := loadOne(*org, tenant.KindOrganization)
		if err != nil {
			return fail(err)
		}
		if !hasOrganization(ot.Organization) {
			return fail(fmt.Errorf("%s: the organization has no id (needed for CloudAssignedTenantId)", *org))
		}
		o, orgPath = ot.Organization, *org
	case hasOrganization(pt.Organization):
		o, orgPath = pt.Organization, profPath
	default:
		o, orgPath = findOrganization(profPath)
		if orgPath == "" {
			return fail(fmt.Errorf("%s: no organization to take the tenant id and default domain from: give --org ORG.json (Graph GET /organization) or put that export next to the profile", profPath))
		}
	}

	res, err := convert.Convert(p, o)
	if err != nil {
		return fail(fmt.Errorf("%s + %s: %w", profPath, orgPath, err))
	}
	for _, w := range res.Warnings {
		warn("%s: %s", profPath, w)
	}
	if *out == "" {
		if _, err := stdout.Write(res.Data); err != nil {
			return fail(fmt.Errorf("standard output: %w", err))
		}
		return 0
	}
	if err := os.WriteFile(*out, res.Data, 0o644); err != nil {
		return fail(oneLineFileError(*out, err))
	}
	return 0
}

// loadOne imports the single file path, which must hold an object of kind k, with
// tenant.LoadPaths. Every error line names the file as given on the command line.
func loadOne(path string, k tenant.Kind) (*sim.World, *tenant.Report, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, nil, oneLineFileError(path, err)
	} else if st.IsDir() {
		return nil, nil, fmt.Errorf("%s: is a folder, want a JSON file", path)
	}
	return tenant.LoadPaths([]string{path}, tenant.Options{Kinds: map[string]tenant.Kind{path: k}})
}

// oneLineFileError names the file and says what went wrong without repeating the path.
func oneLineFileError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}

func hasOrganization(o flow.Organization) bool { return strings.TrimSpace(o.ID) != "" }

// findOrganization looks for an organization export among the other *.json files of the
// profile's folder, in name order; files that do not load are skipped.
func findOrganization(profPath string) (flow.Organization, string) {
	dir := filepath.Dir(profPath)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return flow.Organization{}, ""
	}
	self, _ := filepath.Abs(profPath)
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if abs, _ := filepath.Abs(p); abs == self {
			continue
		}
		t, _, err := loadOne(p, tenant.KindOrganization)
		if err != nil || !hasOrganization(t.Organization) {
			continue
		}
		return t.Organization, p
	}
	return flow.Organization{}, ""
}

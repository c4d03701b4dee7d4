package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/check"
	"github.com/oobe-emu/oobe/flow/tenant"
	"github.com/oobe-emu/oobe/internal/safefile"
	"github.com/oobe-emu/oobe/internal/termtext"
)

// `oobe check PATH...`: validate tenant exports without opening the UI.

// runCheck is `oobe check`: 0 when every path is valid, 1 when one is not, 2 for a usage error.
func runCheck(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oobe check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print the result as JSON (for scripts)")
	lenient := fs.Bool("lenient", false, "load files real Windows would ignore (UTF-8 with BOM or UTF-16 configuration files) and numbers given as strings, with warnings")
	scenario := fs.String("scenario", "", "emulator scenario `FILE` for the device, users and networks (default: one found among the files, else the embedded one)")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "oobe check: %s (see oobe check --help)\n", termtext.Clean(err.Error()))
		return 2
	}
	if *help {
		fmt.Fprint(stdout, checkUsage(fs))
		return 0
	}
	if !fs.Changed("lenient") && truthy(getenv("OOBE_LENIENT")) {
		*lenient = true
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "oobe check: no file or folder given (see oobe check --help)")
		return 2
	}
	rs := check.Paths(fs.Args(), check.Options{Lenient: *lenient, Scenario: *scenario})
	var err error
	if *asJSON {
		err = check.WriteJSON(stdout, rs)
	} else {
		err = check.WriteText(stdout, rs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "oobe check: %s\n", termtext.Clean(err.Error()))
		return 1
	}
	if !check.Valid(rs) {
		return 1
	}
	return 0
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "yes", "on":
		return true
	}
	return false
}

func checkUsage(fs *flag.FlagSet) string {
	var b strings.Builder
	b.WriteString("oobe check validates Autopilot tenant exports without opening the UI.\n\n")
	b.WriteString("Usage:\n  oobe check [flags] PATH...\n\n")
	b.WriteString("Each PATH is a file or a folder of Graph exports, AutopilotConfigurationFile.json and scenario\n")
	b.WriteString("files (recognised by content). For each PATH it prints what each file is, the normalized\n")
	b.WriteString("settings, warnings and errors, and the screens a user on Wi-Fi and on Ethernet will see.\n")
	b.WriteString("Exit status: 0 valid, 1 not valid, 2 usage error.\n\nFlags:\n")
	b.WriteString(fs.FlagUsages())
	return b.String()
}

// Tenant selection for the emulator: --tenant, the single-file flags, --scenario, --lenient.

// tenantConfig holds the flags that choose the tenant the emulator runs.
type tenantConfig struct {
	tenantDir, profile, esp, branding, configFile, scenario string
	lenient                                                 bool
}

// addTenantFlags declares the tenant flags on fs.
func addTenantFlags(fs *flag.FlagSet, c *tenantConfig) {
	fs.StringVar(&c.tenantDir, "tenant", "", "run on a folder of tenant exports (Graph JSON, AutopilotConfigurationFile.json, scenario) in `DIR` instead of the embedded demo tenant")
	fs.StringVar(&c.profile, "profile", "", "deployment profile (Graph JSON) `FILE`")
	fs.StringVar(&c.esp, "esp", "", "Enrollment Status Page configuration(s) `FILE` (Graph JSON)")
	fs.StringVar(&c.branding, "branding", "", "organizational branding or its localizations `FILE` (Graph JSON)")
	fs.StringVar(&c.configFile, "config-file", "", "AutopilotConfigurationFile.json `FILE` (Autopilot for existing devices)")
	fs.StringVar(&c.scenario, "scenario", "", "emulator scenario `FILE` (device, networks, users, apps; format: docs/scenario.schema.json)")
	fs.BoolVar(&c.lenient, "lenient", false, "load files real Windows would ignore and numbers given as strings, with warnings")
}

// scenarioTenant returns the tenant folder a scenario file names ("tenant", relative to the
// file; "" for none). A scenario that cannot be read is left to the loader, which says why.
func scenarioTenant(path string) (string, error) {
	data, err := safefile.Read(path, safefile.Limit)
	if err != nil {
		return "", nil
	}
	var s struct {
		Tenant *string `json:"tenant"`
	}
	if json.Unmarshal(data, &s) != nil || s.Tenant == nil {
		return "", nil // not JSON, or no tenant: the loader reports what is wrong
	}
	t := strings.TrimSpace(*s.Tenant)
	if t == "" || filepath.IsAbs(t) || filepath.VolumeName(t) != "" || strings.HasPrefix(t, "/") || strings.HasPrefix(t, `\`) {
		return "", fmt.Errorf("%s: $.tenant: want a folder relative to the scenario file, got %q", path, t)
	}
	return filepath.Join(filepath.Dir(path), filepath.FromSlash(t)), nil
}

// loadTenant loads the tenant the flags choose (the embedded one when none is given). Import
// errors are written to stderr, one line each, and ok is false.
func loadTenant(c tenantConfig, stderr io.Writer) (t *sim.World, ok bool) {
	var paths []string
	kinds := map[string]tenant.Kind{}
	if c.tenantDir == "" && c.scenario != "" {
		dir, err := scenarioTenant(c.scenario)
		if err != nil {
			fmt.Fprintf(stderr, "oobe: %s\n", termtext.Clean(err.Error()))
			return nil, false
		}
		c.tenantDir = dir
	}
	if c.tenantDir != "" {
		paths = append(paths, c.tenantDir)
	}
	for _, f := range []struct {
		path string
		kind tenant.Kind
	}{{c.profile, tenant.KindProfile}, {c.esp, tenant.KindESP}, {c.branding, tenant.KindBranding}, {c.configFile, tenant.KindConfigFile}} {
		if f.path != "" {
			paths = append(paths, f.path)
			kinds[f.path] = f.kind
		}
	}
	opts := tenant.Options{Lenient: c.lenient, Scenario: c.scenario, Kinds: kinds}
	var rep *tenant.Report
	var err error
	switch {
	case len(paths) > 0:
		t, rep, err = tenant.LoadPaths(paths, opts)
	case c.scenario != "" || c.lenient:
		t, rep, err = tenant.LoadEmbeddedWith(opts)
	default:
		t, err = tenant.LoadEmbedded()
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(stderr, "oobe: embedded tenant: %s\n", termtext.Clean(line))
			}
			return nil, false
		}
		return t, true
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "oobe: %s\n", termtext.Clean(line)) // errors quote the files
		}
		return nil, false
	}
	if n := len(rep.Of(tenant.SeverityWarning)); n > 0 {
		fmt.Fprintf(stderr, "oobe: tenant loaded with %d warning(s); run oobe check on the same files for details\n", n)
	}
	return t, true
}

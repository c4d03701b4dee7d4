// Command oobe emulates the Windows Autopilot user-driven out-of-box experience in a terminal.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/themes"
	"github.com/oobe-emu/oobe/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// config is the parsed command line.
type config struct {
	theme, locale, color, record, finish string
	ascii, wired, showVersion            bool
	speed                                float64
	seed                                 int64
	asciiSet                             bool
	answersConfig
	tenantConfig
}

// usageError is a bad flag or value: one line on stderr and exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() { os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr)) }

// run is main without the process: it returns the exit code.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "check" {
		return runCheck(args[1:], getenv, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "convert" {
		return runConvert(args[1:], stdout, stderr)
	}
	cfg, fs, err := parse(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage(fs))
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "oobe: %v (see oobe --help)\n", err)
		return 2
	}
	if cfg.showVersion {
		fmt.Fprintln(stdout, "oobe", buildVersion())
		return 0
	}
	theme, err := themes.Lookup(cfg.theme)
	if err != nil {
		fmt.Fprintf(stderr, "oobe: --theme: %v\n", err)
		return 2
	}
	// The tenant is imported before anything touches the terminal: import errors exit 1.
	t, ok := loadTenant(cfg.tenantConfig, stderr)
	if !ok {
		return 1
	}
	script, ok := loadAnswers(cfg.answersConfig, getenv, stderr)
	if !ok {
		return 1
	}
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
		fmt.Fprintln(stderr, "oobe: needs an interactive terminal (standard input and output must be a TTY); run it directly in a terminal, not through a pipe")
		return 1
	}
	var rec *flow.Recorder
	if cfg.record != "" {
		f, err := os.OpenFile(cfg.record, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintf(stderr, "oobe: --record: %v\n", err)
			return 1
		}
		defer f.Close()
		rec = flow.NewRecorder(f, nil)
	}
	ascii := cfg.ascii
	if !cfg.asciiSet {
		ascii = !themes.UTF8Locale(getenv, runtime.GOOS)
	}
	locale := cfg.locale
	if locale == "" && len(t.Scenario.DisplayLanguages) > 0 {
		locale = t.Scenario.DisplayLanguages[0]
	}
	clock := flow.NewScaledClock(cfg.speed)
	backend := sim.New(t, sim.Options{Clock: clock, Seed: cfg.seed, Wired: cfg.wired})
	boot, err := backend.Boot(context.Background())
	if err != nil {
		fmt.Fprintf(stderr, "oobe: the device did not start: %v\n", err)
		return 1
	}
	m := ui.New(ui.Options{
		Boot:  &boot,
		Theme: theme, ASCII: ascii, Locale: locale, Region: assets.DefaultRegionFromEnv(getenv),
		Backend: backend, Tenant: t, Recorder: rec, Clock: clock, Seed: cfg.seed,
		FinishRestart: cfg.finish == "restart",
		Answers:       script, AnswersDelay: cfg.answersDelay, AnswersClock: flow.RealClock{}, WriteAnswers: cfg.writeAnswers,
	})
	var opts []tea.ProgramOption
	if p, ok := colorProfiles[cfg.color]; ok {
		opts = append(opts, tea.WithColorProfile(p))
	}
	if _, err := tea.NewProgram(m, opts...).Run(); err != nil {
		fmt.Fprintf(stderr, "oobe: %v\n", err)
		return 1
	}
	if err := rec.Err(); err != nil {
		fmt.Fprintf(stderr, "oobe: --record: %v\n", err)
		return 1
	}
	if err := m.AnswersErr(); err != nil {
		fmt.Fprintf(stderr, "oobe: --write-answers: %v\n", err)
		return 1
	}
	return 0
}

var colorProfiles = map[string]colorprofile.Profile{
	"truecolor": colorprofile.TrueColor, "256": colorprofile.ANSI256, "16": colorprofile.ANSI, "none": colorprofile.ASCII,
}

// parse reads flags, then OOBE_* environment variables for every flag not given.
func parse(args []string, getenv func(string) string, stderr io.Writer) (config, *flag.FlagSet, error) {
	var cfg config
	fs := flag.NewFlagSet("oobe", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.theme, "theme", themes.DefaultName, "look and behaviour: "+strings.Join(themes.Names(), ", "))
	fs.StringVar(&cfg.locale, "locale", "", "display language, e.g. en-US or de-DE (default: the image's first language)")
	fs.BoolVar(&cfg.ascii, "ascii", false, "draw with 7-bit ASCII glyphs only (default: automatic from the locale)")
	fs.StringVar(&cfg.color, "color", "auto", "colours: auto, truecolor, 256, 16 or none (NO_COLOR is honoured)")
	fs.Float64Var(&cfg.speed, "speed", 1, "how many times faster than real time the simulated device works")
	fs.Int64Var(&cfg.seed, "seed", 1, "seed of the simulation's random choices (same seed, same run)")
	fs.BoolVar(&cfg.wired, "wired", false, "boot with an Ethernet cable with internet (the profile is known before the first page)")
	fs.StringVar(&cfg.record, "record", "", "append a JSON Lines record of the run to `FILE`")
	addAnswersFlags(fs, &cfg.answersConfig)
	addTenantFlags(fs, &cfg.tenantConfig)
	fs.StringVar(&cfg.finish, "finish", "exit", "what Enter does on the finish screen: exit, or restart (kiosks: the next person starts over)")
	fs.BoolVar(&cfg.showVersion, "version", false, "print the version and exit")
	fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return cfg, fs, usageError{err.Error()}
	}
	if h, _ := fs.GetBool("help"); h {
		return cfg, fs, flag.ErrHelp
	}
	if fs.NArg() > 0 {
		return cfg, fs, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		env := envName(f.Name)
		v := getenv(env)
		if f.Changed || v == "" || envErr != nil || f.Name == "help" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			envErr = usageError{fmt.Sprintf("%s=%q: %v", env, v, err)}
		}
	})
	if envErr != nil {
		return cfg, fs, envErr
	}
	cfg.asciiSet = fs.Changed("ascii")
	if cfg.speed <= 0 {
		return cfg, fs, usageError{fmt.Sprintf("--speed must be greater than 0, got %v", cfg.speed)}
	}
	if _, ok := colorProfiles[cfg.color]; !ok && cfg.color != "auto" {
		return cfg, fs, usageError{fmt.Sprintf("--color must be auto, truecolor, 256, 16 or none, got %q", cfg.color)}
	}
	if _, err := themes.Lookup(cfg.theme); err != nil {
		return cfg, fs, usageError{"--theme: " + err.Error()}
	}
	if err := checkAnswersFlags(cfg.answersConfig); err != nil {
		return cfg, fs, err
	}
	if cfg.finish != "exit" && cfg.finish != "restart" {
		return cfg, fs, usageError{fmt.Sprintf("--finish must be exit or restart, got %q", cfg.finish)}
	}
	if cfg.locale != "" {
		if _, ok := assets.LookupCatalog(cfg.locale); !ok {
			return cfg, fs, usageError{fmt.Sprintf("--locale %q has no strings; available: %s", cfg.locale, strings.Join(assets.Locales(), ", "))}
		}
	}
	return cfg, fs, nil
}

func envName(flagName string) string {
	return "OOBE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func usage(fs *flag.FlagSet) string {
	var b strings.Builder
	b.WriteString("oobe emulates the Windows Autopilot out-of-box experience in a terminal.\n\n")
	b.WriteString("Usage:\n  oobe [flags]\n")
	b.WriteString("  oobe check [--json] [--lenient] PATH...   validate tenant exports (see oobe check --help)\n")
	b.WriteString("\nFlags (each can also be set with an OOBE_<NAME> environment variable):\n")
	b.WriteString(fs.FlagUsages())
	b.WriteString("\nThemes:\n")
	for _, t := range themes.Builtin() {
		fmt.Fprintf(&b, "  %-14s %s\n", t.Name, t.Description)
	}
	return b.String()
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "dev"
}

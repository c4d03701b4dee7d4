// Command oobe emulates the Windows Autopilot user-driven out-of-box experience in a terminal.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	flowrun "github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/themes"
	"github.com/oobe-emu/oobe/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// config is the parsed command line.
type config struct {
	theme, locale, color, record, finish, speed, windows, out, dc string
	outbox, recordsURL, kioskID                                   string
	ascii, wired, showVersion, trainer, windowsKey                bool
	seed                                                          int64
	faults                                                        []string
	asciiSet                                                      bool
	answersConfig
	tenantConfig
	cast castConfig
	backendConfig
}

// usageError is a bad flag or value: one line on stderr and exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	if os.Getenv("GOGC") == "" {
		// the program's live heap is small (a few MB even with 10,000 ESP apps) while every
		// frame allocates: collecting less often halves the GC's share of a long ESP
		debug.SetGCPercent(400)
	}
	if path := os.Getenv("OOBE_CPUPROFILE"); path != "" {
		// for scripts/esp-apps.py --profile: where the CPU of a long run goes
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "check" {
		return runCheck(args[1:], getenv, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "convert" {
		return runConvert(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "faults" {
		return runFaults(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "report" {
		return runReport(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "screens" {
		return runScreens(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "diff" {
		return runDiff(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "serve-backend" {
		return runServe(args[1:], getenv, stdout, stderr)
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
	later, err := planFaults(t, cfg.faults)
	if err != nil {
		fmt.Fprintf(stderr, "oobe: --fault: %v\n", err)
		return 2
	}
	script, ok := loadAnswers(cfg.answersConfig, getenv, stderr)
	if !ok {
		return 1
	}
	var notes []string
	var rec *flow.Recorder
	if cfg.record != "" {
		if _, err := checkTarget(cfg.record); err != nil {
			fmt.Fprintf(stderr, "oobe: --record: %v\n", err)
			return 1
		}
	}
	writeAnswers := cfg.writeAnswers
	if writeAnswers != "" {
		target, note, err := answersTarget(writeAnswers, cfg.answers, cfg.force)
		if err != nil {
			fmt.Fprintf(stderr, "oobe: --write-answers: %v\n", err)
			return 1
		}
		if note != "" {
			notes = append(notes, "--write-answers: "+note)
		}
		writeAnswers = target
	}
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
		fmt.Fprintln(stderr, "oobe: needs an interactive terminal (standard input and output must be a TTY); run it directly in a terminal, not through a pipe")
		return 1
	}
	if cfg.record != "" {
		f, note, err := openRecord(cfg.record)
		if err != nil {
			fmt.Fprintf(stderr, "oobe: --record: %v\n", err)
			return 1
		}
		defer f.Close()
		if note != "" {
			notes = append(notes, "--record: "+note)
		}
		rec = flow.NewRecorder(f, nil)
	}
	sender, err := openOutbox(cfg, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "oobe: --outbox: %v\n", err)
		return 1
	}
	if sender != nil {
		if rec == nil {
			rec = flow.NewRecorder(nil, nil) // memory only: the outbox still gets every line
		}
		rec.Tap(sender.collector.Line)
	}
	ascii := cfg.ascii
	if !cfg.asciiSet {
		ascii = !themes.UTF8Locale(getenv, runtime.GOOS)
	}
	locale := cfg.locale
	if locale == "" && len(t.Scenario.DisplayLanguages) > 0 {
		locale = t.Scenario.DisplayLanguages[0]
	}
	sp, _ := parseSpeed(cfg.speed) // checked by parse
	f := factory{
		world: t, theme: theme, windows: windowsFor(cfg.windows, theme), ascii: ascii, locale: locale,
		region: assets.DefaultRegionFromEnv(getenv), speed: sp, seed: cfg.seed, wired: cfg.wired, dc: cfg.dc,
		finishRestart: cfg.finish == "restart", script: script, answersDelay: cfg.answersDelay,
		answersClock: flow.RealClock{}, writeAnswers: writeAnswers, id: flowrun.NewID(time.Now()),
		faults: later, trainer: cfg.trainer || t.Scenario.Trainer, windowsKey: cfg.windowsKey,
	}
	f.files = runDir(cfg.out, f.id)
	f.backend = cfg.backendConfig
	if f.backend.kind == "http" {
		if f.token, err = f.backend.token(getenv); err != nil {
			fmt.Fprintf(stderr, "oobe: %v\n", err)
			return 1
		}
	}
	var cf *castFile
	if cfg.cast.path != "" {
		if cf, err = openCast(cfg.cast, sp, script != nil, getenv); err != nil {
			fmt.Fprintf(stderr, "oobe: --cast: %v\n", err)
			return 1
		}
		f.onFrame = cf.shown
	}
	b, err := f.build(rec)
	if err != nil {
		fmt.Fprintf(stderr, "oobe: %v\n", err)
		return 1
	}
	defer b.close()
	var opts []tea.ProgramOption
	if cf != nil {
		cf.clock = b.clock
		opts = append(opts, tea.WithOutput(cf.output()))
	}
	if p, ok := colorProfiles[cfg.color]; ok {
		opts = append(opts, tea.WithColorProfile(p))
	}
	// Signals are caught here rather than by Bubble Tea, so that every one a run can meet
	// (SIGHUP and SIGQUIT too) ends it like Ctrl+C: end line, answers, terminal restored.
	p := tea.NewProgram(b.model, append(opts, tea.WithoutSignalHandler())...)
	rec.OnError(func(err error) { p.Send(ui.RecordFailed{Err: err}) })
	sigs := catchSignals(p)
	_, err = p.Run()
	sigs.stop()
	code := 0
	saveErr := b.run.Close()
	if cf != nil {
		if err := cf.close(); err != nil {
			fmt.Fprintf(stderr, "oobe: --cast: %v\n", err)
			code = 1
		}
	}
	for _, n := range notes {
		fmt.Fprintf(stderr, "oobe: %s\n", n)
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(stderr, "oobe: %v\n", err)
		code = 1
	}
	if err := rec.Err(); err != nil {
		fmt.Fprintf(stderr, "oobe: --record: %v\n", err)
		code = 1
	}
	if sender != nil {
		_ = rec.Flush()
		for _, line := range sender.finish() {
			fmt.Fprintf(stderr, "oobe: %s\n", line)
			if strings.HasPrefix(line, "--outbox:") {
				code = 1
			}
		}
	}
	if saveErr == nil {
		saveErr = b.model.SaveErr()
	}
	if saveErr != nil {
		fmt.Fprintf(stderr, "oobe: --write-answers: %v\n", saveErr)
		code = 1
	}
	if c := sigs.exitCode(); c != 0 {
		return c
	}
	return code
}

// windowsFor is the --windows value: 10 or 11, or from the theme when not given (win10: 10).
func windowsFor(v string, theme themes.Theme) flow.WindowsVersion {
	switch v {
	case "10":
		return flow.Windows10
	case "11":
		return flow.Windows11
	}
	if theme.Windows10 {
		return flow.Windows10
	}
	return flow.Windows11
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
	fs.StringVar(&cfg.speed, "speed", "1", "how many times faster than real time the simulated device works (0.01 to 1000000), or max: as fast as the machine allows, with the same emulated times")
	fs.StringVar(&cfg.windows, "windows", "", "the Windows release emulated: 10 or 11 (default: 10 for the win10 theme, else 11)")
	fs.Int64Var(&cfg.seed, "seed", 1, "seed of the simulation's random choices (same seed, same run)")
	fs.StringSliceVar(&cfg.faults, "fault", nil, "show the failure `NAME` at its place, from power-on or NAME@STEP from that step on (repeatable, or comma-separated; oobe faults lists them)")
	fs.BoolVar(&cfg.trainer, "trainer", false, "enable the trainer panel (F9): faults on cue, the clock, restarts")
	fs.BoolVar(&cfg.windowsKey, "windows-key", false, "ask the terminal for every key (kitty keyboard protocol) on the pages where the Windows key ×5 starts pre-provisioning, so the real Windows key counts (F8 always does)")
	fs.BoolVar(&cfg.wired, "wired", false, "boot with an Ethernet cable with internet (the profile is known before the first page)")
	fs.StringVar(&cfg.dc, "dc", "", "a hybrid join checks this real domain controller, `HOST[:PORT]` (LDAP port 389 by default), over TCP during Device preparation instead of the scenario's answer")
	fs.StringVar(&cfg.record, "record", "", "append a JSON Lines record of the run to `FILE`")
	fs.StringVar(&cfg.cast.path, "cast", "", "record the run as an asciicast v2 `FILE` (asciinema plays it; a secret shown in clear is never in it)")
	fs.StringVar(&cfg.cast.timing, "cast-time", "real", "the cast's timing: real (what a person watching saw, at any --speed) or emulated (the device's own times)")
	fs.StringVar(&cfg.recordsURL, "records-url", "", "send each run's record to the lab's server at `URL` (oobe serve-backend) through the outbox; the bearer token is OOBE_BACKEND_TOKEN")
	fs.StringVar(&cfg.outbox, "outbox", "", "keep the records in `DIR` until the server acknowledged them (default with --records-url: oobe/outbox in the user's state directory)")
	fs.StringVar(&cfg.kioskID, "kiosk-id", "", "the machine's name in the records it sends (default: the host name)")
	fs.StringVar(&cfg.out, "out", "", "write the run's files (Collect logs) into `DIR` (default: a directory per run in the user's cache directory, named on screen)")
	addAnswersFlags(fs, &cfg.answersConfig)
	addTenantFlags(fs, &cfg.tenantConfig)
	addBackendFlags(fs, &cfg.backendConfig)
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
	if _, err := parseSpeed(cfg.speed); err != nil {
		return cfg, fs, err
	}
	if cfg.windows != "" && cfg.windows != "10" && cfg.windows != "11" {
		return cfg, fs, usageError{fmt.Sprintf("--windows must be 10 or 11, got %q", cfg.windows)}
	}
	if _, ok := colorProfiles[cfg.color]; !ok && cfg.color != "auto" {
		return cfg, fs, usageError{fmt.Sprintf("--color must be auto, truecolor, 256, 16 or none, got %q", cfg.color)}
	}
	if _, err := themes.Lookup(cfg.theme); err != nil {
		return cfg, fs, usageError{"--theme: " + err.Error()}
	}
	if err := checkCastFlags(cfg.cast); err != nil {
		return cfg, fs, err
	}
	if err := checkAnswersFlags(cfg.answersConfig); err != nil {
		return cfg, fs, err
	}
	if err := checkBackendFlags(cfg.backendConfig); err != nil {
		return cfg, fs, err
	}
	if cfg.backendConfig.remote() {
		for _, name := range []string{"fault", "wired", "seed", "dc", "tenant", "scenario", "profile", "esp", "branding", "config-file"} {
			if fs.Changed(name) {
				return cfg, fs, usageError{fmt.Sprintf("--%s sets up the built-in simulation and has no effect with --backend %s", name, cfg.kind)}
			}
		}
	}
	if _, err := sim.DCAddress(cfg.dc); err != nil {
		return cfg, fs, usageError{"--dc: " + err.Error()}
	}
	if err := checkRecordsURL(cfg.recordsURL); err != nil {
		return cfg, fs, err
	}
	if err := checkKioskID(cfg.kioskID); err != nil {
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
	b.WriteString("  oobe faults [--json]                      the failures --fault shows, where and with which code\n")
	b.WriteString("  oobe report RECORD.jsonl... [-o FILE]     an HTML report of recorded runs (see oobe report --help)\n")
	b.WriteString("  oobe screens [--tenant DIR] -o DIR        every screen of a tenant as pictures, with a gallery\n")
	b.WriteString("  oobe diff A B [--format html -o DIR]      what employees see differently with tenant B than with A\n")
	b.WriteString("  oobe serve-backend --data DIR [--listen ADDR] [--db URL]   the lab's server: records and kiosks' backends\n")
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

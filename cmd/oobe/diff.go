package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
	"github.com/oobe-emu/oobe/internal/termtext"
	"github.com/oobe-emu/oobe/review"
	"github.com/oobe-emu/oobe/themes"
)

const diffUsage = `oobe diff says what employees would see differently with tenant B's settings than with
A's: screens added or removed and why, changed texts (branding, hints, the ESP's message),
buttons, the ESP timeout, the device name. A and B are each a tenant folder or files
(comma-separated). With --format html it also renders both tenants' screens and writes
DIR/index.html with every screen that differs side by side.

Usage:
  oobe diff A B [--windows 10|11] [--format text|html -o DIR]

Exit codes: 0 no difference, 3 differences, 1 bad input, 2 bad usage.

Flags:
`

// runDiff is "oobe diff": it returns the exit code.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oobe diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "text, or html: the changed screens side by side as pictures (needs -o)")
	out := fs.StringP("output", "o", "", "with --format html, write into `DIR`")
	windows := fs.String("windows", "11", "the Windows release: 10 or 11")
	theme := fs.String("theme", themes.DefaultName, "the pictures' theme (--format html)")
	lenient := fs.Bool("lenient", false, "load files real Windows would ignore, with warnings")
	help := fs.BoolP("help", "h", false, "show this help")
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "oobe diff: %s (see oobe diff --help)\n", msg)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err.Error())
	}
	if *help {
		fmt.Fprint(stdout, diffUsage+fs.FlagUsages())
		return 0
	}
	switch {
	case fs.NArg() != 2:
		return usageErr("give two tenants: A B")
	case *format != "text" && *format != "html":
		return usageErr(fmt.Sprintf("--format must be text or html, got %q", *format))
	case *format == "html" && *out == "":
		return usageErr("--format html needs -o DIR")
	case *windows != "10" && *windows != "11":
		return usageErr(fmt.Sprintf("--windows must be 10 or 11, got %q", *windows))
	}
	th, err := themes.Lookup(*theme)
	if err != nil {
		return usageErr("--theme: " + err.Error())
	}
	win := windowsFor(*windows, th)
	loader := func(arg string) func() (*sim.World, error) {
		return func() (*sim.World, error) {
			w, _, err := tenant.LoadPaths(strings.Split(arg, ","), tenant.Options{Lenient: *lenient})
			return w, err
		}
	}
	a, b := loader(fs.Arg(0)), loader(fs.Arg(1))
	wa, err := a()
	if err == nil {
		var wb *sim.World
		if wb, err = b(); err == nil {
			changes := review.Diff(wa, wb, win)
			if err := review.WriteDiff(stdout, fs.Arg(0), fs.Arg(1), changes); err != nil {
				fmt.Fprintf(stderr, "oobe diff: %v\n", err)
				return 1
			}
			if *format == "html" {
				look := review.Look{Theme: th.Name, Locale: "en-US", Windows: win, W: 120, H: 40}
				if len(wa.Scenario.DisplayLanguages) > 0 {
					look.Locale = wa.Scenario.DisplayLanguages[0]
				}
				if err := os.MkdirAll(*out, 0o755); err != nil {
					fmt.Fprintf(stderr, "oobe diff: %v\n", err)
					return 1
				}
				if err := review.DiffPictures(*out, fs.Arg(0), fs.Arg(1), a, b, look, changes); err != nil {
					fmt.Fprintf(stderr, "oobe diff: %s\n", termtext.Clean(err.Error()))
					return 1
				}
				fmt.Fprintf(stdout, "The screens side by side: %s\n", termtext.Clean(*out+string(os.PathSeparator)+"index.html"))
			}
			if len(changes) > 0 {
				return 3
			}
			return 0
		}
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(stderr, "oobe diff: %s\n", termtext.Clean(line))
	}
	return 1
}

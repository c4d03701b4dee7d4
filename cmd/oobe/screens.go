package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/internal/termtext"
	"github.com/oobe-emu/oobe/review"
	"github.com/oobe-emu/oobe/themes"
)

const screensUsage = `oobe screens renders every screen of a tenant's deployment in every notable state (each
page; the sign-in with its errors and MFA; every ESP failure and timeout of the fault
catalogue with the tenant's buttons and message; the diagnostics page; the restart; the
finish page) into files named by step, state, theme, language, Windows and size, plus an
index.html gallery with the plan's reasons. The pictures are the program's own frames,
drawn by the real screens on the simulated device.

Usage:
  oobe screens [--tenant DIR | --profile F ...] [--theme T|all] [--locale L|all]
               [--windows 10|11|all] [--size WxH]... [--format txt,ansi,svg,png,html] -o DIR

Exit codes: 0 written, 1 bad input, 2 bad usage.

Flags:
`

// screensConfig is the parsed command line of oobe screens.
type screensConfig struct {
	tenantConfig
	theme, locale, windows, out string
	sizes, formats              []string
}

// runScreens is "oobe screens": it returns the exit code.
func runScreens(args []string, stdout, stderr io.Writer) int {
	var c screensConfig
	fs := flag.NewFlagSet("oobe screens", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addTenantFlags(fs, &c.tenantConfig)
	fs.StringVar(&c.theme, "theme", themes.DefaultName, "the theme, or all: "+strings.Join(themes.Names(), ", "))
	fs.StringVar(&c.locale, "locale", "", "the display language, or all: "+strings.Join(assets.Locales(), ", ")+" (default: the image's first)")
	fs.StringVar(&c.windows, "windows", "", "the Windows release: 10, 11 or all (default: 10 for the win10 theme, else 11)")
	fs.StringSliceVar(&c.sizes, "size", []string{"120x40"}, "the terminal size `WxH` (repeatable)")
	fs.StringSliceVar(&c.formats, "format", []string{"svg", "png", "html"}, "the files to write: "+strings.Join(review.Formats, ", ")+" (html: the gallery index.html)")
	fs.StringVarP(&c.out, "output", "o", "", "write into `DIR` (created when missing)")
	help := fs.BoolP("help", "h", false, "show this help")
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "oobe screens: %s (see oobe screens --help)\n", msg)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err.Error())
	}
	if *help {
		fmt.Fprint(stdout, screensUsage+fs.FlagUsages())
		return 0
	}
	if fs.NArg() > 0 {
		return usageErr(fmt.Sprintf("unexpected argument %q: give the tenant with --tenant DIR or the file flags", fs.Arg(0)))
	}
	if c.out == "" {
		return usageErr("-o DIR is required")
	}
	for _, f := range c.formats {
		if !slices.Contains(review.Formats, f) {
			return usageErr(fmt.Sprintf("--format %q: the formats are %s", f, strings.Join(review.Formats, ", ")))
		}
	}
	w, ok := loadTenant(c.tenantConfig, stderr)
	if !ok {
		return 1
	}
	looks, err := screensLooks(c, w)
	if err != nil {
		return usageErr(err.Error())
	}
	load := func() (*sim.World, error) {
		w, ok := loadTenant(c.tenantConfig, io.Discard) // read again: each walk changes its copy
		if !ok {
			return nil, errors.New("the tenant could not be read again")
		}
		return w, nil
	}
	g, err := review.Screens(review.ScreensOptions{Load: load, Looks: looks, Formats: c.formats, Out: c.out})
	if err != nil {
		fmt.Fprintf(stderr, "oobe screens: %s\n", termtext.Clean(err.Error()))
		return 1
	}
	n := 0
	for _, l := range g.Looks {
		n += len(l.Pictures)
	}
	msg := fmt.Sprintf("oobe screens: %d pictures of %s in %d look(s) written to %s", n, g.Tenant, len(looks), c.out)
	if slices.Contains(c.formats, "html") {
		msg += " (open index.html)"
	}
	fmt.Fprintln(stdout, termtext.Clean(msg))
	return 0
}

// screensLooks is every combination of the themes, languages, releases and sizes asked for.
func screensLooks(c screensConfig, w *sim.World) ([]review.Look, error) {
	var ths []string
	switch c.theme {
	case "all":
		ths = themes.Names()
	default:
		if _, err := themes.Lookup(c.theme); err != nil {
			return nil, fmt.Errorf("--theme: %v", err)
		}
		ths = []string{c.theme}
	}
	var locales []string
	switch {
	case c.locale == "all":
		locales = assets.Locales()
	case c.locale != "":
		if _, ok := assets.LookupCatalog(c.locale); !ok {
			return nil, fmt.Errorf("--locale %q has no strings; available: %s", c.locale, strings.Join(assets.Locales(), ", "))
		}
		locales = []string{c.locale}
	case len(w.Scenario.DisplayLanguages) > 0:
		locales = []string{w.Scenario.DisplayLanguages[0]}
	default:
		locales = []string{"en-US"}
	}
	if c.windows != "" && c.windows != "10" && c.windows != "11" && c.windows != "all" {
		return nil, fmt.Errorf("--windows must be 10, 11 or all, got %q", c.windows)
	}
	var sizes [][2]int
	for _, s := range c.sizes {
		ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
		wi, err1 := strconv.Atoi(ws)
		hi, err2 := strconv.Atoi(hs)
		if !ok || err1 != nil || err2 != nil || wi < 20 || hi < 10 || wi > 400 || hi > 200 {
			return nil, fmt.Errorf("--size %q: give columns x rows, like 120x40 (20x10 to 400x200)", s)
		}
		sizes = append(sizes, [2]int{wi, hi})
	}
	var looks []review.Look
	for _, t := range ths {
		th, _ := themes.Lookup(t)
		var wins []flow.WindowsVersion
		switch c.windows {
		case "all":
			wins = []flow.WindowsVersion{flow.Windows10, flow.Windows11}
		default:
			wins = []flow.WindowsVersion{windowsFor(c.windows, th)}
		}
		for _, l := range locales {
			for _, win := range wins {
				for _, sz := range sizes {
					looks = append(looks, review.Look{Theme: t, Locale: l, Windows: win, W: sz[0], H: sz[1]})
				}
			}
		}
	}
	return looks, nil
}

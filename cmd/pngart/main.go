// Command pngart prints a PNG image as terminal art, the way the organization sign-in page
// draws the tenant's square logo.
//
// Usage:
//
//	pngart [--cols N] [--rows N] [--ascii] [--bg #RRGGBB] FILE.png
//
// The art fits in --cols×--rows cells and keeps the image's aspect ratio. Colours follow the
// terminal (NO_COLOR and CLICOLOR_FORCE are honoured); when standard output is not a
// terminal, or with --ascii, the art is a ramp of 7-bit characters. --bg is the background
// the image is composited over; without it pngart asks the terminal for its background and,
// when there is no answer, leaves transparent areas to the terminal.
//
// Errors are one line on standard error: exit status 2 for a bad command line, 1 for a file
// that cannot be read (only a regular file of at most 4 MiB is) or is not a usable PNG image.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/internal/safefile"
	"github.com/oobe-emu/oobe/logo"
)

// config is the parsed command line.
type config struct {
	cols, rows int
	ascii      bool
	bg         color.Color
	file       string
}

// usageError is a bad flag or argument: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, detect))
}

// terminal is what pngart learns about its output: the colour profile and, if the terminal
// answers, its background colour (nil otherwise).
type terminal struct {
	profile colorprofile.Profile
	bg      color.Color
}

// detect inspects the real standard output; queryBG is false when --bg was given.
func detect(queryBG bool) terminal {
	t := terminal{profile: colorprofile.Detect(os.Stdout, os.Environ())}
	if queryBG {
		if bg, err := lipgloss.BackgroundColor(os.Stdin, os.Stdout); err == nil {
			t.bg = bg
		}
	}
	return t
}

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer, detect func(queryBG bool) terminal) int {
	cfg, fs, err := parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage(fs))
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "pngart: %v (see pngart --help)\n", err)
		return 2
	}
	data, err := safefile.Read(cfg.file, safefile.Limit)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		fmt.Fprintf(stderr, "pngart: %s: %v\n", cfg.file, err)
		return 1
	}
	img, err := logo.Decode(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintf(stderr, "pngart: %s: %v\n", cfg.file, err)
		return 1
	}
	term := detect(cfg.bg == nil)
	opts := logo.Options{Background: cfg.bg, ASCII: cfg.ascii, Profile: term.profile}
	if opts.Background == nil {
		opts.Background = term.bg
	}
	if _, err := fmt.Fprintln(stdout, logo.Render(img, cfg.cols, cfg.rows, opts)); err != nil {
		fmt.Fprintf(stderr, "pngart: %v\n", err)
		return 1
	}
	return 0
}

func parse(args []string) (config, *flag.FlagSet, error) {
	var cfg config
	var bg string
	fs := flag.NewFlagSet("pngart", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&cfg.cols, "cols", 20, "largest width of the art in terminal cells")
	fs.IntVar(&cfg.rows, "rows", 10, "largest height of the art in terminal lines")
	fs.BoolVar(&cfg.ascii, "ascii", false, "draw with 7-bit characters and no colour")
	fs.StringVar(&bg, "bg", "", "background colour `#RRGGBB` (default: ask the terminal)")
	fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return cfg, fs, usageError{err.Error()}
	}
	if h, _ := fs.GetBool("help"); h {
		return cfg, fs, flag.ErrHelp
	}
	switch {
	case fs.NArg() == 0:
		return cfg, fs, usageError{"missing FILE.png"}
	case fs.NArg() > 1:
		return cfg, fs, usageError{fmt.Sprintf("unexpected argument %q after %q", fs.Arg(1), fs.Arg(0))}
	case cfg.cols < 1:
		return cfg, fs, usageError{fmt.Sprintf("--cols must be at least 1, got %d", cfg.cols)}
	case cfg.rows < 1:
		return cfg, fs, usageError{fmt.Sprintf("--rows must be at least 1, got %d", cfg.rows)}
	}
	cfg.file = fs.Arg(0)
	if bg != "" {
		c, ok := parseHex(bg)
		if !ok {
			return cfg, fs, usageError{fmt.Sprintf("--bg must be a colour like #1A2B3C, got %q", bg)}
		}
		cfg.bg = c
	}
	return cfg, fs, nil
}

// parseHex reads "#RRGGBB".
func parseHex(s string) (color.Color, bool) {
	if len(s) != 7 || s[0] != '#' {
		return nil, false
	}
	var v [3]uint8
	for i := range v {
		hi, ok1 := hexDigit(s[1+2*i])
		lo, ok2 := hexDigit(s[2+2*i])
		if !ok1 || !ok2 {
			return nil, false
		}
		v[i] = hi<<4 | lo
	}
	return color.RGBA{v[0], v[1], v[2], 0xff}, true
}

func hexDigit(c byte) (uint8, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func usage(fs *flag.FlagSet) string {
	var b strings.Builder
	b.WriteString("pngart prints a PNG image (at most 4096x4096 pixels) as terminal art.\n\n")
	b.WriteString("Usage:\n  pngart [flags] FILE.png\n\nFlags:\n")
	b.WriteString(fs.FlagUsages())
	return b.String()
}

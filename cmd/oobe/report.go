package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/internal/termtext"
	"github.com/oobe-emu/oobe/review"
)

const reportUsage = `oobe report turns run records (--record) into one self-contained HTML page: for each run
the path through the screens with timings, the answers (never a secret: records hold none),
the errors with their codes and the buttons pressed after them, and a chart of the steps'
and ESP phases' durations; several runs side by side. The page fetches nothing.

Usage:
  oobe report RECORD.jsonl... [-o report.html]

Exit codes: 0 written, 1 bad input (one line naming the file and line), 2 bad usage.

Flags:
`

// runReport is "oobe report": it returns the exit code.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("oobe report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.StringP("output", "o", "", "write the page to `FILE` instead of standard output")
	help := fs.BoolP("help", "h", false, "show this help")
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "oobe report: %s (see oobe report --help)\n", msg)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err.Error())
	}
	if *help {
		fmt.Fprint(stdout, reportUsage+fs.FlagUsages())
		return 0
	}
	if fs.NArg() == 0 {
		return usageErr("missing RECORD.jsonl")
	}
	if fs.Changed("output") && *out == "" {
		return usageErr("-o needs a file name")
	}
	var runs []*review.Run
	for _, path := range fs.Args() {
		rs, err := review.ReadRecord(path)
		if err != nil {
			fmt.Fprintf(stderr, "oobe report: %s\n", termtext.Clean(err.Error()))
			return 1
		}
		if len(rs) == 0 {
			fmt.Fprintf(stderr, "oobe report: %s: no run in it\n", termtext.Clean(path))
			return 1
		}
		runs = append(runs, rs...)
	}
	var page bytes.Buffer
	if err := review.Report(&page, runs); err != nil {
		fmt.Fprintf(stderr, "oobe report: %v\n", err)
		return 1
	}
	if err := writeOutput(*out, page.Bytes(), stdout); err != nil {
		fmt.Fprintf(stderr, "oobe report: %s\n", termtext.Clean(err.Error()))
		return 1
	}
	return 0
}

// writeOutput writes data to path (a regular file, never through a symbolic link), or to
// stdout when path is "".
func writeOutput(path string, data []byte, stdout io.Writer) error {
	if path == "" {
		_, err := stdout.Write(data)
		return err
	}
	if _, err := checkTarget(path); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

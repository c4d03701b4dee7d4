//go:build !unix

package main

import (
	"os"
	"syscall"
)

// caughtSignals are the signals that end a run as Ctrl+C does: on Windows, Ctrl+Break and
// closing the console (SIGTERM).
var caughtSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

//go:build unix

package main

import (
	"os"
	"syscall"
)

// caughtSignals are the signals that end a run as Ctrl+C does: SIGINT (kill -INT), SIGTERM
// (kill, a service manager), SIGHUP (the terminal closed) and SIGQUIT (Ctrl+\ outside raw mode).
var caughtSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

package main

import (
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/ui"
)

// signals ends the program on a caught signal the way Ctrl+C does (the run's end line with
// the signal's name, the answers written, the terminal restored); a second signal kills the
// program at once. Stop it when the program has returned; got is the first signal, if any.
type signals struct {
	ch  chan os.Signal
	got atomic.Value // os.Signal
}

// catchSignals starts delivering caught signals to p.
func catchSignals(p *tea.Program) *signals {
	s := &signals{ch: make(chan os.Signal, 4)}
	signal.Notify(s.ch, caughtSignals...)
	go func() {
		for sig := range s.ch {
			if s.got.CompareAndSwap(nil, sig) {
				go p.Send(ui.Signal{Name: signalName(sig)})
				continue
			}
			p.Kill()
		}
	}()
	return s
}

// stop stops catching signals.
func (s *signals) stop() {
	signal.Stop(s.ch)
	close(s.ch)
}

// exitCode is the shell's code for a program ended by the first caught signal (128 + its
// number), or 0 when none came.
func (s *signals) exitCode() int {
	sig, _ := s.got.Load().(os.Signal)
	if n, ok := sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	if sig != nil {
		return 130
	}
	return 0
}

// signalName is the usual name of a signal ("SIGTERM").
func signalName(sig os.Signal) string {
	if n, ok := sig.(syscall.Signal); ok {
		switch n {
		case syscall.SIGINT:
			return "SIGINT"
		case syscall.SIGTERM:
			return "SIGTERM"
		}
	}
	name := sig.String() // "hangup", "quit"
	switch name {
	case "hangup":
		return "SIGHUP"
	case "quit":
		return "SIGQUIT"
	}
	return strings.ToUpper(name)
}

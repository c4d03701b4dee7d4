package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-shellwords"
	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// tokenEnv is the environment variable a bearer token for --backend http may come from
// (a token is never a flag's value: command lines are visible to every user of a machine).
const tokenEnv = "OOBE_BACKEND_TOKEN"

// backendConfig is the --backend flags.
type backendConfig struct {
	kind, cmd, url, ca, cert, key, tokenFile string
}

func addBackendFlags(fs *flag.FlagSet, c *backendConfig) {
	fs.StringVar(&c.kind, "backend", "sim", "what answers for the device and the cloud: sim (the built-in simulation), exec (a helper program, --backend-cmd) or http (a server, --backend-url); see docs/backend-protocol.md")
	fs.StringVar(&c.cmd, "backend-cmd", "", "with --backend exec: the helper's `COMMAND` line (program and arguments, quoted as in a shell), e.g. 'python3 examples/backends/python/oobe_backend.py'")
	fs.StringVar(&c.url, "backend-url", "", "with --backend http: the backend server's base `URL` (the protocol is at URL/v1/rpc)")
	fs.StringVar(&c.ca, "backend-ca", "", "with --backend http: PEM `FILE` of the certificate authorities to trust for the server (default: the system's)")
	fs.StringVar(&c.cert, "backend-cert", "", "with --backend http: client certificate PEM `FILE` (with --backend-key)")
	fs.StringVar(&c.key, "backend-key", "", "with --backend http: the client certificate's key PEM `FILE`")
	fs.StringVar(&c.tokenFile, "backend-token-file", "", "with --backend http: read the bearer token from `FILE` (or set "+tokenEnv+"; never on the command line)")
}

// checkBackendFlags says what is wrong with the --backend flags.
func checkBackendFlags(c backendConfig) error {
	switch c.kind {
	case "sim":
		if c.cmd != "" || c.url != "" {
			return usageError{"--backend-cmd and --backend-url need --backend exec or --backend http"}
		}
	case "exec":
		if strings.TrimSpace(c.cmd) == "" {
			return usageError{"--backend exec needs --backend-cmd 'PROGRAM ARGS'"}
		}
		if _, err := splitCommand(c.cmd); err != nil {
			return usageError{"--backend-cmd: " + err.Error()}
		}
	case "http":
		if c.url == "" {
			return usageError{"--backend http needs --backend-url URL"}
		}
	default:
		return usageError{fmt.Sprintf("--backend must be sim, exec or http, got %q", c.kind)}
	}
	if c.kind != "http" && (c.ca != "" || c.cert != "" || c.key != "" || c.tokenFile != "") {
		return usageError{"--backend-ca, --backend-cert, --backend-key and --backend-token-file need --backend http"}
	}
	if (c.cert == "") != (c.key == "") {
		return usageError{"--backend-cert and --backend-key go together"}
	}
	return nil
}

// splitCommand splits a --backend-cmd line as a POSIX shell would (quotes and backslashes),
// without running a shell or expanding anything.
func splitCommand(line string) ([]string, error) {
	argv, err := shellwords.Parse(line)
	if err != nil {
		return nil, err
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("no program in %q", line)
	}
	return argv, nil
}

// plain is what a backend error says in words, without its code (a command line's message).
func plain(err error) string {
	if fe := flow.AsError(err); fe.Detail != "" {
		return fe.Detail
	}
	return err.Error()
}

// remote reports whether the backend is not the built-in simulation.
func (c backendConfig) remote() bool { return c.kind == "exec" || c.kind == "http" }

// unreachable reports whether err is a backend not answering (down, a 5xx, too slow), which
// Try again may cure, rather than one that answered something wrong.
func unreachable(err error) bool {
	return errors.Is(err, flow.ErrUnavailable) || errors.Is(err, flow.ErrTimeout)
}

// token reads the bearer token: the file when given, else the environment.
func (c backendConfig) token(getenv func(string) string) (string, error) {
	if c.tokenFile != "" {
		b, err := os.ReadFile(c.tokenFile)
		if err != nil {
			return "", fmt.Errorf("--backend-token-file: %w", err)
		}
		t := strings.TrimSpace(string(b))
		if t == "" || strings.ContainsAny(t, "\r\n") {
			return "", fmt.Errorf("--backend-token-file %s: want one line holding the token", c.tokenFile)
		}
		return t, nil
	}
	return strings.TrimSpace(getenv(tokenEnv)), nil
}

// untracked is a paced clock the run cannot hold: with a remote backend the run's time
// flows at the speed factor in real time whatever the backend does, as the backend's own
// time does (the run never sleeps on the backend's clock, so holding it would stop time
// while a remote call is under way and no ESP timeout could ever pass).
type untracked struct{ c flow.PacedClock }

func (u untracked) Now() time.Time                                   { return u.c.Now() }
func (u untracked) Sleep(ctx context.Context, d time.Duration) error { return u.c.Sleep(ctx, d) }
func (u untracked) Speed() float64                                   { return u.c.Speed() }
func (u untracked) SetSpeed(s float64)                               { u.c.SetSpeed(s) }

var _ flow.Throttle = untracked{}

// backendFor builds the run's backend on clock; close ends it (a helper process stops).
func (f factory) backendFor(clock flow.Clock) (b flow.Backend, close func(), err error) {
	if !f.backend.remote() {
		return sim.New(f.world, sim.Options{Clock: clock, Seed: f.seed, Wired: f.wired, DC: f.dc}), func() {}, nil
	}
	opts := rpc.Options{Client: "oobe " + buildVersion(), Speed: f.speed.factor}
	ctx := context.Background()
	var c *rpc.Client
	switch f.backend.kind {
	case "exec":
		argv, err := splitCommand(f.backend.cmd)
		if err != nil {
			return nil, nil, fmt.Errorf("--backend-cmd: %w", err)
		}
		c, err = rpc.Exec(ctx, argv, rpc.ExecOptions{Options: opts})
		if err != nil {
			return nil, nil, fmt.Errorf("--backend exec: %s", plain(err))
		}
	case "http":
		c, err = rpc.DialHTTP(ctx, f.backend.url, rpc.HTTPOptions{
			Options: opts, CAFile: f.backend.ca, CertFile: f.backend.cert, KeyFile: f.backend.key, Token: f.token,
		})
		if err != nil && !(c != nil && unreachable(err)) {
			return nil, nil, fmt.Errorf("--backend http: %s", plain(err))
		}
		// a server that is down (or slow) at power-on: the first page says so, with Try
		// again, and the client says hello then
	}
	return c, func() { c.Close() }, nil
}

package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/creachadair/jrpc2"
	"github.com/creachadair/jrpc2/channel"

	"github.com/oobe-emu/oobe/flow"
)

// ExecOptions tune Exec.
type ExecOptions struct {
	Options
	// Dir is the helper's working directory ("": the current one).
	Dir string
	// Env is the helper's environment (nil: this process's).
	Env []string
	// Stderr also receives the helper's standard error as it comes (nil: only the tail is
	// kept, for the diagnostics bundle).
	Stderr io.Writer
	// StderrTail is how much of the helper's standard error the diagnostics keep (0: 64 KiB).
	StderrTail int
}

// Exec starts argv (the program and its arguments) as a long-lived helper that speaks the
// protocol on its standard input and output, one JSON message a line, and says hello. Its
// standard error is kept (the last StderrTail bytes) for the diagnostics bundle. Close stops
// it. A helper that cannot start or refuses the handshake gives a *flow.Error, and the
// helper is stopped. A helper that exits later, or writes something that is not JSON-RPC,
// fails the call under way; the next call starts it again (at most MaxRestarts times), at
// power-on, so Try again can work.
func Exec(ctx context.Context, argv []string, opts ExecOptions) (*Client, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, flow.Errorf(flow.CodeBadRequest, "no backend command given")
	}
	tail := &tailBuffer{max: opts.StderrTail}
	if tail.max <= 0 {
		tail.max = 64 << 10
	}
	t := &execTransport{argv: argv, opts: opts, name: argv[0], tail: tail, log: newTranscript(opts.Exchanges)}
	t.hello = Hello{Protocol: Version, Client: opts.Client, Speed: opts.Speed}
	if err := t.start(); err != nil {
		return nil, err
	}
	c, err := newClient(ctx, t, opts.Options, t.log)
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// MaxRestarts is how many times an exec client starts a helper again after it exited.
const MaxRestarts = 5

// notifyCancel tells the backend that the client gave up a call (its handler may stop).
func notifyCancel(cli *jrpc2.Client, rsp *jrpc2.Response) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = cli.Notify(ctx, MethodCancel, map[string]json.RawMessage{"id": json.RawMessage(rsp.ID())})
}

// execTransport is a helper process spoken to on its standard input and output.
type execTransport struct {
	argv  []string
	opts  ExecOptions
	name  string
	tail  *tailBuffer
	log   *transcript
	hello Hello

	mu       sync.Mutex
	cur      *helper
	restarts int
	closed   bool
}

// helper is one run of the helper process.
type helper struct {
	cmd     *exec.Cmd
	cli     *jrpc2.Client
	exited  chan struct{}
	waitErr error

	mu      sync.Mutex
	garbage string // the first line that was not JSON-RPC
}

// start starts the helper process; t.mu is held or t is not shared yet.
func (t *execTransport) start() error {
	cmd := exec.Command(t.argv[0], t.argv[1:]...)
	cmd.Dir, cmd.Env = t.opts.Dir, t.opts.Env
	if t.opts.Stderr != nil {
		cmd.Stderr = io.MultiWriter(t.tail, t.opts.Stderr)
	} else {
		cmd.Stderr = t.tail
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return flow.Errorf(flow.CodeUnavailable, "cannot start the backend %s: %v", t.name, err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return flow.Errorf(flow.CodeUnavailable, "cannot start the backend %s: %v", t.name, err)
	}
	if err := cmd.Start(); err != nil {
		return flow.Errorf(flow.CodeUnavailable, "cannot start the backend %s: %v", t.name, err)
	}
	h := &helper{cmd: cmd, exited: make(chan struct{})}
	go func() {
		h.waitErr = cmd.Wait()
		close(h.exited)
	}()
	ch := &checkedChannel{Channel: channel.Line(stdout, stdin), h: h, log: t.log}
	h.cli = jrpc2.NewClient(ch, &jrpc2.ClientOptions{OnCancel: notifyCancel})
	t.cur = h
	return nil
}

// exited reports whether the helper's process has ended.
func (h *helper) hasExited() bool {
	select {
	case <-h.exited:
		return true
	default:
		return false
	}
}

// helperFor returns the helper to call: the running one, or a new one (said hello to) when
// it exited.
func (t *execTransport) helperFor(ctx context.Context, method string) (*helper, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	h := t.cur
	h.mu.Lock()
	garbled := h.garbage != ""
	h.mu.Unlock()
	if t.closed || !(h.hasExited() || garbled) || method == MethodHello || t.restarts >= MaxRestarts {
		return h, nil
	}
	if garbled {
		// its output is out of step for good: stop it and start afresh
		h.cli.Close()
		_ = h.cmd.Process.Kill()
		<-h.exited
	}
	t.restarts++
	status := "it ended"
	switch {
	case garbled:
		status = "it wrote something that is not JSON-RPC"
	case h.waitErr != nil:
		status = h.waitErr.Error()
	}
	fmt.Fprintf(t.tail, "\n--- oobe: the backend stopped (%s); starting it again (restart %d of %d) ---\n", status, t.restarts, MaxRestarts)
	t.log.note("the backend stopped (%s): started again, at power-on", status)
	if err := t.start(); err != nil {
		return nil, err
	}
	var res HelloResult
	if err := t.cur.cli.CallResult(ctx, MethodHello, t.hello, &res); err != nil {
		return t.cur, err
	}
	return t.cur, nil
}

func (t *execTransport) call(ctx context.Context, method string, params, result any) error {
	h, err := t.helperFor(ctx, method)
	if err != nil {
		return err
	}
	return h.cli.CallResult(ctx, method, params, result)
}

// broken says why a call failed when the helper broke: garbage on its output, or it exited.
func (t *execTransport) broken(method string, _ error) *flow.Error {
	t.mu.Lock()
	h := t.cur
	t.mu.Unlock()
	h.mu.Lock()
	garbage := h.garbage
	h.mu.Unlock()
	if garbage != "" {
		return flow.Errorf(flow.CodeProtocol, "the backend %s wrote something that is not JSON-RPC: %q", t.name, clip(garbage, 80))
	}
	select {
	case <-h.exited:
	case <-time.After(2 * time.Second):
		// the output ended (or the client stopped) but the process lives on
		return flow.Errorf(flow.CodeUnavailable, "the backend %s stopped answering during %s", t.name, describe(method))
	}
	status := "it ended"
	if h.waitErr != nil {
		status = h.waitErr.Error()
	}
	msg := fmt.Sprintf("the backend %s exited (%s) during %s", t.name, status, describe(method))
	if l := t.tail.lastLine(); l != "" {
		msg += "; its last words: " + clip(l, 200)
	}
	return flow.Errorf(flow.CodeUnavailable, "%s", msg)
}

func (t *execTransport) diagnostics() string {
	s := t.tail.String()
	if s == "" {
		return "Backend standard error: (empty)\n"
	}
	return "Backend standard error (last " + fmt.Sprint(len(s)) + " bytes)\n" + s + "\n"
}

// close stops the helper: its input ends (a well-behaved helper exits), then it is killed
// when it has not exited within two seconds.
func (t *execTransport) close() error {
	t.mu.Lock()
	t.closed = true
	h := t.cur
	t.mu.Unlock()
	h.cli.Close()
	select {
	case <-h.exited:
	case <-time.After(2 * time.Second):
		_ = h.cmd.Process.Kill()
		<-h.exited
	}
	return nil
}

// checkedChannel is the helper's line channel, refusing a line that is not a JSON object
// or array (so garbage ends the client with a clear cause).
type checkedChannel struct {
	channel.Channel
	h   *helper
	log *transcript
}

func (c *checkedChannel) Recv() ([]byte, error) {
	msg, err := c.Channel.Recv()
	if err != nil {
		return msg, err
	}
	trimmed := bytes.TrimSpace(msg)
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') || !json.Valid(trimmed) {
		c.h.mu.Lock()
		if c.h.garbage == "" {
			c.h.garbage = string(msg)
		}
		c.h.mu.Unlock()
		c.log.note("← not JSON-RPC: %q", clip(string(msg), 200))
		return nil, errors.New("rpc: the backend wrote a line that is not JSON-RPC")
	}
	return msg, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.ToValidUTF8(string(b.buf), "?")
}

// lastLine is the last line of text written, without its newline.
func (b *tailBuffer) lastLine() string {
	s := strings.TrimRight(b.String(), "\r\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

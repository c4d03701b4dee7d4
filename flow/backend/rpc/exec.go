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
// helper is stopped.
func Exec(ctx context.Context, argv []string, opts ExecOptions) (*Client, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, flow.Errorf(flow.CodeBadRequest, "no backend command given")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = opts.Dir, opts.Env
	tail := &tailBuffer{max: opts.StderrTail}
	if tail.max <= 0 {
		tail.max = 64 << 10
	}
	if opts.Stderr != nil {
		cmd.Stderr = io.MultiWriter(tail, opts.Stderr)
	} else {
		cmd.Stderr = tail
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, flow.Errorf(flow.CodeUnavailable, "cannot start the backend %s: %v", argv[0], err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, flow.Errorf(flow.CodeUnavailable, "cannot start the backend %s: %v", argv[0], err)
	}
	if err := cmd.Start(); err != nil {
		return nil, flow.Errorf(flow.CodeUnavailable, "cannot start the backend %s: %v", argv[0], err)
	}
	t := &execTransport{cmd: cmd, name: argv[0], tail: tail, exited: make(chan struct{})}
	go func() {
		t.waitErr = cmd.Wait()
		close(t.exited)
	}()
	ch := &checkedChannel{Channel: channel.Line(stdout, stdin), t: t}
	t.cli = jrpc2.NewClient(ch, &jrpc2.ClientOptions{OnCancel: notifyCancel})
	t.log = newTranscript(opts.Exchanges)
	c, err := newClient(ctx, t, opts.Options, t.log)
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// notifyCancel tells the backend that the client gave up a call (its handler may stop).
func notifyCancel(cli *jrpc2.Client, rsp *jrpc2.Response) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = cli.Notify(ctx, MethodCancel, map[string]json.RawMessage{"id": json.RawMessage(rsp.ID())})
}

// execTransport is a helper process spoken to on its standard input and output.
type execTransport struct {
	cmd     *exec.Cmd
	name    string
	cli     *jrpc2.Client
	tail    *tailBuffer
	log     *transcript
	exited  chan struct{}
	waitErr error

	mu      sync.Mutex
	garbage string // the first line that was not JSON-RPC
}

func (t *execTransport) call(ctx context.Context, method string, params, result any) error {
	return t.cli.CallResult(ctx, method, params, result)
}

// broken says why a call failed when the helper broke: garbage on its output, or it exited.
func (t *execTransport) broken(method string, _ error) *flow.Error {
	t.mu.Lock()
	garbage := t.garbage
	t.mu.Unlock()
	if garbage != "" {
		return flow.Errorf(flow.CodeProtocol, "the backend %s wrote something that is not JSON-RPC: %q", t.name, clip(garbage, 80))
	}
	select {
	case <-t.exited:
	case <-time.After(2 * time.Second):
		// the output ended (or the client stopped) but the process lives on
		return flow.Errorf(flow.CodeUnavailable, "the backend %s stopped answering during %s", t.name, describe(method))
	}
	status := "it ended"
	if t.waitErr != nil {
		status = t.waitErr.Error()
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
	t.cli.Close()
	select {
	case <-t.exited:
	case <-time.After(2 * time.Second):
		_ = t.cmd.Process.Kill()
		<-t.exited
	}
	return nil
}

// checkedChannel is the helper's line channel, refusing a line that is not a JSON object
// or array (so garbage ends the client with a clear cause).
type checkedChannel struct {
	channel.Channel
	t *execTransport
}

func (c *checkedChannel) Recv() ([]byte, error) {
	msg, err := c.Channel.Recv()
	if err != nil {
		return msg, err
	}
	trimmed := bytes.TrimSpace(msg)
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') || !json.Valid(trimmed) {
		c.t.mu.Lock()
		if c.t.garbage == "" {
			c.t.garbage = string(msg)
		}
		c.t.mu.Unlock()
		if c.t.log != nil {
			c.t.log.note("← not JSON-RPC: %q", clip(string(msg), 200))
		}
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

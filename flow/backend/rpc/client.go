package rpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/creachadair/jrpc2"

	"github.com/oobe-emu/oobe/flow"
)

// transport carries one call to the backend and back: the exec and HTTP transports.
type transport interface {
	// call sends method with params and decodes the result; an error is a *jrpc2.Error
	// from the backend, or the transport's own (already a *flow.Error when it knows why).
	call(ctx context.Context, method string, params, result any) error
	// broken words a transport failure as the *flow.Error a user reads (nil: not the
	// transport's).
	broken(method string, err error) *flow.Error
	// diagnostics is the transport's part of a bundle (a child's stderr).
	diagnostics() string
	// close ends the transport.
	close() error
}

// Options tune a Client.
type Options struct {
	// Client names the program in the hello ("oobe 1.4.0").
	Client string
	// Speed goes to the backend in the hello (0: as fast as possible).
	Speed float64
	// Timeouts override DefaultTimeouts per method.
	Timeouts map[string]time.Duration
	// Exchanges is how many of the last calls the diagnostics keep (0: 64).
	Exchanges int
}

// DefaultTimeouts bound each call in real time; a call past its bound fails with
// flow.CodeTimeout. stream.next waits up to the server's poll time (20 s) first.
var DefaultTimeouts = map[string]time.Duration{
	MethodHello: 10 * time.Second, MethodBoot: 30 * time.Second, MethodScan: 30 * time.Second,
	MethodConnect: 60 * time.Second, MethodProfile: 60 * time.Second,
	MethodCheckUpdates: 30 * time.Second, MethodCheckUser: 30 * time.Second,
	MethodSignIn: 60 * time.Second, MethodWaitMFA: 10 * time.Minute,
	MethodVerifyCode: 30 * time.Second, MethodEnroll: 5 * time.Minute,
	MethodProvision: 30 * time.Second, MethodQualityUpdates: 30 * time.Second,
	MethodConnectVPN: 60 * time.Second, MethodDeviceName: 30 * time.Second, MethodReset: 60 * time.Second,
	MethodStreamNext: DefaultPollWait + 30*time.Second, MethodStreamClose: 10 * time.Second,
}

// Client is a flow.Backend that speaks the protocol to a backend over a transport (Exec,
// DialHTTP). It is safe for concurrent use; Close ends it.
type Client struct {
	t     transport
	opts  Options
	hello HelloResult
	log   *transcript
	wg    sync.WaitGroup // stream.close calls in flight
	// greeted is true once the hello was answered; a client whose hello failed (a server
	// down at power-on) says hello again before its next call.
	mu      sync.Mutex
	greeted bool
}

var (
	_ flow.Backend   = (*Client)(nil)
	_ flow.Diagnoser = (*Client)(nil)
)

// errTimedOut is the cause of a call's context that ran past the call's timeout.
var errTimedOut = errors.New("rpc: timed out")

// newClient says hello over t and returns the client, or why the backend cannot serve.
func newClient(ctx context.Context, t transport, opts Options, log *transcript) (*Client, error) {
	c := &Client{t: t, opts: opts, log: log}
	return c, c.greet(ctx)
}

// greet says hello unless the backend already answered it: the handshake's version check
// included.
func (c *Client) greet(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.greeted {
		return nil
	}
	h := Hello{Protocol: Version, Client: c.opts.Client, Speed: c.opts.Speed}
	var res HelloResult
	if err := c.call(ctx, MethodHello, h, &res); err != nil {
		return err
	}
	if err := compatible(res.Protocol); err != nil {
		return err
	}
	c.hello, c.greeted = res, true
	return nil
}

// Hello is the backend's answer to the handshake.
func (c *Client) Hello() HelloResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hello
}

// Has reports whether the backend announced capability.
func (c *Client) Has(capability string) bool {
	for _, k := range c.Hello().Capabilities {
		if k == capability {
			return true
		}
	}
	return false
}

// Close ends the client and its transport (a helper process is stopped).
func (c *Client) Close() error {
	c.wg.Wait()
	return c.t.close()
}

// Diagnostics is the client's part of a diagnostics bundle: the backend, the last
// exchanges with secrets redacted, and the transport's own (a helper's stderr tail).
func (c *Client) Diagnostics() []byte {
	var b strings.Builder
	hello := c.Hello()
	fmt.Fprintf(&b, "Backend: %s %s (protocol %s", hello.Name, hello.Version, hello.Protocol)
	if len(hello.Capabilities) > 0 {
		fmt.Fprintf(&b, "; capabilities %s", strings.Join(hello.Capabilities, ", "))
	}
	b.WriteString(")\n\nLast protocol exchanges\n")
	b.WriteString(c.log.String())
	if d := c.t.diagnostics(); d != "" {
		b.WriteString("\n")
		b.WriteString(d)
	}
	return []byte(c.log.scrub(b.String()))
}

func (c *Client) timeout(method string) time.Duration {
	if d, ok := c.opts.Timeouts[method]; ok && d > 0 {
		return d
	}
	if d, ok := DefaultTimeouts[method]; ok {
		return d
	}
	return time.Minute
}

// call makes one call within its timeout and gives back any failure as a *flow.Error.
func (c *Client) call(ctx context.Context, method string, params, result any) error {
	if err := ctx.Err(); err != nil {
		return flow.AsError(err)
	}
	if method != MethodHello && method != MethodCancel {
		if err := c.greet(ctx); err != nil {
			return err // the backend is still not there: the page says so, Try again asks again
		}
	}
	d := c.timeout(method)
	cctx, cancel := context.WithTimeoutCause(ctx, d, errTimedOut)
	defer cancel()
	start := time.Now()
	err := c.t.call(cctx, method, params, result)
	var fe *flow.Error
	if err != nil {
		switch {
		case ctx.Err() != nil:
			fe = flow.AsError(ctx.Err())
		case errors.Is(context.Cause(cctx), errTimedOut):
			fe = flow.Errorf(flow.CodeTimeout, "the backend did not answer %s within %v", describe(method), d)
		default:
			fe = c.wordError(method, err)
		}
	}
	c.log.add(method, params, result, fe, time.Since(start))
	if fe != nil {
		return fe
	}
	return nil
}

// wordError turns what a transport returned into the error a page shows.
func (c *Client) wordError(method string, err error) *flow.Error {
	var je *jrpc2.Error
	if errors.As(err, &je) {
		if fe, ok := errorFromData(je.Data); ok {
			return fe
		}
		switch je.Code {
		case jrpc2.MethodNotFound:
			return flow.Errorf(flow.CodeProtocol, "the backend does not implement %s", describe(method))
		case jrpc2.InvalidParams, jrpc2.InvalidRequest, jrpc2.ParseError:
			return flow.Errorf(flow.CodeProtocol, "the backend refused %s as malformed: %s", describe(method), clip(je.Message, 200))
		}
		if fe := c.t.broken(method, err); fe != nil {
			return fe
		}
		return flow.Errorf(flow.CodeProtocol, "the backend failed %s with JSON-RPC error %d (%s) and no error code", describe(method), je.Code, clip(je.Message, 200))
	}
	var fe *flow.Error
	if errors.As(err, &fe) {
		return fe
	}
	if fe := c.t.broken(method, err); fe != nil {
		return fe
	}
	return flow.Errorf(flow.CodeUnavailable, "%s failed: %v", describe(method), err)
}

// Boot asks the backend how the device started.
func (c *Client) Boot(ctx context.Context) (flow.BootInfo, error) {
	var r flow.BootInfo
	err := c.call(ctx, MethodBoot, Empty{}, &r)
	return r, err
}

// Scan lists the Wi-Fi networks in range.
func (c *Client) Scan(ctx context.Context) ([]flow.Network, error) {
	var r ScanResult
	err := c.call(ctx, MethodScan, Empty{}, &r)
	return r.Networks, err
}

// Connect joins a Wi-Fi network.
func (c *Client) Connect(ctx context.Context, req flow.ConnectRequest) (flow.ConnectResult, error) {
	c.log.secret(req.Key)
	var r flow.ConnectResult
	err := c.call(ctx, MethodConnect, req, &r)
	return r, err
}

// DownloadProfile fetches the Autopilot profile.
func (c *Client) DownloadProfile(ctx context.Context) (flow.DeviceProfile, error) {
	var r flow.DeviceProfile
	err := c.call(ctx, MethodProfile, Empty{}, &r)
	return r, err
}

// CheckUpdates starts the critical-update check.
func (c *Client) CheckUpdates(ctx context.Context) (flow.Stream, error) {
	return c.open(ctx, MethodCheckUpdates, Empty{})
}

// CheckUser looks up a username.
func (c *Client) CheckUser(ctx context.Context, upn string) error {
	return c.call(ctx, MethodCheckUser, UserRequest{UPN: upn}, &Empty{})
}

// SignIn checks credentials.
func (c *Client) SignIn(ctx context.Context, cred flow.Credentials) (flow.SignInResult, error) {
	c.log.secret(cred.Password)
	var r flow.SignInResult
	err := c.call(ctx, MethodSignIn, cred, &r)
	return r, err
}

// WaitMFA waits for the Authenticator approval.
func (c *Client) WaitMFA(ctx context.Context, t flow.Ticket) error {
	return c.call(ctx, MethodWaitMFA, TicketRequest{Ticket: t}, &Empty{})
}

// VerifyCode checks a verification code.
func (c *Client) VerifyCode(ctx context.Context, t flow.Ticket, code string) error {
	c.log.secret(code)
	return c.call(ctx, MethodVerifyCode, CodeRequest{Ticket: t, Code: code}, &Empty{})
}

// Enroll joins and enrolls the device.
func (c *Client) Enroll(ctx context.Context, t flow.Ticket) error {
	return c.call(ctx, MethodEnroll, TicketRequest{Ticket: t}, &Empty{})
}

// ConnectVPN connects the device VPN from the Windows sign-in screen.
func (c *Client) ConnectVPN(ctx context.Context) error {
	return c.call(ctx, MethodConnectVPN, Empty{}, &Empty{})
}

// Provision runs one ESP phase.
func (c *Client) Provision(ctx context.Context, req flow.ProvisionRequest) (flow.Stream, error) {
	return c.open(ctx, MethodProvision, req)
}

// QualityUpdates runs the quality update.
func (c *Client) QualityUpdates(ctx context.Context) (flow.Stream, error) {
	return c.open(ctx, MethodQualityUpdates, Empty{})
}

// DeviceName returns the device's name.
func (c *Client) DeviceName(ctx context.Context) (string, error) {
	var r NameResult
	err := c.call(ctx, MethodDeviceName, Empty{}, &r)
	return r.Name, err
}

// Reset wipes the device.
func (c *Client) Reset(ctx context.Context) error {
	return c.call(ctx, MethodReset, Empty{}, &Empty{})
}

// open calls a method that opens a stream; the stream lives until ctx ends or it is closed.
func (c *Client) open(ctx context.Context, method string, params any) (flow.Stream, error) {
	var r StreamResult
	if err := c.call(ctx, method, params, &r); err != nil {
		return nil, err
	}
	if r.Stream == "" {
		return nil, flow.Errorf(flow.CodeProtocol, "the backend answered %s without a stream id", describe(method))
	}
	s := &stream{c: c, id: r.Stream, what: method, life: ctx}
	s.unhook = context.AfterFunc(ctx, func() { s.Close() })
	return s, nil
}

// stream is a remote stream read with stream.next.
type stream struct {
	c      *Client
	id     string
	what   string // the method that opened it
	life   context.Context
	unhook func() bool

	next sync.Mutex // Next calls do not overlap
	mu   sync.Mutex
	buf  []flow.Event
	end  bool
	err  error // what Next returns once the stream failed or was closed
	shut bool  // stream.close sent (or not needed)
	last time.Time
}

// Next returns the next event, asking the backend when none is buffered.
func (s *stream) Next(ctx context.Context) (flow.Event, error) {
	s.next.Lock()
	defer s.next.Unlock()
	for {
		if err := s.life.Err(); err != nil {
			// the stream's context ended (its AfterFunc may not have run yet)
			return flow.Event{}, s.fail(flow.AsError(err))
		}
		if err := ctx.Err(); err != nil {
			return flow.Event{}, s.fail(flow.AsError(err))
		}
		s.mu.Lock()
		switch {
		case len(s.buf) > 0:
			ev := s.buf[0]
			s.buf = s.buf[1:]
			s.mu.Unlock()
			return ev, nil
		case s.err != nil:
			err := s.err
			s.mu.Unlock()
			return flow.Event{}, err
		case s.end:
			s.mu.Unlock()
			return flow.Event{}, io.EOF
		}
		s.mu.Unlock()
		call, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(s.life, cancel)
		var res NextResult
		err := s.c.call(call, MethodStreamNext, StreamRequest{Stream: s.id}, &res)
		stop()
		cancel()
		if err != nil {
			if s.life.Err() != nil {
				err = flow.AsError(s.life.Err())
			}
			return flow.Event{}, s.fail(err)
		}
		if err := s.take(res); err != nil {
			return flow.Event{}, s.fail(err)
		}
	}
}

// take checks a stream.next answer and buffers its events.
func (s *stream) take(res NextResult) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, ev := range res.Events {
		if !eventKinds[ev.Kind] {
			return flow.Errorf(flow.CodeProtocol, "the backend sent an event of unknown kind %q in %s", clip(string(ev.Kind), 40), describe(s.what))
		}
		if ev.Kind == flow.EventError && ev.Error == nil {
			ev.Error = flow.Errorf(flow.CodeInternal, "the backend's %s failed without saying why", describe(s.what))
			res.Events[i] = ev
		}
		if !s.last.IsZero() && ev.At.Before(s.last) {
			return flow.Errorf(flow.CodeProtocol, "the backend sent an event of %s that runs back in time (%s before %s)", describe(s.what), ev.At.Format(time.RFC3339Nano), s.last.Format(time.RFC3339Nano))
		}
		s.last = ev.At
		s.buf = append(s.buf, ev)
		if last(ev) {
			// nothing counts after the last event
			s.end, s.shut = true, true
			return nil
		}
	}
	if res.End {
		s.end, s.shut = true, true
	}
	return nil
}

// fail ends the stream with err (the first error stays) and returns it.
func (s *stream) fail(err error) error {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	err = s.err
	s.mu.Unlock()
	s.closeRemote()
	return err
}

// closeRemote tells the backend the stream is over, once, off the caller's goroutine.
func (s *stream) closeRemote() {
	s.mu.Lock()
	shut := s.shut
	s.shut = true
	s.mu.Unlock()
	if shut {
		return
	}
	s.c.wg.Add(1)
	go func() {
		defer s.c.wg.Done()
		_ = s.c.call(context.Background(), MethodStreamClose, StreamRequest{Stream: s.id}, &Empty{})
	}()
}

// Close ends the stream early; safe to call more than once and after io.EOF.
func (s *stream) Close() error {
	if s.unhook != nil {
		s.unhook()
	}
	s.mu.Lock()
	if s.err == nil && !s.end {
		s.err = flow.Errorf(flow.CodeCancelled, "the stream was closed")
	}
	s.buf = nil
	s.mu.Unlock()
	s.closeRemote()
	return nil
}

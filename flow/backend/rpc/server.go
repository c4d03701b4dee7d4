package rpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/creachadair/jrpc2"
	"github.com/creachadair/jrpc2/channel"
	"github.com/creachadair/jrpc2/handler"

	"github.com/oobe-emu/oobe/flow"
)

// NewBackend builds the backend of one session from the client's hello (its speed, say).
type NewBackend func(ctx context.Context, h Hello) (flow.Backend, error)

// ServerOptions are what a server says of itself and how it waits.
type ServerOptions struct {
	// Name and Version name the backend in the hello ("oobe-sim", "1.0.0").
	Name, Version string
	// Capabilities are announced in the hello.
	Capabilities []string
	// PollWait is how long stream.next waits for an event before it answers with none
	// (0: DefaultPollWait).
	PollWait time.Duration
}

// DefaultPollWait is how long a server's stream.next waits before it answers with no event,
// well below the HTTP timeouts of proxies (60 s is common).
const DefaultPollWait = 20 * time.Second

// session is one client's backend and its open streams.
type session struct {
	opts       ServerOptions
	newBackend NewBackend
	life       context.Context // ends with the session: every stream's context
	end        context.CancelFunc

	mu      sync.Mutex
	backend flow.Backend
	streams map[string]*pump
	seq     int
}

func newSession(newBackend NewBackend, opts ServerOptions) *session {
	if opts.PollWait <= 0 {
		opts.PollWait = DefaultPollWait
	}
	if opts.Name == "" {
		opts.Name = "oobe-rpc"
	}
	if opts.Version == "" {
		opts.Version = Version
	}
	life, end := context.WithCancel(context.Background())
	return &session{opts: opts, newBackend: newBackend, life: life, end: end, streams: map[string]*pump{}}
}

// close ends every stream of the session.
func (s *session) close() {
	s.end()
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, p := range s.streams {
		p.close()
		delete(s.streams, id)
	}
}

// wireError is how a handler's error crosses the wire: a flow.Error in the data of a
// JSON-RPC error of code CodeBackendError.
func wireError(err error) error {
	if err == nil {
		return nil
	}
	fe := flow.AsError(err)
	return (&jrpc2.Error{Code: CodeBackendError, Message: fe.Error()}).WithData(fe)
}

// be returns the session's backend, or the error of a call before hello.
func (s *session) be() (flow.Backend, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.backend == nil {
		return nil, wireError(flow.Errorf(flow.CodeBadRequest, "call hello first"))
	}
	return s.backend, nil
}

// call adapts a backend operation to a handler: the backend, then fn, errors on the wire.
func call[P, R any](s *session, fn func(ctx context.Context, b flow.Backend, p P) (R, error)) jrpc2.Handler {
	return handler.New(func(ctx context.Context, p P) (R, error) {
		b, err := s.be()
		if err != nil {
			var zero R
			return zero, err
		}
		r, err := fn(ctx, b, p)
		return r, wireError(err)
	})
}

// assigner is the session's method table.
func (s *session) assigner() handler.Map {
	return handler.Map{
		MethodHello: handler.New(s.hello),
		MethodBoot: call(s, func(ctx context.Context, b flow.Backend, _ Empty) (flow.BootInfo, error) {
			return b.Boot(ctx)
		}),
		MethodScan: call(s, func(ctx context.Context, b flow.Backend, _ Empty) (ScanResult, error) {
			n, err := b.Scan(ctx)
			if n == nil {
				n = []flow.Network{}
			}
			return ScanResult{Networks: n}, err
		}),
		MethodConnect: call(s, func(ctx context.Context, b flow.Backend, p flow.ConnectRequest) (flow.ConnectResult, error) {
			return b.Connect(ctx, p)
		}),
		MethodProfile: call(s, func(ctx context.Context, b flow.Backend, _ Empty) (flow.DeviceProfile, error) {
			return b.DownloadProfile(ctx)
		}),
		MethodCheckUpdates: call(s, func(ctx context.Context, b flow.Backend, _ Empty) (StreamResult, error) {
			return s.open(ctx, b.CheckUpdates)
		}),
		MethodCheckUser: call(s, func(ctx context.Context, b flow.Backend, p UserRequest) (Empty, error) {
			return Empty{}, b.CheckUser(ctx, p.UPN)
		}),
		MethodSignIn: call(s, func(ctx context.Context, b flow.Backend, p flow.Credentials) (flow.SignInResult, error) {
			return b.SignIn(ctx, p)
		}),
		MethodWaitMFA: call(s, func(ctx context.Context, b flow.Backend, p TicketRequest) (Empty, error) {
			return Empty{}, b.WaitMFA(ctx, p.Ticket)
		}),
		MethodVerifyCode: call(s, func(ctx context.Context, b flow.Backend, p CodeRequest) (Empty, error) {
			return Empty{}, b.VerifyCode(ctx, p.Ticket, p.Code)
		}),
		MethodEnroll: call(s, func(ctx context.Context, b flow.Backend, p TicketRequest) (Empty, error) {
			return Empty{}, b.Enroll(ctx, p.Ticket)
		}),
		MethodProvision: call(s, func(ctx context.Context, b flow.Backend, p flow.ProvisionRequest) (StreamResult, error) {
			return s.open(ctx, func(ctx context.Context) (flow.Stream, error) { return b.Provision(ctx, p) })
		}),
		MethodQualityUpdates: call(s, func(ctx context.Context, b flow.Backend, _ Empty) (StreamResult, error) {
			return s.open(ctx, b.QualityUpdates)
		}),
		MethodConnectVPN: call(s, func(ctx context.Context, b flow.Backend, _ Empty) (Empty, error) {
			return Empty{}, b.ConnectVPN(ctx)
		}),
		MethodDeviceName: call(s, func(ctx context.Context, b flow.Backend, _ Empty) (NameResult, error) {
			n, err := b.DeviceName(ctx)
			return NameResult{Name: n}, err
		}),
		MethodReset: call(s, func(ctx context.Context, b flow.Backend, _ Empty) (Empty, error) {
			return Empty{}, b.Reset(ctx)
		}),
		MethodStreamNext: call(s, func(ctx context.Context, _ flow.Backend, p StreamRequest) (NextResult, error) {
			return s.next(ctx, p.Stream)
		}),
		MethodStreamClose: call(s, func(_ context.Context, _ flow.Backend, p StreamRequest) (Empty, error) {
			s.mu.Lock()
			pm := s.streams[p.Stream]
			delete(s.streams, p.Stream)
			s.mu.Unlock()
			if pm != nil {
				pm.close()
			}
			return Empty{}, nil
		}),
		MethodCancel: handler.New(func(ctx context.Context, p struct {
			ID jsonID `json:"id"`
		}) error {
			if srv := jrpc2.ServerFromContext(ctx); srv != nil {
				srv.CancelRequest(string(p.ID))
			}
			return nil
		}),
	}
}

// jsonID is a request id as the cancel notification gives it: the JSON text of the id.
type jsonID string

// UnmarshalJSON keeps the id's JSON text (a number stays 1, a string stays "a").
func (j *jsonID) UnmarshalJSON(b []byte) error { *j = jsonID(b); return nil }

// hello builds the session's backend (once) and says who serves it.
func (s *session) hello(ctx context.Context, h Hello) (HelloResult, error) {
	if err := compatible(h.Protocol); err != nil {
		return HelloResult{}, wireError(flow.Errorf(flow.CodeProtocol, "the client speaks protocol %s and this backend speaks %s", clip(h.Protocol, 40), Version))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.backend == nil {
		b, err := s.newBackend(ctx, h)
		if err != nil {
			return HelloResult{}, wireError(err)
		}
		s.backend = b
	}
	caps := append([]string{}, s.opts.Capabilities...)
	return HelloResult{Protocol: Version, Name: s.opts.Name, Version: s.opts.Version, Capabilities: caps}, nil
}

// item is one read of a stream: an event, or the error that ended it.
type item struct {
	ev  flow.Event
	err error
}

// pump reads one backend stream into a channel, one event ahead of the client: the stream
// lives on the session's context, not on the call that opened it.
type pump struct {
	mu     sync.Mutex // one stream.next at a time
	items  chan item
	cancel context.CancelFunc
	once   sync.Once
	s      flow.Stream
	// held is an item taken from items but not sent yet (an error after events).
	held *item
}

func (p *pump) close() {
	p.once.Do(func() {
		p.cancel()
		p.s.Close()
	})
}

// open starts a stream with fn on a context of the session and names it.
func (s *session) open(_ context.Context, fn func(context.Context) (flow.Stream, error)) (StreamResult, error) {
	ctx, cancel := context.WithCancel(s.life)
	st, err := fn(ctx)
	if err != nil {
		cancel()
		return StreamResult{}, err
	}
	p := &pump{items: make(chan item), cancel: cancel, s: st}
	go func() {
		defer close(p.items)
		for {
			ev, err := st.Next(ctx)
			select {
			case p.items <- item{ev, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id := "s" + strconv.Itoa(s.seq)
	s.streams[id] = p
	return StreamResult{Stream: id}, nil
}

// next answers stream.next: the next event and those marked More after it, within the
// poll time.
func (s *session) next(ctx context.Context, id string) (NextResult, error) {
	s.mu.Lock()
	p := s.streams[id]
	s.mu.Unlock()
	if p == nil {
		return NextResult{}, flow.Errorf(flow.CodeBadRequest, "no open stream %q", clip(id, 40))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	end := func(res NextResult, err error) (NextResult, error) {
		s.mu.Lock()
		delete(s.streams, id)
		s.mu.Unlock()
		p.close()
		if errors.Is(err, io.EOF) {
			res.End, err = true, nil
		}
		return res, err
	}
	res := NextResult{Events: []flow.Event{}}
	if p.held != nil {
		it := *p.held
		p.held = nil
		return end(res, it.err)
	}
	timer := time.NewTimer(s.opts.PollWait)
	defer timer.Stop()
	for {
		var it item
		var ok bool
		if len(res.Events) == 0 {
			select {
			case it, ok = <-p.items:
			case <-timer.C:
				return res, nil
			case <-ctx.Done():
				return res, ctx.Err()
			}
		} else {
			// the events marked More follow at once
			select {
			case it, ok = <-p.items:
			case <-ctx.Done():
				return res, nil
			}
		}
		if !ok {
			return end(res, flow.Errorf(flow.CodeCancelled, "the stream was closed"))
		}
		if it.err != nil {
			if len(res.Events) > 0 && !errors.Is(it.err, io.EOF) {
				p.held = &it
				return res, nil
			}
			return end(res, it.err)
		}
		res.Events = append(res.Events, it.ev)
		if last(it.ev) {
			return end(res, io.EOF)
		}
		if !it.ev.More || len(res.Events) >= maxBatch {
			return res, nil
		}
	}
}

// maxBatch bounds the events of one stream.next answer.
const maxBatch = 256

// Serve serves the protocol on r and w (one JSON message a line: a helper process's
// standard input and output) until r ends or ctx does; the backend is built at hello.
func Serve(ctx context.Context, r io.Reader, w io.WriteCloser, newBackend NewBackend, opts ServerOptions) error {
	s := newSession(newBackend, opts)
	defer s.close()
	srv := jrpc2.NewServer(s.assigner(), &jrpc2.ServerOptions{Concurrency: 16})
	srv.Start(channel.Line(r, w))
	stop := context.AfterFunc(ctx, srv.Stop)
	defer stop()
	err := srv.Wait()
	if err != nil && !channel.IsErrClosing(err) && !errors.Is(err, io.EOF) && ctx.Err() == nil {
		return fmt.Errorf("rpc: serve: %w", err)
	}
	return nil
}

package rpc_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
)

// misbehaving is the sim with one fault on cue, as a broken lab backend would have:
//
//	exit-on-scan     the process exits (status 3) in Scan, after a line on stderr
//	hang-on-scan     Scan never answers
//	garbage-on-scan  Scan writes a line that is not JSON-RPC to standard output
//	unknown-event    the update stream sends an event kind protocol 1 does not have
//	echo-secrets     SignIn, Connect and VerifyCode write what they got to stderr
//	cancel-probe     WaitMFA waits until its call is cancelled; DeviceName then answers
//	                 "cancelled" (or "not cancelled" after 5 s)
type misbehaving struct {
	flow.Backend
	mode string
}

func misbehave(nb rpc.NewBackend, mode string) rpc.NewBackend {
	return func(ctx context.Context, h rpc.Hello) (flow.Backend, error) {
		b, err := nb(ctx, h)
		return misbehaving{b, mode}, err
	}
}

func (m misbehaving) Scan(ctx context.Context) ([]flow.Network, error) {
	switch m.mode {
	case "exit-on-scan":
		fmt.Fprintln(os.Stderr, "helper: crashing on purpose")
		os.Exit(3)
	case "hang-on-scan":
		<-ctx.Done()
		return nil, ctx.Err()
	case "garbage-on-scan":
		fmt.Fprintln(os.Stdout, "Traceback (most recent call last): this is not JSON")
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return m.Backend.Scan(ctx)
}

// mfaCancelled closes when a cancel-probe WaitMFA saw its context end.
var mfaCancelled = make(chan struct{})

func (m misbehaving) WaitMFA(ctx context.Context, t flow.Ticket) error {
	if m.mode == "cancel-probe" {
		<-ctx.Done()
		close(mfaCancelled)
		return ctx.Err()
	}
	return m.Backend.WaitMFA(ctx, t)
}

func (m misbehaving) DeviceName(ctx context.Context) (string, error) {
	if m.mode == "cancel-probe" {
		select {
		case <-mfaCancelled:
			return "cancelled", nil
		case <-time.After(5 * time.Second):
			return "not cancelled", nil
		}
	}
	return m.Backend.DeviceName(ctx)
}

func (m misbehaving) CheckUpdates(ctx context.Context) (flow.Stream, error) {
	s, err := m.Backend.CheckUpdates(ctx)
	if err != nil || m.mode != "unknown-event" {
		return s, err
	}
	return &oddStream{Stream: s}, nil
}

func (m misbehaving) SignIn(ctx context.Context, c flow.Credentials) (flow.SignInResult, error) {
	if m.mode == "echo-secrets" {
		fmt.Fprintf(os.Stderr, "helper: sign-in of %s with password %s\n", c.UPN, c.Password)
	}
	return m.Backend.SignIn(ctx, c)
}

func (m misbehaving) Connect(ctx context.Context, r flow.ConnectRequest) (flow.ConnectResult, error) {
	if m.mode == "echo-secrets" {
		fmt.Fprintf(os.Stderr, "helper: joining %s with key %s\n", r.SSID, r.Key)
	}
	return m.Backend.Connect(ctx, r)
}

func (m misbehaving) VerifyCode(ctx context.Context, t flow.Ticket, code string) error {
	if m.mode == "echo-secrets" {
		fmt.Fprintf(os.Stderr, "helper: code %s\n", code)
	}
	return m.Backend.VerifyCode(ctx, t, code)
}

// oddStream sends its first event, then one of an unknown kind.
type oddStream struct {
	flow.Stream
	n int
}

func (s *oddStream) Next(ctx context.Context) (flow.Event, error) {
	s.n++
	ev, err := s.Stream.Next(ctx)
	if s.n == 2 && err == nil {
		ev.Kind = "update.teleport"
	}
	return ev, err
}

// serveV2 is a backend of a future major version: it answers hello with protocol 2.0.0.
func serveV2() int {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var req struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(in.Bytes(), &req) != nil || req.ID == nil {
			continue
		}
		fmt.Printf(`{"jsonrpc":"2.0","id":%s,"result":{"protocol":"2.0.0","name":"future","version":"9","capabilities":[]}}`+"\n", req.ID)
	}
	return 0
}

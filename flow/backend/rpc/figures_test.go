package rpc_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow/backend/rpc"
)

// TestRoundTripFigures measures a call's round trip (device.name, the smallest) over each
// transport and fails when the median passes 50 ms — a call that started a process or waited
// for a poll would. Run with -v for the figures docs/backend-protocol.md quotes.
func TestRoundTripFigures(t *testing.T) {
	median := func(c *rpc.Client) time.Duration {
		ctx := context.Background()
		var ds []time.Duration
		for range 200 {
			start := time.Now()
			if _, err := c.DeviceName(ctx); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	for _, c := range []struct {
		name string
		dial func(t *testing.T) *rpc.Client
	}{
		{"exec, Go sim helper", func(t *testing.T) *rpc.Client { return execSim(t, "sim", rpc.ExecOptions{}) }},
		{"exec, Python example", func(t *testing.T) *rpc.Client { return execPython(t, rpc.ExecOptions{}) }},
		{"http, 127.0.0.1", func(t *testing.T) *rpc.Client {
			return dialHTTP(t, httpSim(t, false, rpc.HTTPServerOptions{}).URL, rpc.HTTPOptions{})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := median(c.dial(t))
			t.Logf("%s: median round trip %v", c.name, m)
			if m > 50*time.Millisecond {
				t.Errorf("median round trip %v, want under 50ms", m)
			}
		})
	}
}

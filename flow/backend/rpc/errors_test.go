package rpc_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// TestErrorsCrossIdentical: an error crosses the wire as it left the backend — the same
// code, HResult and detail — so a page reacts to a remote backend as to the sim.
func TestErrorsCrossIdentical(t *testing.T) {
	ctx := context.Background()
	w, err := world(false)
	if err != nil {
		t.Fatal(err)
	}
	direct := sim.New(w, sim.Options{Clock: flow.NewVirtualClock(epoch), Seed: 7})
	want := direct.CheckUser(ctx, "alex@fabrikam.example")
	for name, c := range map[string]*rpc.Client{
		"exec": execSim(t, "sim", rpc.ExecOptions{}),
		"http": dialHTTP(t, httpSim(t, false, rpc.HTTPServerOptions{}).URL, rpc.HTTPOptions{}),
	} {
		got := c.CheckUser(ctx, "alex@fabrikam.example")
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %#v, want %#v as the sim gives it", name, got, want)
		}
	}

	// the Python example's enrollment failure keeps Windows' code for the page
	py := execPython(t, rpc.ExecOptions{})
	res, err := py.SignIn(ctx, flow.Credentials{UPN: "drew.lab@contoso-lab.example", Password: "Drew#Lab-2026"})
	if err != nil {
		t.Fatal(err)
	}
	err = py.Enroll(ctx, res.Ticket)
	wantEnroll := &flow.Error{Code: flow.CodeEnrollmentFailed, HResult: "80180018", Detail: "the device could not enroll in MDM"}
	if !reflect.DeepEqual(err, wantEnroll) || !errors.Is(err, flow.EnrollmentFailure("80180018")) {
		t.Errorf("Enroll: %#v, want %#v", err, wantEnroll)
	}
}

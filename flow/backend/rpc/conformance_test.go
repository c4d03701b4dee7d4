package rpc_test

import (
	"testing"

	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/flow/backendtest"
)

// users of the embedded tenant the suite drives: a push user and a code user.
const (
	pushUPN, pushPassword = "megan.rivera@larkspuraero.com", "Contrail#2026"
	codeUPN, codePassword = "tomas.okafor@larkspuraero.com", "Tailwind#2026"
	codeCode              = "246810"
)

func fixture(b func(t *testing.T) *rpc.Client, upn, pw, code string) func(t *testing.T) backendtest.Fixture {
	return func(t *testing.T) backendtest.Fixture {
		return backendtest.Fixture{
			Backend: b(t),
			SSID:    "Larkspur-Corp", Key: "Runway-2026!",
			UPN: upn, Password: pw, Code: code,
			OtherOrganizationUPN: "alex@fabrikam.example",
		}
	}
}

// TestConformanceExec: the sim served by a real child process over its standard input and
// output keeps every contract of flow.Backend, as the sim itself does.
func TestConformanceExec(t *testing.T) {
	sim := func(mode string) func(t *testing.T) *rpc.Client {
		return func(t *testing.T) *rpc.Client { return execSim(t, mode, rpc.ExecOptions{}) }
	}
	t.Run("push", func(t *testing.T) { t.Parallel(); backendtest.Run(t, fixture(sim("sim"), pushUPN, pushPassword, "")) })
	t.Run("code", func(t *testing.T) {
		t.Parallel()
		backendtest.Run(t, fixture(sim("sim"), codeUPN, codePassword, codeCode))
	})
	t.Run("hybrid", func(t *testing.T) {
		t.Parallel()
		backendtest.Run(t, fixture(sim("sim-hybrid"), pushUPN, pushPassword, ""))
	})
}

// TestConformanceHTTP: the sim served through NewHTTPHandler on a real listener keeps every
// contract too, each fixture in its own session.
func TestConformanceHTTP(t *testing.T) {
	srv := httpSim(t, false, rpc.HTTPServerOptions{})
	hybrid := httpSim(t, true, rpc.HTTPServerOptions{})
	dial := func(url string) func(t *testing.T) *rpc.Client {
		return func(t *testing.T) *rpc.Client { return dialHTTP(t, url, rpc.HTTPOptions{}) }
	}
	t.Run("push", func(t *testing.T) {
		t.Parallel()
		backendtest.Run(t, fixture(dial(srv.URL), pushUPN, pushPassword, ""))
	})
	t.Run("code", func(t *testing.T) {
		t.Parallel()
		backendtest.Run(t, fixture(dial(srv.URL), codeUPN, codePassword, codeCode))
	})
	t.Run("hybrid", func(t *testing.T) {
		t.Parallel()
		backendtest.Run(t, fixture(dial(hybrid.URL), pushUPN, pushPassword, ""))
	})
}

package rpc_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/flow/backendtest"
)

// pythonBackend is the example backend of examples/backends/python.
var pythonBackend = filepath.Join("..", "..", "..", "examples", "backends", "python", "oobe_backend.py")

// python3 returns the interpreter, skipping the test where there is none (CI installs it,
// and fails rather than skips there).
func python3(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is not installed: .ci/run installs it")
		}
		t.Skip("python3 is not installed")
	}
	return p
}

// execPython starts the Python example backend as the client's helper.
func execPython(t *testing.T, opts rpc.ExecOptions) *rpc.Client {
	t.Helper()
	c, err := rpc.Exec(t.Context(), []string{python3(t), pythonBackend}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestConformancePython: the Python example backend, a real python3 child process, keeps
// every contract of flow.Backend, for its push user and its code user.
func TestConformancePython(t *testing.T) {
	py := func(upn, pw, code string) func(t *testing.T) backendtest.Fixture {
		return func(t *testing.T) backendtest.Fixture {
			return backendtest.Fixture{
				Backend: execPython(t, rpc.ExecOptions{}),
				SSID:    "Contoso-Lab", Key: "Lab-WiFi-2026!",
				UPN: upn, Password: pw, Code: code,
				OtherOrganizationUPN: "alex@fabrikam.example",
			}
		}
	}
	t.Run("push", func(t *testing.T) {
		t.Parallel()
		backendtest.Run(t, py("blake.lab@contoso-lab.example", "Blake#Lab-2026", ""))
	})
	t.Run("code", func(t *testing.T) {
		t.Parallel()
		backendtest.Run(t, py("casey.lab@contoso-lab.example", "Casey#Lab-2026", "135790"))
	})
}

package ui

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them (a stream never closed,
// a task never finished). Two goroutines of libraries are let be: teatest's own waits for a
// SIGINT for the whole process, and the one draining a vt.Emulator's replies cannot be ended
// (vt v0.1.0's Close races with a Read in progress).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest/v2.NewTestModel.func2"),
		goleak.IgnoreAnyFunction("github.com/charmbracelet/x/vt.(*Emulator).Read"))
}

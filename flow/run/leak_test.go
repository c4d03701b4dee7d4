package run_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them (a stream never closed,
// a task never finished).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

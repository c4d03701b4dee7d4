// Package cputime reads the CPU time the process has used, for benchmarks that report it
// beside the wall time (work spread over goroutines costs more CPU than wall time shows).
package cputime

import "time"

// Used returns the user and system CPU time of the process so far (0 where the system does
// not say).
func Used() time.Duration { return used() }

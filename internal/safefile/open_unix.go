//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// openFlags open without blocking: opening a named pipe for reading would otherwise wait for a
// writer. The flag changes nothing for the regular files that are then read.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK

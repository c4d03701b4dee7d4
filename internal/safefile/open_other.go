//go:build !unix

package safefile

import "os"

// openFlags is a plain open: there is no named pipe whose opening waits for a writer here.
const openFlags = os.O_RDONLY

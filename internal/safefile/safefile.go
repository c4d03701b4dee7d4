// Package safefile reads the files a person hands to oobe (tenant exports, scenarios, answers
// files, secret files, logos) so that no file can exhaust memory or hang the program: only
// regular files are read (a symbolic link counts as the file it leads to), opening never waits
// on a named pipe, and a file larger than a limit is refused unread. It also bounds how deeply
// a JSON document may nest, for the decoders that recurse.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Limit is the size limit every reader of oobe uses, 4 MiB. A Graph export or scenario is a
// few kilobytes (the samples and the embedded scenario are under 5 KB, so a collection of a
// few thousand objects still fits) and Graph caps a square logo at 10 KB (reference §5), so no
// real file comes near it; what reaches it (a device, a stray disk image) is refused before it
// can exhaust memory.
const Limit = 4 << 20

// MaxDepth is the deepest nesting of JSON arrays and objects a reader accepts. Real files
// nest a handful of levels (the samples and the embedded tenant at most 4), and Graph objects
// oobe does not know may nest more; the limit leaves them ample room while keeping a recursive
// decoder far from the end of its stack whatever the file.
const MaxDepth = 256

// ErrNotRegular is wrapped by the error for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error for a file larger than the limit it was read with.
var ErrTooLarge = errors.New("file too large")

// notRegular says what a file is instead of a regular file.
type notRegular struct{ mode fs.FileMode }

func (e notRegular) Error() string {
	what := "a special file"
	switch {
	case e.mode.IsDir():
		what = "a directory"
	case e.mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case e.mode&fs.ModeSocket != 0:
		what = "a socket"
	case e.mode&fs.ModeCharDevice != 0:
		what = "a character device"
	case e.mode&fs.ModeDevice != 0:
		what = "a block device"
	}
	return what + ", not a regular file"
}

func (e notRegular) Unwrap() error { return ErrNotRegular }

// tooLarge names the limit a file exceeds.
type tooLarge struct{ limit int64 }

func (e tooLarge) Error() string { return "larger than the " + Size(e.limit) + " limit" }

func (e tooLarge) Unwrap() error { return ErrTooLarge }

// Size formats a byte count the way the limit messages do: "4 MiB", "10 KiB", "512 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read returns the contents of the regular file at path, refusing anything else and any file
// larger than limit bytes. Errors are *fs.PathError naming path; their Err says what is wrong
// ("a named pipe (FIFO), not a regular file", "larger than the 4 MiB limit").
func Read(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpen(f, path, limit)
}

// ReadIn is Read for name inside root: a name or symbolic link that leads outside root is an
// error (see os.Root).
func ReadIn(root *os.Root, name string, limit int64) ([]byte, error) {
	f, err := root.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpen(f, name, limit)
}

// ReadFS is Read for a file of fsys. An fs.FS cannot be asked to open without blocking, so the
// file is checked with fs.Stat before it is opened and again once open: a named pipe put in
// its place between the two can still make Open wait.
func ReadFS(fsys fs.FS, name string, limit int64) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: notRegular{st.Mode()}}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpen(f, name, limit)
}

// readOpen checks that the open file f is regular and reads at most limit bytes of it.
func readOpen(f fs.File, name string, limit int64) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: notRegular{st.Mode()}}
	}
	if st.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: tooLarge{limit}}
	}
	// The size may be wrong (files of /proc say 0) or change: read one byte past the limit.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: unwrap(err)}
	}
	if int64(len(data)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: tooLarge{limit}}
	}
	return data, nil
}

// unwrap drops the *fs.PathError an fs.File's Read may wrap its error in: the caller names the
// file.
func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// TooDeep returns the byte offset of the first array or object of the JSON text data nested
// deeper than max levels, or -1 when none is. It does not validate the text: a decoder run
// afterwards reports syntax errors, and for any prefix that decoder accepts the nesting counted
// here is exact.
func TooDeep(data []byte, max int) int {
	depth := 0
	inString, escaped := false, false
	for i, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > max {
				return i
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return -1
}

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/oobe-emu/oobe/flow/answers"
)

// checkTarget refuses a path the program would write that is a symbolic link or anything
// but a regular file (a device, a FIFO, a directory); a missing path is fine.
func checkTarget(path string) (exists bool, err error) {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case st.Mode()&fs.ModeSymlink != 0:
		return true, fmt.Errorf("%s is a symbolic link; give the file itself", path)
	case !st.Mode().IsRegular():
		return true, fmt.Errorf("%s is not a regular file (%s)", path, kindOf(st.Mode()))
	}
	return true, nil
}

// kindOf names a file mode's type in words.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

// openRecord opens the --record file for appending: created 0600 when new, refused when it
// is a symbolic link or not a regular file. A last line torn by an earlier run that was cut
// off (no newline at the end) is removed first, so the file stays valid JSON Lines and the
// new run's first line starts on a line of its own; note says so (or is "").
func openRecord(path string) (f *os.File, note string, err error) {
	if _, err := checkTarget(path); err != nil {
		return nil, "", err
	}
	f, err = os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return nil, "", err
	}
	// the file opened must be the regular file checked, not one swapped in since
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file (%s)", path, kindOf(st.Mode()))
	}
	if err == nil {
		var lst fs.FileInfo
		if lst, err = os.Lstat(path); err == nil && !os.SameFile(st, lst) {
			err = fmt.Errorf("%s changed while it was opened", path)
		}
	}
	if err == nil {
		note, err = dropTornLine(f, path, st.Size())
	}
	if err != nil {
		f.Close()
		return nil, "", err
	}
	return f, note, nil
}

// tornTail is how far back dropTornLine looks for the last complete line.
const tornTail = 1 << 20

// dropTornLine truncates f (of size bytes) after its last newline when it does not end with one.
func dropTornLine(f *os.File, path string, size int64) (string, error) {
	if size == 0 {
		return "", nil
	}
	n := min(size, tornTail)
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return "", err
	}
	if buf[n-1] == '\n' {
		return "", nil
	}
	i := bytes.LastIndexByte(buf, '\n')
	if i < 0 && n < size {
		return "", fmt.Errorf("%s does not end with a complete line and has no line break in its last %d bytes; not a run record?", path, tornTail)
	}
	keep := size - n + int64(i) + 1
	if err := f.Truncate(keep); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s ended in a torn line (%d bytes, from a run that was cut off); removed it before appending", path, size-keep), nil
}

// answersTarget decides where --write-answers writes: the path itself when it is new or when
// force allows replacing it; else the first free NAME.1.json, NAME.2.json… beside it. It
// never replaces the answers file being replayed, a symbolic link or anything but a regular
// file. note says in one line what was decided ("" when the path is used as given).
func answersTarget(path, replayed string, force bool) (target, note string, err error) {
	exists, err := checkTarget(path)
	if err != nil {
		return "", "", err
	}
	if replayed != "" && exists {
		if a, errA := os.Stat(replayed); errA == nil {
			if b, errB := os.Stat(path); errB == nil && os.SameFile(a, b) {
				return "", "", fmt.Errorf("%s is the answers file being replayed (--answers); write the new answers to another file", path)
			}
		}
	}
	if !exists || force {
		return path, "", nil
	}
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	for i := 1; i < 1000; i++ {
		cand := stem + "." + strconv.Itoa(i) + ext
		if _, err := os.Lstat(cand); errors.Is(err, fs.ErrNotExist) {
			return cand, fmt.Sprintf("%s exists and was kept; the answers go to %s (--force replaces it)", path, cand), nil
		}
	}
	return "", "", fmt.Errorf("%s and %s.1%s to .999%s exist; remove some or use --force", path, stem, ext, ext)
}

// answersWriter saves a run's answers file to one path, one save at a time: a save still
// running from the run's task and the final one at exit do not interleave, and a save that
// would write what is already there does nothing.
type answersWriter struct {
	path string
	mu   sync.Mutex
	last []byte
}

// save writes f unless the file already holds exactly it.
func (w *answersWriter) save(f *answers.File) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	data, err := f.Marshal()
	if err != nil {
		return err
	}
	if w.last != nil && bytes.Equal(data, w.last) {
		return nil
	}
	if _, err := checkTarget(w.path); err != nil {
		return err
	}
	if err := answers.WriteFile(w.path, f); err != nil {
		return err
	}
	w.last = data
	return nil
}

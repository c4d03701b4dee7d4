package flow

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a writer a test can read while the recorder's goroutine writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRecorderWritesInOrder: after Flush every appended line is in the file, in order, and
// the memory keeps the most recent keepLines of them for a diagnostics bundle.
func TestRecorderWritesInOrder(t *testing.T) {
	var out lockedBuffer
	r := NewRecorder(&out, func() time.Time { return time.Unix(0, 0) })
	n := keepLines + 7
	for i := range n {
		r.Append(RecordLine{Run: "r", Seq: i + 1, Kind: RecordProgress, Data: EventData{Event: fmt.Sprint(i)}})
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	lines, err := ReadRecord(strings.NewReader(out.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != n {
		t.Fatalf("%d lines written, want %d", len(lines), n)
	}
	for i, l := range lines {
		if l.Seq != i+1 {
			t.Fatalf("line %d has seq %d", i, l.Seq)
		}
	}
	kept := r.Lines()
	if len(kept) != keepLines || !strings.Contains(string(kept[0]), `"seq":8,`) || !strings.Contains(string(kept[len(kept)-1]), fmt.Sprintf(`"seq":%d,`, n)) {
		t.Errorf("kept %d lines from %.40s to %.40s", len(kept), kept[0], kept[len(kept)-1])
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestRecorderWriteError: a write error is reported by Flush and Err; the lines stay in
// memory.
func TestRecorderWriteError(t *testing.T) {
	r := NewRecorder(failingWriter{}, nil)
	r.Append(RecordLine{Run: "r", Seq: 1, Kind: RecordStart})
	if err := r.Flush(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Flush = %v", err)
	}
	r.Append(RecordLine{Run: "r", Seq: 2, Kind: RecordEnd})
	if r.Err() == nil || len(r.Lines()) != 2 {
		t.Errorf("Err = %v, %d lines kept", r.Err(), len(r.Lines()))
	}
}

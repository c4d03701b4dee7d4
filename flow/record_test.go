package flow

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
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

// syncCounter is a file-like writer that counts its syncs and what was written before each.
type syncCounter struct {
	bytes.Buffer
	synced []int // lines written at each sync
}

func (s *syncCounter) Sync() error {
	s.synced = append(s.synced, strings.Count(s.String(), "\n"))
	return nil
}

// TestRecorderSyncsAtBoundaries: the lines that close a step, an ESP phase or the run reach
// the disk (Sync) as soon as they are written, so a run killed or cut off by a power failure
// keeps its record up to the step on screen; other lines are only flushed.
func TestRecorderSyncsAtBoundaries(t *testing.T) {
	w := &syncCounter{}
	r := NewRecorder(w, nil)
	r.Append(RecordLine{Kind: RecordAnswer, Data: AnswerData{}})
	if r.Flush(); len(w.synced) != 0 {
		t.Errorf("an answer line was synced: %v", w.synced)
	}
	for _, l := range []RecordLine{
		{Kind: RecordStepLeave}, {Kind: RecordEvent, Data: EventData{Event: "esp_phase_start"}},
		{Kind: RecordProgress, Data: Event{Kind: EventESPPhaseDone}}, {Kind: RecordEnd, Data: EndData{Outcome: "quit"}},
	} {
		r.Append(l)
		_ = r.Flush()
	}
	if want := []int{2, 3, 4, 5}; !slices.Equal(w.synced, want) {
		t.Errorf("synced after lines %v, want %v", w.synced, want)
	}
}

// TestRecorderSaysWhenItFails: the first write error reaches OnError once, at once (a
// frontend shows it), not only at exit.
func TestRecorderSaysWhenItFails(t *testing.T) {
	r := NewRecorder(failingWriter{}, nil)
	got := make(chan error, 4)
	r.OnError(func(err error) { got <- err })
	r.Append(RecordLine{Kind: RecordStart})
	_ = r.Flush()
	r.Append(RecordLine{Kind: RecordEnd})
	_ = r.Flush()
	if len(got) != 1 {
		t.Fatalf("OnError called %d times, want once", len(got))
	}
	if err := <-got; !strings.Contains(err.Error(), "disk full") {
		t.Errorf("OnError got %v", err)
	}
}

// TestRecorderTapSeesEveryLine: a tap is given every line appended, in order, with its
// wall-clock time and the JSON the file gets — also when the recorder keeps lines in memory
// only.
func TestRecorderTapSeesEveryLine(t *testing.T) {
	for _, file := range []bool{true, false} {
		var buf lockedBuffer
		var w *lockedBuffer
		if file {
			w = &buf
		}
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var r *Recorder
		if w != nil {
			r = NewRecorder(w, func() time.Time { return at })
		} else {
			r = NewRecorder(nil, func() time.Time { return at })
		}
		var tapped strings.Builder
		var kinds []RecordKind
		r.Tap(func(line RecordLine, b []byte) {
			if !line.Time.Equal(at) {
				t.Errorf("tapped line without its time: %v", line.Time)
			}
			kinds = append(kinds, line.Kind)
			tapped.Write(b)
		})
		r.Append(RecordLine{Run: "r", Seq: 1, Kind: RecordStart, Data: StartData{Locale: "en-US"}})
		r.Append(RecordLine{Run: "r", Seq: 2, Kind: RecordEnd, Data: EndData{Outcome: "quit"}})
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(kinds, []RecordKind{RecordStart, RecordEnd}) {
			t.Errorf("file %v: tapped %v", file, kinds)
		}
		if file && tapped.String() != buf.String() {
			t.Errorf("the tap got\n%s\nthe file\n%s", tapped.String(), buf.String())
		}
		if !strings.HasSuffix(tapped.String(), "\"outcome\":\"quit\"}}\n") {
			t.Errorf("file %v: tapped %q", file, tapped.String())
		}
	}
}

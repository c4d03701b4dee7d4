package cast

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"unicode/utf8"
)

// Event is one event line of a cast.
type Event struct {
	// Time is the seconds since the start.
	Time float64
	// Kind is "o" (output) or "r" (resize).
	Kind string
	// Data is the output, or the size as "WxH".
	Data string
}

var sizeRE = regexp.MustCompile(`^[1-9][0-9]*x[1-9][0-9]*$`)

// Read parses an asciicast v2 file strictly: a header of version 2 with a size, then events
// of a known kind whose times never go back. An error names the line.
func Read(r io.Reader) (Header, []Event, error) {
	var h Header
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	if !sc.Scan() {
		return h, nil, fmt.Errorf("line 1: no header")
	}
	dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return h, nil, fmt.Errorf("line 1: header: %v", err)
	}
	if h.Version != 2 || h.Width <= 0 || h.Height <= 0 {
		return h, nil, fmt.Errorf("line 1: header of version %d, %dx%d", h.Version, h.Width, h.Height)
	}
	var evs []Event
	last := 0.0
	for n := 2; sc.Scan(); n++ {
		if !utf8.Valid(sc.Bytes()) {
			return h, nil, fmt.Errorf("line %d: not UTF-8", n)
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil || len(raw) != 3 {
			return h, nil, fmt.Errorf("line %d: not an event [time, code, data]: %s", n, sc.Bytes())
		}
		var e Event
		if json.Unmarshal(raw[0], &e.Time) != nil || json.Unmarshal(raw[1], &e.Kind) != nil || json.Unmarshal(raw[2], &e.Data) != nil {
			return h, nil, fmt.Errorf("line %d: an event's time is not a number or its code or data not a string", n)
		}
		switch {
		case e.Time < last:
			return h, nil, fmt.Errorf("line %d: time %v before the last event's %v", n, e.Time, last)
		case e.Kind != "o" && e.Kind != "r":
			return h, nil, fmt.Errorf("line %d: event code %q", n, e.Kind)
		case e.Kind == "r" && !sizeRE.MatchString(e.Data):
			return h, nil, fmt.Errorf("line %d: resize to %q", n, e.Data)
		}
		last = e.Time
		evs = append(evs, e)
	}
	if err := sc.Err(); err != nil {
		return h, nil, err
	}
	return h, evs, nil
}

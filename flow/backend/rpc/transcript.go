package rpc

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// redacted stands for a secret in the transcript.
const redacted = "[redacted]"

// transcript keeps the last exchanges with the backend for diagnostics bundles, secrets
// redacted: the fields that carry them are blanked before anything is kept, and every
// secret the client sent is scrubbed from what the backend says (its errors, its stderr).
type transcript struct {
	mu      sync.Mutex
	max     int
	lines   []string
	secrets []string // sent by the client: scrubbed from every text kept
}

func newTranscript(n int) *transcript {
	if n <= 0 {
		n = 64
	}
	return &transcript{max: n}
}

// secret remembers a secret the client is about to send.
func (t *transcript) secret(s string) {
	if len(s) < 3 {
		return // too short to scrub without mangling the text; its field is redacted anyway
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range t.secrets {
		if k == s {
			return
		}
	}
	if len(t.secrets) >= 64 {
		t.secrets = t.secrets[1:]
	}
	t.secrets = append(t.secrets, s)
}

// scrub replaces every secret the client sent by [redacted].
func (t *transcript) scrub(s string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range t.secrets {
		s = strings.ReplaceAll(s, k, redacted)
	}
	return s
}

// note keeps a line about the transport (a line of garbage from a helper).
func (t *transcript) note(format string, args ...any) {
	t.push(time.Now().UTC().Format("15:04:05.000") + " " + fmt.Sprintf(format, args...))
}

func (t *transcript) push(line string) {
	line = t.scrub(line)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) >= t.max {
		t.lines = t.lines[1:]
	}
	t.lines = append(t.lines, line)
}

// add keeps one exchange: the method, its params and result (redacted, shortened), the
// outcome and how long it took.
func (t *transcript) add(method string, params, result any, err *flow.Error, d time.Duration) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s → %s %s", time.Now().UTC().Format("15:04:05.000"), method, shorten(redactParams(params)))
	if err != nil {
		fmt.Fprintf(&b, " ← error %s", shorten(err.Error()))
	} else {
		fmt.Fprintf(&b, " ← %s", shorten(redactResult(result)))
	}
	fmt.Fprintf(&b, " (%v)", d.Round(time.Microsecond))
	t.push(b.String())
}

// String is the exchanges, one a line, oldest first.
func (t *transcript) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return "  (none)\n"
	}
	var b strings.Builder
	for _, l := range t.lines {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// redactParams is params as JSON with the fields that carry secrets blanked.
func redactParams(params any) string {
	switch p := params.(type) {
	case flow.ConnectRequest:
		if p.Key != "" {
			p.Key = redacted
		}
		params = p
	case flow.Credentials:
		if p.Password != "" {
			p.Password = redacted
		}
		// flow.Credentials formats itself redacted; marshal a plain copy
		params = struct {
			UPN      string `json:"upn"`
			Password string `json:"password"`
		}{p.UPN, p.Password}
	case CodeRequest:
		if p.Code != "" {
			p.Code = redacted
		}
		params = p
	}
	return asJSON(params)
}

// redactResult is a result as JSON with the secrets it may hold blanked (the hand-out) and
// the logos left out.
func redactResult(result any) string {
	switch r := result.(type) {
	case *flow.BootInfo:
		c := *r
		c.Handout = nil
		if c.Profile != nil {
			p := *c.Profile
			p.SquareLogo, p.SquareLogoDark = nil, nil
			c.Profile = &p
		}
		s := asJSON(c)
		if len(r.Handout) > 0 {
			s += fmt.Sprintf(" (+ a hand-out of %d lines, not kept)", len(r.Handout))
		}
		return s
	case *flow.DeviceProfile:
		c := *r
		c.SquareLogo, c.SquareLogoDark = nil, nil
		return asJSON(c)
	}
	return asJSON(result)
}

func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("(%T)", v)
	}
	return string(b)
}

// shorten keeps a transcript line readable.
func shorten(s string) string { return clip(s, 400) }

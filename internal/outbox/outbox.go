// Package outbox delivers run records to the lab's server without ever losing one: each
// record is written and synced to a directory on disk before it is sent, sent with its id
// until the server acknowledges it (retrying with backoff and jitter, and again at the next
// start), and removed only then. The server stores each id once (internal/records), so
// at-least-once delivery stores every record exactly once.
package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/oobe-emu/oobe/internal/records"
)

// Options configure an outbox.
type Options struct {
	// Dir holds the entries; it is made (0700) when missing.
	Dir string
	// URL is the server's base URL (records go to URL/v1/records); "" keeps the entries
	// without sending them.
	URL string
	// Client sends them (nil: a client with a 30 s timeout). TLS is its business.
	Client *http.Client
	// Token, when set, is sent as "Authorization: Bearer …"; it is never written to disk
	// nor logged.
	Token string
	// InitialInterval and MaxInterval bound the wait between two tries of an entry
	// (defaults 500 ms and 1 min); each wait is randomized by ±50 %.
	InitialInterval, MaxInterval time.Duration
	// Logf, when set, is told of retries and rejected entries.
	Logf func(format string, args ...any)
	// Delivered, when set, is told the id of each record acknowledged, once it is removed.
	Delivered func(id string)
}

// Outbox is a directory of records waiting for the server's acknowledgement, and the
// goroutine that sends them. It is safe for concurrent use; several processes may share a
// directory (an entry sent twice is stored once).
type Outbox struct {
	opts    Options
	ctx     context.Context
	cancel  context.CancelFunc
	kick    chan struct{}
	done    chan struct{}
	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever an entry leaves the outbox
}

// ext names committed entries; entries being written start with tmpPrefix.
const (
	ext       = ".json"
	tmpPrefix = ".tmp-"
	// staleTmp is how old a half-written entry (of a process that died while writing it)
	// must be before Open removes it: younger ones may be another process's, still writing.
	staleTmp = 10 * time.Minute
	// RejectedDir is the subdirectory entries the server refused as malformed go to.
	RejectedDir = "rejected"
)

// Open opens (or makes) the outbox in opts.Dir and, when opts.URL is set, starts sending
// the entries it holds, those of earlier runs first.
func Open(opts Options) (*Outbox, error) {
	if opts.Dir == "" {
		return nil, errors.New("no outbox directory")
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	st, err := os.Stat(opts.Dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", opts.Dir)
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.InitialInterval <= 0 {
		opts.InitialInterval = 500 * time.Millisecond
	}
	if opts.MaxInterval <= 0 {
		opts.MaxInterval = time.Minute
	}
	opts.URL = strings.TrimSuffix(opts.URL, "/")
	o := &Outbox{opts: opts, kick: make(chan struct{}, 1), done: make(chan struct{}), changed: make(chan struct{})}
	o.ctx, o.cancel = context.WithCancel(context.Background())
	o.removeStale()
	if opts.URL == "" {
		close(o.done)
		return o, nil
	}
	go o.run()
	return o, nil
}

// Dir is the outbox's directory.
func (o *Outbox) Dir() string { return o.opts.Dir }

// removeStale removes entries half-written by a process that died long enough ago.
func (o *Outbox) removeStale() {
	des, _ := os.ReadDir(o.opts.Dir)
	for _, de := range des {
		if !strings.HasPrefix(de.Name(), tmpPrefix) {
			continue
		}
		if info, err := de.Info(); err == nil && time.Since(info.ModTime()) > staleTmp {
			_ = os.Remove(filepath.Join(o.opts.Dir, de.Name()))
		}
	}
}

// Add commits r to the outbox: when Add returns nil, the entry is on disk (file and
// directory synced) and will be sent until acknowledged, by this process or the next.
func (o *Outbox) Add(r records.Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	// the name sorts in the order entries were made, so they are sent oldest first
	name := fmt.Sprintf("%020d-%s%s", time.Now().UnixNano(), fileSafe(r.ID), ext)
	tmp, err := os.CreateTemp(o.opts.Dir, tmpPrefix+"*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(o.opts.Dir, name))
	}
	if err == nil {
		err = syncDir(o.opts.Dir)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	select {
	case o.kick <- struct{}{}:
	default:
	}
	return nil
}

// fileSafe keeps the letters, digits, '-' and '_' of id, so that it can be part of a file
// name (the id itself travels inside the entry).
func fileSafe(id string) string {
	s := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, id)
	return s[:min(len(s), 64)]
}

// syncDir makes a rename or a new file in dir durable (Windows has no directory sync).
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// entries lists the committed entries, oldest first.
func (o *Outbox) entries() ([]string, error) {
	des, err := os.ReadDir(o.opts.Dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range des {
		if n := de.Name(); de.Type().IsRegular() && strings.HasSuffix(n, ext) && !strings.HasPrefix(n, ".") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Pending is the number of entries not yet acknowledged.
func (o *Outbox) Pending() (int, error) {
	es, err := o.entries()
	return len(es), err
}

// Drain waits until the outbox is empty, or ctx is done (its error then).
func (o *Outbox) Drain(ctx context.Context) error {
	for {
		o.mu.Lock()
		ch := o.changed
		o.mu.Unlock()
		n, err := o.Pending()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if o.opts.URL == "" {
			return fmt.Errorf("%d records waiting and no server to send them to", n)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-o.done:
			return errors.New("the outbox is closed")
		}
	}
}

// Close stops sending (an entry being sent stays for the next start) and waits for the
// sender to stop.
func (o *Outbox) Close() {
	o.cancel()
	<-o.done
}

// run sends entries until Close: every entry there, then waits for Add.
func (o *Outbox) run() {
	defer close(o.done)
	for {
		names, err := o.entries()
		if err != nil {
			o.logf("outbox %s: %v", o.opts.Dir, err)
		}
		progressed := false
		for _, n := range names {
			if o.ctx.Err() != nil {
				return
			}
			progressed = o.deliver(n) || progressed
		}
		if progressed {
			continue // look again: entries may have been added meanwhile
		}
		var retry <-chan time.Time
		if len(names) > 0 || err != nil {
			// an entry that could not leave (a file system error): try again later
			retry = time.After(o.opts.MaxInterval)
		}
		select {
		case <-o.kick:
		case <-retry:
		case <-o.ctx.Done():
			return
		}
	}
}

// permanent is a refusal of the server that a retry cannot change: the entry is malformed.
type permanent struct{ msg string }

func (p permanent) Error() string { return p.msg }

// deliver sends one entry until it is acknowledged (then removes it), refused as malformed
// (then moves it to RejectedDir) or the outbox closes; it reports whether the entry left.
func (o *Outbox) deliver(name string) bool {
	path := filepath.Join(o.opts.Dir, name)
	body, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		o.left()
		return true // sent by another process sharing the directory
	}
	var r records.Record
	if err == nil {
		err = json.Unmarshal(body, &r)
	}
	if err != nil {
		return o.reject(name, fmt.Sprintf("unreadable entry: %v", err))
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval = o.opts.InitialInterval, o.opts.MaxInterval
	_, err = backoff.Retry(o.ctx, func() (struct{}, error) {
		err := o.send(r.ID, body)
		var p permanent
		if errors.As(err, &p) {
			return struct{}{}, backoff.Permanent(err)
		}
		return struct{}{}, err
	}, backoff.WithBackOff(b), backoff.WithMaxElapsedTime(0), backoff.WithNotify(func(err error, next time.Duration) {
		o.logf("record %s: %v; trying again in %v", r.ID, err, next.Round(time.Millisecond))
	}))
	var p permanent
	switch {
	case err == nil:
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			o.logf("record %s delivered but not removed from the outbox: %v", r.ID, err)
			return false
		}
		if o.opts.Delivered != nil {
			o.opts.Delivered(r.ID)
		}
		o.left()
		return true
	case errors.As(err, &p):
		return o.reject(name, p.msg)
	}
	return false
}

// send posts one entry and checks the acknowledgement.
func (o *Outbox) send(id string, body []byte) error {
	ctx, cancel := context.WithTimeout(o.ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.opts.URL+"/v1/records", bytes.NewReader(body))
	if err != nil {
		return permanent{fmt.Sprintf("bad records URL: %v", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	if o.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+o.opts.Token)
	}
	resp, err := o.opts.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusCreated:
		var ack records.Ack
		if err := json.Unmarshal(reply, &ack); err != nil || ack.ID != id {
			return fmt.Errorf("the server's answer is not an acknowledgement of %s: %.200q", id, reply)
		}
		return nil
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusRequestEntityTooLarge ||
		resp.StatusCode == http.StatusUnsupportedMediaType || resp.StatusCode == http.StatusUnprocessableEntity:
		return permanent{fmt.Sprintf("refused by the server (%s): %s", resp.Status, serverError(reply))}
	}
	// 401/403/404 are kept too: a wrong token or URL is fixed by the next start, and the
	// record must survive until then
	return fmt.Errorf("the server answered %s: %s", resp.Status, serverError(reply))
}

// serverError is the message of a JSON error reply, else the reply's start.
func serverError(reply []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(reply, &e) == nil && e.Error != "" {
		return e.Error
	}
	return fmt.Sprintf("%.200q", reply)
}

// reject moves an entry the server refused as malformed out of the way, into RejectedDir.
func (o *Outbox) reject(name, why string) bool {
	dir := filepath.Join(o.opts.Dir, RejectedDir)
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		err = os.Rename(filepath.Join(o.opts.Dir, name), filepath.Join(dir, name))
	}
	if err != nil {
		o.logf("outbox entry %s refused (%s) and not moved aside: %v", name, why, err)
		return false
	}
	o.logf("outbox entry %s refused (%s); moved to %s", name, why, dir)
	o.left()
	return true
}

// left tells Drain that an entry left the outbox.
func (o *Outbox) left() {
	o.mu.Lock()
	close(o.changed)
	o.changed = make(chan struct{})
	o.mu.Unlock()
}

func (o *Outbox) logf(format string, args ...any) {
	if o.opts.Logf != nil {
		o.opts.Logf(format, args...)
	}
}

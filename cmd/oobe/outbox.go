package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/adrg/xdg"

	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/internal/outbox"
)

// outboxExitWait is how long the program waits at its end for the server to acknowledge
// the run's last records; what is left is sent at the next start.
const outboxExitWait = 3 * time.Second

// checkRecordsURL accepts "" or an http(s) URL with a host.
func checkRecordsURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return usageError{fmt.Sprintf("--records-url must be an http:// or https:// URL of the server, without a user or password, got %q", redactURL(s))}
	}
	return nil
}

// countRecords is "1 record" or "N records".
func countRecords(n int) string {
	if n == 1 {
		return "1 record"
	}
	return fmt.Sprintf("%d records", n)
}

// checkKioskID accepts "" or 1 to 200 bytes of printable text.
func checkKioskID(s string) error {
	if len(s) > 200 || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) || !utf8.ValidString(s) {
		return usageError{"--kiosk-id must be at most 200 bytes of printable text"}
	}
	return nil
}

// redactURL hides a password a URL might carry.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(not a URL)"
}

// recordSender is the outbox of a run and the collector that fills it from the record.
type recordSender struct {
	box       *outbox.Outbox
	collector *outbox.Collector
	sending   bool
}

// openOutbox opens the outbox --records-url or --outbox asks for (nil when neither does):
// entries left by earlier runs start going to the server at once.
func openOutbox(cfg config, getenv func(string) string) (*recordSender, error) {
	if cfg.recordsURL == "" && cfg.kind == "http" {
		cfg.recordsURL = cfg.url // the lab's server collects the records of the runs it serves
	}
	if cfg.recordsURL == "" && cfg.outbox == "" {
		return nil, nil
	}
	dir := cfg.outbox
	if dir == "" {
		dir = filepath.Join(xdg.StateHome, "oobe", "outbox")
	}
	kiosk := cfg.kioskID
	if kiosk == "" {
		kiosk, _ = os.Hostname()
	}
	if kiosk == "" {
		kiosk = "unnamed"
	}
	// the records go with the backend's credentials: its bearer token (file or environment),
	// its CA file and client certificate
	token, err := cfg.backendConfig.token(getenv)
	if err != nil {
		return nil, err
	}
	client, err := rpc.NewHTTPClient(rpc.HTTPOptions{CAFile: cfg.ca, CertFile: cfg.cert, KeyFile: cfg.key})
	if err != nil {
		return nil, err
	}
	client.Timeout = 30 * time.Second
	box, err := outbox.Open(outbox.Options{Dir: dir, URL: cfg.recordsURL, Token: token, Client: client})
	if err != nil {
		return nil, err
	}
	return &recordSender{box: box, collector: outbox.NewCollector(box, kiosk), sending: cfg.recordsURL != ""}, nil
}

// finish commits the run's last snapshots, gives the server outboxExitWait to acknowledge
// them and stops sending; it returns the lines to print (an error starts with "--outbox:").
func (s *recordSender) finish() []string {
	var out []string
	if err := s.collector.Flush(); err != nil {
		out = append(out, fmt.Sprintf("--outbox: a record could not be kept in %s: %v", s.box.Dir(), err))
	}
	if s.sending {
		ctx, cancel := context.WithTimeout(context.Background(), outboxExitWait)
		_ = s.box.Drain(ctx)
		cancel()
	}
	s.box.Close()
	n, err := s.box.Pending()
	switch {
	case err != nil:
		out = append(out, fmt.Sprintf("--outbox: %v", err))
	case n > 0 && s.sending:
		out = append(out, fmt.Sprintf("outbox: %s not acknowledged by the server yet; kept in %s for the next start", countRecords(n), s.box.Dir()))
	case n > 0:
		out = append(out, fmt.Sprintf("outbox: %s kept in %s for a start with --records-url", countRecords(n), s.box.Dir()))
	}
	return out
}

package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// Files is where a run writes the files a person asks for (diagnostics bundles).
type Files interface {
	// Create makes a new file named from prefix and ext that did not exist before (never
	// replacing one, never following a link) and returns it with its path.
	Create(prefix, ext string) (io.WriteCloser, string, error)
}

// Dir is a directory that a run writes its files into (created when the first file is), each
// file created exclusively with mode 0600 and named by the wall-clock time: oobe-diagnostics-20260302-090000.txt, then -2, -3 …
// when a name is taken.
type Dir string

// Create makes the next free file of prefix in the directory, creating the directory (mode
// 0700) when it does not exist yet.
func (d Dir) Create(prefix, ext string) (io.WriteCloser, string, error) {
	if err := os.MkdirAll(string(d), 0o700); err != nil {
		return nil, "", err
	}
	base := filepath.Join(string(d), prefix+"-"+time.Now().UTC().Format("20060102-150405"))
	for n := 1; n < 100; n++ {
		name := base + ext
		if n > 1 {
			name = fmt.Sprintf("%s-%d%s", base, n, ext)
		}
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		abs, aerr := filepath.Abs(name)
		if aerr != nil {
			abs = name
		}
		return f, abs, nil
	}
	return nil, "", fmt.Errorf("%s: no free file name for %s", d, prefix)
}

// Files returns where the run writes the files a person asks for (nil: nowhere).
func (r *Run) Files() Files { return r.cfg.Files }

// CreateNamed makes a new file called name in the directory (name-2, -3 … before its
// extension when the name is taken), creating the directory (mode 0700) when it does not
// exist yet. name must be a plain base name: a path is refused.
func (d Dir) CreateNamed(name string) (io.WriteCloser, string, error) {
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return nil, "", fmt.Errorf("%q is not a file name", name)
	}
	if err := os.MkdirAll(string(d), 0o700); err != nil {
		return nil, "", err
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for n := 1; n < 100; n++ {
		p := filepath.Join(string(d), name)
		if n > 1 {
			p = filepath.Join(string(d), fmt.Sprintf("%s-%d%s", stem, n, ext))
		}
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		abs, aerr := filepath.Abs(p)
		if aerr != nil {
			abs = p
		}
		return f, abs, nil
	}
	return nil, "", fmt.Errorf("%s: no free file name for %s", d, name)
}

// LogsCollected says Collect logs wrote a bundle (Path) or failed (Err).
type LogsCollected struct {
	// Path is the file written ("" when it failed).
	Path string
	// Err is why it failed.
	Err *flow.Error
}

// CollectLogs writes a diagnostics bundle (what the device knows, the answers, the ESP
// status and the record; never a secret) into the run's Files, at most once a second.
func (e *ESP) CollectLogs() error {
	if err := e.in(ESPFailed); err != nil {
		return err
	}
	if !e.Buttons().CollectLogs {
		return ErrNotReady
	}
	r := e.r
	now := time.Now()
	if !e.lastLogs.IsZero() && now.Sub(e.lastLogs) < time.Second {
		return ErrNotReady
	}
	e.lastLogs = now
	e.press("logs")
	files := r.cfg.Files
	text := r.DiagnosticsReport()
	r.task("collect_logs", r.ctx, func(context.Context) func() Outcome {
		path, err := writeBundle(files, text)
		return func() Outcome {
			if err != nil {
				e.LogsPath, e.LogsErr = "", flow.AsError(err)
				r.log(flow.RecordError, flow.ErrorData{Error: "collect_logs", Detail: err.Error()})
				return &LogsCollected{Err: e.LogsErr}
			}
			e.LogsPath, e.LogsErr = path, nil
			r.log(flow.RecordEvent, flow.EventData{Event: "logs_collected", Path: path})
			return &LogsCollected{Path: path}
		}
	})
	return nil
}

// writeBundle writes text into a new diagnostics file of files.
func writeBundle(files Files, text string) (string, error) {
	return writeFile(files, "oobe-diagnostics", ".txt", text)
}

// writeFile writes text into a new file of files named from prefix and ext.
func writeFile(files Files, prefix, ext, text string) (string, error) {
	if files == nil {
		return "", flow.Errorf(flow.CodeUnavailable, "this run has nowhere to write files")
	}
	w, path, err := files.Create(prefix, ext)
	if err != nil {
		return "", err
	}
	return path, finish(w, path, text)
}

// finish writes text to w and closes it.
func finish(w io.WriteCloser, path, text string) error {
	_, err := io.WriteString(w, text)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// DiagnosticsReport is the text of a diagnostics bundle: what a support person opens
// first (the device, the profile, the user, the ESP with failures first), then the record.
func (r *Run) DiagnosticsReport() string {
	var b strings.Builder
	dev := r.Device()
	a := r.Answers()
	kv := func(k, v string) {
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(&b, "%-22s %s\n", k+":", v)
	}
	fmt.Fprintf(&b, "Windows Autopilot diagnostics (oobe emulator)\n\n")
	kv("Run", r.id)
	kv("Emulated time", r.clock.Now().UTC().Format(time.RFC3339))
	kv("Windows", fmt.Sprint(int(r.cfg.Windows)))
	kv("Serial number", r.boot.Serial)
	kv("Organization", dev.Organization.DisplayName)
	kv("Profile", dev.Profile.Name)
	kv("Join type", string(dev.Profile.Join))
	kv("User", a.UPN)
	kv("Device name", a.DeviceName)
	kv("Network", a.Network)
	kv("Region / keyboard", strings.Trim(a.Region+" / "+a.Keyboard, " /"))
	b.WriteString("\nEnrollment Status Page\n")
	for _, line := range r.ESPReport() {
		b.WriteString("  " + line + "\n")
	}
	if d, ok := r.backend.(flow.Diagnoser); ok {
		// a remote backend's exchanges and its helper's stderr, secrets already redacted
		b.WriteString("\nBackend\n")
		for _, line := range strings.Split(strings.TrimRight(string(d.Diagnostics()), "\n"), "\n") {
			b.WriteString("  " + line + "\n")
		}
	}
	b.WriteString("\nRun record (JSON Lines)\n")
	for _, l := range r.Record() {
		b.Write(l)
	}
	return b.String()
}

// ESPReport is the ESP status in words: each phase, then the failures, then every other
// item ("deviceSetup · apps · Larkspur SecureLink VPN · failed 0x87D1041C").
func (r *Run) ESPReport() []string {
	var phases, failed, rest []string
	for _, ps := range r.esp.Phases {
		phases = append(phases, fmt.Sprintf("%s: %s (attempts %d)", ps.Phase, ps.State, ps.Attempts))
		for _, g := range ps.Groups {
			if g.Status != "" {
				line := fmt.Sprintf("%s · %s · %s", ps.Phase, g.Category, g.Status)
				if g.Code != "" {
					line += " " + g.Code
				}
				rest = append(rest, line)
				continue
			}
			for _, it := range g.FailedItems() {
				failed = append(failed, fmt.Sprintf("%s · %s · %s · failed %s", ps.Phase, g.Category, it.Name, it.Code))
			}
			for _, it := range g.Items {
				if it.State != flow.ItemFailed {
					rest = append(rest, fmt.Sprintf("%s · %s · %s · %s", ps.Phase, g.Category, it.Name, it.State))
				}
			}
		}
	}
	return append(append(phases, failed...), rest...)
}

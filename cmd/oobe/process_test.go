//go:build unix

package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

// The tests in this file run the real program: the test binary itself, re-executed with
// OOBE_TEST_MAIN=1, in a real pseudo-terminal, with real signals.

func TestMain(m *testing.M) {
	if mode := os.Getenv(testBackendEnv); mode != "" {
		os.Exit(serveTestBackend(mode))
	}
	if os.Getenv("OOBE_TEST_OUTBOX_DRIVER") == "1" {
		os.Exit(outboxDriver(os.Args[1:]))
	}
	if os.Getenv("OOBE_TEST_MAIN") == "1" {
		if n, err := strconv.ParseUint(os.Getenv("OOBE_TEST_FSIZE"), 10, 64); err == nil {
			// a disk that fills up: writes past n bytes fail with EFBIG
			if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: n, Max: n}); err != nil {
				panic(err)
			}
		}
		os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
	}
	// no goroutine of a test outlives it, but the one draining a vt.Emulator's replies (vt
	// v0.1.0's Close races with a Read in progress)
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/charmbracelet/x/vt.(*Emulator).Read"))
}

// proc is the program running in a pseudo-terminal of 80×24, its output drawn into a
// virtual terminal.
type proc struct {
	cmd  *exec.Cmd
	pty  *os.File
	mu   sync.Mutex
	em   *vt.Emulator
	raw  bytes.Buffer  // everything the program wrote
	seen chan struct{} // a token whenever output arrived
	done chan struct{} // closed when the output ended
	exit chan error
}

// start runs the program with args in a new pseudo-terminal.
func start(t *testing.T, args ...string) *proc { return startEnv(t, nil, args...) }

// startEnv runs the program with args and the extra environment variables env.
func startEnv(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "OOBE_TEST_MAIN=1", "TERM=xterm-256color", "LANG=C.UTF-8", "NO_COLOR="), env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, pty: f, em: vt.NewEmulator(80, 24), seen: make(chan struct{}, 1), done: make(chan struct{}), exit: make(chan error, 1)}
	go func() { _, _ = io.Copy(io.Discard, p.em) }() // its replies to terminal queries
	go func() {
		defer close(p.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				p.mu.Lock()
				p.raw.Write(buf[:n])
				_, _ = p.em.Write(buf[:n])
				p.mu.Unlock()
				select {
				case p.seen <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { p.exit <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		f.Close()
		<-p.done
	})
	return p
}

// waitFor waits until text is on the screen.
func (p *proc) waitFor(t *testing.T, text string) {
	t.Helper()
	timeout := time.After(30 * time.Second) // a bound, not a pause: CI machines are shared
	for {
		p.mu.Lock()
		scr := p.em.String()
		p.mu.Unlock()
		if strings.Contains(scr, text) {
			return
		}
		select {
		case <-p.seen:
		case <-p.done:
			t.Fatalf("the program ended before %q was on screen:\n%s", text, scr)
		case <-timeout:
			t.Fatalf("%q not on screen:\n%s", text, scr)
		}
	}
}

// wait waits for the program to exit and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-p.exit:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(30 * time.Second):
		t.Fatal("the program did not exit")
		return -1
	}
}

// output is everything the program wrote to the terminal so far.
func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.raw.String()
}

// TestSignalsEndTheRunLikeCtrlC: SIGTERM, SIGHUP, SIGQUIT and SIGINT each end a run as
// Ctrl+C does — the record gets its end line naming the signal, the answers file is written,
// the terminal is restored (no alternate screen, cursor shown, mouse reporting off, line
// mode back) — and the exit code says a signal ended it (128 + its number).
func TestSignalsEndTheRunLikeCtrlC(t *testing.T) {
	for _, c := range []struct {
		sig  unix.Signal
		name string
	}{{unix.SIGTERM, "SIGTERM"}, {unix.SIGHUP, "SIGHUP"}, {unix.SIGQUIT, "SIGQUIT"}, {unix.SIGINT, "SIGINT"}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			rec, ans := dir+"/run.jsonl", dir+"/answers.json"
			p := start(t, "--speed", "max", "--record", rec, "--write-answers", ans, "--out", dir)
			p.waitFor(t, "Choose your language")
			if _, err := p.pty.Write([]byte("\r")); err != nil {
				t.Fatal(err)
			}
			p.waitFor(t, "Is this the right country or region?")
			if err := p.cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			if code, want := p.wait(t), 128+int(c.sig); code != want {
				t.Errorf("exit code %d, want %d", code, want)
			}
			<-p.done
			out := p.output()
			for seq, what := range map[string]string{"\x1b[?1049l": "alternate screen left", "\x1b[?25h": "cursor shown", "\x1b[?1002l": "mouse reporting off"} {
				if !strings.Contains(out, seq) {
					t.Errorf("terminal not restored: %s (%q) never written", what, seq)
				}
			}
			tio, err := unix.IoctlGetTermios(int(p.pty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if tio.Lflag&unix.ICANON == 0 || tio.Lflag&unix.ECHO == 0 {
				t.Errorf("the terminal is left in raw mode (lflag %#x)", tio.Lflag)
			}
			data, err := os.ReadFile(rec)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			last := lines[len(lines)-1]
			if !strings.Contains(last, `"kind":"end"`) || !strings.Contains(last, `"outcome":"signal"`) || !strings.Contains(last, `"reason":"`+c.name+`"`) {
				t.Errorf("the record's last line is not the end line for %s: %s", c.name, last)
			}
			a, err := os.ReadFile(ans)
			if err != nil {
				t.Fatalf("answers not written: %v", err)
			}
			if !strings.Contains(string(a), `"language": "en-US"`) {
				t.Errorf("answers file lacks the language answered:\n%s", a)
			}
		})
	}
}

// TestWriteAnswersNeverClobbers: --write-answers keeps an existing file (the answers go to
// NAME.1.json, and the program says so in one line) unless --force; it refuses the file
// being replayed, a symbolic link and a device before anything is drawn.
func TestWriteAnswersNeverClobbers(t *testing.T) {
	dir := t.TempDir()
	ans := dir + "/demo.json"
	old := []byte(`{"$schema": "oobe-answers/1", "language": "de-DE", "region": "AT"}` + "\n")
	if err := os.WriteFile(ans, old, 0o600); err != nil {
		t.Fatal(err)
	}
	quitOnRegion := func(args ...string) *proc {
		p := start(t, append([]string{"--speed", "max", "--out", dir, "--answers-delay", "0"}, args...)...)
		p.waitFor(t, "Choose your language")
		if _, err := p.pty.Write([]byte("\r")); err != nil {
			t.Fatal(err)
		}
		p.waitFor(t, "Is this the right country or region?")
		if _, err := p.pty.Write([]byte{3}); err != nil { // Ctrl+C
			t.Fatal(err)
		}
		p.wait(t)
		<-p.done
		return p
	}

	p := quitOnRegion("--write-answers", ans)
	if got, _ := os.ReadFile(ans); !bytes.Equal(got, old) {
		t.Errorf("the existing answers file changed:\n%s", got)
	}
	if got, err := os.ReadFile(dir + "/demo.1.json"); err != nil || !strings.Contains(string(got), `"language": "en-US"`) {
		t.Errorf("answers not in demo.1.json (%v):\n%s", err, got)
	}
	if out := p.output(); !strings.Contains(out, "demo.json exists and was kept; the answers go to "+dir+"/demo.1.json") {
		t.Errorf("the program did not say where the answers went:\n%q", out[max(0, len(out)-400):])
	}

	quitOnRegion("--write-answers", ans, "--force")
	if got, _ := os.ReadFile(ans); !strings.Contains(string(got), `"language": "en-US"`) {
		t.Errorf("--force did not replace the file:\n%s", got)
	}

	link := dir + "/link.json"
	if err := os.Symlink(ans, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"replayed file", []string{"--answers", ans, "--write-answers", ans, "--force"}, "is the answers file being replayed"},
		{"symbolic link", []string{"--write-answers", link, "--force"}, "is a symbolic link"},
		{"device", []string{"--write-answers", "/dev/null", "--force"}, "is not a regular file (a device)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			// no terminal needed: the target is checked before anything is drawn
			code := run(c.args, env(), &out, &errb)
			if code != 1 || !strings.Contains(errb.String(), c.want) || strings.Count(errb.String(), "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 1 and one line with %q", code, errb.String(), c.want)
			}
		})
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symbolic link was replaced: %v", err)
	}
}

// TestRecordFileIsSafeAndRepaired: --record refuses a symbolic link and anything but a
// regular file, creates a new file 0600, and removes a torn last line a run that was cut off
// left, so the file stays JSON Lines.
func TestRecordFileIsSafeAndRepaired(t *testing.T) {
	dir := t.TempDir()
	target := dir + "/planted"
	if err := os.WriteFile(target, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := dir + "/link.jsonl"
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	fifo := dir + "/fifo"
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{link, "is a symbolic link"}, {fifo, "is not a regular file (a named pipe)"}, {dir, "is not a regular file (a directory)"},
	} {
		var out, errb bytes.Buffer
		code := run([]string{"--record", c.path}, env(), &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("--record %s: exit %d, stderr %q; want 1 and %q", c.path, code, errb.String(), c.want)
		}
	}
	if got, _ := os.ReadFile(target); string(got) != "keep\n" {
		t.Errorf("the file behind the link changed: %q", got)
	}

	rec := dir + "/run.jsonl"
	p := start(t, "--speed", "max", "--record", rec, "--out", dir)
	p.waitFor(t, "Choose your language")
	_, _ = p.pty.Write([]byte{3})
	p.wait(t)
	if st, err := os.Stat(rec); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("new record file: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	first, _ := os.ReadFile(rec)
	torn := append(append([]byte{}, first...), `{"run":"x","seq":9,"kind":"st`...)
	if err := os.WriteFile(rec, torn, 0o600); err != nil {
		t.Fatal(err)
	}
	p = start(t, "--speed", "max", "--record", rec, "--out", dir)
	p.waitFor(t, "Choose your language")
	_, _ = p.pty.Write([]byte{3})
	p.wait(t)
	<-p.done
	data, _ := os.ReadFile(rec)
	if !bytes.HasPrefix(data, first) {
		t.Errorf("the first run's lines changed")
	}
	for i, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if !strings.HasPrefix(l, `{"run":"2`) || !strings.HasSuffix(l, "}") {
			t.Errorf("line %d is not a whole record line: %s", i+1, l)
		}
	}
	if !strings.Contains(p.output(), "ended in a torn line") {
		t.Errorf("the program did not say it removed the torn line")
	}
}

// TestRecordWriteErrorShowsAtOnce: when the disk fills up, the screen says at once that the
// record stopped and the run goes on; the program exits 1 naming the error; the next run
// repairs the torn line the full disk left.
func TestRecordWriteErrorShowsAtOnce(t *testing.T) {
	dir := t.TempDir()
	rec := dir + "/run.jsonl"
	p := startEnv(t, []string{"OOBE_TEST_FSIZE=1000"}, "--speed", "max", "--record", rec, "--out", dir)
	p.waitFor(t, "Choose your language")
	_, _ = p.pty.Write([]byte("\r"))
	p.waitFor(t, "The run record stopped")
	p.waitFor(t, "file too large")
	p.waitFor(t, "Is this the right country or region?") // the run goes on
	_, _ = p.pty.Write([]byte{3})
	if code := p.wait(t); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	<-p.done
	if out := p.output(); !strings.Contains(out, "oobe: --record: write "+rec+": file too large") {
		t.Errorf("no line about the record at exit:\n%q", out[max(0, len(out)-300):])
	}
	if data, _ := os.ReadFile(rec); len(data) == 0 || data[len(data)-1] == '\n' {
		t.Fatalf("expected a torn last line from the full disk, got %d bytes", len(data))
	}
	p = start(t, "--speed", "max", "--record", rec, "--out", dir)
	p.waitFor(t, "Choose your language")
	_, _ = p.pty.Write([]byte{3})
	p.wait(t)
	data, _ := os.ReadFile(rec)
	for i, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if !strings.HasSuffix(l, "}") {
			t.Errorf("line %d is torn: %s", i+1, l)
		}
	}
}

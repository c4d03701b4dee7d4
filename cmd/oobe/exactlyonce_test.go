//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/internal/outbox"
	"github.com/oobe-emu/oobe/internal/records"
)

// outboxDriver is a small kiosk (the test binary run with OOBE_TEST_OUTBOX_DRIVER=1, args
// DIR URL PREFIX COUNT): it opens the outbox, commits COUNT records PREFIX-0… and waits until
// the server acknowledged everything, printing "committed ID", "delivered ID" and "drained"
// as it goes, so that a test can kill it at any of those points.
func outboxDriver(args []string) int {
	if len(args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: DIR URL PREFIX COUNT")
		return 2
	}
	count, _ := strconv.Atoi(args[3])
	var mu sync.Mutex
	say := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Println(s)
	}
	box, err := outbox.Open(outbox.Options{Dir: args[0], URL: args[1], InitialInterval: 2 * time.Millisecond, MaxInterval: 20 * time.Millisecond,
		Delivered: func(id string) { say("delivered " + id) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	now := time.Now().UTC()
	for j := range count {
		id := fmt.Sprintf("%s-%d", args[2], j)
		r := records.Record{ID: id, Kiosk: "driver", Run: args[2], Seq: j + 1, Kind: records.KindPhase, Phase: "deviceSetup",
			Started: now, Time: now.Add(time.Duration(j) * time.Millisecond), Lines: []json.RawMessage{json.RawMessage(`{"seq":1}`)}}
		if err := box.Add(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		say("committed " + id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := box.Drain(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	say("drained")
	box.Close()
	return 0
}

// driver runs outboxDriver as a child and streams its lines.
type driver struct {
	cmd   *exec.Cmd
	lines chan string // closed when its output ends
}

func startDriver(t *testing.T, args ...string) *driver {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "OOBE_TEST_OUTBOX_DRIVER=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &driver{cmd: cmd, lines: make(chan string, 64)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			d.lines <- sc.Text()
		}
		close(d.lines)
	}()
	return d
}

// TestOutboxExactlyOnceThroughKills: a kiosk SIGKILLed at random points — while opening its
// outbox, committing records, sending them, or waiting for acknowledgements — at least 50
// times, and started again each time (it resumes sending its outbox at start), while the
// server is itself killed and restarted during deliveries: at the end every record that was
// committed is on the server exactly once, and nothing else is.
func TestOutboxExactlyOnceThroughKills(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("OOBE_TEST_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("random seed %d (OOBE_TEST_SEED=%d go test -run %s ./cmd/oobe/ repeats this run)", seed, seed, t.Name())
		}
	})
	rng := rand.New(rand.NewPCG(seed, 0))
	data, box := t.TempDir(), t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := startServer(t, data, addr)
	url := srv.url

	const perRun = 4
	start := time.Now()
	committed := map[string]bool{}
	kills, serverKills := 0, 0
	for i := 0; kills < 50; i++ {
		if i > 200 {
			t.Fatalf("only %d kills in %d runs: the driver ends before the kill points", kills, i)
		}
		d := startDriver(t, box, url, fmt.Sprintf("r%03d", i), strconv.Itoa(perRun))
		// events: every committed and delivered line (2 per record) and drained; kill at
		// event target (0: before the first), and maybe the server at another
		target := rng.IntN(2*perRun + 1)
		serverAt := -1
		if rng.IntN(5) == 0 {
			serverAt = rng.IntN(2 * perRun)
		}
		killed := false
		e := 0
		for !killed {
			if e == serverAt {
				srv.kill()
				srv.wait(t)
				srv = startServer(t, data, addr)
				serverKills++
			}
			if e == target {
				_ = d.cmd.Process.Kill()
				kills++
				killed = true
				break
			}
			var line string
			var ok bool
			select {
			case line, ok = <-d.lines:
			case <-time.After(30 * time.Second): // a bound, not a pause
				t.Fatalf("run %d: the driver said nothing for 30 s", i)
			}
			if !ok || line == "drained" {
				break
			}
			if id, found := strings.CutPrefix(line, "committed "); found {
				committed[id] = true
			}
			e++
		}
		for range d.lines {
		}
		_ = d.cmd.Wait()
	}
	loop := time.Since(start)

	// the next start sends what is left and nothing more
	d := startDriver(t, box, url, "final", "0")
	last := ""
	for l := range d.lines {
		last = l
	}
	if err := d.cmd.Wait(); err != nil || last != "drained" {
		t.Fatalf("the last start did not empty the outbox: %v, last line %q", err, last)
	}
	left, _ := filepath.Glob(filepath.Join(box, "*.json"))
	if len(left) > 0 {
		t.Errorf("%d entries left in the outbox", len(left))
	}
	code, body := do(t, "GET", srv.url+"/v1/records?limit=10000", "")
	var list struct{ Records []records.Record }
	if err := json.Unmarshal([]byte(body), &list); code != 200 || err != nil {
		t.Fatalf("GET /v1/records: %d %v", code, err)
	}
	got := list.Records
	seen := map[string]int{}
	content := map[string]int{} // a record is its run and seq: the same one under two ids would be stored twice
	for _, r := range got {
		seen[r.ID]++
		content[fmt.Sprintf("%s#%d", r.Run, r.Seq)]++
	}
	for c, n := range content {
		if n > 1 {
			t.Errorf("record %s is stored %d times under different ids", c, n)
		}
	}
	for id := range committed {
		if seen[id] == 0 {
			t.Errorf("record %s was committed and is lost", id)
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("record %s is stored %d times", id, n)
		}
		if !strings.HasPrefix(id, "r") {
			t.Errorf("the server has a record %s no driver made", id)
		}
	}
	srv.stop(t)
	t.Logf("%d kiosk kills and %d server kills in %v; %d records committed, %d stored (some committed just before a kill were not reported); server: %s",
		kills, serverKills, loop.Round(time.Millisecond), len(committed), len(got), lastLine(srv.stderr()))
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// demoSecrets are the secrets the demo answers type: none may reach a record.
var demoSecrets = []string{"OOBE_WIFI_KEY=Runway-2026!", "OOBE_PASSWORD=Contrail#2026", "OOBE_PIN=135791"}

// TestRunRecordsReachTheServer: the program replaying the demo to the desktop while the
// server is down, SIGKILLed there, keeps the run's snapshots in its outbox (none with a
// secret); started again with the server up, it sends them at once, and its own run's
// snapshots too: each ESP phase's and the end's, the end's holding every line of the
// --record file. Nothing is left in the outbox, nothing is stored twice.
func TestRunRecordsReachTheServer(t *testing.T) {
	dir, box, data := t.TempDir(), t.TempDir(), t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there until the server starts
	demo := func(rec string) *proc {
		return startEnv(t, demoSecrets, "--speed", "max", "--answers", "../../flow/answers/testdata/demo.answers.json", "--answers-delay", "0",
			"--out", dir, "--record", rec, "--records-url", "http://"+addr, "--outbox", box, "--kiosk-id", "lab-7")
	}
	p := demo(dir + "/first.jsonl")
	p.waitFor(t, "You're all set")
	_ = p.cmd.Process.Kill()
	p.wait(t)
	<-p.done
	entries, _ := filepath.Glob(filepath.Join(box, "*.json"))
	if len(entries) == 0 {
		t.Fatal("no record in the outbox after the run was killed on the desktop")
	}
	waiting := map[string]bool{}
	for _, e := range entries {
		b, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range demoSecrets {
			if secret := s[strings.Index(s, "=")+1:]; strings.Contains(string(b), secret) {
				t.Errorf("outbox entry %s holds the secret %s", e, s)
			}
		}
		var r records.Record
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("outbox entry %s: %v", e, err)
		}
		waiting[r.ID] = true
	}

	srv := startServer(t, data, addr)
	rec := dir + "/second.jsonl"
	p = demo(rec)
	p.waitFor(t, "You're all set")
	_, _ = p.pty.Write([]byte{3}) // Ctrl+C
	if code := p.wait(t); code != 0 {
		t.Errorf("exit code %d", code)
	}
	<-p.done
	if left, _ := filepath.Glob(filepath.Join(box, "*.json")); len(left) > 0 {
		t.Errorf("%d records left in the outbox after a run with the server up", len(left))
	}
	code, body := do(t, "GET", srv.url+"/v1/records?kiosk=lab-7", "")
	if code != 200 {
		t.Fatalf("GET: %d %s", code, body)
	}
	var list struct{ Records []records.Record }
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	lines, _ := os.ReadFile(rec)
	secondRun := strings.SplitN(strings.SplitN(string(lines), `"run":"`, 2)[1], `"`, 2)[0]
	var kinds []string
	ids := map[string]int{}
	for _, r := range list.Records {
		ids[r.ID]++
		delete(waiting, r.ID)
		if r.Run == secondRun {
			kinds = append(kinds, r.Kind+" "+r.Phase+r.Outcome)
		}
	}
	for id := range waiting {
		t.Errorf("record %s of the killed run never reached the server", id)
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("record %s stored %d times", id, n)
		}
	}
	t.Logf("%d records of the killed run waited in the outbox; the server has %d", len(entries), len(list.Records))
	want := []string{"phase devicePreparation", "phase deviceSetup", "phase accountSetup", "end desktop"}
	if strings.Join(kinds, "|") != strings.Join(want, "|") {
		t.Fatalf("the second run's records: %v, want %v", kinds, want)
	}
	last := list.Records[len(list.Records)-1]
	code, body = do(t, "GET", srv.url+"/v1/records/"+last.ID, "")
	if code != 200 {
		t.Fatalf("GET %s: %d", last.ID, code)
	}
	var full records.Record
	if err := json.Unmarshal([]byte(body), &full); err != nil {
		t.Fatal(err)
	}
	var stored strings.Builder
	for _, l := range full.Lines {
		stored.Write(l)
		stored.WriteByte('\n')
	}
	if stored.String() != string(lines) {
		t.Errorf("the end's snapshot is not the run's record file:\n%.500s\nwant\n%.500s", stored.String(), lines)
	}
	for _, s := range demoSecrets {
		if secret := s[strings.Index(s, "=")+1:]; strings.Contains(body, secret) {
			t.Errorf("the stored record holds the secret %s", s)
		}
	}
}

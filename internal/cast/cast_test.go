package cast

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
)

// program plays a program's frames through r: first what it tells the recorder (Shown), then
// what it writes.
type program struct {
	r   *Recorder
	now time.Duration
}

func (p *program) draw(t *testing.T, f Frame, write string) {
	t.Helper()
	p.now += 100 * time.Millisecond
	p.r.Shown(f)
	if _, err := p.r.Write([]byte(write)); err != nil {
		t.Fatal(err)
	}
}

func newProgram(t *testing.T, file, term *bytes.Buffer) *program {
	p := &program{}
	r, err := New(file, term, Header{Width: 30, Height: 3, Timestamp: 1, Env: map[string]string{"TERM": "xterm-256color"}}, func() time.Duration { return p.now })
	if err != nil {
		t.Fatal(err)
	}
	p.r = r
	return p
}

// TestRevealedSecretNeverInTheCast: while the program shows a secret in clear the terminal
// gets every write and the cast none; when it is hidden again the cast gets the screen whole,
// as the terminal shows it, and goes on with the writes.
func TestRevealedSecretNeverInTheCast(t *testing.T) {
	var file, term bytes.Buffer
	p := newProgram(t, &file, &term)
	p.draw(t, Frame{W: 30, H: 3, Content: "Key: ••••"}, "\x1b[H\x1b[2JKey: ••••")
	p.draw(t, Frame{W: 30, H: 3, Secret: true, Content: "Key: Runway-2026!"}, "\x1b[1;6HRunway-2026!")
	p.draw(t, Frame{W: 30, H: 3, Secret: true, Content: "Key: Runway-2026!x"}, "x")
	p.draw(t, Frame{W: 30, H: 3, Content: "Key: •••••••••••••"}, "\x1b[1;6H•••••••••••••\x1b[K")
	p.draw(t, Frame{W: 30, H: 3, Content: "Key: •••••••••••••\nNext"}, "\r\nNext")
	if err := p.r.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(term.String(), "Runway-2026!") {
		t.Fatal("the terminal did not get the revealed key")
	}
	if strings.Contains(file.String(), "Runway") {
		t.Fatalf("the cast holds the revealed key:\n%s", file.String())
	}
	h, evs, err := Read(&file)
	if err != nil {
		t.Fatal(err)
	}
	if h.Version != 2 || h.Width != 30 || h.Env["TERM"] != "xterm-256color" {
		t.Errorf("header %+v", h)
	}
	// played back, the cast ends on the screen the terminal shows
	em := vt.NewEmulator(30, 3)
	defer em.Close()
	for _, e := range evs {
		if e.Kind == "o" {
			_, _ = em.WriteString(e.Data)
		}
	}
	if got, want := plain(em.String()), "Key: •••••••••••••\nNext"; got != want {
		t.Fatalf("the cast plays to\n%q\nwant\n%q", got, want)
	}
}

// TestResizeAndSplitCharacters: a resize is an "r" event; a character the terminal gets in
// two writes is one character in the cast (every event valid UTF-8).
func TestResizeAndSplitCharacters(t *testing.T) {
	var file, term bytes.Buffer
	p := newProgram(t, &file, &term)
	check := []byte("✓")
	p.draw(t, Frame{W: 30, H: 3}, "ok "+string(check[:1]))
	p.draw(t, Frame{W: 40, H: 5}, string(check[1:]))
	_ = p.r.Close()
	_, evs, err := Read(bytes.NewReader(file.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var kinds, out string
	for _, e := range evs {
		kinds += e.Kind
		if e.Kind == "o" {
			out += e.Data
		}
	}
	if kinds != "oro" || out != "ok ✓" || evs[1].Data != "40x5" {
		t.Fatalf("events %+v", evs)
	}
}

// TestReadRefusesBadCasts: each defect is named with its line.
func TestReadRefusesBadCasts(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{``, "line 1: no header"},
		{`{"version":1,"width":80,"height":24}`, "line 1: header of version 1"},
		{"{\"version\":2,\"width\":80,\"height\":24}\n[1.5,\"o\",\"a\"]\n[1.0,\"o\",\"b\"]", "line 3: time 1 before"},
		{"{\"version\":2,\"width\":80,\"height\":24}\n[1,\"x\",\"a\"]", `line 2: event code "x"`},
		{"{\"version\":2,\"width\":80,\"height\":24}\n[1,\"r\",\"big\"]", `line 2: resize to "big"`},
	} {
		_, _, err := Read(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}

package ui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

// TestEnterpriseWiFi (issue 8, reference §1.9): an 802.1X network asks for a user name and a
// password, not a network security key; a password alone or another user's does not connect;
// a server certificate the device cannot verify brings "Continue connecting?", whose Connect
// joins. The password is never recorded.
func TestEnterpriseWiFi(t *testing.T) {
	var buf bytes.Buffer
	d := newDriver(t, setup{w: 100, h: 30, rec: &buf})
	d.press("enter", "enter", "enter", "enter") // to the network page
	d.on(flow.StepNetwork)
	d.settle(func() bool { return d.line("Larkspur-Crew") != "" })
	for !strings.Contains(d.line(d.m.env.Glyphs.Pointer), "Larkspur-Crew") {
		d.press("down")
	}
	d.press("enter", "enter") // expand, Connect
	d.sees("Enter your user name and password for Larkspur-Crew", "User name", "Password")
	d.seesNot("network security key")
	d.sees("ctrl+r show password")

	d.press("tab") // to the password, the user name left empty
	d.typeText("Contrail#2026")
	d.press("enter")
	if n := strings.Count(recorded(&buf).String(), `"button":"connect"`); n != 0 {
		t.Fatalf("%d connects recorded, want none: a password without a user name was sent", n)
	}
	if !d.m.nav.top().(*networkPage).ring.on("user") {
		t.Fatal("Next without a user name did not go back to the user name box")
	}
	d.typeText("megan.rivera@larkspuraero.com")
	d.press("enter") // to the password
	for range 20 {
		d.key("backspace")
	}
	d.typeText("Tailwind#2026") // another user's password
	d.press("enter")
	// the server's certificate comes first, before the credentials are checked
	d.sees("Continue connecting?", "If you expect to find Larkspur-Crew in this location")
	if d.r.Network().Online != "" {
		t.Fatal("connected before the certificate was accepted")
	}
	d.pressButton("trust")
	d.idle()
	d.sees("megan.rivera@larkspuraero.com") // refused: the user name stays for another try
	if d.r.Network().Online != "" {
		t.Fatal("another user's password connected")
	}
	d.typeText("Contrail#2026")
	d.press("enter")
	d.idle()
	d.seesNot("Continue connecting?") // the server is trusted now
	if got := d.r.Network().Online; got != "Larkspur-Crew" {
		t.Fatalf("online on %q, want Larkspur-Crew:\n%s", got, d.text())
	}
	rec := recorded(&buf).String()
	if !strings.Contains(rec, `"event":"certificate_prompt"`) || !strings.Contains(rec, `"button":"continue_connecting"`) {
		t.Errorf("the certificate prompt is not recorded:\n%s", rec)
	}
	noSecrets(t, "the record", rec)
}

// TestNoInternetNoteGoesWithTheNextNetwork (issue 8): the "connected but has no internet"
// note of one network is not left on screen while the person types a hidden network's name
// and key.
func TestNoInternetNoteGoesWithTheNextNetwork(t *testing.T) {
	d := newDriver(t, setup{w: 100, h: 30})
	d.press("enter", "enter", "enter", "enter")
	d.on(flow.StepNetwork)
	d.settle(func() bool { return d.line("CaféDuPort") != "" })
	for !strings.Contains(d.line(d.m.env.Glyphs.Pointer), "CaféDuPort") {
		d.press("down")
	}
	d.press("enter", "enter") // an open network without internet
	d.idle()
	d.sees("CaféDuPort is connected but has no internet")
	for !strings.Contains(d.line(d.m.env.Glyphs.Pointer), "Hidden Network") {
		d.press("down")
	}
	d.press("enter")
	d.typeText("LSA-La")
	d.seesNot("has no internet")
	d.typeText("b")
	d.press("enter")
	d.seesNot("has no internet")
	d.sees("LSA-Lab")
}

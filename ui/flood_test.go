package ui

import (
	"strings"
	"testing"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// boxes are the values of the boxes of the page on top, by the names the replay knows.
func boxes(t *testing.T, d *driver) map[string]string {
	t.Helper()
	p, ok := d.m.nav.top().(replayable)
	if !ok {
		t.Fatalf("the page on top has no boxes:\n%s", d.text())
	}
	return p.replayForm().fields
}

// wantBox fails unless box holds exactly the first n characters of typed.
func wantBox(t *testing.T, d *driver, box, typed string, n int) {
	t.Helper()
	got := boxes(t, d)[box]
	if utf8.RuneCountInString(got) != n || !strings.HasPrefix(typed, got) {
		t.Errorf("the %s box holds %d characters (%q), want the first %d typed", box, utf8.RuneCountInString(got), got, n)
	}
}

// TestFloodCapsEveryBox: typing far more than a box takes leaves exactly its cap in it, as
// Windows's edit boxes do: the user name and password, the verification code, the Wi-Fi
// key, the hidden network's name (32 bytes), the PIN (the policy's maximum, at most 127)
// and the list search.
func TestFloodCapsEveryBox(t *testing.T) {
	long := strings.Repeat("abcdefghij", 30) // 300 characters
	digits := strings.Repeat("1234567890", 30)
	t.Run("user name", func(t *testing.T) {
		d := newDriver(t, setup{})
		toSignIn(t, d)
		d.typeText(long)
		wantBox(t, d, "user", long, capUPN)
	})
	t.Run("password", func(t *testing.T) {
		d := newDriver(t, setup{})
		toSignIn(t, d)
		d.typeText(flrMegan)
		d.press("enter")
		d.typeText(long)
		wantBox(t, d, "pass", long, capPassword)
	})
	t.Run("verification code", func(t *testing.T) {
		d := newDriver(t, setup{})
		toSignIn(t, d)
		flrCredentials(t, d, flrTomas, "Tailwind#2026")
		d.settle(func() bool { return signState(d) == run.SignMFACode })
		d.typeText(digits)
		wantBox(t, d, "code", digits, capCode)
	})
	t.Run("Wi-Fi key", func(t *testing.T) {
		d := newDriver(t, setup{})
		d.press("enter", "enter", "enter", "enter", "enter", "enter") // Larkspur-Corp, Connect
		d.typeText(long)
		wantBox(t, d, "key", long, capWiFiKey)
	})
	t.Run("hidden network name", func(t *testing.T) {
		d := newDriver(t, setup{})
		d.press("enter", "enter", "enter", "enter")
		d.on(flow.StepNetwork)
		d.idle()
		d.press("end", "enter")
		d.typeText(long)
		wantBox(t, d, "ssid", long, capSSID)
		d.press("ctrl+u")
		accents := strings.Repeat("é", 200)
		d.typeText(accents)
		wantBox(t, d, "ssid", accents, capSSID/2) // two bytes each
	})
	for _, tc := range []struct {
		name   string
		policy int
		want   int
	}{{"PIN", 0, capPIN}, {"PIN of a 20-digit policy", 20, 20}} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, setup{tweak: func(w *sim.World) {
				w.Profile.Hello.MinLength, w.Profile.Hello.MaxLength = 6, tc.policy
			}})
			toStep(t, d, flow.StepHello)
			if !d.r.Hello().PINPage {
				d.press("enter")
			}
			d.typeText(digits)
			wantBox(t, d, "new", digits, tc.want)
		})
	}
	t.Run("region search", func(t *testing.T) {
		d := newDriver(t, setup{})
		d.press("enter")
		d.typeText(long)
		if f := d.m.nav.top().(*listPage).list.filter; f != long[:capSearch] {
			t.Errorf("the search is %q (%d characters), want the first %d typed", f, len(f), capSearch)
		}
	})
}

// TestFloodFullBoxChangesNothing: a key typed into a full box changes nothing, not even the
// error shown (it is no edit), and the frame stays as it was; the next edit draws again.
func TestFloodFullBoxChangesNothing(t *testing.T) {
	d := newDriver(t, setup{})
	toSignIn(t, d)
	upn := strings.Repeat("x", capUPN-len("@larkspuraero.com")) + "@larkspuraero.com"
	d.typeText(upn)
	d.press("enter")
	d.settle(func() bool { return d.r.SignIn().Err != nil }) // no such user
	wantBox(t, d, "user", upn, capUPN)
	before := d.text()
	d.typeText("yyyy")
	if d.text() != before {
		t.Errorf("keys typed into the full box changed the screen:\n%s\nwas:\n%s", d.text(), before)
	}
	if d.r.SignIn().Err == nil {
		t.Errorf("keys typed into the full box cleared the error")
	}
	d.press("backspace")
	if d.r.SignIn().Err != nil || d.text() == before {
		t.Errorf("Backspace did not edit the box and clear the error:\n%s", d.text())
	}
}

// TestFloodPasteIsCapped: a paste far longer than the box is cut to its cap.
func TestFloodPasteIsCapped(t *testing.T) {
	d := newDriver(t, setup{})
	toSignIn(t, d)
	paste := strings.Repeat("megan.rivera", 100*1024/12)
	d.send(tea.PasteMsg{Content: paste})
	d.idle()
	wantBox(t, d, "user", paste, capUPN)
}

// TestFieldCapsEveryPath: a box capped in bytes holds at most that many whichever way the
// text comes: typed, pasted, or set (the replay), invalid UTF-8 included.
func TestFieldCapsEveryPath(t *testing.T) {
	d := newDriver(t, setup{})
	newSSID := func() field {
		f := newField(d.m.env, "", false, capSSID)
		f.maxBytes = capSSID
		f.Focus()
		return f
	}
	for name, fill := range map[string]func(f *field, s string){
		"typed": func(f *field, s string) {
			for _, r := range s {
				*f, _ = f.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		},
		"pasted": func(f *field, s string) { *f, _ = f.Update(tea.PasteMsg{Content: s}) },
		"set":    func(f *field, s string) { f.SetValue(s) },
	} {
		for _, s := range []string{strings.Repeat("a", 100), strings.Repeat("日", 100), "a" + strings.Repeat("é", 100), strings.Repeat("\xff", 100)} {
			f := newSSID()
			fill(&f, s)
			v := f.Value()
			if len(v) > capSSID || f.bytes != len(v) || f.runes != utf8.RuneCountInString(v) {
				t.Errorf("%s %q…: the box holds %d bytes (%q, counted %d/%d), want at most %d", name, s[:3], len(v), v, f.bytes, f.runes, capSSID)
			}
			if utf8.ValidString(s) && len(v) < capSSID-3 {
				t.Errorf("%s %q…: the box holds %d bytes, want it full", name, s[:3], len(v))
			}
		}
	}
}

// TestFloodRegionSearchNoMatch: a search longer than any region's name (typed far past the
// cap of the box) matches nothing, even though each of its words is in "United States", and
// Esc clears it: the whole list is back.
func TestFloodRegionSearchNoMatch(t *testing.T) {
	d := newDriver(t, setup{})
	d.press("enter")
	if d.m.Step() != flow.StepRegion {
		t.Fatalf("on %s", d.m.Step())
	}
	cat := d.m.Catalog()
	d.typeText(strings.Repeat("united states ", 72)[:1000])
	d.sees(cat.T("list.no_match"))
	d.press("esc")
	d.seesNot(cat.T("list.no_match"))
	d.sees(cat.T("list.search_hint"))
	if l := d.m.nav.top().(*listPage).list; len(l.visible) != len(l.items) {
		t.Errorf("after Esc the list shows %d of %d regions", len(l.visible), len(l.items))
	}
	d.typeText("united states")
	d.sees("United States")
	d.seesNot(cat.T("list.no_match"))
}

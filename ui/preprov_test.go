package ui

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// allowPreProvisioning is a tenant whose profile allows pre-provisioned deployment.
func allowPreProvisioning(w *sim.World) { w.Profile.PreprovisioningAllowed = true }

// windowsKey5 presses the Windows key's stand-in five times in a row.
func windowsKey5(d *driver) { d.press("f8", "f8", "f8", "f8", "f8") }

// TestWindowsKeyFiveTimesStartsPreProvisioning (reference §1.8; Microsoft's technician flow,
// steps 4–9): on the first page of a wired device (the profile is known) four presses and
// another key do nothing, five open "What would you like to do?", Back returns to the page;
// then the pre-provisioning page with the organization, the profile and a QR code, Next, the
// ESP's device phases only, the green screen with the elapsed time, Reseal (the device shuts
// down, the run ends resealed) and Enter powering it on for the user flow.
func TestWindowsKeyFiveTimesStartsPreProvisioning(t *testing.T) {
	d := newDriver(t, setup{wired: true, tweak: allowPreProvisioning})
	d.on(flow.StepLanguage)
	d.press("f8", "f8", "f8", "f8", "down", "f8")
	d.sees("Choose your language")
	windowsKey5(d)
	d.sees("What would you like to do?", "Pre-provision with Windows Autopilot", "Next")
	d.press("esc")
	d.on(flow.StepLanguage)
	d.press("leftsuper", "leftsuper", "leftsuper", "leftsuper", "leftsuper") // a terminal that reports the Windows key
	d.on(flow.StepPreProvisionChoice)
	d.press("enter")
	d.on(flow.StepPreProvision)
	d.sees("Pre-provision with Windows Autopilot", "Organization: Larkspur Aviation", "Profile: Larkspur Aviation", "▀", "Refresh")
	d.pressButton("refresh")
	d.on(flow.StepPreProvision)
	d.sees("Organization: Larkspur Aviation")
	d.focusButton("provision")
	d.key("enter") // the ESP comes at once; the run is not left to go on yet
	if d.m.Step() != flow.StepPreProvisionESP {
		t.Fatalf("after Next: %s", d.m.Step())
	}
	d.sees("Device preparation", "Securing your hardware", "Device setup")
	d.seesNot("Account setup")
	d.waitFor("Pre-provisioning succeeded")
	d.sees("Elapsed time: 0:00:", "Reseal")
	d.press("enter")
	d.waitFor("The device is shut down")
	if d.r.Ended() != run.OutcomeResealed {
		t.Fatalf("ended %q after Reseal", d.r.Ended())
	}
	d.press("enter")
	d.on(flow.StepLanguage)
	if !d.r.Boot().Boot.PreProvisioned {
		t.Error("the device powered on is not pre-provisioned")
	}
}

// TestPreProvisioningNotAllowedRedScreen (reference §1.10, §6; Microsoft's "Configure Autopilot
// profiles"): the embedded profile does not allow pre-provisioning; the flow starts all the
// same and ends on the red screen with 0x80180005, Retry and Reset; Ctrl+Shift+D opens the
// diagnostics (Windows 11); Reset wipes the device into a fresh run.
func TestPreProvisioningNotAllowedRedScreen(t *testing.T) {
	dir := t.TempDir()
	d := newDriver(t, setup{wired: true, files: run.Dir(dir)})
	windowsKey5(d)
	d.press("enter")
	d.on(flow.StepPreProvision)
	d.press("enter")
	d.waitFor("Pre-provisioning failed")
	d.sees("0x80180005", "Registering your device for mobile management", "Retry", "Reset", "Ctrl+Shift+D")
	d.press("ctrl+shift+d")
	d.sees("Windows Autopilot diagnostics", "User:\nDevice preparation • Registering your device for mobile management") // the failure first
	d.pressButton("export")
	d.waitFor("Diagnostics saved to")
	written, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(written) != 1 {
		t.Fatalf("Export logs wrote %v", written)
	}
	if data, err := os.ReadFile(written[0]); err != nil || !strings.Contains(string(data), "0x80180005") {
		t.Errorf("the exported logs do not name 0x80180005 (%v)", err)
	}
	d.press("esc")
	d.sees("Pre-provisioning failed")
	d.focusButton("reset")
	d.press("enter")
	d.on(flow.StepLanguage)
	d.sees("Choose your language")
}

// TestPreProvisioningWindows10: Windows 10's words (Microsoft's technician flow: "Windows
// Autopilot provisioning" then Continue, the "Windows Autopilot Configuration" screen and
// Provision) and its red screen's View diagnostics button.
func TestPreProvisioningWindows10(t *testing.T) {
	d := newDriver(t, setup{wired: true, theme: "win10", tweak: func(w *sim.World) {
		allowPreProvisioning(w)
		w.Scenario.Faults = []string{"tpm-vulnerable-firmware"}
	}})
	windowsKey5(d)
	d.sees("Windows Autopilot provisioning", "Continue")
	d.press("enter")
	d.sees("Windows Autopilot Configuration", "Provision")
	d.press("enter")
	d.waitFor("Pre-provisioning failed")
	d.sees("0x81039024", "Securing your hardware", "View diagnostics", "Retry", "Reset")
	g, _ := d.r.ESP().Phase(flow.ESPDevicePreparation).Group(flow.CategoryJoiningNetwork)
	if g.State() != flow.ItemPreviousFailed {
		t.Errorf("Joining your organization's network: %s, want Previous step failed", g.State())
	}
}

// TestWindowsKeyNeedsTheProfile: on a device that is not online yet the presses do nothing
// and F1 does not offer them; on the sign-in page (online, Microsoft's current place for
// them) F1 lists the key and the presses work.
func TestWindowsKeyNeedsTheProfile(t *testing.T) {
	d := newDriver(t, setup{tweak: allowPreProvisioning})
	windowsKey5(d)
	d.sees("Choose your language")
	d.press("f1")
	d.seesNot("Windows key")
	d.press("esc")
	toSignIn(t, d)
	d.press("f1")
	d.sees("Windows key ×5: pre-provisioning")
	d.press("esc")
	windowsKey5(d)
	d.on(flow.StepPreProvisionChoice)
}

// TestPreProvisioningQRCodeReads: the QR code drawn on the pre-provisioning page at 80×24,
// read back from the screen's half blocks as a phone's camera would see it, decodes to the
// device's serial number.
func TestPreProvisioningQRCodeReads(t *testing.T) {
	d := newDriver(t, setup{wired: true, tweak: allowPreProvisioning})
	windowsKey5(d)
	d.press("enter")
	d.on(flow.StepPreProvision)
	lines := strings.Split(d.text(), "\n")
	// the code is the block of lines holding half blocks, at the columns of its first row,
	// which is all light (the quiet zone)
	var rows [][]rune
	x0, w := -1, 0
	for _, l := range lines {
		r := []rune(l)
		if x0 < 0 {
			i := strings.Index(l, "████████")
			if i < 0 {
				continue
			}
			x0 = len([]rune(l[:i]))
			for x0+w < len(r) && r[x0+w] == '█' {
				w++
			}
		}
		if len(r) < x0+w || !strings.ContainsAny(string(r[x0:x0+w]), "█▀▄") {
			break
		}
		rows = append(rows, r[x0:x0+w])
	}
	if len(rows) < 11 {
		t.Fatalf("no QR code on the page:\n%s", d.text())
	}
	const scale = 6
	img := image.NewGray(image.Rect(0, 0, (w+8)*scale, (len(rows)*2+8)*scale))
	for i := range img.Pix {
		img.Pix[i] = 255 // the surroundings are light, as a quiet zone
	}
	set := func(x, y int, light bool) {
		v := uint8(0)
		if light {
			v = 255
		}
		for dy := range scale {
			for dx := range scale {
				img.SetGray((x+4)*scale+dx, (y+4)*scale+dy, color.Gray{Y: v})
			}
		}
	}
	for y, r := range rows {
		for x := range w {
			top := r[x] == '█' || r[x] == '▀'
			bottom := r[x] == '█' || r[x] == '▄'
			set(x, 2*y, top)
			set(x, 2*y+1, bottom)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code does not decode: %v\n%s", err, d.text())
	}
	if res.GetText() != d.r.Boot().Serial || res.GetText() == "" {
		t.Errorf("the QR code says %q, want the serial %q", res.GetText(), d.r.Boot().Serial)
	}
}

// TestWindowsKeyAsksTheTerminal: with --windows-key the program asks the terminal for every
// key (kitty's report-all-keys mode, with the keys' text) on the pages where Windows key ×5
// works, and nowhere else; without it, never.
func TestWindowsKeyAsksTheTerminal(t *testing.T) {
	for _, ask := range []bool{true, false} {
		d := newDriver(t, setup{wired: true, windowsKey: ask, tweak: allowPreProvisioning})
		d.on(flow.StepLanguage)
		if ke := d.m.View().KeyboardEnhancements; ke.ReportAllKeysAsEscapeCodes != ask || ke.ReportAssociatedText != ask {
			t.Errorf("--windows-key %v: the first page asks for %+v", ask, ke)
		}
		windowsKey5(d)
		d.on(flow.StepPreProvisionChoice)
		if ke := d.m.View().KeyboardEnhancements; ke.ReportAllKeysAsEscapeCodes {
			t.Errorf("--windows-key %v: the technician flow still asks for every key", ask)
		}
	}
}

// TestPreProvisioningLayout draws every technician screen (the choice, the pre-provisioning
// page with its QR code, the ESP, the red and the green screens, the device shut down) in
// three looks at the sample sizes and at every body size: no line wider, no frame taller than
// the terminal, however small.
func TestPreProvisioningLayout(t *testing.T) {
	cases := []struct {
		look  setup
		fault string
	}{{setup{}, ""}, {setup{}, "tpm-timeout"}, {setup{theme: "win10", locale: "de-DE"}, "tpm-timeout"}, {setup{ascii: true, theme: "high-contrast"}, ""}}
	for _, cs := range cases {
		look, fault := cs.look, cs.fault
		t.Run(look.theme+"_"+fault, func(t *testing.T) {
			t.Parallel()
			look.wired = true
			look.tweak = func(w *sim.World) {
				allowPreProvisioning(w)
				if fault != "" {
					w.Scenario.Faults = []string{fault}
				}
			}
			d := newDriver(t, look)
			check := func(name string) {
				t.Helper()
				for _, sz := range sizesToCheck(true) {
					d.resize(sz[0], sz[1])
					checkFrame(t, name, d.screen(), sz[0], sz[1])
				}
				d.resize(80, 24)
				checkBodies(t, name, d)
			}
			windowsKey5(d)
			check("preprov_choice")
			d.press("enter")
			check("preprov")
			d.key("enter")
			check("preprov_esp")
			if fault != "" {
				d.settle(func() bool { _, ok := d.m.nav.top().(*preprovFailedPage); return ok })
				check("preprov_failed")
				return
			}
			d.on(flow.StepPreProvisionResult)
			check("preprov_done")
			d.press("enter")
			check("preprov_off")
		})
	}
}

// TestPreProvisioningOverTheWire: the technician flow with the sim behind the HTTP backend
// protocol: the pre-provisioning request and the pre-provisioned boot cross the wire, so the
// green screen, Reseal and the user flow's boot are as with the sim in the process.
func TestPreProvisioningOverTheWire(t *testing.T) {
	d := newDriver(t, setup{backend: remote(func(string, []byte) bool { return false }, nil), tweak: func(w *sim.World) {
		allowPreProvisioning(w)
		w.Scenario.Ethernet = sim.ScenarioEthernet{Present: true, Internet: true} // the server's sim is wired
	}})
	windowsKey5(d)
	d.press("enter")
	d.on(flow.StepPreProvision)
	d.press("enter")
	d.waitFor("Pre-provisioning succeeded")
	d.press("enter")
	d.waitFor("The device is shut down")
	d.press("enter")
	d.on(flow.StepLanguage)
	if !d.r.Boot().Boot.PreProvisioned {
		t.Error("the device powered on over the wire is not pre-provisioned")
	}
}

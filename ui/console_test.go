package ui

// The Shift+F10 command prompt through the real program (reference §1.8: Shift+F10 opens
// cmd.exe over OOBE; Microsoft's "Troubleshoot the OOBE" uses it for shutdown /r /t 0,
// shutdown /s /t 0, mdmdiagnosticstool -area Autopilot -cab, ipconfig, powershell and
// w32tm /resync /force). Each test presses the keys a person presses and reads the screen.

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// consoleOpen reports whether the command prompt is on screen.
func consoleOpen(d *driver) bool { return isConsole(d.m.overlay) }

// command types a line at the prompt and presses Enter, then waits for the prompt to come
// back (the command's emulated time passes).
func (d *driver) command(line string) {
	d.t.Helper()
	d.typeText(line)
	d.press("enter")
	d.settle(func() bool {
		o, ok := d.m.overlay.(*consoleOverlay)
		return !ok || !o.con.Busy()
	})
}

// TestConsoleShiftF10OpensCmd: Shift+F10 on an OOBE page opens the Administrator command
// prompt with cmd's banner and prompt; it stays open while OOBE moves on and exit closes it.
func TestConsoleShiftF10OpensCmd(t *testing.T) {
	var rec bytes.Buffer
	d := newDriver(t, setup{rec: &rec})
	d.press("shift+f10")
	if !consoleOpen(d) {
		t.Fatalf("Shift+F10 opened nothing:\n%s", d.text())
	}
	d.sees(`Administrator: C:\Windows\system32\cmd.exe`, "Microsoft Windows [Version 10.0.26100", "(c) Microsoft Corporation. All rights reserved.", `C:\Windows\system32>`)
	d.command("hostname")
	d.sees(`C:\Windows\system32>hostname`, "DESKTOP-")
	d.command("whoami")
	d.sees("'whoami' is not recognized as an internal or external command,", "operable program or batch file.", "Type help for the commands")
	d.command("help")
	d.sees("shutdown /r /t 0", "mdmdiagnosticstool -area Autopilot[;TPM] -cab FILE")
	d.press("f1")
	if !consoleOpen(d) {
		t.Fatal("F1 closed the command prompt: the console takes the keys")
	}
	d.command("exit")
	if consoleOpen(d) {
		t.Fatalf("exit left the window open:\n%s", d.text())
	}
	d.press("f1")
	d.sees("shift+f10", "command prompt") // F1 lists it
	d.press("esc")
	lines, err := flow.ReadRecord(bytes.NewReader(recorded(&rec).Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		if l.Kind == flow.RecordConsole {
			m := l.Data.(map[string]any)
			got = append(got, strings.TrimSpace(str(m["event"])+" "+str(m["command"])))
		}
	}
	if want := "open|hostname|(not recognized)|help|exit|close"; strings.Join(got, "|") != want {
		t.Errorf("console record %q, want %q", strings.Join(got, "|"), want)
	}
	if strings.Contains(rec.String(), "whoami") {
		t.Error("the text of an unrecognized command reached the record")
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// TestConsoleLineEditingAndHistory: the line edits as a person expects (Left/Right,
// Home/End, Backspace/Delete), Up and Down recall earlier lines, Esc clears the line as cmd
// does, Ctrl+C drops it with ^C (and does not quit), PgUp/PgDn scroll back.
func TestConsoleLineEditingAndHistory(t *testing.T) {
	d := newDriver(t, setup{})
	d.press("shift+f10")
	d.typeText("hostnme")
	d.press("left", "left")
	d.typeText("a")
	d.press("home", "delete")
	d.typeText("h")
	d.press("end", "backspace")
	d.typeText("e")
	d.press("enter")
	d.sees(`C:\Windows\system32>hostname`, "DESKTOP-")
	d.command("ipconfig")
	d.press("up")
	d.sees(`C:\Windows\system32>ipconfig`)
	if v := d.m.overlay.(*consoleOverlay).in.Value(); v != "ipconfig" {
		t.Fatalf("Up: %q", v)
	}
	d.press("up")
	if v := d.m.overlay.(*consoleOverlay).in.Value(); v != "hostname" {
		t.Fatalf("Up Up: %q", v)
	}
	d.press("down", "down")
	if v := d.m.overlay.(*consoleOverlay).in.Value(); v != "" {
		t.Fatalf("Down Down: %q", v)
	}
	d.typeText("ping nowhere")
	d.press("esc")
	if v := d.m.overlay.(*consoleOverlay).in.Value(); v != "" || !consoleOpen(d) {
		t.Fatalf("Esc: %q open %v", v, consoleOpen(d))
	}
	d.typeText("shutdown /s")
	d.press("ctrl+c")
	if d.quit || !consoleOpen(d) || d.r.Ended() != "" {
		t.Fatal("Ctrl+C in the console quit the program")
	}
	d.sees(`C:\Windows\system32>shutdown /s^C`)
	for i := 0; i < 5; i++ {
		d.command("ipconfig /all")
	}
	d.seesNot("Microsoft Windows [Version")
	for i := 0; i < 30; i++ {
		d.press("pgup")
	}
	d.sees("Microsoft Windows [Version")
	d.typeText("x") // typing goes back to the prompt
	d.seesNot("Microsoft Windows [Version")
}

// TestConsoleEveryCommand runs each emulated command through the program on the Device
// setup page (online): what Windows prints, and what the emulator says where Windows shows
// a window instead.
func TestConsoleEveryCommand(t *testing.T) {
	dir := t.TempDir()
	d := newDriver(t, setup{w: 100, h: 30, files: run.Dir(dir), tweak: func(w *sim.World) {
		w.Scenario.VPNConnections = []sim.ScenarioVPNConnection{{Name: "Larkspur SecureLink", ServerAddress: "vpn.larkspuraero.com", TunnelType: "Ikev2"}}
	}})
	toSignIn(t, d)
	d.press("shift+f10")
	d.command("ipconfig")
	d.sees("Windows IP Configuration", "Wireless LAN adapter Wi-Fi:", "IPv4 Address. . . . . . . . . . . :", "Default Gateway . . . . . . . . . :")
	d.command("ipconfig /all")
	d.sees("Physical Address. . . . . . . . . : 3C-21-9C-", "DHCP Server . . . . . . . . . . . :", "Media State . . . . . . . . . . . : Media disconnected")
	d.command("cls")
	d.seesNot("Windows IP Configuration")
	d.command("ping www.msftconnecttest.com")
	d.sees("Pinging www.msftconnecttest.com [", "Reply from ", "Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),", "Minimum = ")
	d.command("cls")
	d.command("nslookup ztd.dds.microsoft.com")
	d.sees("Non-authoritative answer:", "Name:    ztd.dds.microsoft.com")
	d.command("w32tm /resync /force")
	d.sees("Sending resync command to local computer", "The command completed successfully.")
	d.command("cls")
	d.command(`mdmdiagnosticstool.exe -area "Autopilot;TPM" -cab C:\temp\autopilot.cab`)
	d.sees("The diagnostics bundle was written to", "autopilot.cab")
	if _, err := os.Stat(filepath.Join(dir, "autopilot.cab")); err != nil {
		t.Errorf("the bundle is not in the run's directory: %v", err)
	}
	d.command("start ms-settings:")
	d.sees("Settings opens on Windows Update", "Windows Update:")
	d.command("cls")
	d.command("powershell")
	d.sees("Windows PowerShell", `PS C:\Windows\system32>`)
	d.command("Get-VpnConnection -AllUserConnection")
	d.sees("Name                  : Larkspur SecureLink", "TunnelType            : Ikev2", "ConnectionStatus      : Disconnected")
	d.command(`RASDIAL "Larkspur SecureLink"`)
	d.sees("Connecting to Larkspur SecureLink...", "Successfully connected to Larkspur SecureLink.", "Command completed successfully.")
	d.command("cls")
	d.command("Get-Thing")
	d.sees("Get-Thing : The term 'Get-Thing' is not recognized as the name of a cmdlet")
	d.command("exit")
	d.sees(`C:\Windows\system32>`)
	d.command(`WUSA.EXE D:\windows11.0-kb5044284-x64.msu /quiet /norestart`)
	d.sees("Windows Update Standalone Installer is installing", "windows11.0-kb5044284-x64.msu is installed.")
	d.command("exit")
	if consoleOpen(d) || d.m.Step() != flow.StepSignIn {
		t.Fatalf("exit: on %s:\n%s", d.m.Step(), d.text())
	}
}

// TestConsoleRestartDuringDeviceSetup (reference §1.7; Microsoft's OOBE troubleshooting:
// shutdown /r /t 0 from Shift+F10): the restart covers the screen, the ESP resumes Device
// setup after it, and the Windows sign-in comes before Account setup.
func TestConsoleRestartDuringDeviceSetup(t *testing.T) {
	var rec bytes.Buffer
	d := newDriver(t, setup{rec: &rec})
	toSignIn(t, d)
	signIn(d, flrMegan, "Contrail#2026")
	d.settle(func() bool {
		return d.m.Step() == flow.StepESPDevice && d.r.ESP().Phase(flow.ESPDeviceSetup).Running()
	})
	d.sees("Device setup")
	d.key("shift+f10") // while Device setup goes on: nothing waits for the prompt
	for _, r := range "shutdown /r /t 0" {
		d.key(string(r))
	}
	d.key("enter")
	if espState(d) != run.ESPRestarting || d.r.ESP().Phase(flow.ESPDeviceSetup).State != flow.ItemWorking {
		t.Fatalf("shutdown /r /t 0 during Device setup:\n%s", d.text())
	}
	if consoleOpen(d) {
		t.Error("the command prompt survived the restart")
	}
	d.sees("Restarting")
	d.settle(func() bool { return espState(d) == run.ESPRunning })
	d.sees("Device setup")
	d.on(flow.StepPrivacy)
	d.press("tab") // Accept
	d.key("enter")
	d.on(flow.StepWindowsSignIn)
	d.sees("Press any key to sign in.")
	d.press("space")
	d.typeText(flrMegan)
	d.press("enter") // to the password
	d.typeText("Contrail#2026")
	d.press("enter")
	b := recorded(&rec).String()
	signin := strings.Index(b, `"kind":"step.enter","step":"windows-signin"`)
	if account := strings.Index(b, `"kind":"step.enter","step":"esp-account"`); signin < 0 || account < signin {
		t.Errorf("Account setup (at %d) does not come after the Windows sign-in (at %d)", account, signin)
	}
	if !strings.Contains(b, `"device_restart"`) || !strings.Contains(b, `"resumed_after_restart"`) || strings.Contains(b, "Contrail#2026") {
		t.Error("the restart is not recorded (or a secret is)")
	}
}

// TestConsoleRestartBeforeSignIn (reference §1.1: the profile is downloaded again after
// every reboot; §1.2: a stale profile is picked up by shutdown /r /t 0 from Shift+F10): OOBE
// comes back to its first page with the earlier choices selected, the saved Wi-Fi network
// joined, and the profile is downloaded again on the way.
func TestConsoleRestartBeforeSignIn(t *testing.T) {
	var rec bytes.Buffer
	d := newDriver(t, setup{rec: &rec})
	toSignIn(t, d)
	d.press("shift+f10")
	d.typeText("shutdown /r /t 0")
	d.key("enter")
	d.settle(func() bool { return d.r.Restarting() })
	d.sees("Restarting")
	d.on(flow.StepLanguage)
	d.press("enter", "enter", "enter", "enter")
	d.on(flow.StepNetwork)
	d.settle(func() bool { return d.r.Network().State == run.NetReady })
	if n := d.r.Network(); n.Online != "Larkspur-Corp" {
		t.Fatalf("the saved network is not joined again (%q):\n%s", n.Online, d.text())
	}
	d.press("enter")
	d.on(flow.StepEULA)
	if n := strings.Count(recorded(&rec).String(), `"profile_downloaded"`); n != 2 {
		t.Errorf("the profile was downloaded %d times, want twice", n)
	}
}

// TestConsoleShutdownAndPowerOn: shutdown /s /t 0 turns the device off: the screen says so
// and Enter turns it on again (the next run on the device, OOBE from its first page).
func TestConsoleShutdownAndPowerOn(t *testing.T) {
	var rec bytes.Buffer
	d := newDriver(t, setup{rec: &rec})
	d.press("enter", "enter")
	d.press("shift+f10")
	d.command("shutdown /s /t 0")
	d.sees("The device is turned off.", "Press Enter to turn it on again.")
	if d.r.Ended() != "shutdown" {
		t.Fatalf("ended %q", d.r.Ended())
	}
	d.press("enter")
	d.on(flow.StepLanguage)
	if !strings.Contains(recorded(&rec).String(), `"outcome":"shutdown"`) {
		t.Error("no end line for the shutdown")
	}
}

// TestConsoleBlockedByTheImage (reference §1.8: DisableCMDRequest.TAG): Shift+F10 does
// nothing, and F1 does not offer it.
func TestConsoleBlockedByTheImage(t *testing.T) {
	d := newDriver(t, setup{tweak: func(w *sim.World) { w.Scenario.DisableCmdRequest = true }})
	before := d.text()
	d.press("shift+f10")
	if consoleOpen(d) || d.text() != before {
		t.Fatalf("Shift+F10 on a blocked image:\n%s", d.text())
	}
	d.press("f1")
	d.seesNot("shift+f10")
}

// TestConsoleTinyTerminal: at 40×12 (below the OOBE's own minimum) the command prompt still
// draws within the terminal and takes commands; resizing keeps it usable.
func TestConsoleTinyTerminal(t *testing.T) {
	d := newDriver(t, setup{w: 40, h: 12})
	d.press("shift+f10")
	d.sees(`C:\Windows\system32>`)
	d.command("ipconfig /all")
	d.command("ping localhost")
	d.sees("Packets: Sent = 4")
	for _, l := range strings.Split(d.text(), "\n") {
		if w := len([]rune(l)); w > 40 {
			t.Fatalf("a line of %d cells at 40 columns: %q", w, l)
		}
	}
	if n := len(strings.Split(d.text(), "\n")); n > 12 {
		t.Fatalf("%d lines at 12 rows", n)
	}
	d.resize(20, 5)
	d.command("hostname")
	d.resize(100, 30)
	d.sees("DESKTOP-")
	d.command("exit")
	if consoleOpen(d) {
		t.Fatal("exit at a tiny size")
	}
}

// TestConsoleProfileAssignedLate: the trainer's story for a profile assigned late (Microsoft's
// troubleshooting overview: restart during OOBE with Shift-F10 and shutdown.exe /r /t 0 to
// download the profile again): reg query shows the default profile, the restart brings
// OOBE back to its start, and on the way the assigned profile is downloaded.
func TestConsoleProfileAssignedLate(t *testing.T) {
	var rec bytes.Buffer
	d := newDriver(t, setup{rec: &rec, w: 100, h: 30, tweak: func(w *sim.World) { w.Scenario.ProfileAssignedLate = true }})
	toSignIn(t, d)
	d.press("shift+f10")
	d.command(`reg query HKLM\SOFTWARE\Microsoft\Provisioning\Diagnostics\Autopilot`)
	d.sees("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Provisioning\\Diagnostics\\Autopilot", "DeploymentProfileName    REG_SZ    "+sim.DefaultProfileName)
	d.command("shutdown /r /t 0")
	d.on(flow.StepLanguage)
	d.press("enter", "enter", "enter", "enter")
	d.on(flow.StepNetwork)
	d.settle(func() bool { return d.r.Network().State == run.NetReady })
	d.press("enter")
	d.on(flow.StepEULA)
	d.press("shift+f10")
	d.command(`reg query HKLM\SOFTWARE\Microsoft\Provisioning\Diagnostics\Autopilot`)
	d.sees("DeploymentProfileName    REG_SZ    Larkspur Aviation - Crew laptops")
	if b := recorded(&rec).String(); !strings.Contains(b, `"detail":"`+sim.DefaultProfileName+`"`) || !strings.Contains(b, `"detail":"Larkspur Aviation - Crew laptops`) {
		t.Error("the record does not show the default profile, then the assigned one")
	}
}

// TestConsoleInGermanAndASCII: in de-DE Windows' own output stays in Windows' English (as
// the emulated image's en-US tools print it) while the emulator's lines follow the display
// language; with --ascii and no colours the window draws in 7-bit characters.
func TestConsoleInGermanAndASCII(t *testing.T) {
	d := newDriver(t, setup{locale: "de-DE", ascii: true, prof: colorprofile.ASCII})
	d.press("shift+f10")
	d.command("help")
	d.sees("das Diagnosepaket", "dieses Fenster schliessen", "exit schliesst")
	d.command("whoami")
	d.sees("'whoami' is not recognized as an internal or external command,")
	for _, r := range d.text() {
		if r > 0x7e {
			t.Fatalf("a non-ASCII character %q with --ascii:\n%s", r, d.text())
		}
	}
}

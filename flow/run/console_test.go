package run_test

// The Shift+F10 command prompt through the run alone (reference §1.8: the commands
// Microsoft's Autopilot troubleshooting types there; §1.7 and §1.1 for what a restart
// does). Each test types lines as a person would and reads the console's screen.

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
)

// screen is the console's lines as text (a catalog line as its ID and arguments).
func screen(c *run.Console) string {
	var b strings.Builder
	for _, l := range c.Lines() {
		if l.ID != "" {
			b.WriteString("[" + l.ID + " " + strings.Join(l.Args, " ") + "]\n")
			continue
		}
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

// typeLine runs a line and waits until the command is over (the prompt is back).
func (h *harness) typeLine(c *run.Console, line string) {
	h.t.Helper()
	h.must(line, c.Exec(line))
	h.until(line+" to finish", func() bool { return !c.Busy() })
}

// between is the emulated time from the first record line holding from to the first later
// one holding to (the record's times do not depend on when the test looks).
func (h *harness) between(from, to string) time.Duration {
	h.t.Helper()
	lines := h.record()
	i := slices.IndexFunc(lines, func(l flow.RecordLine) bool { return find([]flow.RecordLine{l}, l.Kind, from) == 0 })
	if i < 0 {
		h.t.Fatalf("no record line with %s", from)
	}
	j := slices.IndexFunc(lines[i:], func(l flow.RecordLine) bool { return find([]flow.RecordLine{l}, l.Kind, to) == 0 })
	if j < 0 {
		h.t.Fatalf("no record line with %s after %s", to, from)
	}
	return lines[i+j].At.Sub(lines[i].At)
}

func (h *harness) console() *run.Console {
	h.t.Helper()
	c, err := h.r.OpenConsole()
	h.must("Shift+F10", err)
	return c
}

// TestConsoleIpconfigShowsTheAdapters: ipconfig shows the adapters the backend assigned, in
// Windows' layout: before joining a network both are disconnected; after joining the Wi-Fi
// adapter has its address, mask, gateway and DNS server (ipconfig /all).
func TestConsoleIpconfigShowsTheAdapters(t *testing.T) {
	h := newHarness(t, nil)
	h.toNetwork()
	c := h.console()
	if !strings.HasPrefix(screen(c), "Microsoft Windows [Version 10.0.26100") || c.Prompt() != `C:\Windows\system32>` || c.Title() != `Administrator: C:\Windows\system32\cmd.exe` {
		t.Fatalf("the window:\n%s%s", c.Title(), screen(c))
	}
	h.typeLine(c, "ipconfig")
	out := screen(c)
	for _, want := range []string{
		`C:\Windows\system32>ipconfig`, "Windows IP Configuration", "Ethernet adapter Ethernet:",
		"   Media State . . . . . . . . . . . : Media disconnected",
		"Wireless LAN adapter Wi-Fi:",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	r := h.r
	h.must("connect", r.Network().Connect(flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!", Auto: true}, false))
	h.until("online", func() bool { return r.Network().Online != "" })
	h.typeLine(c, "cls")
	if len(c.Lines()) > 1 {
		t.Errorf("cls left %q", screen(c))
	}
	h.typeLine(c, "ipconfig /all")
	out = screen(c)
	wifi := r.NetConfig().Adapters[1]
	if wifi.SSID != "Larkspur-Corp" || wifi.IPv4 == "" || !strings.HasSuffix(wifi.Gateway, ".1") {
		t.Fatalf("the Wi-Fi adapter: %+v", wifi)
	}
	for _, want := range []string{
		"   Host Name . . . . . . . . . . . . : DESKTOP-",
		"   Primary Dns Suffix  . . . . . . . :",
		"   Connection-specific DNS Suffix  . :",
		"   Description . . . . . . . . . . . : Intel(R) Wi-Fi 6E AX211 160MHz",
		"   Physical Address. . . . . . . . . : 3C-21-9C-",
		"   DHCP Enabled. . . . . . . . . . . : Yes",
		"   IPv4 Address. . . . . . . . . . . : " + wifi.IPv4 + "(Preferred)",
		"   Subnet Mask . . . . . . . . . . . : 255.255.255.0",
		"   Default Gateway . . . . . . . . . : " + wifi.Gateway,
		"   DNS Servers . . . . . . . . . . . : " + wifi.DNS[0],
		"   Lease Obtained. . . . . . . . . . : Monday, March 2, 2026",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	// the same seed gives the same addresses
	h2 := newHarness(t, nil)
	h2.toNetwork()
	h2.must("connect", h2.r.Network().Connect(flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!", Auto: true}, false))
	h2.until("online", func() bool { return h2.r.Network().Online != "" })
	if got := h2.r.NetConfig().Adapters[1]; got.IPv4 != wifi.IPv4 || got.MAC != wifi.MAC {
		t.Errorf("another run of seed 1: %s %s, want %s %s", got.IPv4, got.MAC, wifi.IPv4, wifi.MAC)
	}
}

// TestConsolePingOnTheClock: ping sends 4 echoes a second apart on the emulated clock; it
// cannot find a host while offline; Ctrl+C stops it with its statistics.
func TestConsolePingOnTheClock(t *testing.T) {
	h := newHarness(t, nil)
	h.toNetwork()
	c := h.console()
	h.typeLine(c, "ping www.microsoft.com")
	if out := screen(c); !strings.Contains(out, "Ping request could not find host www.microsoft.com. Please check the name and try again.") {
		t.Fatalf("offline ping:\n%s", out)
	}
	h.must("connect", h.r.Network().Connect(flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!", Auto: true}, false))
	h.until("online", func() bool { return h.r.Network().Online != "" })
	start := h.r.Now()
	h.typeLine(c, "ping www.microsoft.com")
	if d := h.r.Now().Sub(start); d < 3*time.Second || d > 4*time.Second {
		t.Errorf("ping took %v of emulated time, want 3 s (4 echoes a second apart)", d)
	}
	out := screen(c)
	if n := strings.Count(out, "Reply from "); n != 4 || !strings.Contains(out, "Pinging www.microsoft.com [") ||
		!strings.Contains(out, "Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),") {
		t.Fatalf("online ping (%d replies):\n%s", n, out)
	}
	h.must("ping -t", c.Exec("ping -t 8.8.8.8"))
	h.until("two replies", func() bool { return strings.Count(screen(c), "Reply from 8.8.8.8") >= 2 })
	c.Interrupt()
	if out := screen(c); !strings.Contains(out, "Control-C\n^C") || c.Busy() {
		t.Fatalf("Ctrl+C:\n%s", out)
	}
	h.typeLine(c, "nslookup login.microsoftonline.com")
	if out := screen(c); !strings.Contains(out, "Non-authoritative answer:\nName:    login.microsoftonline.com\nAddress:  ") {
		t.Errorf("nslookup:\n%s", out)
	}
}

// TestConsoleRestartBeforeSignInStartsOOBEAgain (reference §1.1: the profile is downloaded
// again after every reboot; §1.2: restart with shutdown /r /t 0 to pick a profile up): OOBE
// starts again, the region and keyboard stay chosen, the Wi-Fi joined with Connect
// automatically is joined again, and the profile is downloaded again.
func TestConsoleRestartBeforeSignInStartsOOBEAgain(t *testing.T) {
	h := newHarness(t, nil)
	h.toSignIn()
	c := h.console()
	h.typeLine(c, "shutdown /r /t 0")
	if !h.r.Restarting() || !c.Closed() {
		t.Fatalf("restarting %v, console closed %v", h.r.Restarting(), c.Closed())
	}
	h.until("back", func() bool { return h.r.Started() })
	if d := h.between(`"device_restart"`, `"resumed_after_restart"`); d != run.RestartTime {
		t.Errorf("the restart took %v, want %v", d, run.RestartTime)
	}
	if s := h.r.Step(); s != flow.StepLanguage {
		t.Fatalf("after the restart: %s, want the first page", s)
	}
	a := h.r.Answers()
	if a.Region != "DE" || a.Keyboard != "00000407" || a.Network != "Larkspur-Corp" || a.UPN != "" || a.EULAAccepted {
		t.Errorf("answers after the restart: %+v", a)
	}
	h.must("language", h.r.ChooseLanguage("en-US"))
	h.must("region", h.r.ChooseRegion("DE"))
	h.must("keyboard", h.r.ChooseKeyboard("00000407"))
	h.must("second keyboard", h.r.SkipKeyboard())
	h.on(flow.StepNetwork)
	if n := h.r.Network(); n.Online != "Larkspur-Corp" {
		t.Errorf("the saved Wi-Fi network is not joined again: %q", n.Online)
	}
	h.must("next", h.r.Network().Next())
	h.on(flow.StepEULA)
	lines := h.record()
	var downloads int
	for _, l := range lines {
		if l.Kind == flow.RecordEvent && find([]flow.RecordLine{l}, flow.RecordEvent, `"profile_downloaded"`) == 0 {
			downloads++
		}
	}
	if downloads != 2 {
		t.Errorf("the profile was downloaded %d times, want 2 (again after the restart)", downloads)
	}
	if find(lines, flow.RecordConsole, `"shutdown"`, `"/r /t 0"`) < 0 || find(lines, flow.RecordEvent, `"device_restart"`, `"console"`) < 0 ||
		find(lines, flow.RecordPlan, "restarted: OOBE starts again") < 0 {
		t.Error("the restart is not recorded")
	}
}

// TestConsoleRestartDuringDeviceSetup (reference §1.7, §3.5): the ESP resumes the phase
// after the restart on the same timer, and the Windows sign-in comes before Account setup.
func TestConsoleRestartDuringDeviceSetup(t *testing.T) {
	h := newHarness(t, nil)
	h.toSignIn()
	h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
	h.on(flow.StepESPDevice)
	e := h.r.ESPStep()
	h.until("Device setup", func() bool { return e.Phase() == flow.ESPDeviceSetup && h.r.ESP().Phase(flow.ESPDeviceSetup).Running() })
	started := h.r.ESP().Phase(flow.ESPDeviceSetup).Started
	c := h.console()
	h.typeLine(c, "shutdown /r /t 0")
	if e.State != run.ESPRestarting || !c.Closed() {
		t.Fatalf("state %v after shutdown /r", e.State)
	}
	h.until("back", func() bool { return e.State == run.ESPRunning })
	ps := h.r.ESP().Phase(flow.ESPDeviceSetup)
	if e.Phase() != flow.ESPDeviceSetup || !ps.Started.Equal(started) || ps.Attempts != 1 {
		t.Errorf("resumed %s started %v attempts %d, want Device setup on its first timer (%v)", e.Phase(), ps.Started, ps.Attempts, started)
	}
	h.on(flow.StepPrivacy)
	h.must("privacy", h.r.AcceptPrivacy(nil))
	h.on(flow.StepWindowsSignIn)
	w := h.r.WindowsSignIn()
	h.must("unlock", w.Unlock())
	h.must("megan", w.SignIn(flow.Credentials{UPN: "megan.rivera@larkspuraero.com", Password: "Contrail#2026"}))
	h.on(flow.StepESPAccount)
}

// TestConsoleRestartAfterTheDeviceESP: a restart during Account setup brings the Windows
// sign-in first (reference §1.7: credentials are not kept), then Account setup again.
func TestConsoleRestartAfterTheDeviceESP(t *testing.T) {
	h := newHarness(t, nil)
	h.toSignIn()
	h.signIn("megan.rivera@larkspuraero.com", "Contrail#2026")
	h.on(flow.StepPrivacy)
	h.must("privacy", h.r.AcceptPrivacy(nil))
	h.on(flow.StepESPAccount)
	h.must("restart", h.r.RestartDevice("trainer"))
	h.on(flow.StepWindowsSignIn)
	steps := h.r.Steps()
	if i := slices.Index(steps, flow.StepWindowsSignIn); i < 0 || steps[i+1] != flow.StepESPAccount {
		t.Errorf("steps %v: want the Windows sign-in, then Account setup", steps)
	}
}

// TestConsoleShutdownEndsTheRun: shutdown /s /t 0 turns the device off: the run ends
// ("shutdown", the answers saved); PowerOn starts the next run on the same device, which
// resumes OOBE as a restart would.
func TestConsoleShutdownEndsTheRun(t *testing.T) {
	var saves atomic.Int32 // SaveAnswers runs in a task
	h := newHarness(t, nil, func(c *run.Config) {
		c.SaveAnswers = func(*answersFile) error { saves.Add(1); return nil }
	})
	h.toNetwork()
	c := h.console()
	h.typeLine(c, "shutdown /s /t 0")
	h.until("saved", func() bool { return saves.Load() > 0 })
	if h.r.Ended() != "shutdown" || !h.r.Off() || !c.Closed() {
		t.Fatalf("ended %q off %v", h.r.Ended(), h.r.Off())
	}
	if find(h.record(), flow.RecordEnd, `"shutdown"`) < 0 {
		t.Error("no end line with outcome shutdown")
	}
	h.must("power on", h.r.PowerOn())
	h.on(flow.StepLanguage)
	if h.r.ID() != "test-run.2" || h.r.Answers().Region != "DE" {
		t.Errorf("after power-on: id %s, region %q", h.r.ID(), h.r.Answers().Region)
	}
	if _, err := h.r.OpenConsole(); err != nil {
		t.Errorf("Shift+F10 after power-on: %v", err)
	}
}

// TestConsoleDelayedShutdownAndAbort: shutdown /r /t 60 restarts after a minute on the
// clock unless shutdown /a cancels it.
func TestConsoleDelayedShutdownAndAbort(t *testing.T) {
	h := newHarness(t, nil)
	h.toNetwork()
	c := h.console()
	flow.Hold(h.clock) // the person types /a within the minute
	h.typeLine(c, "shutdown /r /t 60")
	h.typeLine(c, "shutdown /a")
	flow.Release(h.clock)
	if out := screen(c); !strings.Contains(out, "[console.shutdown_scheduled seconds 60]") || !strings.Contains(out, "[console.shutdown_aborted ]") {
		t.Fatalf("shutdown /t 60 then /a:\n%s", out)
	}
	h.typeLine(c, "shutdown /r /t 5")
	h.until("the restart", func() bool { return h.r.Restarting() })
	if d := h.between(`"/r /t 5"`, `"device_restart"`); d != 5*time.Second {
		t.Errorf("restarted after %v, want 5 s", d)
	}
}

// TestConsoleMdmDiagnosticsWritesTheBundle: mdmdiagnosticstool -area Autopilot -cab FILE
// writes the diagnostics bundle into the run's directory under FILE's base name, whatever
// path FILE has, and says where.
func TestConsoleMdmDiagnosticsWritesTheBundle(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, nil, func(c *run.Config) { c.Files = run.Dir(filepath.Join(dir, "run")) })
	h.toNetwork()
	c := h.console()
	h.typeLine(c, `mdmdiagnosticstool -area Autopilot;TPM -cab ..\..\Windows\autopilot.cab`)
	want := filepath.Join(dir, "run", "autopilot.cab")
	if out := screen(c); !strings.Contains(out, "[console.mdm_written path "+want+"]") {
		t.Fatalf("no bundle at %s:\n%s", want, out)
	}
	b, err := os.ReadFile(want)
	if err != nil || !strings.Contains(string(b), "-area Autopilot;TPM") || !strings.Contains(string(b), "Windows Autopilot diagnostics") {
		t.Fatalf("the bundle: %v\n%.200s", err, b)
	}
	h.typeLine(c, `mdmdiagnosticstool -area Autopilot -cab C:\autopilot.cab`)
	if _, err := os.Stat(filepath.Join(dir, "run", "autopilot-2.cab")); err != nil {
		t.Errorf("a second bundle of the same name: %v", err)
	}
	h.typeLine(c, `mdmdiagnosticstool -cab x.cab`)
	if !strings.Contains(screen(c), "Usage2: C:\\Windows\\system32\\MdmDiagnosticsTool.exe -area <area name(s)> -cab <output cab file path>") {
		t.Error("no usage without -area")
	}
}

// TestConsolePowerShellVPN: powershell switches the prompt; Get-VpnConnection
// -AllUserConnection lists the device's VPN connections (nothing at all when there is
// none) and RASDIAL "NAME" connects one on the clock.
func TestConsolePowerShellVPN(t *testing.T) {
	h := newHarness(t, func(w *sim.World) {
		w.Scenario.VPNConnections = []sim.ScenarioVPNConnection{{Name: "Larkspur SecureLink", ServerAddress: "vpn.larkspuraero.com"}}
	})
	h.toSignIn()
	c := h.console()
	h.typeLine(c, "powershell")
	if c.Prompt() != `PS C:\Windows\system32> ` || c.Title() != "Administrator: Windows PowerShell" {
		t.Fatalf("prompt %q", c.Prompt())
	}
	h.typeLine(c, "Get-VpnConnection -AllUserConnection")
	out := screen(c)
	if !strings.Contains(out, "Name                  : Larkspur SecureLink\n") || !strings.Contains(out, "ServerAddress         : vpn.larkspuraero.com\n") ||
		!strings.Contains(out, "ConnectionStatus      : Disconnected\n") {
		t.Fatalf("Get-VpnConnection:\n%s", out)
	}
	h.typeLine(c, `RASDIAL "Larkspur SecureLink"`)
	if out := screen(c); !strings.Contains(out, "Successfully connected to Larkspur SecureLink.") || h.between(`"rasdial"`, `"vpn_connected"`) != run.RasdialTime {
		t.Fatalf("rasdial:\n%s", out)
	}
	h.typeLine(c, "exit")
	if c.Prompt() != `C:\Windows\system32>` {
		t.Errorf("exit left %q", c.Prompt())
	}
	h.typeLine(c, "exit")
	if !c.Closed() {
		t.Error("exit did not close the window")
	}

	none := newHarness(t, nil)
	none.toNetwork()
	c2 := none.console()
	none.typeLine(c2, "powershell")
	before := len(c2.Lines())
	none.typeLine(c2, "Get-VpnConnection -AllUserConnection")
	if len(c2.Lines()) != before+1 {
		t.Errorf("no VPN: want nothing printed, got\n%s", screen(c2))
	}
}

// TestConsoleUnknownAndBlocked: an unknown command gets cmd's own line; the image can block
// the prompt (DisableCMDRequest.TAG, reference §1.8); nothing typed that could be a secret
// reaches the record.
func TestConsoleUnknownAndBlocked(t *testing.T) {
	h := newHarness(t, nil)
	h.toNetwork()
	c := h.console()
	h.typeLine(c, "Runway-2026!")
	if out := screen(c); !strings.Contains(out, "'Runway-2026!' is not recognized as an internal or external command,\noperable program or batch file.") {
		t.Fatalf("unknown:\n%s", out)
	}
	h.typeLine(c, "ping Runway-2026!")
	h.typeLine(c, `rasdial Corp megan Contrail#2026`)
	if find(h.record(), flow.RecordConsole, `"(not recognized)"`) < 0 {
		t.Error("the unknown command is not recorded")
	}

	b := newHarness(t, func(w *sim.World) { w.Scenario.DisableCmdRequest = true })
	if _, err := b.r.OpenConsole(); err != run.ErrBlocked {
		t.Errorf("blocked image: %v", err)
	}
}

// TestConsoleW32tmSettingsWusa: w32tm /resync /force syncs once online; start ms-settings:
// opens Windows Update, which checks with the backend; WUSA /quiet installs on the clock
// and restarts the device, as /quiet does.
func TestConsoleW32tmSettingsWusa(t *testing.T) {
	h := newHarness(t, nil)
	h.toNetwork()
	c := h.console()
	h.typeLine(c, "w32tm /resync /force")
	if !strings.Contains(screen(c), "The computer did not resync because no time data was available.") {
		t.Errorf("offline w32tm:\n%s", screen(c))
	}
	h.must("connect", h.r.Network().Connect(flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!", Auto: true}, false))
	h.until("online", func() bool { return h.r.Network().Online != "" })
	h.typeLine(c, "w32tm /resync /force")
	if !strings.Contains(screen(c), "Sending resync command to local computer\nThe command completed successfully.") {
		t.Errorf("w32tm:\n%s", screen(c))
	}
	h.typeLine(c, "start ms-settings:windowsupdate")
	if out := screen(c); !strings.Contains(out, "[console.settings_opened ]") || !(strings.Contains(out, "[console.wu_up_to_date ]") || strings.Contains(out, "[console.wu_installed ]") || strings.Contains(out, "[console.wu_restart ]")) {
		t.Errorf("start ms-settings:\n%s", out)
	}
	h.typeLine(c, `WUSA.EXE D:\windows11.0-kb5044284-x64.msu /quiet`)
	h.until("the restart", func() bool { return h.r.Restarting() })
	if d := h.between(`"wusa"`, `"device_restart"`); d != run.WusaTime {
		t.Errorf("WUSA restarted after %v, want %v", d, run.WusaTime)
	}
}

// TestConsoleProfileAssignedLate is the trainer's story of Microsoft's troubleshooting
// overview (Profile download: "retrieve a new Autopilot profile by rebooting the device",
// Shift-F10 then shutdown.exe /r /t 0): the first download gets the default profile (no
// ESP); reg query shows which profile the device has; a restart downloads the assigned one.
func TestConsoleProfileAssignedLate(t *testing.T) {
	h := newHarness(t, func(w *sim.World) { w.Scenario.ProfileAssignedLate = true })
	h.toSignIn()
	if slices.Contains(h.r.Steps(), flow.StepESPDevice) {
		t.Fatalf("the default profile shows the ESP: %v", h.r.Steps())
	}
	c := h.console()
	h.typeLine(c, `reg query HKLM\SOFTWARE\Microsoft\Provisioning\Diagnostics\Autopilot`)
	if out := screen(c); !strings.Contains(out, "    DeploymentProfileName    REG_SZ    "+sim.DefaultProfileName+"\n") {
		t.Fatalf("reg query before the restart:\n%s", out)
	}
	h.typeLine(c, "shutdown /r /t 0")
	h.until("back", func() bool { return h.r.Started() })
	h.must("language", h.r.ChooseLanguage("en-US"))
	h.must("region", h.r.ChooseRegion("DE"))
	h.must("keyboard", h.r.ChooseKeyboard("00000407"))
	h.must("second keyboard", h.r.SkipKeyboard())
	h.on(flow.StepNetwork)
	h.until("the scan", func() bool { return h.r.Network().State == run.NetReady })
	h.must("next", h.r.Network().Next())
	h.on(flow.StepEULA)
	if !slices.Contains(h.r.Steps(), flow.StepESPDevice) || h.r.Profile().Name == sim.DefaultProfileName {
		t.Fatalf("after the restart: profile %q, steps %v", h.r.Profile().Name, h.r.Steps())
	}
	c = h.console()
	h.typeLine(c, `reg query hklm\software\microsoft\provisioning\diagnostics\autopilot`)
	if out := screen(c); !strings.Contains(out, "    DeploymentProfileName    REG_SZ    "+h.r.Profile().Name+"\n") || !strings.Contains(out, "CloudAssignedTenantId    REG_SZ    ") {
		t.Fatalf("reg query after the restart:\n%s", out)
	}
}

// TestConsoleNetshShowsTheSSID: netsh wlan show interfaces names the Wi-Fi network joined
// (ipconfig does not), and says disconnected before.
func TestConsoleNetshShowsTheSSID(t *testing.T) {
	h := newHarness(t, nil)
	h.toNetwork()
	c := h.console()
	h.typeLine(c, "netsh wlan show interfaces")
	if out := screen(c); !strings.Contains(out, "    State                  : disconnected\n") {
		t.Fatalf("before joining:\n%s", out)
	}
	h.must("connect", h.r.Network().Connect(flow.ConnectRequest{SSID: "Larkspur-Corp", Key: "Runway-2026!", Auto: true}, false))
	h.until("online", func() bool { return h.r.Network().Online != "" })
	h.typeLine(c, "netsh wlan show interfaces")
	if out := screen(c); !strings.Contains(out, "    SSID                   : Larkspur-Corp\n") || !strings.Contains(out, "    State                  : connected\n") {
		t.Fatalf("joined:\n%s", out)
	}
}

// TestConsoleNslookupInteractive: nslookup without a name enters its interactive mode (the
// > prompt, the default server) until exit.
func TestConsoleNslookupInteractive(t *testing.T) {
	h := newHarness(t, nil)
	h.toSignIn()
	c := h.console()
	h.typeLine(c, "nslookup")
	if c.Prompt() != "> " || !strings.Contains(screen(c), "Default Server:  UnKnown\nAddress:  ") {
		t.Fatalf("nslookup: prompt %q\n%s", c.Prompt(), screen(c))
	}
	h.typeLine(c, "enterpriseregistration.windows.net")
	if !strings.Contains(screen(c), "Name:    enterpriseregistration.windows.net\n") {
		t.Fatalf("a lookup:\n%s", screen(c))
	}
	h.typeLine(c, "exit")
	if c.Prompt() != `C:\Windows\system32>` {
		t.Errorf("exit left %q", c.Prompt())
	}
}

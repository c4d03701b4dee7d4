package run

// The Shift+F10 command prompt (reference §1.8): an emulated Administrator cmd.exe over the
// OOBE with the commands Microsoft's Autopilot troubleshooting uses. It is pure logic: a
// frontend types lines into Exec and draws Lines and Prompt; commands that need the clock
// or the backend run as the run's tasks, like every other intent, so nothing blocks the
// screen and every speed gives the same record.
//
// Command output that Windows prints is reproduced in Windows' (English) words and layout;
// what the emulator itself says (help, where a bundle went) is a ConsoleLine with a catalog
// message ID for the frontend to translate.
//
// Where each command comes from: Microsoft's "Windows Autopilot troubleshooting overview"
// (Profile download: Shift-F10, then shutdown.exe /r /t 0 to restart and download the
// profile again, or shutdown.exe /s /t 0 to shut down); "Understand and troubleshoot the
// Enrollment Status Page" (Collect logs: Shift+F10 on a non-S-mode device, then
// mdmdiagnosticstool.exe -area Autopilot -cab FILE, -area Autopilot;TPM on physical devices);
// MdmDiagnosticsTool's own usage text (areas separated by ';'); reference §1.8 (ipconfig,
// powershell, w32tm /resync /force), §3.5 (the time skew w32tm fixes); "Description of the
// Windows Update Standalone Installer" (WUSA /quiet restarts when needed, /norestart with
// /quiet does not). The seed's Windows Update and VPN checks use start ms-settings: and
// Get-VpnConnection -AllUserConnection / RASDIAL inside powershell.

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
)

// ConsoleLine is one line of the console's screen: Windows' own output in Text, or a
// message of the emulator's catalog (ID with its Args as key/value pairs).
type ConsoleLine struct {
	// Text is the line as Windows prints it (when ID is "").
	Text string
	// ID is the catalog message of a line the emulator writes ("" for Windows' output).
	ID string
	// Args are the message's arguments, key then value.
	Args []string
}

// Shell is the program reading the console's lines.
type Shell string

const (
	// ShellCmd is cmd.exe: the prompt C:\Windows\system32>.
	ShellCmd Shell = "cmd"
	// ShellPowerShell is Windows PowerShell: PS C:\Windows\system32>.
	ShellPowerShell Shell = "powershell"
	// ShellNslookup is nslookup's interactive mode: >.
	ShellNslookup Shell = "nslookup"
)

// ConsoleLines is the most the console keeps on its screen (cmd's default buffer is 9001
// lines); older lines scroll away.
const ConsoleLines = 9000

// Emulated durations of the console's commands.
const (
	// PingInterval is the time between two echo requests of ping.
	PingInterval = time.Second
	// PingTimeout is how long ping waits for a reply before "Request timed out.".
	PingTimeout = 4 * time.Second
	// RasdialTime is how long RASDIAL takes to connect or give up.
	RasdialTime = 5 * time.Second
	// WusaTime is how long WUSA takes to install a cumulative update.
	WusaTime = 3 * time.Minute
	// DefaultShutdownDelay is shutdown's wait without /t (Windows: 30 seconds).
	DefaultShutdownDelay = 30 * time.Second
)

// Console is one Shift+F10 command prompt window. Like the run, it is used from one
// goroutine; its commands' tasks come out of Run.Tasks.
type Console struct {
	r      *Run
	cycle  int
	shell  Shell
	lines  []ConsoleLine
	closed bool
	// busy is the command running (its Ctrl+C cancels it); nil when the prompt waits.
	busy *command
	// shutdown is the pending `shutdown /t N` (nil none); /a cancels it.
	shutdown *scheduled
	vpnUp    map[string]bool
}

// scheduled is a pending `shutdown /t N`: its timer acts only while it is still the one
// pending (a /a that came after the timer fired, before its result was applied, wins).
type scheduled struct{ cancel context.CancelFunc }

// command is a running command: Ctrl+C cancels its context.
type command struct {
	cancel context.CancelFunc
	onStop func() // what Ctrl+C prints before ^C (ping's statistics)
}

// ConsoleChanged says a console command wrote lines or finished.
type ConsoleChanged struct{}

// ErrBlocked means the image blocks the command prompt (DisableCMDRequest.TAG).
var ErrBlocked = fmt.Errorf("the image blocks the command prompt")

// OpenConsole opens a command prompt window over the OOBE (Shift+F10). ErrBlocked when the
// image blocks it (reference §1.8: DisableCMDRequest.TAG), ErrNotReady before the device
// booted or while it restarts, ErrEnded once the run ended (the desktop is not OOBE).
func (r *Run) OpenConsole() (*Console, error) {
	switch {
	case r.session == nil || !r.booted || r.pw.restarting:
		return nil, ErrNotReady
	case r.ended != "":
		return nil, ErrEnded
	case r.CommandPromptBlocked():
		return nil, ErrBlocked
	}
	c := &Console{r: r, cycle: r.pw.cycles, shell: ShellCmd, vpnUp: map[string]bool{}}
	r.log(flow.RecordConsole, flow.ConsoleData{Event: "open", Shell: string(ShellCmd)})
	c.print(fmt.Sprintf("Microsoft Windows [Version %s]", windowsBuild(r.cfg.Windows)), "(c) Microsoft Corporation. All rights reserved.", "")
	return c, nil
}

// windowsBuild is the build the emulated release reports (Windows 11 24H2, Windows 10 22H2).
func windowsBuild(w flow.WindowsVersion) string {
	if w.Is11() {
		return "10.0.26100.2314"
	}
	return "10.0.19045.5131"
}

// Title is the window's title.
func (c *Console) Title() string {
	if c.shell == ShellPowerShell {
		return `Administrator: Windows PowerShell`
	}
	return `Administrator: C:\Windows\system32\cmd.exe`
}

// Shell is the program reading the lines typed.
func (c *Console) Shell() Shell { return c.shell }

// Prompt is what the input line starts with ("C:\Windows\system32>").
func (c *Console) Prompt() string {
	switch c.shell {
	case ShellPowerShell:
		return `PS C:\Windows\system32> `
	case ShellNslookup:
		return "> "
	}
	return `C:\Windows\system32>`
}

// Lines are the console's screen, oldest first (the prompt line being typed is not one).
func (c *Console) Lines() []ConsoleLine { return c.lines }

// Busy reports whether a command runs: the prompt comes back when it ends (Ctrl+C stops it).
func (c *Console) Busy() bool { return c.busy != nil }

// Closed reports whether the window is gone: exit, or the device restarted or turned off.
func (c *Console) Closed() bool {
	return c.closed || c.r.pw.cycles != c.cycle || c.r.ended != "" || !c.r.booted
}

// Close closes the window (the frontend's close button); exit does the same.
func (c *Console) Close() {
	if c.closed {
		return
	}
	c.stop()
	c.closed = true
	c.r.log(flow.RecordConsole, flow.ConsoleData{Event: "close"})
}

// stop cancels the command running (a scheduled shutdown goes on: it is the device's).
func (c *Console) stop() {
	if c.busy != nil {
		c.busy.cancel()
		c.busy = nil
	}
}

func (c *Console) print(lines ...string) {
	for _, l := range lines {
		c.lines = append(c.lines, ConsoleLine{Text: l})
	}
	c.trim()
}

func (c *Console) say(id string, args ...string) {
	c.lines = append(c.lines, ConsoleLine{ID: id, Args: args})
	c.trim()
}

func (c *Console) trim() {
	if n := len(c.lines) - ConsoleLines; n > 0 {
		c.lines = slices.Delete(c.lines, 0, n)
	}
}

// Interrupt is Ctrl+C: the command running stops (ping prints its statistics first); with
// nothing running the line typed is dropped, which the frontend does (cmd prints ^C).
func (c *Console) Interrupt() {
	if c.busy == nil {
		return
	}
	b := c.busy
	c.busy = nil
	b.cancel()
	if b.onStop != nil {
		b.onStop()
	}
	c.print("^C")
}

// CancelLine is Ctrl+C at the prompt: the line typed is dropped, and stays on the screen
// with ^C after it, as cmd shows it.
func (c *Console) CancelLine(typed string) {
	if c.Closed() || c.busy != nil {
		return
	}
	c.print(c.Prompt() + typed + "^C")
}

// Exec runs one line typed at the prompt: the line is echoed after the prompt, then the
// command's output follows (at once, or from its tasks). ErrNotReady while a command runs or
// after the window closed.
func (c *Console) Exec(line string) error {
	if c.Closed() || c.busy != nil {
		return ErrNotReady
	}
	c.lines = append(c.lines, ConsoleLine{Text: c.Prompt() + line})
	args := splitArgs(line)
	if len(args) == 0 {
		c.trim()
		return nil
	}
	switch c.shell {
	case ShellNslookup:
		c.nslookupLine(args)
	case ShellPowerShell:
		c.powershell(args)
	default:
		c.cmd(args)
	}
	if c.shell == ShellCmd && c.busy == nil && !c.Closed() && len(c.lines) > 0 {
		c.print("") // cmd leaves a blank line before the next prompt
	}
	return nil
}

// record writes the command to the run record (see flow.ConsoleData for what is kept).
func (c *Console) record(cmd, args string) {
	c.r.log(flow.RecordConsole, flow.ConsoleData{Shell: string(c.shell), Command: cmd, Args: args})
}

// verb is a command's name as cmd matches it: lower case, without .exe and a path.
func verb(s string) string {
	s = strings.ToLower(s)
	if i := strings.LastIndexAny(s, `\/`); i >= 0 && i < len(s)-1 && strings.Contains(s, `\`) {
		s = s[i+1:]
	}
	return strings.TrimSuffix(s, ".exe")
}

// cmd runs a line of cmd.exe.
func (c *Console) cmd(args []string) {
	v := verb(args[0])
	rest := args[1:]
	switch v {
	case "cls":
		c.record(v, "")
		c.lines = nil
	case "exit":
		c.record(v, "")
		c.Close()
	case "help":
		c.record(v, "")
		c.help()
	case "shutdown":
		c.shutdownCmd(rest)
	case "ipconfig":
		c.ipconfig(rest)
	case "ping":
		c.ping(rest)
	case "nslookup":
		c.nslookup(rest)
	case "mdmdiagnosticstool":
		c.mdmDiagnostics(rest)
	case "w32tm":
		c.w32tm(rest)
	case "start":
		c.start(rest)
	case "wusa":
		c.wusa(rest)
	case "powershell":
		c.record(v, "")
		c.shell = ShellPowerShell
		c.print("Windows PowerShell", "Copyright (C) Microsoft Corporation. All rights reserved.", "",
			"Install the latest PowerShell for new features and improvements! https://aka.ms/PSWindows", "")
	case "rasdial":
		c.rasdial(rest)
	case "hostname":
		c.record(v, "")
		c.print(c.r.NetConfig().HostName)
	case "reg":
		c.reg(rest)
	case "netsh":
		c.netsh(rest)
	default:
		c.record("(not recognized)", "")
		c.print(fmt.Sprintf("'%s' is not recognized as an internal or external command,", args[0]),
			"operable program or batch file.")
		c.say("console.try_help")
	}
}

// help lists the emulated commands (the emulator's own text: cmd's help lists its
// built-ins, which this console does not have).
func (c *Console) help() {
	c.say("console.help.title")
	for _, id := range []string{"shutdown_r", "shutdown_s", "ipconfig", "netsh", "ping", "nslookup", "mdm", "reg", "w32tm", "settings", "wusa", "powershell", "cls", "exit"} {
		c.say("console.help." + id)
	}
}

// powershell runs a line of Windows PowerShell: its cmdlets, and the programs cmd runs.
func (c *Console) powershell(args []string) {
	v := verb(args[0])
	switch v {
	case "exit":
		c.record(v, "")
		c.shell = ShellCmd
	case "cls", "clear", "clear-host":
		c.record("cls", "")
		c.lines = nil
	case "get-vpnconnection":
		all := slices.ContainsFunc(args[1:], func(a string) bool { return strings.EqualFold(a, "-AllUserConnection") })
		rec := ""
		if all {
			rec = "-AllUserConnection"
		}
		c.record("get-vpnconnection", rec)
		if all {
			c.vpnList()
		}
	case "ipconfig", "ping", "nslookup", "mdmdiagnosticstool", "w32tm", "shutdown", "rasdial", "wusa", "hostname", "start", "help", "reg", "netsh":
		c.cmd(args)
	default:
		c.record("(not recognized)", "")
		c.print(fmt.Sprintf("%s : The term '%s' is not recognized as the name of a cmdlet, function, script file, or operable", args[0], args[0]),
			"program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
			"At line:1 char:1", "+ "+args[0], "+ "+strings.Repeat("~", len([]rune(args[0]))),
			"    + CategoryInfo          : ObjectNotFound: ("+args[0]+":String) [], CommandNotFoundException",
			"    + FullyQualifiedErrorId : CommandNotFoundException", "")
	}
}

// argSpec matches arguments safe to record: switches, numbers, host names, file names.
var argSpec = regexp.MustCompile(`^[-/]?[A-Za-z0-9._:;\\-]{0,64}$`)

// safeArgs joins the arguments that can be recorded (see flow.ConsoleData); the others are
// left out.
func safeArgs(args []string) string {
	var out []string
	for _, a := range args {
		if argSpec.MatchString(a) {
			out = append(out, a)
		}
	}
	return strings.Join(out, " ")
}

// shutdownCmd is shutdown /r or /s with /t N, or /a.
func (c *Console) shutdownCmd(args []string) {
	c.record("shutdown", safeArgs(args))
	restart, off, abort := false, false, false
	delay := DefaultShutdownDelay
	for i := 0; i < len(args); i++ {
		switch a := strings.ToLower(args[i]); a {
		case "/r", "-r", "/g", "-g":
			restart = true
		case "/s", "-s", "/p", "-p":
			off = true
			if a == "/p" || a == "-p" {
				delay = 0
			}
		case "/a", "-a":
			abort = true
		case "/f", "-f":
		case "/t", "-t":
			if i+1 >= len(args) {
				c.shutdownUsage()
				return
			}
			i++
			n, err := strconv.Atoi(args[i])
			if err != nil || n < 0 || n > 315360000 {
				c.shutdownUsage()
				return
			}
			delay = time.Duration(n) * time.Second
		default:
			c.shutdownUsage()
			return
		}
	}
	switch {
	case abort:
		if c.shutdown == nil {
			c.print("Unable to abort the system shutdown because no shutdown was in progress.(1116)")
			return
		}
		c.shutdown.cancel()
		c.shutdown = nil
		c.say("console.shutdown_aborted")
	case restart == off:
		c.shutdownUsage()
	case delay == 0:
		c.powerAction(restart)
	default:
		if c.shutdown != nil {
			c.print("A system shutdown has already been scheduled.(1190)")
			return
		}
		ctx, cancel := context.WithCancel(c.r.life)
		pending := &scheduled{cancel: cancel}
		c.shutdown = pending
		cycle := c.r.pw.cycles
		c.say("console.shutdown_scheduled", "seconds", strconv.Itoa(int(delay/time.Second)))
		// scheduled for the whole device: closing the window does not cancel it
		c.after("console.shutdown", ctx, delay, func() Outcome {
			if c.shutdown != pending {
				return nil // aborted
			}
			c.shutdown = nil
			if c.r.pw.cycles == cycle && c.r.ended == "" && c.r.booted {
				c.powerAction(restart)
			}
			return &ConsoleChanged{}
		})
	}
}

// powerAction restarts or turns off the device now.
func (c *Console) powerAction(restart bool) {
	var err error
	if restart {
		err = c.r.RestartDevice("console")
	} else {
		err = c.r.Shutdown("console")
	}
	if err != nil {
		c.say("console.power_not_now")
	}
}

func (c *Console) shutdownUsage() {
	c.print(`Usage: shutdown [/i | /l | /s | /sg | /r | /g | /a | /p | /h | /e | /o] [/hybrid] [/soft] [/fw] [/f]`,
		`    [/m \\computer][/t xxx][/d [p|u:]xx:yy [/c "comment"]]`, "",
		"    No args    Display help. This is the same as typing /?.",
		"    /s         Shutdown the computer.",
		"    /r         Full shutdown and restart the computer.",
		"    /a         Abort a system shutdown.",
		"    /t xxx     Set the time-out period before shutdown to xxx seconds.")
}

// after runs apply on the run's goroutine once d passed on the clock (unless ctx ends),
// whatever the step: console work outlives page changes.
func (c *Console) after(name string, ctx context.Context, d time.Duration, apply func() Outcome) {
	c.r.task(name, c.r.life, func(context.Context) func() Outcome {
		err := c.r.clock.Sleep(ctx, d)
		return func() Outcome {
			if err != nil {
				return nil
			}
			return apply()
		}
	})
}

// begin marks a command running until done; Ctrl+C cancels ctx.
func (c *Console) begin(onStop func()) (context.Context, *command) {
	ctx, cancel := context.WithCancel(c.r.life)
	b := &command{cancel: cancel, onStop: onStop}
	c.busy = b
	return ctx, b
}

// done ends command b (unless Ctrl+C did already): the prompt comes back.
func (c *Console) done(b *command) bool {
	if c.busy != b {
		return false
	}
	c.busy = nil
	b.cancel()
	if c.shell == ShellCmd {
		c.print("")
	}
	return true
}

// ipconfig prints the adapters the backend reported, in Windows' layout.
func (c *Console) ipconfig(args []string) {
	c.record("ipconfig", safeArgs(args))
	all := false
	for _, a := range args {
		switch strings.ToLower(a) {
		case "/all", "-all":
			all = true
		case "/renew", "/release", "/flushdns", "/registerdns", "/displaydns":
			c.print("", "Windows IP Configuration", "")
			if strings.EqualFold(a, "/flushdns") {
				c.print("Successfully flushed the DNS Resolver Cache.")
			}
			return
		default:
			c.print("Error: unrecognized or incomplete command line.", "", "USAGE:",
				"    ipconfig [/allcompartments] [/? | /all |", "                                 /renew [adapter] | /release [adapter] | /flushdns ]")
			return
		}
	}
	c.print(Ipconfig(c.r.NetConfig(), all)...)
}

// ipLabel is an ipconfig label with Windows' dot leaders: dots on the odd columns up to 35,
// the colon on column 37, the value from column 39. Windows' own strings for the two DNS
// suffix lines end in a space ("Primary Dns Suffix  . ."), which the callers pass.
func ipLabel(label string) string {
	s := []byte("   " + label)
	for col := len(s); col <= 35; col++ {
		if col%2 == 1 {
			s = append(s, '.')
		} else {
			s = append(s, ' ')
		}
	}
	return string(s) + " : "
}

// Ipconfig is `ipconfig` (all: `ipconfig /all`) of configuration n, as Windows prints it.
func Ipconfig(n flow.NetConfig, all bool) []string {
	out := []string{"", "Windows IP Configuration", ""}
	kv := func(label, value string) { out = append(out, strings.TrimRight(ipLabel(label)+value, " ")) }
	if all {
		kv("Host Name", n.HostName)
		kv("Primary Dns Suffix ", "")
		kv("Node Type", "Hybrid")
		kv("IP Routing Enabled", "No")
		kv("WINS Proxy Enabled", "No")
		suffix := ""
		for _, a := range n.Adapters {
			if a.DNSSuffix != "" {
				suffix = a.DNSSuffix
				break
			}
		}
		if suffix != "" {
			kv("DNS Suffix Search List", suffix)
		}
		out = append(out, "")
	} else {
		out = append(out, "")
	}
	stamp := func(t time.Time) string { return t.Format("Monday, January 2, 2006 3:04:05 PM") }
	for _, a := range n.Adapters {
		kind := "Ethernet adapter"
		if a.Kind == flow.AdapterWireless {
			kind = "Wireless LAN adapter"
		}
		out = append(out, kind+" "+a.Name+":", "")
		if !a.Connected {
			kv("Media State", "Media disconnected")
			kv("Connection-specific DNS Suffix ", "")
			if all {
				kv("Description", a.Description)
				kv("Physical Address", a.MAC)
				kv("DHCP Enabled", "Yes")
				kv("Autoconfiguration Enabled", "Yes")
			}
			out = append(out, "")
			continue
		}
		kv("Connection-specific DNS Suffix ", a.DNSSuffix)
		if !all {
			kv("Link-local IPv6 Address", a.LinkLocal)
			kv("IPv4 Address", a.IPv4)
			kv("Subnet Mask", a.Mask)
			kv("Default Gateway", a.Gateway)
			out = append(out, "")
			continue
		}
		kv("Description", a.Description)
		kv("Physical Address", a.MAC)
		kv("DHCP Enabled", "Yes")
		kv("Autoconfiguration Enabled", "Yes")
		kv("Link-local IPv6 Address", a.LinkLocal+"(Preferred)")
		kv("IPv4 Address", a.IPv4+"(Preferred)")
		kv("Subnet Mask", a.Mask)
		if !a.LeaseObtained.IsZero() {
			kv("Lease Obtained", stamp(a.LeaseObtained))
			kv("Lease Expires", stamp(a.LeaseExpires))
		}
		kv("Default Gateway", a.Gateway)
		kv("DHCP Server", a.DHCPServer)
		for i, d := range a.DNS {
			if i == 0 {
				kv("DNS Servers", d)
			} else {
				out = append(out, strings.Repeat(" ", 39)+d)
			}
		}
		kv("NetBIOS over Tcpip", "Enabled")
		out = append(out, "")
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1] // cmd's own blank line follows
	}
	return out
}

// hostSpec is a DNS name or an address as ping and nslookup take them.
var hostSpec = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$`)

// resolved is what name resolution gives on the emulated network.
type resolved struct {
	addr  string
	found bool   // a name (or an address) that can be pinged
	local bool   // the loopback or the adapter's own network
	ttl   int    // the replies' TTL
	why   string // "nohost", "general" (no adapter), "timeout" (no internet)
}

// resolve looks host up as the device would now: the loopback and the LAN's addresses
// always; names and internet addresses only when the device is online. A name gets a
// stable made-up public address (the emulated internet answers every name).
func (c *Console) resolve(host string) resolved {
	n := c.r.NetConfig()
	a, connected := n.Connected()
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || h == strings.ToLower(n.HostName) && h != "" {
		return resolved{addr: "::1", found: true, local: true, ttl: 128}
	}
	if ip, err := netip.ParseAddr(h); err == nil {
		r := resolved{addr: ip.String(), found: true, ttl: 57}
		switch {
		case ip.IsLoopback():
			r.local, r.ttl = true, 128
		case !connected:
			r.why = "general"
		case connected && (ip.String() == a.Gateway || ip.String() == a.IPv4 || sameLAN(ip, a.IPv4)):
			r.local, r.ttl = true, 64
		case !n.Online():
			r.why = "timeout"
		}
		return r
	}
	if !hostSpec.MatchString(h) || !n.Online() {
		return resolved{why: "nohost"}
	}
	return resolved{addr: publicAddr(h), found: true, ttl: 57}
}

// sameLAN reports whether ip is on the /24 of addr.
func sameLAN(ip netip.Addr, addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is4() || !a.Is4() {
		return false
	}
	x, y := ip.As4(), a.As4()
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2]
}

// publicAddr is the emulated internet's address for name: stable, in Microsoft-looking
// public ranges.
func publicAddr(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	v := h.Sum32()
	firsts := []int{13, 20, 23, 40, 52, 104}
	return fmt.Sprintf("%d.%d.%d.%d", firsts[v%uint32(len(firsts))], (v>>8)%256, (v>>16)%256, 1+(v>>24)%254)
}

// rtt is an echo's round trip in milliseconds: stable for the host and the echo.
func rtt(addr string, i int, local bool) int {
	if local {
		return 0
	}
	h := fnv.New32a()
	_, _ = fmt.Fprintf(h, "%s#%d", addr, i)
	return 8 + int(h.Sum32()%17)
}

// ping sends 4 echo requests (-n N for another count), a second apart on the clock.
func (c *Console) ping(args []string) {
	count := 4
	var host string
	for i := 0; i < len(args); i++ {
		switch strings.ToLower(args[i]) {
		case "-n", "/n":
			if i+1 < len(args) {
				if n, err := strconv.Atoi(args[i+1]); err == nil && n > 0 && n <= 100 {
					count = n
				}
				i++
			}
		case "-t", "/t":
			count = 1000 // until Ctrl+C
		case "-4", "/4":
		default:
			if host == "" {
				host = args[i]
			}
		}
	}
	rec := ""
	if hostSpec.MatchString(host) && (strings.Contains(host, ".") || strings.EqualFold(host, "localhost")) {
		rec = host
	}
	c.record("ping", rec)
	if host == "" {
		c.print("", "Usage: ping [-t] [-a] [-n count] [-l size] [-f] [-i TTL] [-v TOS]",
			"            [-r count] [-s count] [[-j host-list] | [-k host-list]]",
			"            [-w timeout] [-R] [-S srcaddr] [-c compartment] [-p]",
			"            [-4] [-6] target_name")
		return
	}
	res := c.resolve(host)
	if !res.found {
		c.print(fmt.Sprintf("Ping request could not find host %s. Please check the name and try again.", host))
		return
	}
	if res.addr != host && !strings.EqualFold(res.addr, host) {
		c.print("", fmt.Sprintf("Pinging %s [%s] with 32 bytes of data:", host, res.addr))
	} else {
		c.print("", fmt.Sprintf("Pinging %s with 32 bytes of data:", res.addr))
	}
	sent, received := 0, 0
	var times []int
	stats := func() {
		c.print("", fmt.Sprintf("Ping statistics for %s:", res.addr),
			fmt.Sprintf("    Packets: Sent = %d, Received = %d, Lost = %d (%d%% loss),", sent, received, sent-received, lossPercent(sent, received)))
		if received > 0 {
			lo, hi, sum := times[0], times[0], 0
			for _, t := range times {
				lo, hi, sum = min(lo, t), max(hi, t), sum+t
			}
			c.print("Approximate round trip times in milli-seconds:",
				fmt.Sprintf("    Minimum = %dms, Maximum = %dms, Average = %dms", lo, hi, sum/len(times)))
		}
	}
	ctx, b := c.begin(func() { stats(); c.print("Control-C") })
	var echo func(i int)
	echo = func(i int) {
		wait := PingInterval
		if i == 0 {
			wait = 0
		}
		if res.why == "timeout" {
			wait = PingTimeout
		}
		c.after("console.ping", ctx, wait, func() Outcome {
			if c.busy != b {
				return nil
			}
			sent++
			switch res.why {
			case "general":
				c.print("PING: transmit failed. General failure. ")
			case "timeout":
				c.print("Request timed out.")
			default:
				received++
				t := rtt(res.addr, i, res.local)
				times = append(times, t)
				if res.addr == "::1" {
					c.print("Reply from ::1: time<1ms ")
				} else if t == 0 {
					c.print(fmt.Sprintf("Reply from %s: bytes=32 time<1ms TTL=%d", res.addr, res.ttl))
				} else {
					c.print(fmt.Sprintf("Reply from %s: bytes=32 time=%dms TTL=%d", res.addr, t, res.ttl))
				}
			}
			if i+1 < count {
				echo(i + 1)
				return &ConsoleChanged{}
			}
			stats()
			c.done(b)
			return &ConsoleChanged{}
		})
	}
	echo(0)
}

func lossPercent(sent, received int) int {
	if sent == 0 {
		return 0
	}
	return (sent - received) * 100 / sent
}

// dnsServer is the DNS server nslookup asks: the connected adapter's first.
func (c *Console) dnsServer() (string, bool) {
	a, ok := c.r.NetConfig().Connected()
	if !ok || len(a.DNS) == 0 {
		return "", false
	}
	return a.DNS[0], true
}

// nslookup looks a name up (no name: its interactive mode, until exit).
func (c *Console) nslookup(args []string) {
	var host string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") && host == "" {
			host = a
		}
	}
	rec := ""
	if hostSpec.MatchString(host) && strings.Contains(host, ".") {
		rec = host
	}
	c.record("nslookup", rec)
	server, ok := c.dnsServer()
	if host == "" {
		if !ok {
			c.print("*** Default servers are not available", "Default Server:  UnKnown", "Address:  127.0.0.1", "")
		} else {
			c.print("Default Server:  UnKnown", "Address:  "+server, "")
		}
		c.shell = ShellNslookup
		return
	}
	c.lookup(host)
}

// nslookupLine is a line of nslookup's interactive mode.
func (c *Console) nslookupLine(args []string) {
	if strings.EqualFold(args[0], "exit") {
		c.record("exit", "")
		c.shell = ShellCmd
		return
	}
	c.record("nslookup", "")
	c.lookup(args[0])
}

// lookup prints nslookup's answer for host.
func (c *Console) lookup(host string) {
	server, ok := c.dnsServer()
	if !ok {
		c.print("Server:  UnKnown", "Address:  127.0.0.1", "", fmt.Sprintf("*** UnKnown can't find %s: No response from server", host), "")
		return
	}
	if !c.r.NetConfig().Online() {
		c.print("DNS request timed out.", "    timeout was 2 seconds.", "Server:  UnKnown", "Address:  "+server, "",
			"DNS request timed out.", "    timeout was 2 seconds.", "*** Request to UnKnown timed-out", "")
		return
	}
	res := c.resolve(host)
	c.print("Server:  UnKnown", "Address:  "+server, "")
	if !res.found {
		c.print(fmt.Sprintf("*** UnKnown can't find %s: Non-existent domain", host), "")
		return
	}
	c.print("Non-authoritative answer:", "Name:    "+strings.ToLower(host), "Address:  "+res.addr, "")
}

// mdmArea matches MdmDiagnosticsTool's -area values.
var mdmArea = regexp.MustCompile(`^(?i)(autopilot|tpm|devicemanagement|deviceenrollment|deviceprovisioning)(;(autopilot|tpm|devicemanagement|deviceenrollment|deviceprovisioning))*$`)

// mdmDiagnostics is `mdmdiagnosticstool -area Autopilot -cab FILE`: the run's diagnostics
// bundle, written into the run's files under FILE's base name (never anywhere else).
func (c *Console) mdmDiagnostics(args []string) {
	var area, cab string
	for i := 0; i < len(args); i++ {
		switch strings.ToLower(args[i]) {
		case "-area", "/area":
			if i+1 < len(args) {
				area, i = args[i+1], i+1
			}
		case "-cab", "/cab":
			if i+1 < len(args) {
				cab, i = args[i+1], i+1
			}
		}
	}
	c.record("mdmdiagnosticstool", safeArgs(args))
	name := path.Base(strings.ReplaceAll(cab, `\`, "/"))
	if area == "" || cab == "" || !mdmArea.MatchString(area) || name == "." || name == "/" || strings.HasPrefix(name, ".") {
		c.mdmUsage()
		return
	}
	files := c.r.cfg.Files
	text := "MdmDiagnosticsTool -area " + area + "\n\n" + c.r.DiagnosticsReport()
	ctx, b := c.begin(nil)
	c.r.task("console.mdmdiagnostics", c.r.life, func(context.Context) func() Outcome {
		p, err := writeNamed(files, name, text)
		return func() Outcome {
			if ctx.Err() != nil || c.busy != b {
				return nil
			}
			if err != nil {
				c.r.log(flow.RecordError, flow.ErrorData{Error: "collect_logs", Detail: err.Error()})
				c.say("console.mdm_failed", "error", err.Error())
			} else {
				c.r.log(flow.RecordEvent, flow.EventData{Event: "logs_collected", Path: p, Detail: "console"})
				c.say("console.mdm_written", "path", p)
			}
			c.done(b)
			return &ConsoleChanged{}
		}
	})
}

// netsh is `netsh wlan show interfaces`: the Wi-Fi adapter and the network it joined (what
// ipconfig does not say).
func (c *Console) netsh(args []string) {
	low := make([]string, len(args))
	for i, a := range args {
		low[i] = strings.ToLower(a)
	}
	if strings.Join(low, " ") != "wlan show interfaces" && strings.Join(low, " ") != "wlan show interface" {
		c.record("netsh", "")
		c.print("The following command was not found: " + strings.Join(args, " ") + ".")
		return
	}
	c.record("netsh", "wlan show interfaces")
	var w flow.Adapter
	found := false
	for _, a := range c.r.NetConfig().Adapters {
		if a.Kind == flow.AdapterWireless {
			w, found = a, true
			break
		}
	}
	if !found {
		c.print("", "There is no wireless interface on the system.")
		return
	}
	kv := func(k, v string) { c.print(strings.TrimRight(fmt.Sprintf("    %-23s: %s", k, v), " ")) }
	c.print("", "There is 1 interface on the system:", "")
	kv("Name", w.Name)
	kv("Description", w.Description)
	kv("Physical address", strings.ToLower(strings.ReplaceAll(w.MAC, "-", ":")))
	kv("Interface type", "Primary")
	if !w.Connected {
		kv("State", "disconnected")
		kv("Radio status", "Hardware On")
		c.print("                             Software On", "")
		kv("Hosted network status", "Not available")
		return
	}
	kv("State", "connected")
	kv("SSID", w.SSID)
	kv("Network type", "Infrastructure")
	kv("Radio type", "802.11ax")
	kv("Connection mode", "Auto Connect")
	kv("Profile", w.SSID)
	c.print("")
	kv("Hosted network status", "Not available")
}

// autopilotKey is where Windows keeps the Autopilot profile it downloaded (Microsoft's
// "Troubleshoot Autopilot OOBE issues": HKLM\SOFTWARE\Microsoft\Provisioning\Diagnostics\Autopilot).
const autopilotKey = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Provisioning\Diagnostics\Autopilot`

// reg is `reg query KEY`: only the Autopilot diagnostics key is emulated, with the values
// of the profile the device downloaded (none before the download).
func (c *Console) reg(args []string) {
	if len(args) < 2 || !strings.EqualFold(args[0], "query") {
		c.record("reg", "")
		c.print("ERROR: Invalid syntax.", "Type \"REG /?\" for usage.")
		return
	}
	key := strings.ToUpper(strings.TrimSuffix(args[1], `\`))
	key = strings.Replace(key, "HKLM\\", "HKEY_LOCAL_MACHINE\\", 1)
	if key != strings.ToUpper(autopilotKey) {
		c.record("reg", "query")
		c.print("ERROR: The system was unable to find the specified registry key or value.")
		return
	}
	c.record("reg", "query "+autopilotKey)
	if c.r.device == nil {
		c.print("ERROR: The system was unable to find the specified registry key or value.")
		return
	}
	d := *c.r.device
	val := func(name, typ, v string) { c.print("    " + name + "    " + typ + "    " + v) }
	c.print("", autopilotKey)
	val("CloudAssignedTenantDomain", "REG_SZ", d.Organization.InitialDomain)
	val("CloudAssignedTenantId", "REG_SZ", d.Organization.ID)
	val("DeploymentProfileName", "REG_SZ", d.Profile.Name)
	disabled := "0x0"
	if d.Profile.Name == "" && d.Organization.ID == "" {
		disabled = "0x1"
	}
	val("IsAutopilotDisabled", "REG_DWORD", disabled)
	if c.r.user.UPN != "" {
		val("TenantMatched", "REG_DWORD", "0x1")
	}
	c.print("")
}

// mdmUsage is the part of MdmDiagnosticsTool's usage about -area and -cab.
func (c *Console) mdmUsage() {
	c.print(`  Usage2: C:\Windows\system32\MdmDiagnosticsTool.exe -area <area name(s)> -cab <output cab file path>`,
		"      * Collect predefined area logs and create a log cab to given cab file.",
		"      * Supported area name example:", "          Autopilot", "          DeviceProvisioning", "          Tpm",
		"      * It also supports multiple areas, separated by ';', example:", "          Autopilot;DeviceEnrollment;Tpm",
		`      eg: C:\Windows\system32\MdmDiagnosticsTool.exe -area Autopilot;Tpm -cab c:\temp\AutopilotDiag.cab`)
}

// NamedFiles is a Files that can also create a file under a name a person gave (its base
// name only), such as the .cab of `mdmdiagnosticstool -cab FILE`.
type NamedFiles interface {
	Files
	// CreateNamed makes a new file called name (or name-2, -3 … before its extension when
	// taken) and returns it with its path.
	CreateNamed(name string) (io.WriteCloser, string, error)
}

// writeNamed writes text into a new file called name in files (a timestamped name when
// files cannot take names).
func writeNamed(files Files, name, text string) (string, error) {
	nf, ok := files.(NamedFiles)
	if !ok {
		ext := path.Ext(name)
		return writeFile(files, strings.TrimSuffix(name, ext), ext, text)
	}
	w, p, err := nf.CreateNamed(name)
	if err != nil {
		return "", err
	}
	return p, finish(w, p, text)
}

// w32tm is `w32tm /resync [/force]`: the time service syncs with its time server when the
// device is online.
func (c *Console) w32tm(args []string) {
	c.record("w32tm", safeArgs(args))
	resync := slices.ContainsFunc(args, func(a string) bool { return strings.EqualFold(a, "/resync") })
	if !resync {
		c.print("w32tm [/? | /register | /unregister ]", "  /resync [/computer:<computer>] [/nowait] [/rediscover] [/soft]",
			"    Tell a computer that it should resynchronize its clock as soon", "    as possible, throwing out all accumulated error statistics.")
		return
	}
	c.print("Sending resync command to local computer")
	if !c.r.Online() {
		c.print("The computer did not resync because no time data was available.")
		return
	}
	c.print("The command completed successfully.")
}

// start is `start ms-settings:…`: Settings opens on Windows Update and checks for updates
// with the backend (the seed's Windows Update procedure).
func (c *Console) start(args []string) {
	target := ""
	if len(args) > 0 {
		target = strings.ToLower(args[0])
	}
	rec := ""
	if strings.HasPrefix(target, "ms-settings:") && argSpec.MatchString(target) {
		rec = target
	}
	c.record("start", rec)
	switch {
	case target == "":
		return // another cmd window: this emulation keeps one
	case !strings.HasPrefix(target, "ms-settings:"):
		c.print(fmt.Sprintf("The system cannot find the file %s.", args[0]))
		return
	}
	c.say("console.settings_opened")
	if !c.r.Online() {
		c.say("console.wu_offline")
		return
	}
	c.say("console.wu_checking")
	ctx, b := c.begin(nil)
	c.r.task("console.windows_update", c.r.life, func(context.Context) func() Outcome {
		st, err := c.r.backend.CheckUpdates(ctx)
		var evs []flow.Event
		if err == nil {
			for {
				ev, nerr := st.Next(ctx)
				if nerr != nil {
					if nerr != io.EOF {
						err = nerr
					}
					break
				}
				evs = append(evs, ev)
				if ev.Kind == flow.EventUpdateRestart {
					break // Settings asks for the restart; the person decides
				}
			}
			_ = st.Close()
		}
		return func() Outcome {
			if ctx.Err() != nil || c.busy != b {
				return nil
			}
			found, restart := false, false
			for _, ev := range evs {
				found = found || ev.Phase == "downloading" || ev.Phase == "installing"
				restart = restart || ev.Kind == flow.EventUpdateRestart
			}
			switch {
			case err != nil:
				c.say("console.wu_failed", "error", flow.AsError(err).Error())
			case restart:
				c.say("console.wu_restart")
			case found:
				c.say("console.wu_installed")
			default:
				c.say("console.wu_up_to_date")
			}
			c.done(b)
			return &ConsoleChanged{}
		}
	})
}

// wusa is `WUSA.EXE FILE.msu /quiet [/norestart]`: the standalone installer installs the
// update in the background (cmd does not wait for it). Microsoft's "Description of the
// Windows Update Standalone Installer": /quiet installs without asking and restarts when
// the update needs it; /norestart (only with /quiet) leaves the restart to the person, as
// the installer's own window does without /quiet.
func (c *Console) wusa(args []string) {
	var file string
	quiet, norestart := false, false
	for _, a := range args {
		switch strings.ToLower(a) {
		case "/quiet":
			quiet = true
		case "/norestart":
			norestart = true
		default:
			if file == "" && !strings.HasPrefix(a, "/") {
				file = a
			}
		}
	}
	c.record("wusa", safeArgs(args))
	base := path.Base(strings.ReplaceAll(file, `\`, "/"))
	if file == "" || !strings.EqualFold(path.Ext(base), ".msu") {
		c.say("console.wusa_not_msu")
		return
	}
	c.say("console.wusa_installing", "file", base)
	c.after("console.wusa", c.r.life, WusaTime, func() Outcome {
		if c.r.ended != "" || !c.r.booted {
			return nil
		}
		if !c.Closed() {
			c.say("console.wusa_done", "file", base)
		}
		if quiet && !norestart {
			_ = c.r.RestartDevice("wusa") // /quiet restarts by itself when the update needs it
		} else if !c.Closed() {
			c.say("console.wusa_restart_needed")
		}
		return &ConsoleChanged{}
	})
}

// vpnList is Get-VpnConnection -AllUserConnection: each connection in PowerShell's list
// format; nothing at all when there is none.
func (c *Console) vpnList() {
	vpns := c.r.VPNConnections()
	if len(vpns) == 0 {
		return
	}
	c.print("")
	for _, v := range vpns {
		status := "Disconnected"
		if c.vpnUp[strings.ToLower(v.Name)] {
			status = "Connected"
		}
		kv := func(k, val string) { c.print(strings.TrimRight(fmt.Sprintf("%-21s : %s", k, val), " ")) }
		kv("Name", v.Name)
		kv("ServerAddress", v.ServerAddress)
		kv("AllUserConnection", "True")
		kv("Guid", vpnGUID(v.Name))
		kv("TunnelType", v.TunnelType)
		kv("AuthenticationMethod", "{Eap}")
		kv("EncryptionLevel", "Required")
		kv("L2tpIPsecAuth", "")
		kv("UseWinlogonCredential", "False")
		kv("EapConfigXmlStream", "#document")
		kv("ConnectionStatus", status)
		kv("RememberCredential", "True")
		kv("SplitTunneling", "False")
		kv("DnsSuffix", "")
		kv("IdleDisconnectSeconds", "0")
		c.print("")
	}
}

// vpnGUID is a connection's stable GUID.
func vpnGUID(name string) string {
	h := fnv.New128a()
	_, _ = h.Write([]byte(strings.ToLower(name)))
	b := h.Sum(nil)
	return fmt.Sprintf("{%X-%X-%X-%X-%X}", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// rasdial is RASDIAL "NAME" [user password]: connects a VPN connection of the device on the
// clock; without a name it lists the connections up.
func (c *Console) rasdial(args []string) {
	vpns := c.r.VPNConnections()
	if len(args) == 0 {
		c.record("rasdial", "")
		var up []string
		for _, v := range vpns {
			if c.vpnUp[strings.ToLower(v.Name)] {
				up = append(up, v.Name)
			}
		}
		if len(up) == 0 {
			c.print("No connections")
		} else {
			c.print("Connected to")
			c.print(up...)
		}
		c.print("Command completed successfully.")
		return
	}
	i := slices.IndexFunc(vpns, func(v flow.VPNConnection) bool { return strings.EqualFold(v.Name, args[0]) })
	if i < 0 {
		c.record("rasdial", "(unknown entry)")
		c.print("", "Remote Access error 623 - The system could not find the phone book entry for this connection.", "",
			"For more help on this error:", "        Type 'hh netcfg.chm'", "        In help, click Troubleshooting, then Error Messages, then 623", "")
		return
	}
	v := vpns[i]
	c.record("rasdial", v.Name)
	if slices.ContainsFunc(args[1:], func(a string) bool { return strings.EqualFold(a, "/disconnect") || strings.EqualFold(a, "/d") }) {
		delete(c.vpnUp, strings.ToLower(v.Name))
		c.print("Command completed successfully.")
		return
	}
	c.print("Connecting to " + v.Name + "...")
	ctx, b := c.begin(nil)
	online := c.r.Online()
	c.after("console.rasdial", ctx, RasdialTime, func() Outcome {
		if c.busy != b {
			return nil
		}
		switch {
		case !online:
			c.print("", "Remote Access error 868 - The remote connection was not made because the name of the remote access server did not resolve.", "")
		case !v.Reachable:
			c.print("", "Remote Access error 800 - The remote connection was not made because the attempted VPN tunnels failed. The VPN server might be unreachable.", "")
		default:
			c.vpnUp[strings.ToLower(v.Name)] = true
			c.r.log(flow.RecordEvent, flow.EventData{Event: "vpn_connected", Detail: v.Name})
			c.print("Verifying username and password...", "Registering your computer on the network...",
				"Successfully connected to "+v.Name+".", "Command completed successfully.")
		}
		c.done(b)
		return &ConsoleChanged{}
	})
}

// splitArgs splits a command line as cmd passes it on: spaces separate, double quotes
// group (and are removed).
func splitArgs(line string) []string {
	var out []string
	var cur strings.Builder
	quoted, has := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, has = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if has {
		out = append(out, cur.String())
	}
	return out
}

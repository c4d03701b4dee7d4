package check

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/oobe-emu/oobe/flow/tenant"
	"github.com/oobe-emu/oobe/internal/termtext"
)

// Output is the JSON document `oobe check --json` prints.
type Output struct {
	// Valid is true when every path is valid.
	Valid bool `json:"valid"`
	// Results are the checks, one per path, in order.
	Results []Result `json:"results"`
}

// WriteJSON writes the results as one indented JSON document (Output).
func WriteJSON(w io.Writer, rs []Result) error {
	if rs == nil {
		rs = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(Output{Valid: Valid(rs), Results: rs})
}

// WriteText writes the results for people: per path, the files, the tenant's settings, each
// profile's settings and screens, and the findings, with no escape sequence or control
// character of the files (WriteJSON keeps them, escaped as JSON does).
func WriteText(w io.Writer, rs []Result) error {
	tw := &textWriter{w: w}
	for i, r := range rs {
		if i > 0 {
			tw.line("")
		}
		tw.result(r)
	}
	return tw.err
}

type textWriter struct {
	w     io.Writer
	err   error
	rel   func(string) string // a file name relative to the checked folder
	strip func(string) string // a message with the checked folder's prefix removed
}

// line writes one line. The tenant's strings in it are printed as text: escape sequences
// and control characters (a newline in a display name included) cannot reach the terminal.
func (tw *textWriter) line(format string, args ...any) {
	if tw.err != nil {
		return
	}
	_, tw.err = io.WriteString(tw.w, termtext.Clean(fmt.Sprintf(format, args...))+"\n")
}

// kv writes an indented "label  value" line.
func (tw *textWriter) kv(label, format string, args ...any) {
	tw.line("  %-16s %s", label, fmt.Sprintf(format, args...))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func (tw *textWriter) result(r Result) {
	base := filepath.Clean(r.Path)
	if len(r.Files) == 1 && filepath.Clean(r.Files[0].File) == base {
		base = filepath.Dir(base) // a single file: names relative to its folder
	}
	tw.rel = func(name string) string {
		for _, sep := range []string{string(filepath.Separator), "/"} {
			if rest, ok := strings.CutPrefix(name, base+sep); ok {
				return rest
			}
		}
		return name
	}
	tw.strip = func(s string) string {
		if base == "." {
			return s
		}
		s = strings.ReplaceAll(s, base+string(filepath.Separator), "")
		return strings.ReplaceAll(s, base+"/", "")
	}
	status := "valid"
	if !r.Valid {
		status = "NOT VALID"
	}
	tw.line("== %s: %s (%s, %s, %s)", r.Path, status, plural(r.Errors, "error", "errors"),
		plural(r.Warnings, "warning", "warnings"), plural(r.Infos, "note", "notes"))
	if r.Problem != "" {
		for _, l := range strings.Split(r.Problem, "\n") {
			tw.line("  error: %s", l)
		}
		return
	}
	tw.files(r.Files)
	if r.Tenant != nil {
		tw.tenant(r.Tenant)
	}
	for _, p := range r.Profiles {
		tw.profile(p)
	}
	tw.findings(r)
}

func (tw *textWriter) files(files []tenant.FileReport) {
	tw.line("")
	tw.line("Files")
	width := 0
	for _, f := range files {
		width = max(width, len([]rune(tw.rel(f.File))))
	}
	for _, f := range files {
		enc := string(f.Encoding)
		if f.LineEndings == "CRLF" {
			enc += ", CRLF"
		}
		var notes []string
		for _, o := range f.Objects {
			if o.Note != "" && (len(f.Objects) == 1 || !o.Used) {
				n := tw.strip(o.Note)
				if len(f.Objects) > 1 {
					n = o.Path + ": " + n
				}
				notes = append(notes, n)
			}
		}
		line := fmt.Sprintf("  %-*s  %s [%s]", width, tw.rel(f.File), f.What, enc)
		if len(notes) > 0 {
			line += " — " + strings.Join(notes, "; ")
		}
		tw.line("%s", line)
	}
}

func (tw *textWriter) tenant(t *Tenant) {
	tw.line("")
	tw.line("Tenant")
	o := t.Organization
	switch {
	case o.Name != "":
		tw.kv("organization", "%s (tenant id %s)", o.Name, orNone(o.ID))
	case o.ID != "":
		tw.kv("organization", "no name (tenant id %s)", o.ID)
	default:
		tw.kv("organization", "none imported")
	}
	var doms []string
	for _, d := range o.Domains {
		var tags []string
		if d == o.DefaultDomain {
			tags = append(tags, "default")
		}
		if d == o.InitialDomain {
			tags = append(tags, "initial")
		}
		if len(tags) > 0 {
			d += " (" + strings.Join(tags, ", ") + ")"
		}
		doms = append(doms, d)
	}
	tw.kv("domains", "%s", orNone(strings.Join(doms, ", ")))
	d := t.Device
	dev := "serial " + orNone(d.Serial)
	if d.Manufacturer != "" || d.Model != "" {
		dev += ", " + strings.TrimSpace(d.Manufacturer+" "+d.Model)
	}
	if d.Registered {
		dev += " (registered Autopilot device"
		if d.GroupTag != "" {
			dev += ", group tag " + d.GroupTag
		}
		dev += ")"
	}
	tw.kv("device", "%s", dev)
	if d.AssignedUser != "" {
		u := d.AssignedUser
		if d.FriendlyName != "" {
			u += fmt.Sprintf(", greeting %q", d.FriendlyName)
		}
		tw.kv("assigned user", "%s", u)
	}
	src := "embedded demo scenario (Wi-Fi networks, users, apps)"
	if t.Scenario != "embedded" {
		src = tw.rel(t.Scenario)
	}
	tw.kv("scenario", "%s; display languages %s", src, strings.Join(t.DisplayLanguages, ", "))

	b := t.Branding
	tw.line("")
	tw.line("Branding")
	if !b.Configured {
		tw.kv("branding", "none: the sign-in page shows the default Microsoft look")
	} else {
		tw.kv("background", "%s", orNone(b.BackgroundColor))
		tw.kv("username hint", "%q (%d/64 characters)", b.UsernameHint, b.UsernameHintChars)
		tw.kv("sign-in text", "%q (%d/1024 characters)", b.SignInText, b.SignInTextChars)
		tw.kv("square logo", "%s", orNone(b.SquareLogoURL))
		if b.SquareLogoDarkURL != "" {
			tw.kv("dark logo", "%s", b.SquareLogoDarkURL)
		}
		for _, l := range b.Localizations {
			var own, def, blank []string
			for _, f := range []string{"backgroundColor", "signInText", "usernameHint", "squareLogo"} {
				name := map[string]string{"backgroundColor": "background", "signInText": "text", "usernameHint": "hint", "squareLogo": "logo"}[f]
				switch l.Fields[f] {
				case "overridden":
					own = append(own, name)
				case "blank, default":
					blank = append(blank, name)
				default:
					def = append(def, name)
				}
			}
			var parts []string
			if len(own) > 0 {
				parts = append(parts, "overrides "+strings.Join(own, ", "))
			}
			if len(blank) > 0 {
				parts = append(parts, strings.Join(blank, ", ")+` blank (" ") → default`)
			}
			if len(def) > 0 {
				parts = append(parts, strings.Join(def, ", ")+" from the default")
			}
			tw.kv(l.Locale, "%s; shows background %s, hint %q, text %q", strings.Join(parts, "; "), orNone(l.BackgroundColor), l.UsernameHint, clip(l.SignInText, 40))
		}
	}

	e := t.ESP
	tw.line("")
	tw.line("Enrollment Status Page")
	if !e.Shown {
		tw.kv("shown", "no: the device goes straight from sign-in to the desktop steps")
	} else {
		tw.kv("shown", "yes, timeout %d minutes per phase", e.TimeoutMinutes)
		if e.Blocking {
			tw.kv("blocking", "yes: Block device use until all apps and profiles are installed (Graph blockDeviceSetupRetryByUser false)")
		} else {
			tw.kv("blocking", "no: the user may continue (Graph blockDeviceSetupRetryByUser true)")
		}
		if len(e.BlockingApps) == 0 {
			tw.kv("blocking apps", "all required apps")
		} else {
			tw.kv("blocking apps", "%d selected: %s", len(e.BlockingApps), strings.Join(e.BlockingApps, ", "))
		}
		tw.kv("quality updates", "%s (Windows 11, at the end of OOBE)", yesNo(e.QualityUpdates))
		tw.kv("account setup", "%s", map[bool]string{true: "first user only", false: "every user"}[e.OnlyFirstUser])
		tw.kv("only OOBE", "%s (only devices provisioned by OOBE show the page)", yesNo(e.OnlyAutopilot))
		tw.kv("on failure", "%s; not offered: %s", strings.Join(e.Buttons, ", "), orNone(strings.Join(e.NotOffered, ", ")))
		msg := "default"
		if e.CustomMessage {
			msg = "custom"
		}
		tw.kv("error text", "%s: %q", msg, e.ErrorMessage)
	}

	h := t.Hello
	tw.line("")
	tw.line("Windows Hello for Business")
	state := h.State
	switch h.State {
	case "notConfigured":
		state += " (client default: Hello is offered on Entra-joined PCs)"
	case "disabled":
		state += " (no PIN page)"
	}
	tw.kv("state", "%s", state)
	tw.kv("PIN", "%d–%d characters; uppercase %s, lowercase %s, special %s", h.PINMinLength, h.PINMaxLength, h.Uppercase, h.Lowercase, h.Special)

	if dj := t.DomainJoin; dj != nil {
		tw.line("")
		tw.line("Domain Join (hybrid)")
		tw.kv("domain", "%s", orNone(dj.Domain))
		tw.kv("OU", "%s", orNone(dj.OU))
		tw.kv("computer name", "%s + %d random characters (%d characters)", dj.Prefix, dj.RandomChars, dj.NameLength)
	}
}

func (tw *textWriter) profile(p Profile) {
	tw.line("")
	where := tw.rel(p.File)
	if p.Path != "" {
		where += " " + p.Path
	}
	if p.File == "" {
		where = "(none)"
	}
	head := "does not apply"
	if p.Applies {
		head = "APPLIES to this device"
	}
	tw.line("Profile %q — %s — %s", p.Name, where, head)
	if p.Note != "" {
		tw.kv("why", "%s", tw.strip(p.Note))
	}
	if p.ID != "" {
		tw.kv("id", "%s", p.ID)
	}
	tw.kv("join", "%s, mode %s", p.Join, p.Mode)
	switch p.LocaleMode {
	case "fixed":
		tw.kv("locale", "%s (fixed)", p.Locale)
	case "user-select":
		tw.kv("locale", "user select (the user chooses)")
	default:
		tw.kv("locale", "os-default (the image's language)")
	}
	tw.kv("keyboard", "%s", map[bool]string{true: "configured automatically (keyboard pages skipped when the profile is known)", false: "the user chooses"}[p.KeyboardSkipped])
	tw.kv("EULA hidden", "%s", yesNo(p.EULAHidden))
	tw.kv("privacy hidden", "%s", yesNo(p.PrivacyHidden))
	tw.kv("escape link", "%s", map[bool]string{true: "hidden", false: "shown"}[p.EscapeLinkHidden])
	tw.kv("user type", "%s", p.UserType)
	if p.Preprovisioning {
		tw.kv("pre-provision", "allowed (Windows key × 5)")
	}
	if p.Join == "hybrid" {
		tw.kv("skip DC check", "%s", yesNo(p.SkipDCCheck))
	}
	tw.kv("computer name", "%s", p.ComputerNameRule)
	if c := p.ConfigFile; c != nil {
		var bits []string
		for _, b := range c.Bits {
			bits = append(bits, fmt.Sprintf("%d %s", b.Value, b.Name))
		}
		if c.UnknownBits != 0 {
			bits = append(bits, fmt.Sprintf("%d unknown", c.UnknownBits))
		}
		tw.kv("bitmask", "CloudAssignedOobeConfig %d = %s", c.OOBEConfig, orNone(strings.Join(bits, " + ")))
		tw.kv("file values", "DomainJoinMethod %d, ForcedEnrollment %d, tenant %s (%s), ZtdCorrelationId %s, %s",
			c.DomainJoinMethod, c.ForcedEnrollment, orNone(c.TenantID), orNone(c.TenantDomain), orNone(c.ZtdCorrelationID), c.Encoding)
		if z := c.ZeroTouchConfig; z != nil {
			tw.kv("AadServerData", "ZeroTouchConfig: CloudAssignedTenantUpn %q, ForcedEnrollment %d, CloudAssignedTenantDomain %q", z.TenantUPN, z.ForcedEnrollment, z.TenantDomain)
		}
	} else {
		tw.kv("as JSON file", "CloudAssignedOobeConfig %d (%s)", p.OOBEConfig, bitSum(p.OOBEConfig))
	}
	tw.kv("screens Wi-Fi", "%s", joinScreens(p.WiFi))
	tw.kv("screens Ethernet", "%s", joinScreens(p.Ethernet))
	for _, n := range p.Notes {
		tw.kv("note", "%s", tw.strip(n))
	}
}

func bitSum(v int) string {
	bits, _ := tenant.DecodeOOBEConfig(int64(v))
	var parts []string
	for _, b := range bits {
		parts = append(parts, strconv.FormatInt(b.Value, 10))
	}
	return strings.Join(parts, "+")
}

func joinScreens(ss []Screen) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, " → ")
}

func (tw *textWriter) findings(r Result) {
	var all []tenant.Finding
	for _, f := range r.Files {
		all = append(all, f.Findings...)
	}
	all = append(all, r.Findings...)
	tw.line("")
	if len(all) == 0 {
		tw.line("Findings: none")
		return
	}
	tw.line("Findings")
	for _, sev := range []tenant.Severity{tenant.SeverityError, tenant.SeverityWarning, tenant.SeverityInfo} {
		for _, f := range all {
			if f.Severity != sev {
				continue
			}
			f.File = tw.rel(f.File)
			tw.line("  %-8s %s", sev.String()+":", tw.strip(f.String()))
		}
	}
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "none"
	}
	return s
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Package check validates tenant exports (the work of `oobe check`): for each file or folder
// it says what each file is, the normalized settings (profile, ESP, Windows Hello, branding,
// organization, device), the findings, and the screens a user on Wi-Fi and a user on
// Ethernet (profile prefetched) will see, in order. It renders the result as text or JSON.
package check

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/tenant"
)

// Options tune a check.
type Options struct {
	// Lenient loads files real Windows would ignore and numbers given as strings, with
	// warnings instead of errors (tenant.Options.Lenient).
	Lenient bool
	// Scenario is an emulator scenario file used for the device, users and networks.
	Scenario string
}

// Result is the check of one path (a file or a folder).
type Result struct {
	// Path is the file or folder as given.
	Path string `json:"path"`
	// Valid is true when the import has no error.
	Valid bool `json:"valid"`
	// Counts of findings by severity.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	// Problem is set when the path itself cannot be used (missing, no .json files).
	Problem string `json:"problem,omitempty"`
	// Files are what each file is, with its findings.
	Files []tenant.FileReport `json:"files,omitempty"`
	// Findings are the findings not tied to one file.
	Findings []tenant.Finding `json:"findings,omitempty"`
	// Tenant is the normalized tenant-wide settings; nil when not valid.
	Tenant *Tenant `json:"tenant,omitempty"`
	// Profiles are every deployment profile found, the one that applies first.
	Profiles []Profile `json:"profiles,omitempty"`
}

// Tenant is the normalized settings shared by every profile.
type Tenant struct {
	Organization Organization `json:"organization"`
	Device       Device       `json:"device"`
	Branding     Branding     `json:"branding"`
	ESP          ESP          `json:"esp"`
	Hello        Hello        `json:"hello"`
	DomainJoin   *DomainJoin  `json:"domainJoin,omitempty"`
	// Scenario is where users, networks and apps come from: a file or "embedded".
	Scenario string `json:"scenario"`
	// DisplayLanguages are the image's display languages (from the scenario).
	DisplayLanguages []string `json:"displayLanguages"`
}

// Organization is the Entra tenant.
type Organization struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	DefaultDomain string   `json:"defaultDomain"`
	InitialDomain string   `json:"initialDomain"`
	Domains       []string `json:"domains"`
}

// Device is the emulated device and its Autopilot registration.
type Device struct {
	Serial       string `json:"serial"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	Registered   bool   `json:"registered"`
	AssignedUser string `json:"assignedUser,omitempty"`
	FriendlyName string `json:"friendlyName,omitempty"`
	GroupTag     string `json:"groupTag,omitempty"`
}

// Branding is the company branding with its localizations.
type Branding struct {
	Configured        bool           `json:"configured"`
	BackgroundColor   string         `json:"backgroundColor"`
	UsernameHint      string         `json:"usernameHint"`
	UsernameHintChars int            `json:"usernameHintChars"`
	SignInText        string         `json:"signInText"`
	SignInTextChars   int            `json:"signInTextChars"`
	SquareLogoURL     string         `json:"squareLogoUrl"`
	SquareLogoDarkURL string         `json:"squareLogoDarkUrl"`
	Localizations     []Localization `json:"localizations,omitempty"`
}

// Localization is one branding localization: the effective values and, per field, whether
// it is overridden or falls back to the default.
type Localization struct {
	Locale string `json:"locale"`
	// Effective is what the sign-in page shows for this locale.
	BackgroundColor string `json:"backgroundColor"`
	UsernameHint    string `json:"usernameHint"`
	SignInText      string `json:"signInText"`
	SquareLogoURL   string `json:"squareLogoUrl"`
	// Fields says, for each field, "overridden", "default" (not set) or "blank, default"
	// (set to " " or "").
	Fields map[string]string `json:"fields"`
}

// ESP is the Enrollment Status Page that applies.
type ESP struct {
	Shown          bool     `json:"shown"`
	TimeoutMinutes int      `json:"timeoutMinutes"`
	Blocking       bool     `json:"blocking"`
	BlockingApps   []string `json:"blockingApps"`
	QualityUpdates bool     `json:"qualityUpdates"`
	OnlyFirstUser  bool     `json:"onlyFirstUser"`
	OnlyAutopilot  bool     `json:"onlyAutopilot"`
	ErrorMessage   string   `json:"errorMessage"`
	CustomMessage  bool     `json:"customMessage"`
	Buttons        []string `json:"buttons"`
	NotOffered     []string `json:"notOffered"`
}

// DefaultESPMessage is the built-in ESP error text (reference §3.1).
const DefaultESPMessage = "Setup could not be completed. Please try again or contact your support person for help."

// Hello is the Windows Hello for Business configuration that applies.
type Hello struct {
	State        string `json:"state"`
	PINMinLength int    `json:"pinMinLength"`
	PINMaxLength int    `json:"pinMaxLength"`
	Uppercase    string `json:"uppercase"`
	Lowercase    string `json:"lowercase"`
	Special      string `json:"special"`
}

// DomainJoin is the hybrid Domain Join configuration.
type DomainJoin struct {
	Domain      string `json:"domain"`
	OU          string `json:"ou"`
	Prefix      string `json:"prefix"`
	RandomChars int    `json:"randomChars"`
	NameLength  int    `json:"nameLength"`
}

// Profile is one deployment profile's normalized settings and screens.
type Profile struct {
	File    string `json:"file"`
	Path    string `json:"path,omitempty"`
	Kind    string `json:"kind"`
	Applies bool   `json:"applies"`
	Note    string `json:"note,omitempty"`

	ID               string `json:"id"`
	Name             string `json:"name"`
	Join             string `json:"join"`
	Mode             string `json:"mode"`
	Locale           string `json:"locale"`
	LocaleMode       string `json:"localeMode"`
	KeyboardSkipped  bool   `json:"keyboardSkipped"`
	EULAHidden       bool   `json:"eulaHidden"`
	PrivacyHidden    bool   `json:"privacyHidden"`
	EscapeLinkHidden bool   `json:"escapeLinkHidden"`
	UserType         string `json:"userType"`
	Preprovisioning  bool   `json:"preprovisioningAllowed"`
	SkipDCCheck      bool   `json:"skipDCCheck"`
	NameTemplate     string `json:"nameTemplate"`
	// ComputerName is the example name of this device ("" when Windows picks one).
	ComputerName string `json:"computerName"`
	// ComputerNameRule says how the name is made.
	ComputerNameRule string `json:"computerNameRule"`
	// OOBEConfig is the equivalent CloudAssignedOobeConfig.
	OOBEConfig int                    `json:"oobeConfig"`
	ConfigFile *tenant.ConfigFileInfo `json:"configFile,omitempty"`

	// WiFi are the screens of a user on Wi-Fi (profile not known at boot), in order.
	WiFi []Screen `json:"wifi"`
	// Ethernet are the screens of a user on Ethernet with the profile prefetched.
	Ethernet []Screen `json:"ethernet"`
	// Notes explain what the screen lists do not show.
	Notes []string `json:"notes,omitempty"`
}

// Screen is one step of the flow.Plan, with what it shows for this tenant.
type Screen struct {
	ID     flow.StepID `json:"id"`
	Detail string      `json:"detail,omitempty"`
}

// String is the id with its detail in parentheses.
func (s Screen) String() string {
	if s.Detail == "" {
		return string(s.ID)
	}
	return string(s.ID) + " (" + s.Detail + ")"
}

// Paths checks each path on its own.
func Paths(paths []string, opts Options) []Result {
	out := make([]Result, 0, len(paths))
	for _, p := range paths {
		out = append(out, Path(p, opts))
	}
	return out
}

// Valid reports whether every result is valid.
func Valid(rs []Result) bool {
	for _, r := range rs {
		if !r.Valid {
			return false
		}
	}
	return len(rs) > 0
}

// Path checks one file or folder.
func Path(path string, opts Options) Result {
	r := Result{Path: path}
	t, rep, err := tenant.LoadPaths([]string{path}, tenant.Options{Lenient: opts.Lenient, Scenario: opts.Scenario})
	if rep == nil {
		r.Problem = err.Error()
		r.Errors = 1
		return r
	}
	r.Files, r.Findings = rep.Files, rep.Findings
	r.Errors = len(rep.Of(tenant.SeverityError))
	r.Warnings = len(rep.Of(tenant.SeverityWarning))
	r.Infos = len(rep.Of(tenant.SeverityInfo))
	r.Valid = err == nil
	if t == nil {
		return r
	}
	r.Tenant = tenantView(t, rep)
	for _, pr := range rep.Profiles {
		if pr.Applies {
			r.Profiles = append([]Profile{profileView(t, pr, rep.ScenarioSource)}, r.Profiles...)
		} else {
			r.Profiles = append(r.Profiles, profileView(t, pr, rep.ScenarioSource))
		}
	}
	if len(rep.Profiles) == 0 {
		// No profile imported: the defaults apply.
		r.Profiles = append(r.Profiles, profileView(t, tenant.ProfileReport{Kind: tenant.KindUnknown, Applies: true,
			Note: "no deployment profile imported: Graph defaults", Profile: t.Profile, OOBEConfig: tenant.OOBEConfigFor(t.Profile)}, rep.ScenarioSource))
	}
	return r
}

func tenantView(t *sim.World, rep *tenant.Report) *Tenant {
	v := &Tenant{
		Organization: Organization{ID: t.Organization.ID, Name: t.Organization.DisplayName, DefaultDomain: t.Organization.DefaultDomain,
			InitialDomain: t.Organization.InitialDomain, Domains: t.Organization.Domains},
		Device:           Device{Serial: t.Scenario.Device.Serial, Manufacturer: t.Scenario.Device.Manufacturer, Model: t.Scenario.Device.Model},
		Scenario:         rep.ScenarioSource,
		DisplayLanguages: t.Scenario.DisplayLanguages,
	}
	if id := t.DeviceIdentity; id != nil {
		v.Device.Registered = id.Serial != ""
		v.Device.AssignedUser, v.Device.FriendlyName, v.Device.GroupTag = id.UPN, id.FriendlyName, id.GroupTag
	}
	b := t.Branding
	v.Branding = Branding{
		Configured: b.Configured(), BackgroundColor: strings.TrimSpace(b.BackgroundColor),
		UsernameHint: strings.TrimSpace(b.UsernameHint), SignInText: strings.TrimSpace(b.SignInPageText),
		SquareLogoURL: strings.TrimSpace(b.SquareLogoURL), SquareLogoDarkURL: strings.TrimSpace(b.SquareLogoDarkURL),
	}
	v.Branding.UsernameHintChars = len([]rune(v.Branding.UsernameHint))
	v.Branding.SignInTextChars = len([]rune(v.Branding.SignInText))
	for _, loc := range slices.Sorted(maps.Keys(b.Localizations)) {
		raw := b.Localizations[loc]
		eff := b.For(loc)
		l := Localization{Locale: loc, BackgroundColor: eff.BackgroundColor, UsernameHint: eff.UsernameHint,
			SignInText: eff.SignInPageText, SquareLogoURL: eff.SquareLogoURL, Fields: map[string]string{}}
		for _, f := range []struct{ name, v string }{
			{"backgroundColor", raw.BackgroundColor}, {"signInText", raw.SignInPageText},
			{"usernameHint", raw.UsernameHint}, {"squareLogo", raw.SquareLogoURL},
		} {
			switch {
			case strings.TrimSpace(f.v) != "":
				l.Fields[f.name] = "overridden"
			case f.v != "":
				l.Fields[f.name] = "blank, default"
			default:
				l.Fields[f.name] = "default"
			}
		}
		v.Branding.Localizations = append(v.Branding.Localizations, l)
	}
	e := t.Profile.ESP
	v.ESP = ESP{Shown: e.Show, TimeoutMinutes: e.TimeoutMinutes, Blocking: e.BlockDeviceUse, BlockingApps: e.BlockingAppIDs,
		QualityUpdates: e.InstallQualityUpdates, OnlyFirstUser: e.OnlyFirstUser, OnlyAutopilot: e.OnlyAutopilot,
		ErrorMessage: e.CustomErrorMessage, CustomMessage: e.CustomErrorMessage != ""}
	if !v.ESP.CustomMessage {
		v.ESP.ErrorMessage = DefaultESPMessage
	}
	btn := flow.Buttons(e, flow.Windows11)
	for _, x := range []struct {
		on   bool
		name string
	}{{btn.TryAgain, "Try again"}, {btn.Reset, "Reset device"}, {btn.Continue, "Continue anyway"},
		{btn.CollectLogs, "Collect logs"}, {btn.Diagnostics, "View diagnostics"}} {
		if x.on {
			v.ESP.Buttons = append(v.ESP.Buttons, x.name)
		} else {
			v.ESP.NotOffered = append(v.ESP.NotOffered, x.name)
		}
	}
	h := t.Profile.Hello
	v.Hello = Hello{State: h.State, PINMinLength: h.MinLength, PINMaxLength: h.MaxLength,
		Uppercase: string(h.Uppercase), Lowercase: string(h.Lowercase), Special: string(h.Special)}
	if d := t.DomainJoin; d != nil {
		v.DomainJoin = &DomainJoin{Domain: d.Domain, OU: d.OU, Prefix: d.Prefix, RandomChars: d.RandomChars, NameLength: len(d.Prefix) + d.RandomChars}
	}
	return v
}

func profileView(t *sim.World, pr tenant.ProfileReport, source string) Profile {
	p := pr.Profile
	v := Profile{
		File: pr.File, Path: pr.Path, Kind: pr.Kind.ID(), Applies: pr.Applies, Note: pr.Note,
		ID: p.ID, Name: p.Name, Join: string(p.Join), Mode: string(p.Mode), LocaleMode: string(p.LocaleMode), Locale: p.Locale,
		KeyboardSkipped: p.KeyboardSkipped, EULAHidden: p.EULAHidden, PrivacyHidden: p.PrivacyHidden,
		EscapeLinkHidden: p.EscapeLinkHidden, UserType: string(p.UserType), Preprovisioning: p.PreprovisioningAllowed,
		SkipDCCheck: p.SkipDCCheck, NameTemplate: p.DeviceNameTemplate, OOBEConfig: pr.OOBEConfig, ConfigFile: pr.ConfigFile,
	}
	if pr.Path == "$" {
		v.Path = ""
	}
	if pr.Kind == tenant.KindUnknown {
		v.Kind = "defaults"
	}
	serial := t.Scenario.Device.Serial
	switch {
	case p.Join == flow.JoinHybrid && t.DomainJoin != nil:
		d := t.DomainJoin
		v.ComputerName = d.Prefix + strings.Repeat("#", max(d.RandomChars, 0))
		v.ComputerNameRule = fmt.Sprintf("Domain Join prefix %s + %d random characters (%d characters)", d.Prefix, d.RandomChars, len(d.Prefix)+d.RandomChars)
	case p.Join == flow.JoinHybrid:
		v.ComputerNameRule = "hybrid join without a Domain Join configuration: the device cannot be named"
	case p.DeviceNameTemplate == "":
		v.ComputerNameRule = "no name template: Windows keeps its generated name (DESKTOP-…)"
	default:
		rng := rand.New(rand.NewPCG(1, 2))
		name, err := flow.ExpandDeviceName(p.DeviceNameTemplate, serial, rng)
		switch {
		case err != nil:
			v.ComputerNameRule = fmt.Sprintf("%s with serial %q: %v", p.DeviceNameTemplate, serial, err)
		case strings.Contains(p.DeviceNameTemplate, "%RAND:"):
			v.ComputerName = name
			v.ComputerNameRule = fmt.Sprintf("%s: random digits, for example %s (%d characters)", p.DeviceNameTemplate, name, len(name))
		case strings.Contains(p.DeviceNameTemplate, "%SERIAL%"):
			v.ComputerName = name
			v.ComputerNameRule = fmt.Sprintf("%s with serial %s → %s (%d characters)", p.DeviceNameTemplate, serial, name, len(name))
		default:
			v.ComputerName = name
			v.ComputerNameRule = fmt.Sprintf("%s: the same name on every device", p.DeviceNameTemplate)
		}
	}
	v.WiFi, v.Ethernet, v.Notes = screens(t, p, source)
	return v
}

// screens returns the plans on Wi-Fi and on Ethernet (profile prefetched), with details, and
// notes on what the plans do not model.
func screens(t *sim.World, p flow.Profile, source string) (wifi, wired []Screen, notes []string) {
	langs := t.Scenario.DisplayLanguages
	if len(langs) == 0 {
		langs = []string{"en-US"}
	}
	detail := func(s flow.StepID) string {
		switch s {
		case flow.StepLanguage:
			return fmt.Sprintf("%d display languages: %s", len(langs), strings.Join(langs, ", "))
		case flow.StepSignIn:
			return signInDetail(t, p)
		case flow.StepESPDevice:
			if p.Join == flow.JoinHybrid {
				return "Device preparation incl. offline domain join, Device setup"
			}
			return "Device preparation, Device setup"
		case flow.StepESPAccount:
			if p.ESP.OnlyFirstUser {
				return "Account setup, first user only"
			}
			return "Account setup"
		case flow.StepHello:
			switch p.Hello.State {
			case flow.HelloEnabled:
				return "PIN set-up"
			default:
				return "not configured: the client default offers it"
			}
		}
		return ""
	}
	plan := func(b flow.Boot) []Screen {
		var out []Screen
		for _, s := range flow.Plan(p, b) {
			d := detail(s)
			if s == flow.StepESPAccount && p.Join == flow.JoinHybrid {
				d += " with the Entra prompt, then Sign out"
			}
			out = append(out, Screen{ID: s, Detail: d})
			if s == flow.StepESPAccount && p.Join == flow.JoinHybrid && p.ESP.Show {
				// Sign out adds the Windows sign-in once more (Deploy the device, step 9)
				out = append(out, Screen{ID: flow.StepWindowsSignIn, Detail: "again, after Sign out"})
			}
		}
		return out
	}
	wifi = plan(flow.Boot{Languages: langs})
	wired = plan(flow.Boot{Languages: langs, Wired: true, ProfileKnown: true})

	if len(langs) > 1 {
		notes = append(notes, fmt.Sprintf("language: shown because the image has %d display languages (%s, from the %s scenario); a single-language image starts at region",
			len(langs), strings.Join(langs, ", "), scenarioName(source)))
	}
	switch {
	case !p.LocaleSet() && p.KeyboardSkipped:
		notes = append(notes, "Ethernet: region and keyboard pages still show: keyboard skipping needs a language and the profile sets none")
	case !p.LocaleSet():
		notes = append(notes, "Ethernet: region and keyboard pages still show: the profile sets no language")
	case !p.KeyboardSkipped:
		notes = append(notes, fmt.Sprintf("Ethernet: region and keyboard pages still show: the language %s is set but the keyboard is not configured automatically", p.Locale))
	default:
		notes = append(notes, fmt.Sprintf("Ethernet: region and keyboard pages are skipped: the prefetched profile sets %s and configures the keyboard", p.Locale))
	}
	notes = append(notes, "[mfa]: the MFA challenge is part of signin here; it appears when the signing-in user needs MFA ("+mfaUsers(t)+")")
	if p.Mode == flow.ModeSelfDeploying {
		notes = append(notes, "self-deploying mode has no user and no sign-in; the emulator plays the user-driven flow")
	}
	if p.Join == flow.JoinHybrid {
		notes = append(notes, "hybrid join: the device restarts after Device preparation (offline domain join) and Device setup continues without credentials; "+
			"the user then signs in at the Windows sign-in screen (windows-signin: Ctrl+Alt+Del, on-premises AD credentials) before fsia; "+
			"during Account setup the Entra sign-in comes up again (\"Stay signed in to all your apps\", \"You're all set!\"); "+
			"Account setup ends with Sign out, then the Windows sign-in once more (Ctrl+Alt+Del, on-premises credentials) before the desktop")
		if p.ESP.Show {
			m := p.ESP.TimeoutMinutes
			if m <= 0 {
				m = 60
			}
			notes = append(notes, fmt.Sprintf("hybrid join: each ESP phase times out after %d minutes, the profile's %d plus the 40 Intune adds on hybrid deployments (\"Set up the Enrollment Status Page\", Known issues)", m+40, m))
		}
		if p.SkipDCCheck {
			notes = append(notes, "hybrid join: the domain controller connectivity check is skipped (expect a VPN app in Device setup)")
		} else {
			notes = append(notes, "hybrid join: the device must reach a domain controller before the restart, or setup fails with 80070774")
		}
		if id := t.DeviceIdentity; id != nil && id.UPN != "" {
			notes = append(notes, fmt.Sprintf("hybrid join: a user (%s) is assigned to this device; hybrid join does not support that and fails with 80070774", id.UPN))
		}
		if p.Hello.State != flow.HelloDisabled || p.ESP.InstallQualityUpdates {
			notes = append(notes, "whfb, quality-updates: a hybrid-joined device normally skips Windows Hello during OOBE; the emulator's hybrid plan leaves out quality updates and shows the PIN set-up only when the policy enables Windows Hello for Business")
		}
	}
	if p.ESP.InstallQualityUpdates {
		notes = append(notes, "quality-updates: Windows 11 only; on Windows 10 (--windows 10) the page does not appear")
	}
	return wifi, wired, notes
}

func scenarioName(source string) string {
	if source == "embedded" {
		return "embedded demo"
	}
	return source
}

// signInDetail describes the branded sign-in page for profile p.
func signInDetail(t *sim.World, p flow.Profile) string {
	var parts []string
	if p.Join == flow.JoinHybrid {
		parts = append(parts, "Entra credentials")
	}
	if id := t.DeviceIdentity; id != nil && id.UPN != "" && p.Join == flow.JoinEntra {
		parts = append(parts, fmt.Sprintf("password only, UPN %s pre-filled", id.UPN))
		if id.FriendlyName != "" {
			parts = append(parts, fmt.Sprintf("greeting %q", id.FriendlyName))
		}
	} else if h := strings.TrimSpace(t.Branding.UsernameHint); h != "" {
		parts = append(parts, fmt.Sprintf("username hint %q", h))
	}
	if p.EscapeLinkHidden {
		parts = append(parts, "no escape link")
	}
	return strings.Join(parts, ", ")
}

// mfaUsers summarises the scenario users' MFA methods.
func mfaUsers(t *sim.World) string {
	if id := t.DeviceIdentity; id != nil && id.UPN != "" {
		if u, ok := t.Scenario.User(id.UPN); ok {
			return fmt.Sprintf("assigned user %s: %s", u.UPN, u.MFA)
		}
	}
	var parts []string
	for _, u := range t.Scenario.Users {
		parts = append(parts, fmt.Sprintf("%s: %s", u.UPN, u.MFA))
	}
	if len(parts) == 0 {
		return "the scenario has no users"
	}
	return "scenario users " + strings.Join(parts, ", ")
}

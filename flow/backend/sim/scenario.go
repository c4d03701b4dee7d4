package sim

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// ScenarioSchema is the value of the top-level "$schema" key that marks a JSON file as an
// emulator scenario (version 1 of the format). Importers recognise a scenario file by this
// key, never by its file name.
const ScenarioSchema = "oobe-scenario/1"

// ScenarioSchemaPrefix is the part of the "$schema" value shared by every scenario version.
const ScenarioSchemaPrefix = "oobe-scenario/"

// InstallContext is whether an ESP item is tracked in the device or in the account phase.
type InstallContext string

const (
	// ContextDevice puts the item in Device setup.
	ContextDevice InstallContext = "device"
	// ContextUser puts the item in Account setup.
	ContextUser InstallContext = "user"
)

// Scenario is the emulator's own description of everything Microsoft Graph does not hold: the
// physical device, the networks in range, the update the device finds, the people who can sign
// in and what the Enrollment Status Page installs. It is stored as JSON with camelCase keys and
// the top-level marker "$schema": "oobe-scenario/1".
type Scenario struct {
	// Schema is the format marker, ScenarioSchema.
	Schema string `json:"$schema"`
	// Story tells a trainer what the scenario shows and the way out, in a few sentences; the
	// emulator does not use it.
	Story string `json:"story,omitempty"`
	// Tenant is the folder of tenant exports the scenario is played on, relative to the
	// scenario file: oobe --scenario FILE without --tenant loads it (a hybrid join's trainer
	// scenario names the hybrid tenant). Empty: the embedded demo tenant.
	Tenant string `json:"tenant,omitempty"`
	// Device is the hardware the emulator pretends to be.
	Device ScenarioDevice `json:"device"`
	// DisplayLanguages are the display languages installed on the image, default first.
	DisplayLanguages []string `json:"displayLanguages"`
	// Ethernet is the wired link at boot.
	Ethernet ScenarioEthernet `json:"ethernet"`
	// WiFi lists the wireless networks in range.
	WiFi []ScenarioWiFi `json:"wifi"`
	// Updates is what the zero-day update check finds.
	Updates ScenarioUpdates `json:"updates"`
	// Users are the accounts that can sign in.
	Users []ScenarioUser `json:"users"`
	// Apps are the required apps the ESP tracks.
	Apps []ScenarioApp `json:"apps"`
	// Handout turns the practice hand-out on: the first Wi-Fi network with internet and its
	// key, the first user and their password (and code), beside the page, as a lab sheet
	// would. The embedded demo turns it on; a scenario for a real rehearsal leaves it off.
	Handout bool `json:"handout,omitempty"`
	// Trainer enables the trainer panel (F9) for runs of this scenario, as --trainer does.
	Trainer bool `json:"trainer,omitempty"`
	// Faults names the failures of the catalogue (Faults) this scenario shows, each at its
	// place, as --fault does.
	Faults []string `json:"faults,omitempty"`
	// Policies are the security policies the ESP tracks.
	Policies []ScenarioItem `json:"policies"`
	// Certificates are the certificate profiles the ESP tracks.
	Certificates []ScenarioItem `json:"certificates"`
	// NetworkProfiles are the Wi-Fi/VPN profiles the ESP tracks.
	NetworkProfiles []ScenarioItem `json:"networkProfiles"`
	// IdentityProviderBlocked makes the sign-in service unreachable, as behind a proxy or a
	// firewall that blocks it: the sign-in fails with this code ("OOBEIDPS", "caa70007").
	IdentityProviderBlocked string `json:"identityProviderBlocked,omitempty"`
	// AccountIdentifying keeps Account setup on "Identifying" for good, as for a user without
	// an Intune licence (reference §6): the phase's timeout ends it.
	AccountIdentifying bool `json:"accountIdentifying,omitempty"`
	// Unregistered makes the device one Autopilot does not know (reference §1.1 step 3):
	// "not_registered" (its hardware hash was never uploaded) or "no_profile" (registered,
	// no deployment profile assigned); the ordinary OOBE runs. "" is a registered device.
	Unregistered string `json:"unregistered,omitempty"`
	// NetworkLost drops the device's internet: networks connect without it, and every call to
	// the cloud (sign-in, enrollment, the ESP's installs, updates) waits until it is back.
	NetworkLost bool `json:"networkLost,omitempty"`
	// DeviceSetupReboot makes the device restart once during ESP Device setup.
	DeviceSetupReboot bool `json:"deviceSetupReboot"`
	// IdleLockMinutes is the device's machine inactivity limit: a hybrid join's Account setup
	// left alone this long shows the Windows lock screen (Microsoft's hybrid tip); 0 never.
	IdleLockMinutes int `json:"idleLockMinutes,omitempty"`
	// DomainController is the on-premises domain controller a hybrid join needs.
	DomainController ScenarioDomainController `json:"domainController"`
	// VPN is the device VPN of a hybrid join off premises (with the profile's "Skip AD
	// connectivity check"); nil for none.
	VPN *ScenarioVPN `json:"vpn,omitempty"`
	// Proxy is the web proxy of the device's network; nil for none (oobe check reads it).
	Proxy *ScenarioProxy `json:"proxy,omitempty"`
	// DisableCmdRequest blocks the Shift+F10 command prompt, as a DisableCMDRequest.TAG file
	// in the image's %WINDIR%\Setup\Scripts does (reference §1.8).
	DisableCmdRequest bool `json:"disableCmdRequest,omitempty"`
	// VPNConnections are the VPN connections configured for all users on the device (what
	// Get-VpnConnection -AllUserConnection lists in the Shift+F10 PowerShell).
	VPNConnections []ScenarioVPNConnection `json:"vpnConnections,omitempty"`
	// ProfileAssignedLate assigns the deployment profile only after the device first asked
	// for it: the first download after power-on gets the default profile (Microsoft: a
	// registered device with no profile assigned takes the default one), a restart
	// (Shift+F10, shutdown /r /t 0) downloads the assigned one.
	ProfileAssignedLate bool `json:"profileAssignedLate,omitempty"`
}

// ScenarioVPN is the VPN a hybrid join uses to reach its domain controller when the device is
// off premises (Microsoft's hybrid tutorial, "Off-premises/Internet scenarios and VPN
// connectivity"): its client is a Device setup app, and the Windows sign-in screen offers the
// connection before the user signs in.
type ScenarioVPN struct {
	// Name is the connection's name on the sign-in screen.
	Name string `json:"name"`
	// AppID is the id of the device-context app in Apps that installs the VPN client.
	AppID string `json:"appId"`
	// ServerUnreachable makes the connection fail (the VPN server does not answer).
	ServerUnreachable bool `json:"serverUnreachable,omitempty"`
	// UserCertificate is true when the VPN authenticates with a user certificate: not
	// supported, since there is no user before the sign-in (oobe check warns).
	UserCertificate bool `json:"userCertificate,omitempty"`
	// StorePlugin is true for a non-Microsoft UWP VPN plug-in from the Microsoft Store: not
	// supported during Autopilot (oobe check warns).
	StorePlugin bool `json:"storePlugin,omitempty"`
}

// ScenarioProxy is the web proxy of the device's network.
type ScenarioProxy struct {
	// Server is the proxy, host:port.
	Server string `json:"server"`
	// WPAD is true when the proxy is found by Web Proxy Auto-Discovery, which a hybrid join
	// needs (Microsoft: "If using Proxy, Web Proxy Auto-Discovery Protocol (WPAD) Proxy
	// settings option must be enabled and configured").
	WPAD bool `json:"wpad,omitempty"`
}

// ScenarioVPNConnection is a VPN connection configured on the device.
type ScenarioVPNConnection struct {
	// Name is the connection's name, as RASDIAL takes it.
	Name string `json:"name"`
	// ServerAddress is the VPN server's host name.
	ServerAddress string `json:"serverAddress"`
	// TunnelType is Windows' tunnel type: Automatic (default), Ikev2, Sstp, L2tp or Pptp.
	TunnelType string `json:"tunnelType,omitempty"`
	// Unreachable makes the server not answer: RASDIAL fails with error 800.
	Unreachable bool `json:"unreachable,omitempty"`
}

// ScenarioDomainController is the Active Directory domain controller of a Microsoft Entra
// hybrid join (reference §1.4): whether the device has line of sight to it during ESP
// Device preparation.
type ScenarioDomainController struct {
	// Reachable is false when no domain controller answers the connectivity check (the ESP
	// fails with 0x80070774 unless the profile skips the check); nil (absent) means reachable.
	Reachable *bool `json:"reachable,omitempty"`
	// Domain is the domain the controller serves, for display; empty means the Domain Join
	// configuration's domain.
	Domain string `json:"domain,omitempty"`
}

// IsReachable reports whether the domain controller answers (true when Reachable is absent).
func (d ScenarioDomainController) IsReachable() bool { return d.Reachable == nil || *d.Reachable }

// ScenarioDevice is the emulated hardware.
type ScenarioDevice struct {
	// Serial is the hardware serial number (used by %SERIAL% in name templates).
	Serial string `json:"serial"`
	// Manufacturer is the OEM name, e.g. "HP".
	Manufacturer string `json:"manufacturer"`
	// Model is the model name.
	Model string `json:"model"`
}

// ScenarioEthernet is the wired network at boot.
type ScenarioEthernet struct {
	// Present is true when a cable is plugged in.
	Present bool `json:"present"`
	// Internet is true when the wired link reaches the internet.
	Internet bool `json:"internet"`
}

// ScenarioWiFi is one wireless network in range.
type ScenarioWiFi struct {
	// SSID is the network name.
	SSID string `json:"ssid"`
	// Signal is the strength in bars, 1 to 4.
	Signal int `json:"signal"`
	// Security is open, psk or enterprise.
	Security flow.Security `json:"security"`
	// Key is the network security key of a psk network.
	// SECRET: scenario data only; it must never be logged or recorded.
	Key string `json:"key,omitempty"`
	// Internet is false for a network that connects but has no internet (captive portal).
	Internet bool `json:"internet"`
	// Hidden keeps the network out of scan results; it is reachable through "Hidden network".
	Hidden bool `json:"hidden,omitempty"`
	// CertificatePrompt makes an enterprise network's server present a certificate the device
	// cannot verify: Windows asks "Continue connecting?" before it connects.
	CertificatePrompt bool `json:"certificatePrompt,omitempty"`
}

// ScenarioUpdates is what the zero-day update check finds and how long each part takes.
type ScenarioUpdates struct {
	// Available is true when there is an update to download and install.
	Available bool `json:"available"`
	// Restart is true when the update needs a restart (only with Available).
	Restart bool `json:"restart"`
	// CheckSeconds is the emulated duration of the check.
	CheckSeconds float64 `json:"checkSeconds"`
	// DownloadSeconds is the emulated duration of the download.
	DownloadSeconds float64 `json:"downloadSeconds"`
	// InstallSeconds is the emulated duration of the installation.
	InstallSeconds float64 `json:"installSeconds"`
	// RestartSeconds is the emulated duration of the restart.
	RestartSeconds float64 `json:"restartSeconds"`
}

// ScenarioUser is an account that can sign in.
type ScenarioUser struct {
	// UPN is the user principal name, e.g. megan.rivera@larkspuraero.com.
	UPN string `json:"upn"`
	// DisplayName is the name shown in greetings.
	DisplayName string `json:"displayName"`
	// Password is the account password.
	// SECRET: scenario data only; it must never be logged or recorded.
	Password string `json:"password"`
	// MFA is how the user answers the multifactor challenge.
	MFA flow.MFAMethod `json:"mfa"`
	// MFADeny makes the user deny the challenge (the sign-in fails).
	MFADeny bool `json:"mfaDeny,omitempty"`
	// Licensed is false for a user without an Intune licence (enrollment fails with 0x80180018).
	Licensed bool `json:"licensed"`
	// MFACode is the verification code the user's Authenticator app shows; DefaultMFACode
	// when empty.
	// SECRET: scenario data only; it must never be logged or recorded.
	MFACode string `json:"mfaCode,omitempty"`
	// EnrollError makes enrollment fail for this user with this code (hex, e.g. "801c0003"),
	// to demonstrate the errors of reference §6; it wins over Licensed.
	EnrollError string `json:"enrollError,omitempty"`
}

// DefaultMFACode is the verification code accepted for a user without an MFACode.
const DefaultMFACode = "246810"

// Code returns the verification code the user's Authenticator app shows.
func (u ScenarioUser) Code() string {
	if u.MFACode == "" {
		return DefaultMFACode
	}
	return u.MFACode
}

// ScenarioApp is a required app the ESP tracks.
type ScenarioApp struct {
	// ID is the Intune app id (a GUID; matches ESP selectedMobileAppIds).
	ID string `json:"id"`
	// Name is the app's display name.
	Name string `json:"name"`
	// Context is device (Device setup) or user (Account setup); empty means device.
	Context InstallContext `json:"context"`
	// Seconds is the emulated install duration.
	Seconds float64 `json:"seconds"`
	// FailCode is "" for success or the failure code shown, e.g. "0x81036502".
	FailCode string `json:"failCode,omitempty"`
	// RebootAfter makes the device restart after this app (Device setup only).
	RebootAfter bool `json:"rebootAfter,omitempty"`
	// ConfigurationManagerClient marks the Configuration Manager client (ccmsetup): not to be
	// installed during a hybrid user-driven deployment (oobe check warns).
	ConfigurationManagerClient bool `json:"configurationManagerClient,omitempty"`
	// FailTimes makes the app fail (with FailCode) only on its first FailTimes install attempts
	// and succeed afterwards, so Try again can be shown working; 0 with a FailCode means it
	// always fails.
	FailTimes int `json:"failTimes,omitempty"`
	// FailFor limits the failure to these users (UPNs, case-insensitive); empty means the app
	// fails for everyone when FailCode is set.
	FailFor []string `json:"failFor,omitempty"`
}

// Fails reports whether install attempt number attempt (1-based) of the app fails when upn is
// signed in.
func (a ScenarioApp) Fails(upn string, attempt int) bool {
	if a.FailCode == "" {
		return false
	}
	if len(a.FailFor) > 0 {
		found := false
		for _, u := range a.FailFor {
			if strings.EqualFold(strings.TrimSpace(u), strings.TrimSpace(upn)) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return a.FailTimes <= 0 || attempt <= a.FailTimes
}

// ScenarioItem is a policy, certificate or network profile the ESP tracks.
type ScenarioItem struct {
	// Name is the item's display name.
	Name string `json:"name"`
	// Context is device (Device setup) or user (Account setup); empty means device.
	Context InstallContext `json:"context"`
	// Seconds is the emulated apply duration.
	Seconds float64 `json:"seconds"`
	// FailCode is "" for success or the failure code shown, e.g. "0x87d1fde8".
	FailCode string `json:"failCode,omitempty"`
}

// DefaultScenario is the scenario used when a tenant folder has none: one display language,
// no cable, one open Wi-Fi network with internet, no update, no users and nothing to install.
func DefaultScenario() Scenario {
	return Scenario{
		Schema:           ScenarioSchema,
		DisplayLanguages: []string{"en-US"},
		WiFi: []ScenarioWiFi{
			{SSID: "OOBE-Lab", Signal: 4, Security: flow.SecurityOpen, Internet: true},
		},
		Updates: ScenarioUpdates{CheckSeconds: 3},
	}
}

// User returns the scenario user whose UPN matches upn (case-insensitive).
func (s Scenario) User(upn string) (ScenarioUser, bool) {
	upn = strings.TrimSpace(upn)
	for _, u := range s.Users {
		if strings.EqualFold(u.UPN, upn) {
			return u, true
		}
	}
	return ScenarioUser{}, false
}

// app returns the app with this id, nil when there is none.
func (s *Scenario) app(id string) *ScenarioApp {
	for i := range s.Apps {
		if s.Apps[i].ID == id {
			return &s.Apps[i]
		}
	}
	return nil
}

// Network returns the Wi-Fi network with exactly this SSID, hidden or not.
func (s Scenario) Network(ssid string) (ScenarioWiFi, bool) {
	for _, n := range s.WiFi {
		if n.SSID == ssid {
			return n, true
		}
	}
	return ScenarioWiFi{}, false
}

// Redacted returns a deep copy with every password and network key replaced by "***", safe to
// log or record.
func (s Scenario) Redacted() Scenario {
	out := s
	out.DisplayLanguages = append([]string(nil), s.DisplayLanguages...)
	out.WiFi = append([]ScenarioWiFi(nil), s.WiFi...)
	for i := range out.WiFi {
		if out.WiFi[i].Key != "" {
			out.WiFi[i].Key = "***"
		}
	}
	out.Users = append([]ScenarioUser(nil), s.Users...)
	for i := range out.Users {
		if out.Users[i].Password != "" {
			out.Users[i].Password = "***"
		}
		if out.Users[i].MFACode != "" {
			out.Users[i].MFACode = "***"
		}
	}
	out.Apps = append([]ScenarioApp(nil), s.Apps...)
	for i := range out.Apps {
		out.Apps[i].FailFor = append([]string(nil), s.Apps[i].FailFor...)
	}
	out.Policies = append([]ScenarioItem(nil), s.Policies...)
	out.Certificates = append([]ScenarioItem(nil), s.Certificates...)
	out.NetworkProfiles = append([]ScenarioItem(nil), s.NetworkProfiles...)
	out.Faults = slices.Clone(s.Faults)
	out.VPNConnections = slices.Clone(s.VPNConnections)
	if r := s.DomainController.Reachable; r != nil {
		v := *r
		out.DomainController.Reachable = &v
	}
	if s.VPN != nil {
		v := *s.VPN
		out.VPN = &v
	}
	if s.Proxy != nil {
		p := *s.Proxy
		out.Proxy = &p
	}
	return out
}

var (
	languageTagRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	failCodeRE    = regexp.MustCompile(`^0[xX][0-9A-Fa-f]{1,8}$`)
	mfaCodeRE     = regexp.MustCompile(`^[0-9]{6,8}$`)
	enrollCodeRE  = regexp.MustCompile(`^(0[xX])?[0-9A-Fa-f]{8}$`)
)

// Validate checks the scenario's values. It returns nil or errors.Join of one error per
// problem, each reading "$.json.path: message" on one line; secrets are never quoted.
func (s Scenario) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	if s.Schema != ScenarioSchema {
		bad("$.$schema", "want %q, got %q", ScenarioSchema, s.Schema)
	}
	for i, l := range s.DisplayLanguages {
		if !languageTagRE.MatchString(l) {
			bad(fmt.Sprintf("$.displayLanguages[%d]", i), "want a language tag like en-US, got %q", l)
		}
	}
	if s.Ethernet.Internet && !s.Ethernet.Present {
		bad("$.ethernet.internet", "internet needs present: true")
	}
	if v := s.VPN; v != nil {
		switch {
		case strings.TrimSpace(v.Name) == "":
			bad("$.vpn.name", "must not be empty")
		case strings.TrimSpace(v.AppID) == "":
			bad("$.vpn.appId", "must name the app in $.apps that installs the VPN client")
		default:
			i := slices.IndexFunc(s.Apps, func(a ScenarioApp) bool { return strings.EqualFold(a.ID, v.AppID) })
			switch {
			case i < 0:
				bad("$.vpn.appId", "%q is not the id of an app in $.apps", v.AppID)
			case s.Apps[i].Context == ContextUser:
				bad("$.vpn.appId", "the VPN client %q must be a device app (Device setup), not a user one", s.Apps[i].Name)
			}
		}
	}
	if p := s.Proxy; p != nil && strings.TrimSpace(p.Server) == "" {
		bad("$.proxy.server", "must not be empty (host:port)")
	}
	if t := s.Tenant; t != "" && (filepath.IsAbs(t) || strings.HasPrefix(t, "/") || strings.HasPrefix(t, `\`) || filepath.VolumeName(t) != "") {
		bad("$.tenant", "want a folder relative to the scenario file, got %q", t)
	}
	if s.IdleLockMinutes < 0 || s.IdleLockMinutes > 1440 {
		bad("$.idleLockMinutes", "want 0 (never) to 1440 minutes, got %d", s.IdleLockMinutes)
	}
	seen := map[string]int{}
	for i, n := range s.WiFi {
		p := fmt.Sprintf("$.wifi[%d]", i)
		switch {
		case n.SSID == "":
			bad(p+".ssid", "must not be empty")
		case len(n.SSID) > 32:
			bad(p+".ssid", "longer than 32 bytes")
		}
		if j, dup := seen[n.SSID]; dup && n.SSID != "" {
			bad(p+".ssid", "%q already used by $.wifi[%d]", n.SSID, j)
		} else {
			seen[n.SSID] = i
		}
		if n.Signal < 1 || n.Signal > 4 {
			bad(p+".signal", "want 1 to 4, got %d", n.Signal)
		}
		switch n.Security {
		case flow.SecurityOpen, flow.SecurityEnterprise:
		case flow.SecurityPSK:
			if l := len(n.Key); l < 8 || l > 63 {
				bad(p+".key", "a psk key must be 8 to 63 characters, got %d", l)
			}
		default:
			bad(p+".security", "want open, psk or enterprise, got %q", n.Security)
		}
	}
	switch s.Unregistered {
	case "", "not_registered", "no_profile":
	default:
		bad("$.unregistered", "want not_registered or no_profile, got %q", s.Unregistered)
	}
	for i, spec := range s.Faults {
		f, err := flow.ParseFaultSpec(spec)
		switch {
		case err != nil:
			bad(fmt.Sprintf("$.faults[%d]", i), "%s", flow.AsError(err).Detail)
		case !slices.ContainsFunc(faults, func(c Fault) bool { return c.Name == f.Name }):
			bad(fmt.Sprintf("$.faults[%d]", i), "no fault named %q (oobe faults lists them)", f.Name)
		}
	}
	u := s.Updates
	for _, d := range []struct {
		name string
		v    float64
	}{
		{"checkSeconds", u.CheckSeconds}, {"downloadSeconds", u.DownloadSeconds},
		{"installSeconds", u.InstallSeconds}, {"restartSeconds", u.RestartSeconds},
	} {
		if d.v < 0 || d.v > 86400 {
			bad("$.updates."+d.name, "want 0 to 86400, got %g", d.v)
		}
	}
	upns := map[string]int{}
	for i, usr := range s.Users {
		p := fmt.Sprintf("$.users[%d]", i)
		if at := strings.LastIndex(usr.UPN, "@"); at <= 0 || at == len(usr.UPN)-1 || strings.ContainsAny(usr.UPN, " \t") {
			bad(p+".upn", "want name@domain, got %q", usr.UPN)
		}
		key := strings.ToLower(usr.UPN)
		if j, dup := upns[key]; dup {
			bad(p+".upn", "%q already used by $.users[%d]", usr.UPN, j)
		} else {
			upns[key] = i
		}
		if usr.Password == "" {
			bad(p+".password", "must not be empty")
		}
		switch usr.MFA {
		case flow.MFANone, flow.MFAPush, flow.MFACode:
		default:
			bad(p+".mfa", "want none, push or code, got %q", usr.MFA)
		}
		if usr.MFACode != "" && !mfaCodeRE.MatchString(usr.MFACode) {
			bad(p+".mfaCode", "want 6 to 8 digits")
		}
		if usr.EnrollError != "" && !enrollCodeRE.MatchString(usr.EnrollError) {
			bad(p+".enrollError", "want an 8-digit hex code like 80180018, got %q", usr.EnrollError)
		}
	}
	ids := map[string]int{}
	for i, a := range s.Apps {
		p := fmt.Sprintf("$.apps[%d]", i)
		if a.ID == "" {
			bad(p+".id", "must not be empty")
		} else if j, dup := ids[strings.ToLower(a.ID)]; dup {
			bad(p+".id", "%q already used by $.apps[%d]", a.ID, j)
		} else {
			ids[strings.ToLower(a.ID)] = i
		}
		if a.Name == "" {
			bad(p+".name", "must not be empty")
		}
		checkItem(bad, p, a.Context, a.Seconds, a.FailCode)
		if a.RebootAfter && a.Context == ContextUser {
			bad(p+".rebootAfter", "restarts are only supported in Device setup (context device)")
		}
		if a.FailTimes < 0 {
			bad(p+".failTimes", "want 0 or more, got %d", a.FailTimes)
		} else if a.FailTimes > 0 && a.FailCode == "" {
			bad(p+".failTimes", "needs a failCode")
		}
		if len(a.FailFor) > 0 && a.FailCode == "" {
			bad(p+".failFor", "needs a failCode")
		}
		for j, u := range a.FailFor {
			if at := strings.LastIndex(u, "@"); at <= 0 || at == len(u)-1 {
				bad(fmt.Sprintf("%s.failFor[%d]", p, j), "want name@domain, got %q", u)
			}
		}
	}
	for _, list := range []struct {
		key   string
		items []ScenarioItem
	}{{"policies", s.Policies}, {"certificates", s.Certificates}, {"networkProfiles", s.NetworkProfiles}} {
		for i, it := range list.items {
			p := fmt.Sprintf("$.%s[%d]", list.key, i)
			if it.Name == "" {
				bad(p+".name", "must not be empty")
			}
			checkItem(bad, p, it.Context, it.Seconds, it.FailCode)
		}
	}
	vpns := map[string]int{}
	for i, v := range s.VPNConnections {
		p := fmt.Sprintf("$.vpnConnections[%d]", i)
		if strings.TrimSpace(v.Name) == "" {
			bad(p+".name", "must not be empty")
		} else if j, dup := vpns[strings.ToLower(v.Name)]; dup {
			bad(p+".name", "%q already used by $.vpnConnections[%d]", v.Name, j)
		} else {
			vpns[strings.ToLower(v.Name)] = i
		}
		if strings.TrimSpace(v.ServerAddress) == "" || strings.ContainsAny(v.ServerAddress, " \t/") {
			bad(p+".serverAddress", "want a host name like vpn.example.com, got %q", v.ServerAddress)
		}
		switch strings.ToLower(v.TunnelType) {
		case "", "automatic", "ikev2", "sstp", "l2tp", "pptp":
		default:
			bad(p+".tunnelType", "want Automatic, Ikev2, Sstp, L2tp or Pptp, got %q", v.TunnelType)
		}
	}
	return errors.Join(errs...)
}

func checkItem(bad func(string, string, ...any), p string, c InstallContext, secs float64, code string) {
	switch c {
	case "", ContextDevice, ContextUser:
	default:
		bad(p+".context", "want device or user, got %q", c)
	}
	if secs < 0 || secs > 86400 {
		bad(p+".seconds", "want 0 to 86400, got %g", secs)
	}
	if code != "" && !failCodeRE.MatchString(code) {
		bad(p+".failCode", "want \"\" or a hex code like 0x81036502, got %q", code)
	}
}

// Clone returns a deep copy of s (its lists are not shared).
func (s Scenario) Clone() Scenario {
	s.DisplayLanguages = slices.Clone(s.DisplayLanguages)
	s.WiFi = slices.Clone(s.WiFi)
	s.Users = slices.Clone(s.Users)
	s.Apps = slices.Clone(s.Apps)
	for i := range s.Apps {
		s.Apps[i].FailFor = slices.Clone(s.Apps[i].FailFor)
	}
	s.Policies = slices.Clone(s.Policies)
	s.Certificates = slices.Clone(s.Certificates)
	s.NetworkProfiles = slices.Clone(s.NetworkProfiles)
	s.Faults = slices.Clone(s.Faults)
	if r := s.DomainController.Reachable; r != nil {
		v := *r
		s.DomainController.Reachable = &v
	}
	if s.VPN != nil {
		v := *s.VPN
		s.VPN = &v
	}
	if s.Proxy != nil {
		p := *s.Proxy
		s.Proxy = &p
	}
	return s
}

// Package convert turns a normalized deployment profile into the AutopilotConfigurationFile.json
// that Microsoft's converter (ConvertTo-AutopilotConfigurationJSON in the
// WindowsAutopilotIntune module, reference §2.8) writes for it.
//
// # Values
//
// Every value follows the converter:
//
//   - Version 2049; Comment_File "Profile <displayName>"; ZtdCorrelationId the profile id;
//   - CloudAssignedTenantId and CloudAssignedTenantDomain (the default verified domain) from
//     the organization;
//   - CloudAssignedOobeConfig = 8 (SkipOemRegistration) + 256 (SkipWindowsUpgradeUX), +2 for a
//     standard user, +4 privacy hidden, +16 EULA hidden, +1024 keyboard skipped, +32+64
//     self-deploying (deviceUsageType shared);
//   - CloudAssignedDomainJoinMethod 0 (Entra join) or 1 (hybrid join);
//   - CloudAssignedForcedEnrollment 1 when the escape link is hidden, else 0, and the same
//     value as ForcedEnrollment inside CloudAssignedAadServerData, a string holding the
//     compressed JSON {"ZeroTouchConfig":{"CloudAssignedTenantUpn":"","ForcedEnrollment":N,
//     "CloudAssignedTenantDomain":"<domain>"}};
//   - CloudAssignedDeviceName, the name template, on Entra join profiles that have one;
//   - CloudAssignedLanguage and CloudAssignedRegion, the locale, only when the keyboard is
//     skipped and the profile fixes a language;
//   - HybridJoinSkipDCConnectivityCheck 1 on hybrid profiles that skip the check;
//   - CloudAssignedAutopilotUpdateDisabled 1 and CloudAssignedAutopilotUpdateTimeout 1800000,
//     hard-coded.
//
// Two deliberate differences from the PowerShell function: it writes CloudAssignedLanguage
// whenever the deprecated "language" property is truthy, "os-default" included, which Windows
// cannot apply; here a language is written only when the profile fixes one
// (flow.Profile.LocaleSet). And a hybrid profile never carries a name template (the Domain
// Join configuration names the device), so none is written for it.
//
// # Layout
//
// The file is written the way the converter's output is saved by Windows PowerShell 5.1
// (ConvertTo-Json, then Out-File -Encoding ASCII): four-space indent, two spaces after each
// colon, CRLF line endings and a final CRLF. Strings are escaped like ConvertTo-Json
// (JavaScriptSerializer) escapes them — \" \\ \b \f \n \r \t, other control characters and
// < > & ' as \u00XX — and every non-ASCII character is written as \uXXXX (UTF-16, surrogate
// pairs beyond U+FFFF), so the file is pure ASCII and no character is lost (Out-File would
// turn it into "?").
//
// # Key order
//
// PowerShell builds the object in a Hashtable, so ConvertTo-Json emits the keys in the
// table's bucket order, which depends on .NET string hashes and on which keys are present: it
// is not meaningful, and real files show different orders. Windows reads the keys by name.
// This package uses one fixed order, the one of the Entra sample
// (samples/AutopilotConfigurationFile.json) so that sample is reproduced byte for
// byte; optional keys are left out where absent, and HybridJoinSkipDCConnectivityCheck, which
// that sample lacks, goes between Comment_File and CloudAssignedAadServerData, where a real
// hybrid file converted by the tool has it:
//
//	CloudAssignedTenantId, CloudAssignedDeviceName, CloudAssignedAutopilotUpdateTimeout,
//	CloudAssignedAutopilotUpdateDisabled, CloudAssignedForcedEnrollment, Version,
//	Comment_File, HybridJoinSkipDCConnectivityCheck, CloudAssignedAadServerData,
//	CloudAssignedRegion, CloudAssignedTenantDomain, CloudAssignedDomainJoinMethod,
//	CloudAssignedOobeConfig, ZtdCorrelationId, CloudAssignedLanguage
//
// Inside CloudAssignedAadServerData the order is the converter's:
// CloudAssignedTenantUpn, ForcedEnrollment, CloudAssignedTenantDomain.
package convert

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/tenant"
)

// FileName is the name Windows requires for the file (reference §2.8).
const FileName = "AutopilotConfigurationFile.json"

// Bits of CloudAssignedOobeConfig the converter sets (reference §2.8); the importer owns the
// full table (tenant.Bit…).
const (
	BitStandardUser    = tenant.BitOobeUserNotLocalAdmin
	BitPrivacyHidden   = tenant.BitSkipExpressSettings
	BitSkipOEM         = tenant.BitSkipOemRegistration // always set
	BitEULAHidden      = tenant.BitSkipEula
	BitTPMAttestation  = tenant.BitTPMAttestation       // self-deploying
	BitAADDeviceAuth   = tenant.BitAADDeviceAuth        // self-deploying
	BitSkipUpgradeUX   = tenant.BitSkipWindowsUpgradeUX // always set
	BitKeyboardSkipped = tenant.BitSkipKeyboard

	// BaseOobeConfig is the value every converted profile starts from (264).
	BaseOobeConfig = BitSkipOEM + BitSkipUpgradeUX
)

// Hard-coded values of the converter.
const (
	version             = 2049
	updateTimeoutMillis = 1800000
	updateDisabled      = 1
)

// Result is a converted file and what the conversion could not carry faithfully.
type Result struct {
	// Data is the file's bytes: ASCII, CRLF line endings, ending with CRLF.
	Data []byte
	// Warnings are one-line findings, e.g. a self-deploying profile, which the file format
	// does not support.
	Warnings []string
}

// OobeConfig returns the CloudAssignedOobeConfig bitmask the converter computes for p (the
// importer's tenant.OOBEConfigFor, which also checks configuration files against profiles).
func OobeConfig(p flow.Profile) int { return tenant.OOBEConfigFor(p) }

var guidRE = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// Convert builds the AutopilotConfigurationFile.json for profile p of organization org.
// It fails when a required value is missing: the profile id (ZtdCorrelationId), the tenant
// id or the tenant's default (or initial) domain. Settings the file cannot express are
// reported in Result.Warnings; the file is still written the way Microsoft's converter
// writes it.
func Convert(p flow.Profile, org flow.Organization) (Result, error) {
	var errs []string
	id := strings.TrimSpace(p.ID)
	tenantID := strings.TrimSpace(org.ID)
	domain := strings.TrimSpace(org.DefaultDomain)
	if domain == "" {
		domain = strings.TrimSpace(org.InitialDomain)
	}
	if id == "" {
		errs = append(errs, "the deployment profile has no id (needed for ZtdCorrelationId)")
	}
	if tenantID == "" {
		errs = append(errs, "the organization has no tenant id (needed for CloudAssignedTenantId)")
	}
	if domain == "" {
		errs = append(errs, "the organization has no default verified domain (needed for CloudAssignedTenantDomain)")
	}
	if len(errs) > 0 {
		return Result{}, errors.New(strings.Join(errs, "; "))
	}

	var warns []string
	if !guidRE.MatchString(id) {
		warns = append(warns, fmt.Sprintf("profile id %q is not a GUID; ZtdCorrelationId must be one", id))
	}
	if !guidRE.MatchString(tenantID) {
		warns = append(warns, fmt.Sprintf("tenant id %q is not a GUID (no braces); CloudAssignedTenantId must be one", tenantID))
	}
	if p.Mode == flow.ModeSelfDeploying {
		warns = append(warns, "self-deploying profile (deviceUsageType shared): converted with bits 32+64 as Microsoft's converter does, "+
			"but Windows does not support self-deploying mode from AutopilotConfigurationFile.json (it needs TPM attestation)")
	}
	if p.PreprovisioningAllowed {
		warns = append(warns, "pre-provisioning is allowed by the profile but not supported from AutopilotConfigurationFile.json; the setting is not carried")
	}
	if p.KeyboardSkipped && !p.LocaleSet() {
		warns = append(warns, "keyboard skipping is on but the profile sets no language: bit 1024 is written, no CloudAssignedLanguage, so Windows still asks for the keyboard")
	}

	forced := 0
	if p.EscapeLinkHidden {
		forced = 1
	}
	join := 0
	if p.Join == flow.JoinHybrid {
		join = 1
	}
	tpl := strings.TrimSpace(p.DeviceNameTemplate)
	if tpl != "" && p.Join == flow.JoinHybrid {
		warns = append(warns, fmt.Sprintf("hybrid join never uses a name template; %q not written", tpl))
		tpl = ""
	}
	lang := ""
	if p.KeyboardSkipped && p.LocaleSet() {
		lang = strings.TrimSpace(p.Locale)
	}

	// ConvertTo-Json $ztc -Compress: {"ZeroTouchConfig":{…}} with no spaces.
	aad := `{"ZeroTouchConfig":{"CloudAssignedTenantUpn":"","ForcedEnrollment":` + strconv.Itoa(forced) +
		`,"CloudAssignedTenantDomain":` + quote(domain) + `}}`

	var kv []member
	add := func(k, v string) { kv = append(kv, member{k, v}) }
	num := strconv.Itoa
	add("CloudAssignedTenantId", quote(tenantID))
	if tpl != "" {
		add("CloudAssignedDeviceName", quote(tpl))
	}
	add("CloudAssignedAutopilotUpdateTimeout", num(updateTimeoutMillis))
	add("CloudAssignedAutopilotUpdateDisabled", num(updateDisabled))
	add("CloudAssignedForcedEnrollment", num(forced))
	add("Version", num(version))
	add("Comment_File", quote("Profile "+p.Name))
	if p.Join == flow.JoinHybrid && p.SkipDCCheck {
		add("HybridJoinSkipDCConnectivityCheck", "1")
	}
	add("CloudAssignedAadServerData", quote(aad))
	if lang != "" {
		add("CloudAssignedRegion", quote(lang))
	}
	add("CloudAssignedTenantDomain", quote(domain))
	add("CloudAssignedDomainJoinMethod", num(join))
	add("CloudAssignedOobeConfig", num(OobeConfig(p)))
	add("ZtdCorrelationId", quote(id))
	if lang != "" {
		add("CloudAssignedLanguage", quote(lang))
	}
	return Result{Data: render(kv), Warnings: warns}, nil
}

// ConfigFile returns only the bytes of Convert(p, org).
func ConfigFile(p flow.Profile, org flow.Organization) ([]byte, error) {
	r, err := Convert(p, org)
	return r.Data, err
}

// member is one key and its already encoded JSON value.
type member struct{ key, value string }

// render writes a flat object in Windows PowerShell 5.1 ConvertTo-Json layout, CRLF.
func render(kv []member) []byte {
	var b strings.Builder
	b.WriteString("{\r\n")
	for i, m := range kv {
		b.WriteString("    ")
		b.WriteString(quote(m.key))
		b.WriteString(":  ")
		b.WriteString(m.value)
		if i < len(kv)-1 {
			b.WriteByte(',')
		}
		b.WriteString("\r\n")
	}
	b.WriteString("}\r\n")
	return []byte(b.String())
}

// quote encodes s as a JSON string the way ConvertTo-Json (JavaScriptSerializer) does, with
// every non-ASCII character escaped as \uXXXX so that the result is pure ASCII. Invalid
// UTF-8 bytes become U+FFFD.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '<', '>', '&', '\'':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			switch {
			case r < 0x20:
				fmt.Fprintf(&b, `\u%04x`, r)
			case r < 0x80:
				b.WriteRune(r)
			case r > 0xFFFF:
				hi, lo := utf16.EncodeRune(r)
				fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
			default:
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

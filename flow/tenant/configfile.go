package tenant

import (
	"regexp"
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// OOBEBit is one bit of CloudAssignedOobeConfig (reference §2.8).
type OOBEBit struct {
	// Value is the bit's value (1, 2, 4…).
	Value int64 `json:"value"`
	// Name is the bit's name, like SkipEula.
	Name string `json:"name"`
	// Meaning says what it does.
	Meaning string `json:"meaning"`
}

// The bits of CloudAssignedOobeConfig.
const (
	BitSkipCortanaOptIn      = 1
	BitOobeUserNotLocalAdmin = 2
	BitSkipExpressSettings   = 4
	BitSkipOemRegistration   = 8
	BitSkipEula              = 16
	BitTPMAttestation        = 32
	BitAADDeviceAuth         = 64
	BitAADTPMRequired        = 128
	BitSkipWindowsUpgradeUX  = 256
	BitEnablePatchDownload   = 512
	BitSkipKeyboard          = 1024
	// KnownOOBEBits is every documented bit; anything above is unknown.
	KnownOOBEBits = 2047
)

var oobeBits = []OOBEBit{
	{BitSkipCortanaOptIn, "SkipCortanaOptIn", "skip the Cortana introduction (Windows 10 only)"},
	{BitOobeUserNotLocalAdmin, "OobeUserNotLocalAdmin", "standard user (not a local administrator)"},
	{BitSkipExpressSettings, "SkipExpressSettings", "privacy settings page hidden"},
	{BitSkipOemRegistration, "SkipOemRegistration", "OEM registration pages skipped"},
	{BitSkipEula, "SkipEula", "license agreement hidden"},
	{BitTPMAttestation, "TpmAttestation", "TPM attestation (self-deploying / pre-provisioning)"},
	{BitAADDeviceAuth, "AadDeviceAuth", "device-token join (self-deploying)"},
	{BitAADTPMRequired, "AadTpmRequired", "TPM required for the join"},
	{BitSkipWindowsUpgradeUX, "SkipWindowsUpgradeUX", "Windows upgrade experience skipped"},
	{BitEnablePatchDownload, "EnablePatchDownload", "update download allowed in OOBE"},
	{BitSkipKeyboard, "SkipKeyboard", "keyboard pages skipped"},
}

// DecodeOOBEConfig splits a CloudAssignedOobeConfig value into its documented bits (lowest
// first) and the value of the undocumented bits left over.
func DecodeOOBEConfig(v int64) (bits []OOBEBit, unknown int64) {
	for _, b := range oobeBits {
		if v&b.Value != 0 {
			bits = append(bits, b)
		}
	}
	return bits, v &^ KnownOOBEBits
}

// OOBEConfigFor returns the CloudAssignedOobeConfig Microsoft's converter writes for p
// (reference §2.8): 8+256, +2 for a standard user, +4 privacy hidden, +16 EULA hidden, +1024
// keyboard skipped, +32+64 self-deploying.
func OOBEConfigFor(p flow.Profile) int {
	v := BitSkipOemRegistration + BitSkipWindowsUpgradeUX
	if p.UserType == flow.UserStandard {
		v += BitOobeUserNotLocalAdmin
	}
	if p.PrivacyHidden {
		v += BitSkipExpressSettings
	}
	if p.EULAHidden {
		v += BitSkipEula
	}
	if p.KeyboardSkipped {
		v += BitSkipKeyboard
	}
	if p.Mode == flow.ModeSelfDeploying {
		v += BitTPMAttestation + BitAADDeviceAuth
	}
	return v
}

// ZeroTouchConfig is the decoded CloudAssignedAadServerData.
type ZeroTouchConfig struct {
	// TenantUPN is CloudAssignedTenantUpn: a pre-assigned user ("" for none).
	TenantUPN string `json:"tenantUpn"`
	// ForcedEnrollment is 1 when the escape link is hidden.
	ForcedEnrollment int `json:"forcedEnrollment"`
	// TenantDomain is CloudAssignedTenantDomain.
	TenantDomain string `json:"tenantDomain"`
}

// ConfigFileInfo holds the decoded values of an AutopilotConfigurationFile.json.
type ConfigFileInfo struct {
	Version          int              `json:"version,omitempty"`
	Comment          string           `json:"comment,omitempty"`
	TenantID         string           `json:"tenantId"`
	TenantDomain     string           `json:"tenantDomain"`
	OOBEConfig       int64            `json:"oobeConfig"`
	Bits             []OOBEBit        `json:"bits"`
	UnknownBits      int64            `json:"unknownBits,omitempty"`
	DomainJoinMethod int              `json:"domainJoinMethod"`
	ForcedEnrollment int              `json:"forcedEnrollment"`
	ZtdCorrelationID string           `json:"ztdCorrelationId"`
	ZeroTouchConfig  *ZeroTouchConfig `json:"zeroTouchConfig,omitempty"`
	DeviceName       string           `json:"deviceName,omitempty"`
	Language         string           `json:"language,omitempty"`
	Region           string           `json:"region,omitempty"`
	SkipDCCheck      bool             `json:"skipDCCheck,omitempty"`
	Encoding         Encoding         `json:"encoding"`
}

var (
	guidRE       = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)
	bracedGUIDRE = regexp.MustCompile(`^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$`)
)

// isGUID reports whether s is a GUID without braces (any case).
func isGUID(s string) bool { return guidRE.MatchString(s) }

// sameGUID compares two GUIDs case-insensitively, ignoring braces and spaces.
func sameGUID(a, b string) bool {
	norm := func(s string) string { return strings.Trim(strings.TrimSpace(s), "{}") }
	a, b = norm(a), norm(b)
	return a != "" && strings.EqualFold(a, b)
}

// normConfigFile turns an AutopilotConfigurationFile.json into a profile (reference §2.8).
func normConfigFile(it *item, enc Encoding, c *ctx) (flow.Profile, *ConfigFileInfo) {
	r := it.raw.(*rawConfigFile)
	info := &ConfigFileInfo{Encoding: enc}
	p := flow.DefaultProfile()

	str := func(s *string) string { return strings.TrimSpace(deref(s, "")) }
	info.Version = deref(r.Version, 0)
	if r.Version != nil && *r.Version != 2049 {
		c.at(it, SeverityInfo, ".Version", "%d; every known converter writes 2049", *r.Version)
	}
	info.Comment = str(r.CommentFile)
	p.Name = strings.TrimSpace(strings.TrimPrefix(info.Comment, "Profile "))

	info.TenantID = str(r.TenantID)
	switch {
	case r.TenantID == nil:
		c.at(it, SeverityError, "", "missing required key CloudAssignedTenantId (the Entra tenant id, a GUID)")
	case bracedGUIDRE.MatchString(info.TenantID):
		c.at(it, SeverityError, ".CloudAssignedTenantId", "want a GUID without braces, got %q", info.TenantID)
	case !isGUID(info.TenantID):
		c.at(it, SeverityError, ".CloudAssignedTenantId", "want a GUID like 830ee90b-c3fc-4221-aff3-23dade68d311, got %q", info.TenantID)
	}
	info.TenantDomain = str(r.TenantDomain)
	if r.TenantDomain == nil || info.TenantDomain == "" {
		c.at(it, SeverityWarning, "", "missing CloudAssignedTenantDomain: the sign-in page cannot show the tenant's domain")
	}

	if r.OOBEConfig == nil {
		c.at(it, SeverityError, "", "missing required key CloudAssignedOobeConfig (the OOBE bitmask, a number)")
	} else {
		v := *r.OOBEConfig
		info.OOBEConfig = v
		if v < 0 {
			c.at(it, SeverityError, ".CloudAssignedOobeConfig", "want a bitmask of 0 or more, got %d", v)
		}
		info.Bits, info.UnknownBits = DecodeOOBEConfig(v)
		if info.UnknownBits != 0 && v >= 0 {
			c.at(it, SeverityWarning, ".CloudAssignedOobeConfig", "%d has undocumented bits %d (above 1024); ignored", v, info.UnknownBits)
		}
		has := func(b int64) bool { return v >= 0 && v&b != 0 }
		if has(BitOobeUserNotLocalAdmin) {
			p.UserType = flow.UserStandard
		}
		p.PrivacyHidden = has(BitSkipExpressSettings)
		p.EULAHidden = has(BitSkipEula)
		p.KeyboardSkipped = has(BitSkipKeyboard)
		if has(BitTPMAttestation) || has(BitAADDeviceAuth) {
			c.at(it, SeverityWarning, ".CloudAssignedOobeConfig",
				"bits 32/64 (TPM attestation, device-token join) ask for self-deploying or pre-provisioning, which AutopilotConfigurationFile.json does not support; the emulator runs user-driven mode")
		}
		if has(BitAADTPMRequired) {
			c.at(it, SeverityInfo, ".CloudAssignedOobeConfig", "bit 128 (TPM required for the join) is set; the emulated device has a TPM")
		}
		if has(BitSkipCortanaOptIn) {
			c.at(it, SeverityInfo, ".CloudAssignedOobeConfig", "bit 1 (skip Cortana) only matters on Windows 10")
		}
		if v >= 0 && v&(BitSkipOemRegistration|BitSkipWindowsUpgradeUX) != BitSkipOemRegistration|BitSkipWindowsUpgradeUX {
			c.at(it, SeverityInfo, ".CloudAssignedOobeConfig", "bits 8 and 256 are not both set; Microsoft's converter always sets them (base 264)")
		}
	}

	info.DomainJoinMethod = deref(r.DomainJoinMethod, 0)
	switch {
	case r.DomainJoinMethod == nil:
		c.at(it, SeverityWarning, "", "missing CloudAssignedDomainJoinMethod; Entra join (0) assumed")
	case info.DomainJoinMethod == 0:
	case info.DomainJoinMethod == 1:
		p.Join = flow.JoinHybrid
	default:
		c.at(it, SeverityError, ".CloudAssignedDomainJoinMethod", "want 0 (Entra join) or 1 (hybrid join), got %d", info.DomainJoinMethod)
	}

	info.ForcedEnrollment = deref(r.ForcedEnrollment, 0)
	switch {
	case r.ForcedEnrollment == nil:
		c.at(it, SeverityWarning, "", "missing CloudAssignedForcedEnrollment; 0 assumed (escape link shown)")
	case info.ForcedEnrollment != 0 && info.ForcedEnrollment != 1:
		c.at(it, SeverityWarning, ".CloudAssignedForcedEnrollment", "want 0 or 1, got %d; read as 1", info.ForcedEnrollment)
		info.ForcedEnrollment = 1
	}
	p.EscapeLinkHidden = info.ForcedEnrollment == 1

	info.ZtdCorrelationID = str(r.ZtdCorrelationID)
	p.ID = info.ZtdCorrelationID
	switch {
	case r.ZtdCorrelationID == nil:
		c.at(it, SeverityWarning, "", "missing ZtdCorrelationId (the profile id, a GUID)")
	case !isGUID(info.ZtdCorrelationID):
		c.at(it, SeverityWarning, ".ZtdCorrelationId", "want a GUID without braces, got %q", info.ZtdCorrelationID)
	}

	info.ZeroTouchConfig = aadServerData(it, r.AadServerData, c)
	if z := info.ZeroTouchConfig; z != nil {
		if r.ForcedEnrollment != nil && z.ForcedEnrollment != info.ForcedEnrollment {
			c.at(it, SeverityWarning, ".CloudAssignedAadServerData",
				"ZeroTouchConfig.ForcedEnrollment is %d but CloudAssignedForcedEnrollment is %d; using CloudAssignedForcedEnrollment", z.ForcedEnrollment, info.ForcedEnrollment)
		}
		if z.TenantDomain != "" && info.TenantDomain != "" && !strings.EqualFold(z.TenantDomain, info.TenantDomain) {
			c.at(it, SeverityWarning, ".CloudAssignedAadServerData",
				"ZeroTouchConfig.CloudAssignedTenantDomain %q differs from CloudAssignedTenantDomain %q", z.TenantDomain, info.TenantDomain)
		}
		if info.TenantDomain == "" {
			info.TenantDomain = z.TenantDomain
		}
	}

	info.Language = str(r.Language)
	info.Region = str(r.Region)
	if r.Language != nil {
		p.LocaleMode, p.Locale = localeOf(true, r.Language)
		if p.LocaleMode == flow.LocaleFixed && !localeRE.MatchString(p.Locale) {
			c.at(it, SeverityWarning, ".CloudAssignedLanguage", "%q is not a language tag like en-US; using os-default", p.Locale)
			p.LocaleMode, p.Locale = flow.LocaleOSDefault, ""
		}
	}
	if r.Region != nil && r.Language != nil && info.Region != "" && !strings.EqualFold(info.Region, info.Language) {
		c.at(it, SeverityWarning, ".CloudAssignedRegion", "%q differs from CloudAssignedLanguage %q; the language decides the pages", info.Region, info.Language)
	}
	if p.KeyboardSkipped && !p.LocaleSet() {
		c.at(it, SeverityWarning, ".CloudAssignedOobeConfig", "bit 1024 (skip keyboard) needs CloudAssignedLanguage; the keyboard pages still show")
	}

	info.DeviceName = str(r.DeviceName)
	p.DeviceNameTemplate = c.nameTemplate(it, ".CloudAssignedDeviceName", info.DeviceName, p.Join)

	if r.HybridSkipDCCheck != nil {
		on := *r.HybridSkipDCCheck == 1
		info.SkipDCCheck = on
		switch {
		case p.Join == flow.JoinHybrid:
			p.SkipDCCheck = on
		case on:
			c.at(it, SeverityWarning, ".HybridJoinSkipDCConnectivityCheck", "ignored: CloudAssignedDomainJoinMethod is 0 (Entra join)")
		}
	}
	return p, info
}

// aadServerData decodes CloudAssignedAadServerData, a string holding JSON (reference §2.8).
func aadServerData(it *item, v any, c *ctx) *ZeroTouchConfig {
	const key = ".CloudAssignedAadServerData"
	var inner any
	switch x := v.(type) {
	case nil:
		if _, present := lookup(it.obj, "CloudAssignedAadServerData"); present {
			c.at(it, SeverityWarning, key, "null; want a string holding {\"ZeroTouchConfig\":{…}}")
		} else {
			c.at(it, SeverityWarning, "", "missing CloudAssignedAadServerData (a string holding {\"ZeroTouchConfig\":{…}})")
		}
		return nil
	case string:
		parsed, f := parseJSON("", []byte(x))
		if f != nil {
			c.at(it, SeverityError, key, "the string does not hold valid JSON (character %d: %s)", f.Column, f.Message)
			return nil
		}
		inner = parsed
	case map[string]any:
		if !c.opts.Lenient {
			c.at(it, SeverityError, key, "want a string holding JSON, got object (accepted only in lenient mode)")
			return nil
		}
		c.at(it, SeverityWarning, key, "an object instead of a string holding JSON; accepted in lenient mode (Windows expects the escaped string)")
		inner = x
	default:
		c.at(it, SeverityError, key, "want a string holding JSON, got %s", jsonKind(v))
		return nil
	}
	if _, ok := inner.(map[string]any); !ok {
		c.at(it, SeverityError, key, "the string holds a JSON %s, want an object {\"ZeroTouchConfig\":{…}}", jsonKind(inner))
		return nil
	}
	var raw rawAadServerData
	notes := decodeInto(it.path+key, inner, &raw, c.opts.Lenient)
	c.notes(it, notes)
	for _, n := range notes {
		if n.sev == SeverityError {
			return nil
		}
	}
	if raw.ZeroTouchConfig == nil {
		c.at(it, SeverityWarning, key, "no ZeroTouchConfig object inside")
		return nil
	}
	z := raw.ZeroTouchConfig
	return &ZeroTouchConfig{
		TenantUPN:        strings.TrimSpace(deref(z.TenantUPN, "")),
		ForcedEnrollment: deref(z.ForcedEnrollment, 0),
		TenantDomain:     strings.TrimSpace(deref(z.TenantDomain, "")),
	}
}

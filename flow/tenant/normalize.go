package tenant

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

var localeRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// localeOf maps a locale/language value (reference §2.5): absent or "os-default" →
// LocaleOSDefault; null, "" or "user-select" → LocaleUserSelect; a tag → LocaleFixed.
func localeOf(present bool, v *string) (flow.LocaleMode, string) {
	if !present {
		return flow.LocaleOSDefault, ""
	}
	if v == nil {
		return flow.LocaleUserSelect, ""
	}
	s := strings.TrimSpace(*v)
	switch {
	case s == "" || strings.EqualFold(s, "user-select"):
		return flow.LocaleUserSelect, ""
	case strings.EqualFold(s, "os-default"):
		return flow.LocaleOSDefault, ""
	}
	return flow.LocaleFixed, s
}

// pair reads one setting that exists under a new and a legacy name: the new value wins, the
// legacy one is the fallback, and a disagreement is reported.
type pair struct {
	warn  func(string, ...any)
	where string
}

func (p pair) bool(newName string, nv *bool, oldName string, ov *bool, def bool) bool {
	switch {
	case nv != nil && ov != nil && *nv != *ov:
		p.warn("%s: %s is %t but the legacy %s is %t; using the new value", p.where, newName, *nv, oldName, *ov)
		return *nv
	case nv != nil:
		return *nv
	case ov != nil:
		return *ov
	}
	return def
}

func (p pair) str(newName string, nv *string, oldName string, ov *string) string {
	switch {
	case nv != nil && ov != nil && !strings.EqualFold(strings.TrimSpace(*nv), strings.TrimSpace(*ov)):
		p.warn("%s: %s is %q but the legacy %s is %q; using the new value", p.where, newName, *nv, oldName, *ov)
		return strings.TrimSpace(*nv)
	case nv != nil:
		return strings.TrimSpace(*nv)
	case ov != nil:
		return strings.TrimSpace(*ov)
	}
	return ""
}

// normProfile turns a deployment profile into flow.Profile (reference §2.2–§2.5, §2.9).
func normProfile(it *item, warn func(string, ...any)) flow.Profile {
	r := it.raw.(*rawProfile)
	where := it.where()
	p := flow.DefaultProfile()
	p.ID = strings.TrimSpace(r.ID)
	p.Name = strings.TrimSpace(r.DisplayName)

	switch odataType(it.obj) {
	case "azureadwindowsautopilotdeploymentprofile":
		p.Join = flow.JoinEntra
	case "activedirectorywindowsautopilotdeploymentprofile":
		p.Join = flow.JoinHybrid
	default:
		if r.SkipDCCheck != nil || r.DomainJoin != nil {
			p.Join = flow.JoinHybrid
			warn("%s: no concrete @odata.type; hybrid join assumed from the hybrid-only properties", where)
		} else {
			p.Join = flow.JoinEntra
			warn("%s: no concrete @odata.type; Entra join assumed", where)
		}
	}

	_, hasLocale := lookup(it.obj, "locale")
	_, hasLanguage := lookup(it.obj, "language")
	if hasLocale {
		p.LocaleMode, p.Locale = localeOf(true, r.Locale)
		if hasLanguage {
			lm, lt := localeOf(true, r.Language)
			if lm != p.LocaleMode || !strings.EqualFold(lt, p.Locale) {
				warn("%s: locale %s but the legacy language %s; using locale", where, quoteOrNull(r.Locale), quoteOrNull(r.Language))
			}
		}
	} else {
		p.LocaleMode, p.Locale = localeOf(hasLanguage, r.Language)
	}
	if p.LocaleMode == flow.LocaleFixed && !localeRE.MatchString(p.Locale) {
		warn("%s: locale %q is not a language tag like en-US; using os-default", where, p.Locale)
		p.LocaleMode, p.Locale = flow.LocaleOSDefault, ""
	}

	n, o := r.OOBE, r.OOBELegacy
	if n == nil {
		n = &rawOOBE{}
	}
	if o == nil {
		o = &rawOOBELegacy{}
	}
	if r.OOBE == nil && r.OOBELegacy == nil {
		warn("%s: no outOfBoxExperienceSetting(s); every OOBE setting takes its default", where)
	}
	pr := pair{warn: warn, where: where}
	const nw, old = "outOfBoxExperienceSetting.", "outOfBoxExperienceSettings."
	p.PrivacyHidden = pr.bool(nw+"privacySettingsHidden", n.PrivacySettingsHidden, old+"hidePrivacySettings", o.HidePrivacySettings, false)
	p.EULAHidden = pr.bool(nw+"eulaHidden", n.EULAHidden, old+"hideEULA", o.HideEULA, false)
	p.KeyboardSkipped = pr.bool(nw+"keyboardSelectionPageSkipped", n.KeyboardSelectionPageSkipped, old+"skipKeyboardSelectionPage", o.SkipKeyboardSelectionPage, false)
	p.EscapeLinkHidden = pr.bool(nw+"escapeLinkHidden", n.EscapeLinkHidden, old+"hideEscapeLink", o.HideEscapeLink, false)
	p.PreprovisioningAllowed = pr.bool("preprovisioningAllowed", r.Preprovisioning, "enableWhiteGlove", r.WhiteGlove, false)
	pr.bool("hardwareHashExtractionEnabled", r.HashExtraction, "extractHardwareHash", r.ExtractHash, false)

	switch ut := pr.str(nw+"userType", n.UserType, old+"userType", o.UserType); strings.ToLower(ut) {
	case "", "administrator":
		p.UserType = flow.UserAdministrator
	case "standard":
		p.UserType = flow.UserStandard
	default:
		warn("%s: userType %q is not administrator or standard; using administrator", where, ut)
		p.UserType = flow.UserAdministrator
	}
	switch du := pr.str(nw+"deviceUsageType", n.DeviceUsageType, old+"deviceUsageType", o.DeviceUsageType); strings.ToLower(du) {
	case "", "singleuser":
		p.Mode = flow.ModeUserDriven
	case "shared":
		p.Mode = flow.ModeSelfDeploying
		warn("%s: deviceUsageType shared is self-deploying mode; the emulator covers user-driven mode", where)
	default:
		warn("%s: deviceUsageType %q is not singleUser or shared; using singleUser", where, du)
		p.Mode = flow.ModeUserDriven
	}

	if r.DeviceType != nil && !strings.EqualFold(strings.TrimSpace(*r.DeviceType), "windowsPc") {
		warn("%s: deviceType %q: the emulator shows a Windows PC", where, *r.DeviceType)
	}

	tpl := strings.TrimSpace(deref(r.DeviceNameTemplate, ""))
	switch {
	case tpl == "":
	case p.Join == flow.JoinHybrid:
		warn("%s: hybrid join never uses a name template; %q ignored (the Domain Join prefix names the device)", where, tpl)
	default:
		for _, msg := range checkNameTemplate(tpl) {
			warn("%s: deviceNameTemplate %q: %s", where, tpl, msg)
		}
		p.DeviceNameTemplate = tpl
	}

	if r.SkipDCCheck != nil {
		if p.Join == flow.JoinHybrid {
			p.SkipDCCheck = *r.SkipDCCheck
		} else if *r.SkipDCCheck {
			warn("%s: hybridAzureADJoinSkipConnectivityCheck ignored on an Entra join profile", where)
		}
	}
	return p
}

func quoteOrNull(s *string) string {
	if s == nil {
		return "null"
	}
	return strconv.Quote(*s)
}

var macroRE = regexp.MustCompile(`%[^%]*%`)

// checkNameTemplate returns the problems of an Entra join name template (reference §2.9).
func checkNameTemplate(tpl string) []string {
	var out []string
	serial, rand := false, 0
	static := macroRE.ReplaceAllStringFunc(tpl, func(m string) string {
		switch {
		case m == "%SERIAL%":
			serial = true
		case strings.HasPrefix(m, "%RAND:") && len(m) > 7:
			n, err := strconv.Atoi(m[6 : len(m)-1])
			if err != nil || n < 1 {
				out = append(out, fmt.Sprintf("%s is not a valid macro", m))
			} else {
				rand += n
			}
		case strings.EqualFold(m, "%SERIAL%") || strings.HasPrefix(strings.ToUpper(m), "%RAND:"):
			out = append(out, fmt.Sprintf("macros are case-sensitive: %s makes profile creation fail", m))
		default:
			out = append(out, fmt.Sprintf("unknown macro %s", m))
		}
		return ""
	})
	for _, c := range static {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			out = append(out, fmt.Sprintf("character %q is not allowed (letters, digits and hyphens only)", c))
			break
		}
	}
	switch {
	case !serial && rand == 0:
		out = append(out, "no %SERIAL% or %RAND:x% macro: every device gets the same name")
		if static != "" && strings.Trim(static, "0123456789") == "" {
			out = append(out, "a name must not be all digits")
		}
	case serial && rand > 0:
		out = append(out, "both %SERIAL% and %RAND:x%: %RAND% wins and %SERIAL% is ignored")
	}
	if n := len(static) + rand; n > 15 || (serial && rand == 0 && len(static) >= 15) {
		out = append(out, fmt.Sprintf("the fixed part is %d characters, the name limit is 15", n))
	}
	return out
}

// normESP turns windows10EnrollmentCompletionPageConfiguration into flow.ESPConfig; missing
// fields take the reference §3.1 defaults (installQualityUpdates false, as on existing profiles).
func normESP(it *item, warn func(string, ...any)) flow.ESPConfig {
	r := it.raw.(*rawESP)
	e := flow.ESPConfig{
		Show:                  deref(r.ShowInstallationProgress, false),
		TimeoutMinutes:        deref(r.InstallProgressTimeoutInMinutes, 60),
		CustomErrorMessage:    strings.TrimSpace(deref(r.CustomErrorMessage, "")),
		AllowLogCollection:    deref(r.AllowLogCollectionOnInstallFailure, false),
		BlockDeviceUse:        !deref(r.BlockDeviceSetupRetryByUser, false),
		AllowReset:            deref(r.AllowDeviceResetOnInstallFailure, false),
		AllowContinue:         deref(r.AllowDeviceUseOnInstallFailure, false),
		InstallQualityUpdates: deref(r.InstallQualityUpdates, false),
		OnlyAutopilot:         deref(r.TrackInstallProgressForAutopilotOnly, false),
		OnlyFirstUser:         deref(r.DisableUserStatusTrackingAfterFirstUser, false),
	}
	for _, id := range r.SelectedMobileAppIDs {
		if id = strings.TrimSpace(id); id != "" {
			e.BlockingAppIDs = append(e.BlockingAppIDs, id)
		}
	}
	where := it.where()
	if e.Show && e.TimeoutMinutes <= 0 {
		warn("%s: installProgressTimeoutInMinutes %d must be > 0 when the ESP is shown; using 60", where, e.TimeoutMinutes)
		e.TimeoutMinutes = 60
	}
	if n := len([]rune(e.CustomErrorMessage)); n > 10000 {
		warn("%s: customErrorMessage is %d characters, the limit is 10000", where, n)
	}
	if len(e.BlockingAppIDs) > 100 {
		warn("%s: %d selectedMobileAppIds, the limit is 100", where, len(e.BlockingAppIDs))
	}
	if !e.BlockDeviceUse && len(e.BlockingAppIDs) > 0 {
		warn("%s: selectedMobileAppIds need \"Block device use\" = Yes (blockDeviceSetupRetryByUser false)", where)
	}
	return e
}

// legacyESP maps the profile's embedded windowsEnrollmentStatusScreenSettings.
func legacyESP(r *rawLegacyESP) flow.ESPConfig {
	e := flow.DefaultProfile().ESP
	e.Show = !deref(r.HideInstallationProgress, true)
	e.TimeoutMinutes = deref(r.InstallProgressTimeoutInMinutes, 60)
	if e.TimeoutMinutes <= 0 {
		e.TimeoutMinutes = 60
	}
	e.CustomErrorMessage = strings.TrimSpace(deref(r.CustomErrorMessage, ""))
	e.AllowLogCollection = deref(r.AllowLogCollectionOnInstallFailure, false)
	e.BlockDeviceUse = !deref(r.BlockDeviceSetupRetryByUser, false)
	e.AllowContinue = deref(r.AllowDeviceUseOnInstallFailure, false)
	return e
}

// normHello turns deviceEnrollmentWindowsHelloForBusinessConfiguration into flow.HelloConfig.
func normHello(it *item, warn func(string, ...any)) flow.HelloConfig {
	r := it.raw.(*rawHello)
	where := it.where()
	h := flow.DefaultProfile().Hello
	switch s := strings.TrimSpace(deref(r.State, "notConfigured")); strings.ToLower(s) {
	case "notconfigured":
		h.State = "notConfigured"
	case "enabled":
		h.State = "enabled"
	case "disabled":
		h.State = "disabled"
	default:
		warn("%s: state %q is not notConfigured, enabled or disabled; using notConfigured", where, s)
		h.State = "notConfigured"
	}
	h.MinLength = deref(r.PINMinimumLength, h.MinLength)
	h.MaxLength = deref(r.PINMaximumLength, h.MaxLength)
	clamp := func(name string, v *int) {
		if *v < 4 || *v > 127 {
			c := min(max(*v, 4), 127)
			warn("%s: %s %d is outside 4–127; using %d", where, name, *v, c)
			*v = c
		}
	}
	clamp("pinMinimumLength", &h.MinLength)
	clamp("pinMaximumLength", &h.MaxLength)
	if h.MinLength > h.MaxLength {
		warn("%s: pinMinimumLength %d is above pinMaximumLength %d; using %d for both", where, h.MinLength, h.MaxLength, h.MinLength)
		h.MaxLength = h.MinLength
	}
	usage := func(name string, v *string, def flow.PINUsage) flow.PINUsage {
		if v == nil {
			return def
		}
		switch u := flow.PINUsage(strings.TrimSpace(*v)); u {
		case flow.PINAllowed, flow.PINRequired, flow.PINDisallowed:
			return u
		}
		warn("%s: %s %q is not allowed, required or disallowed; using %s", where, name, *v, def)
		return def
	}
	h.Uppercase = usage("pinUppercaseCharactersUsage", r.PINUppercaseCharactersUsage, h.Uppercase)
	h.Lowercase = usage("pinLowercaseCharactersUsage", r.PINLowercaseCharactersUsage, h.Lowercase)
	h.Special = usage("pinSpecialCharactersUsage", r.PINSpecialCharactersUsage, h.Special)
	return h
}

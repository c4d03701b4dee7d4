package tenant

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
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

// normalize turns one decoded object into its normalized value and records its findings.
func (l *loader) normalize(it *item) {
	if it.bad || it.raw == nil {
		return
	}
	switch it.kind {
	case KindProfile:
		p := l.normProfile(it)
		it.profile = &p
		it.name = fmt.Sprintf("%q (%s join)", p.Name, joinName(p.Join))
		r := it.raw.(*rawProfile)
		it.assignedTo = l.assignedTo(it, r.Assignments)
	case KindConfigFile:
		p, info := normConfigFile(it, it.enc, &l.ctx)
		it.profile, it.config = &p, info
		it.name = fmt.Sprintf("%q (%s join)", p.Name, joinName(p.Join))
	case KindESP:
		e := l.normESP(it)
		it.esp = &e
		h := enrollmentHeader(it)
		it.name = fmt.Sprintf("%q (%s)", h.DisplayName, priorityName(h))
		it.assignedTo = l.assignedTo(it, h.Assignments)
	case KindHello:
		h := l.normHello(it)
		it.hello = &h
		hd := enrollmentHeader(it)
		it.name = fmt.Sprintf("%q (%s, state %s)", hd.DisplayName, priorityName(hd), h.State)
		it.assignedTo = l.assignedTo(it, hd.Assignments)
	case KindIdentity:
		r := it.raw.(*rawIdentity)
		it.name = "serial " + strings.TrimSpace(r.SerialNumber)
		if u := strings.TrimSpace(r.UserPrincipalName); u != "" {
			it.name += ", assigned user " + u
		}
		if strings.TrimSpace(r.SerialNumber) == "" {
			l.at(it, SeverityWarning, ".serialNumber", "empty: the device has no serial number for %%SERIAL%%")
		}
	case KindDomainJoin:
		d := normDomainJoin(it.raw.(*rawDomainJoin))
		it.name = fmt.Sprintf("%s, name %s + %d random characters", d.Domain, d.Prefix, d.RandomChars)
		l.checkDomainJoin(it, *d)
	case KindOrganization:
		o := normOrganization(it.raw.(*rawOrganization))
		it.name = strconv.Quote(o.DisplayName)
		if o.ID != "" && !isGUID(o.ID) {
			l.at(it, SeverityWarning, ".id", "want the tenant id (a GUID), got %q", o.ID)
		}
		if len(o.Domains) == 0 {
			l.at(it, SeverityInfo, ".verifiedDomains", "no verified domain: user names are not checked against the tenant's domains")
		}
	case KindBranding, KindBrandingLocalization:
		r := it.raw.(*rawBranding)
		it.name = strings.TrimSpace(r.ID)
		if it.kind == KindBranding {
			it.name = "default"
		}
		l.checkBranding(it, r)
	case KindScenario:
		s := it.raw.(*sim.Scenario)
		it.name = fmt.Sprintf("device %s, %d Wi-Fi networks, %d users, %d apps", s.Device.Serial, len(s.WiFi), len(s.Users), len(s.Apps))
		l.checkScenario(it, s)
	}
}

func joinName(j flow.JoinType) string {
	if j == flow.JoinHybrid {
		return "hybrid"
	}
	return "Entra"
}

func priorityName(h rawEnrollmentHeader) string {
	if isDefaultConfig(h) {
		return "default"
	}
	if h.Priority != nil {
		return fmt.Sprintf("priority %d", *h.Priority)
	}
	return "no priority"
}

// assignedTo reads $expand'ed assignments: "" when not expanded, "device" when included for
// devices (all devices or a group — groups are taken for device groups), "user" for all
// licensed users only, "none" when there is no including assignment.
func (l *loader) assignedTo(it *item, as []rawAssignment) string {
	if _, ok := lookup(it.obj, "assignments"); !ok {
		return ""
	}
	to := "none"
	for i, a := range as {
		if a.Target == nil {
			continue
		}
		switch t := odataTypeOf(a.Target.ODataType); t {
		case "alldevicesassignmenttarget":
			to = "device"
		case "groupassignmenttarget", "configurationmanagercollectionassignmenttarget":
			to = "device"
		case "alllicensedusersassignmenttarget":
			if to == "none" {
				to = "user"
			}
		case "exclusiongroupassignmenttarget":
		default:
			l.at(it, SeverityInfo, fmt.Sprintf(".assignments[%d].target", i), "assignment target %q not understood; ignored", a.Target.ODataType)
		}
	}
	return to
}

func odataTypeOf(s string) string {
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	return strings.TrimPrefix(s, "microsoft.graph.")
}

// pair reads one setting that exists under a new and a legacy name: the new value wins, the
// legacy one is the fallback, and a disagreement is reported.
type pair struct {
	l  *loader
	it *item
}

func (p pair) bool(newName string, nv *bool, oldName string, ov *bool, def bool) bool {
	switch {
	case nv != nil && ov != nil && *nv != *ov:
		p.l.at(p.it, SeverityWarning, "."+newName, "%t but the legacy %s is %t; using the new value", *nv, oldName, *ov)
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
		p.l.at(p.it, SeverityWarning, "."+newName, "%q but the legacy %s is %q; using the new value", *nv, oldName, *ov)
		return strings.TrimSpace(*nv)
	case nv != nil:
		return strings.TrimSpace(*nv)
	case ov != nil:
		return strings.TrimSpace(*ov)
	}
	return ""
}

// normProfile turns a deployment profile into flow.Profile (reference §2.2–§2.5, §2.9).
func (l *loader) normProfile(it *item) flow.Profile {
	r := it.raw.(*rawProfile)
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
			l.at(it, SeverityWarning, "", "no concrete @odata.type; hybrid join assumed from the hybrid-only properties")
		} else {
			p.Join = flow.JoinEntra
			l.at(it, SeverityWarning, "", "no concrete @odata.type; Entra join assumed")
		}
	}
	if p.ID != "" && !isGUID(p.ID) {
		l.at(it, SeverityWarning, ".id", "want a GUID, got %q", p.ID)
	}

	_, hasLocale := lookup(it.obj, "locale")
	_, hasLanguage := lookup(it.obj, "language")
	if hasLocale {
		p.LocaleMode, p.Locale = localeOf(true, r.Locale)
		if hasLanguage {
			lm, lt := localeOf(true, r.Language)
			if lm != p.LocaleMode || !strings.EqualFold(lt, p.Locale) {
				l.at(it, SeverityWarning, ".locale", "%s but the legacy language is %s; using locale", quoteOrNull(r.Locale), quoteOrNull(r.Language))
			}
		}
	} else {
		p.LocaleMode, p.Locale = localeOf(hasLanguage, r.Language)
	}
	if p.LocaleMode == flow.LocaleFixed && !localeRE.MatchString(p.Locale) {
		key := ".locale"
		if !hasLocale {
			key = ".language"
		}
		l.at(it, SeverityWarning, key, "%q is not a language tag like en-US; using os-default", p.Locale)
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
		l.at(it, SeverityWarning, "", "no outOfBoxExperienceSetting(s); every OOBE setting takes its default")
	}
	pr := pair{l: l, it: it}
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
		l.at(it, SeverityWarning, "."+nw+"userType", "%q is not administrator or standard; using administrator", ut)
		p.UserType = flow.UserAdministrator
	}
	switch du := pr.str(nw+"deviceUsageType", n.DeviceUsageType, old+"deviceUsageType", o.DeviceUsageType); strings.ToLower(du) {
	case "", "singleuser":
		p.Mode = flow.ModeUserDriven
	case "shared":
		p.Mode = flow.ModeSelfDeploying
		l.at(it, SeverityWarning, "."+nw+"deviceUsageType", "shared is self-deploying mode; the emulator covers user-driven mode")
	default:
		l.at(it, SeverityWarning, "."+nw+"deviceUsageType", "%q is not singleUser or shared; using singleUser", du)
		p.Mode = flow.ModeUserDriven
	}
	if p.KeyboardSkipped && !p.LocaleSet() {
		l.at(it, SeverityInfo, "."+nw+"keyboardSelectionPageSkipped", "keyboard skipping needs a language (locale); the keyboard pages still show")
	}

	if r.DeviceType != nil && !strings.EqualFold(strings.TrimSpace(*r.DeviceType), "windowsPc") {
		l.at(it, SeverityWarning, ".deviceType", "%q: the emulator shows a Windows PC", *r.DeviceType)
	}

	p.DeviceNameTemplate = l.nameTemplate(it, ".deviceNameTemplate", strings.TrimSpace(deref(r.DeviceNameTemplate, "")), p.Join)

	if r.SkipDCCheck != nil {
		if p.Join == flow.JoinHybrid {
			p.SkipDCCheck = *r.SkipDCCheck
		} else if *r.SkipDCCheck {
			l.at(it, SeverityWarning, ".hybridAzureADJoinSkipConnectivityCheck", "ignored on an Entra join profile")
		}
	}
	if r.DomainJoin != nil && p.Join != flow.JoinHybrid {
		l.at(it, SeverityWarning, ".domainJoinConfiguration", "ignored on an Entra join profile")
	}
	if r.LegacyESP != nil {
		l.at(it, SeverityInfo, ".enrollmentStatusScreenSettings", "legacy embedded ESP settings; used only when no Enrollment Status Page configuration is imported")
	}
	return p
}

// nameTemplate validates a device name template (reference §2.9) and returns the template to
// keep: "" for none, for hybrid join (a warning: the Domain Join prefix names the device) and,
// in lenient mode, for an invalid template (an error otherwise).
func (c *ctx) nameTemplate(it *item, key, tpl string, join flow.JoinType) string {
	if tpl == "" {
		return ""
	}
	if join == flow.JoinHybrid {
		c.at(it, SeverityWarning, key, "%q ignored: hybrid join never uses a name template (the Domain Join prefix names the device)", tpl)
		return ""
	}
	if err := flow.ValidateDeviceNameTemplate(tpl); err != nil {
		msg := strings.TrimPrefix(err.Error(), flow.ErrDeviceNameTemplate.Error()+": ")
		if c.opts.Lenient {
			c.at(it, SeverityWarning, key, "%q is not a valid name template: %s; ignored in lenient mode", tpl, msg)
			return ""
		}
		c.at(it, SeverityError, key, "%q is not a valid name template: %s", tpl, msg)
		return ""
	}
	for _, msg := range templateAdvice(tpl) {
		c.at(it, SeverityWarning, key, "%q: %s", tpl, msg)
	}
	return tpl
}

// templateAdvice returns the remarks on a valid template: no macro, or both macros.
func templateAdvice(tpl string) []string {
	serial := strings.Contains(tpl, "%SERIAL%")
	random := strings.Contains(tpl, "%RAND:")
	switch {
	case !serial && !random:
		return []string{"no %SERIAL% or %RAND:x% macro: every device gets the same name"}
	case serial && random:
		return []string{"both %SERIAL% and %RAND:x%: %RAND% wins and %SERIAL% is ignored"}
	}
	return nil
}

func quoteOrNull(s *string) string {
	if s == nil {
		return "null"
	}
	return strconv.Quote(*s)
}

// enrollmentHeader reads the fields shared by deviceEnrollmentConfiguration types.
func enrollmentHeader(it *item) rawEnrollmentHeader {
	switch r := it.raw.(type) {
	case *rawESP:
		return rawEnrollmentHeader{ID: r.ID, DisplayName: r.DisplayName, Priority: r.Priority, ConfigurationType: r.ConfigurationType, Assignments: r.Assignments}
	case *rawHello:
		return rawEnrollmentHeader{ID: r.ID, DisplayName: r.DisplayName, Priority: r.Priority, ConfigurationType: r.ConfigurationType, Assignments: r.Assignments}
	}
	return rawEnrollmentHeader{}
}

// isDefaultConfig reports whether an enrollment configuration is the tenant default ("All
// users and all devices"): its type starts with "default", its id has the "_Default…" suffix,
// or its priority is 0.
func isDefaultConfig(h rawEnrollmentHeader) bool {
	return strings.HasPrefix(strings.ToLower(h.ConfigurationType), "default") ||
		strings.Contains(strings.ToLower(h.ID), "_default") ||
		(h.Priority != nil && *h.Priority == 0)
}

// normESP turns windows10EnrollmentCompletionPageConfiguration into flow.ESPConfig; missing
// fields take the reference §3.1 defaults (installQualityUpdates false, as on existing profiles).
func (l *loader) normESP(it *item) flow.ESPConfig {
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
	seen := map[string]bool{}
	for i, id := range r.SelectedMobileAppIDs {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		low := strings.ToLower(strings.Trim(id, "{}"))
		if seen[low] {
			l.at(it, SeverityWarning, fmt.Sprintf(".selectedMobileAppIds[%d]", i), "%s is listed twice (GUIDs compare case-insensitively); ignored", id)
			continue
		}
		seen[low] = true
		if !isGUID(id) {
			l.at(it, SeverityWarning, fmt.Sprintf(".selectedMobileAppIds[%d]", i), "want an app id (a GUID), got %q", id)
		}
		e.BlockingAppIDs = append(e.BlockingAppIDs, id)
	}
	if e.Show && e.TimeoutMinutes <= 0 {
		l.at(it, SeverityWarning, ".installProgressTimeoutInMinutes", "%d must be > 0 when the ESP is shown; using 60", e.TimeoutMinutes)
		e.TimeoutMinutes = 60
	}
	if n := len([]rune(e.CustomErrorMessage)); n > 10000 {
		l.at(it, SeverityWarning, ".customErrorMessage", "%d characters, the limit is 10000", n)
	}
	if len(e.BlockingAppIDs) > 100 {
		l.at(it, SeverityWarning, ".selectedMobileAppIds", "%d apps, the limit is 100", len(e.BlockingAppIDs))
	}
	if !e.BlockDeviceUse && len(e.BlockingAppIDs) > 0 {
		l.at(it, SeverityWarning, ".selectedMobileAppIds", "needs \"Block device use\" = Yes (blockDeviceSetupRetryByUser false)")
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
func (l *loader) normHello(it *item) flow.HelloConfig {
	r := it.raw.(*rawHello)
	h := flow.DefaultProfile().Hello
	switch s := strings.TrimSpace(deref(r.State, "notConfigured")); strings.ToLower(s) {
	case "notconfigured":
		h.State = flow.HelloNotConfigured
	case "enabled":
		h.State = flow.HelloEnabled
	case "disabled":
		h.State = flow.HelloDisabled
	default:
		l.at(it, SeverityWarning, ".state", "%q is not notConfigured, enabled or disabled; using notConfigured", s)
		h.State = flow.HelloNotConfigured
	}
	h.MinLength = deref(r.PINMinimumLength, h.MinLength)
	h.MaxLength = deref(r.PINMaximumLength, h.MaxLength)
	clamp := func(name string, v *int) {
		if *v < 4 || *v > 127 {
			c := min(max(*v, 4), 127)
			l.at(it, SeverityWarning, "."+name, "%d is outside 4–127; using %d", *v, c)
			*v = c
		}
	}
	clamp("pinMinimumLength", &h.MinLength)
	clamp("pinMaximumLength", &h.MaxLength)
	if h.MinLength > h.MaxLength {
		l.at(it, SeverityWarning, ".pinMinimumLength", "%d is above pinMaximumLength %d; using %d for both", h.MinLength, h.MaxLength, h.MinLength)
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
		l.at(it, SeverityWarning, "."+name, "%q is not allowed, required or disallowed; using %s", *v, def)
		return def
	}
	h.Uppercase = usage("pinUppercaseCharactersUsage", r.PINUppercaseCharactersUsage, h.Uppercase)
	h.Lowercase = usage("pinLowercaseCharactersUsage", r.PINLowercaseCharactersUsage, h.Lowercase)
	h.Special = usage("pinSpecialCharactersUsage", r.PINSpecialCharactersUsage, h.Special)
	return h
}

func normOrganization(r *rawOrganization) flow.Organization {
	o := flow.Organization{ID: strings.TrimSpace(r.ID), DisplayName: strings.TrimSpace(r.DisplayName)}
	for _, d := range r.VerifiedDomains {
		name := strings.TrimSpace(d.Name)
		if name == "" {
			continue
		}
		o.Domains = append(o.Domains, name)
		if strings.EqualFold(strings.TrimSpace(d.Type), "Federated") {
			o.FederatedDomains = append(o.FederatedDomains, name)
		}
		if d.IsDefault && o.DefaultDomain == "" {
			o.DefaultDomain = name
		}
		if d.IsInitial && o.InitialDomain == "" {
			o.InitialDomain = name
		}
	}
	if o.DefaultDomain == "" {
		o.DefaultDomain = o.InitialDomain
	}
	return o
}

func normDomainJoin(r *rawDomainJoin) *flow.DomainJoin {
	return &flow.DomainJoin{
		Domain:      strings.TrimSpace(r.ActiveDirectoryDomainName),
		OU:          strings.TrimSpace(r.OrganizationalUnit),
		Prefix:      strings.TrimSpace(r.ComputerNameStaticPrefix),
		RandomChars: deref(r.ComputerNameSuffixRandomCharCount, 0),
	}
}

// checkDomainJoin validates a Domain Join configuration (reference §2.6).
func (l *loader) checkDomainJoin(it *item, d flow.DomainJoin) {
	if d.Domain == "" {
		l.at(it, SeverityWarning, ".activeDirectoryDomainName", "empty")
	} else if !strings.Contains(d.Domain, ".") {
		l.at(it, SeverityWarning, ".activeDirectoryDomainName", "%q looks like a NetBIOS name, want an FQDN like corp.contoso.com", d.Domain)
	}
	if d.Prefix == "" {
		l.at(it, SeverityWarning, ".computerNameStaticPrefix", "empty")
	}
	if strings.Contains(d.Prefix, "%") {
		l.at(it, SeverityWarning, ".computerNameStaticPrefix", "%q must not contain macros", d.Prefix)
	}
	if d.RandomChars < 3 || d.RandomChars > 14 {
		l.at(it, SeverityWarning, ".computerNameSuffixRandomCharCount", "%d is outside 3–14", d.RandomChars)
	}
	if n := len(d.Prefix) + d.RandomChars; n > flow.MaxDeviceNameLength {
		l.at(it, SeverityWarning, ".computerNameStaticPrefix", "%q plus %d random characters is %d characters, the limit is 15", d.Prefix, d.RandomChars, n)
	}
	if ou := strings.ToUpper(strings.ReplaceAll(d.OU, " ", "")); strings.HasPrefix(ou, "CN=COMPUTERS,") {
		l.at(it, SeverityWarning, ".organizationalUnit", "%q is the Computers container: the join fails; leave it empty instead", d.OU)
	}
}

var htmlRE = regexp.MustCompile(`<\s*/?\s*[A-Za-z][A-Za-z0-9]*[^<>]*>|&[A-Za-z]+;|&#[0-9]+;`)

// checkBranding checks the text limits (counted in characters) and reports HTML, which
// Windows shows literally.
func (l *loader) checkBranding(it *item, r *rawBranding) {
	for _, f := range []struct {
		key   string
		v     *string
		limit int
	}{{"usernameHintText", r.UsernameHintText, 64}, {"signInPageText", r.SignInPageText, 1024}} {
		s := strings.TrimSpace(deref(f.v, ""))
		if n := len([]rune(s)); n > f.limit {
			l.at(it, SeverityWarning, "."+f.key, "%d characters, the limit is %d", n, f.limit)
		}
		if htmlRE.MatchString(s) {
			l.at(it, SeverityInfo, "."+f.key, "contains HTML markup; Windows shows it literally, as text")
		}
	}
	if c := strings.TrimSpace(deref(r.BackgroundColor, "")); c != "" && !hexColorRE.MatchString(c) {
		l.at(it, SeverityWarning, ".backgroundColor", "want a colour like #0F3D6E, got %q", c)
	}
}

var hexColorRE = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// checkScenario validates a decoded scenario; its problems are errors.
func (l *loader) checkScenario(it *item, s *sim.Scenario) {
	if strings.TrimSpace(s.Schema) != sim.ScenarioSchema {
		l.at(it, SeverityError, ".$schema", "unsupported scenario version %q, want %q", s.Schema, sim.ScenarioSchema)
		return
	}
	err := s.Validate()
	if err == nil {
		return
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		msg := e.Error()
		p, rest, ok := strings.Cut(msg, ": ")
		if ok && strings.HasPrefix(p, "$") {
			l.add(Finding{Severity: SeverityError, File: it.file.File, Path: p, Message: rest})
			continue
		}
		l.at(it, SeverityError, "", "%s", msg)
	}
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

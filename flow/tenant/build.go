package tenant

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// build resolves conflicts between objects and assembles the tenant. It returns the tenant,
// every profile normalized with the tenant's ESP and Hello settings, and where the scenario
// came from.
func (l *loader) build() (*sim.World, []ProfileReport, string) {
	t := &sim.World{Tenant: flow.Tenant{Profile: flow.DefaultProfile()}}

	prof := l.pickProfile()
	if prof != nil {
		t.Profile = *prof.profile
	} else {
		l.general(SeverityWarning, "no deployment profile found: using Graph defaults (Entra join, user-driven, os-default locale, every page shown)")
	}

	if esp := l.pickEnrollment(KindESP, "Enrollment Status Page"); esp != nil {
		t.Profile.ESP = *esp.esp
	} else if prof != nil && prof.kind == KindProfile && prof.raw.(*rawProfile).LegacyESP != nil {
		t.Profile.ESP = legacyESP(prof.raw.(*rawProfile).LegacyESP)
		l.at(prof, SeverityWarning, ".enrollmentStatusScreenSettings", "no Enrollment Status Page configuration found: using the profile's legacy embedded settings")
	} else {
		l.general(SeverityInfo, "no Enrollment Status Page configuration found: the ESP is not shown (the default profile's setting)")
	}
	if hello := l.pickEnrollment(KindHello, "Windows Hello for Business"); hello != nil {
		t.Profile.Hello = *hello.hello
	}

	var cfg *ConfigFileInfo
	if prof != nil && prof.config != nil {
		cfg = prof.config
	} else if cs := l.ofKind(KindConfigFile); len(cs) > 0 && cs[0].config != nil {
		cfg = cs[0].config
	}

	if it := l.first(KindOrganization); it != nil {
		t.Organization = normOrganization(it.raw.(*rawOrganization))
		it.used, it.note = true, "the tenant"
	} else if cfg != nil {
		t.Organization = flow.Organization{ID: cfg.TenantID, DefaultDomain: cfg.TenantDomain}
		if cfg.TenantDomain != "" {
			t.Organization.Domains = []string{cfg.TenantDomain}
		}
		l.general(SeverityInfo, "no organization found: tenant id and domain come from AutopilotConfigurationFile.json (no tenant name on the sign-in page)")
	} else {
		l.general(SeverityWarning, "no organization found: the sign-in page has no tenant name and any user domain is accepted")
	}
	t.Branding = l.branding()

	if it := l.first(KindIdentity); it != nil {
		r := it.raw.(*rawIdentity)
		t.DeviceIdentity = &flow.DeviceIdentity{
			Serial: strings.TrimSpace(r.SerialNumber), UPN: strings.TrimSpace(r.UserPrincipalName),
			FriendlyName: strings.TrimSpace(r.AddressableUserName), Manufacturer: strings.TrimSpace(r.Manufacturer),
			Model: strings.TrimSpace(r.Model), GroupTag: strings.TrimSpace(r.GroupTag),
		}
		it.used, it.note = true, "the registered device"
	} else if cfg != nil && cfg.ZeroTouchConfig != nil && cfg.ZeroTouchConfig.TenantUPN != "" {
		t.DeviceIdentity = &flow.DeviceIdentity{UPN: cfg.ZeroTouchConfig.TenantUPN}
		l.general(SeverityInfo, "assigned user %s from CloudAssignedAadServerData (CloudAssignedTenantUpn)", cfg.ZeroTouchConfig.TenantUPN)
	}

	t.DomainJoin = l.domainJoin(prof)

	source := l.scenario(t)
	l.crossCheck(t, prof, source)
	return t, l.profileReports(t, prof), source
}

// first returns the first usable item of kind k and notes the others as ignored.
func (l *loader) first(k Kind) *item {
	its := l.ofKind(k)
	if len(its) == 0 {
		return nil
	}
	if len(its) > 1 {
		var others []string
		for _, it := range its[1:] {
			others = append(others, where(it))
			it.note = "ignored: " + where(its[0]) + " is used"
		}
		l.at(its[0], SeverityWarning, "", "%d objects of type %s found; using this one, ignoring %s", len(its), k, strings.Join(others, ", "))
	}
	return its[0]
}

// where names an item: its file, plus its path inside a collection.
func where(it *item) string {
	if it.path == "$" {
		return it.file.File
	}
	return it.file.File + " " + it.path
}

// pickProfile chooses the deployment profile the device gets (reference §2.1, §2.8): a Graph
// profile $expand'ed into the device identity first, then assigned profiles (or profiles whose
// assignments were not exported) before unassigned ones, the oldest created first; an
// AutopilotConfigurationFile.json only when there is no Graph profile (the cloud profile wins).
func (l *loader) pickProfile() *item {
	var graph []*item
	for _, it := range l.ofKind(KindProfile) {
		if it.profile != nil {
			graph = append(graph, it)
		}
	}
	var configs []*item
	for _, it := range l.ofKind(KindConfigFile) {
		if it.profile != nil {
			configs = append(configs, it)
		}
	}
	var deviceIDs []string
	for _, it := range graph {
		if strings.HasSuffix(it.path, "eploymentProfile") {
			deviceIDs = append(deviceIDs, it.profile.ID)
		}
	}
	forDevice := func(it *item) bool {
		return slices.ContainsFunc(deviceIDs, func(id string) bool { return sameGUID(id, it.profile.ID) })
	}
	created := map[*item]time.Time{}
	for _, it := range graph {
		s := strings.TrimSpace(it.raw.(*rawProfile).CreatedDateTime)
		if s == "" {
			continue
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			l.at(it, SeverityWarning, ".createdDateTime", "%q is not an ISO 8601 date-time; ignored", s)
			continue
		}
		created[it] = tm
	}
	rank := func(it *item) int {
		switch {
		case forDevice(it):
			return 0
		case it.assignedTo == "" || it.assignedTo == "device":
			return 1
		}
		return 2
	}
	sort.SliceStable(graph, func(i, j int) bool {
		ri, rj := rank(graph[i]), rank(graph[j])
		if ri != rj {
			return ri < rj
		}
		ti, oki := created[graph[i]]
		tj, okj := created[graph[j]]
		if oki != okj {
			return oki
		}
		return oki && ti.Before(tj)
	})
	if len(graph) > 0 {
		win := graph[0]
		win.used = true
		switch rank(win) {
		case 0:
			win.note = "applies: the profile assigned to the Autopilot device"
		case 1:
			win.note = "applies"
			if len(graph) > 1 {
				win.note = "applies: the oldest created of the assigned profiles, by the conflict rule"
			}
		default:
			win.note = "applies, although not assigned to any group (no assigned profile was found)"
			l.at(win, SeverityWarning, ".assignments", "the profile is not assigned to any group; used because no assigned profile was found")
		}
		var others []string
		for _, it := range graph[1:] {
			switch {
			case sameGUID(it.profile.ID, win.profile.ID):
				it.used, it.note = true, "the same profile as "+where(win)
				continue
			case rank(it) == 2:
				it.note = "not applied: not assigned to any group"
			default:
				it.note = fmt.Sprintf("not applied: %s wins, by the conflict rule (oldest created)", where(win))
			}
			others = append(others, fmt.Sprintf("%s (%q)", where(it), it.profile.Name))
		}
		if len(others) > 0 {
			l.at(win, SeverityInfo, "", "%d deployment profiles found; %q applies, %s; not %s",
				len(others)+1, win.profile.Name, strings.TrimPrefix(win.note, "applies: "), strings.Join(others, ", "))
		}
		for _, it := range configs {
			it.note = "not applied: a cloud profile assigned to the device wins over AutopilotConfigurationFile.json"
			l.at(it, SeverityInfo, "", "the cloud profile %q wins over this file on a registered device", win.profile.Name)
		}
		return win
	}
	if len(configs) == 0 {
		return nil
	}
	win := configs[0]
	win.used, win.note = true, "applies (no cloud profile imported)"
	for _, it := range configs[1:] {
		it.note = "ignored: " + where(win) + " is used"
		l.at(it, SeverityWarning, "", "a second AutopilotConfigurationFile.json; %s is used", where(win))
	}
	return win
}

// pickEnrollment applies reference §3.3 to the configurations of kind k: among the custom
// ones assigned to the device (or whose assignments were not exported) the lowest priority
// number wins; otherwise among those assigned to users; otherwise the default one.
func (l *loader) pickEnrollment(k Kind, label string) *item {
	var all []*item
	for _, it := range l.ofKind(k) {
		if it.esp != nil || it.hello != nil {
			all = append(all, it)
		}
	}
	if len(all) == 0 {
		return nil
	}
	var device, user, unassigned, defaults []*item
	for _, it := range all {
		h := enrollmentHeader(it)
		switch {
		case isDefaultConfig(h):
			defaults = append(defaults, it)
		case it.assignedTo == "none":
			unassigned = append(unassigned, it)
			it.note = "not applied: not assigned"
		case it.assignedTo == "user":
			user = append(user, it)
		default:
			device = append(device, it)
		}
	}
	prio := func(it *item) int {
		if p := enrollmentHeader(it).Priority; p != nil {
			return *p
		}
		return int(^uint(0) >> 1)
	}
	byPrio := func(s []*item) {
		sort.SliceStable(s, func(i, j int) bool { return prio(s[i]) < prio(s[j]) })
	}
	byPrio(device)
	byPrio(user)
	byPrio(unassigned)
	var win *item
	var why string
	switch {
	case len(device) > 0:
		win, why = device[0], "the assigned custom configuration with the lowest priority number"
	case len(user) > 0:
		win, why = user[0], "assigned to users only: applies once the user signs in (no device-targeted configuration)"
	case len(defaults) > 0:
		win, why = defaults[0], "the default configuration (no assigned custom one)"
	default:
		win, why = unassigned[0], "not assigned, but no default configuration was imported"
		l.at(win, SeverityWarning, ".assignments", "the %s configuration is not assigned; used because no default configuration was imported", label)
	}
	win.used, win.note = true, "applies: "+why
	var others []string
	for _, it := range all {
		if it == win {
			continue
		}
		if it.note == "" {
			it.note = "not applied: " + where(win) + " wins"
		}
		others = append(others, fmt.Sprintf("%s (%q)", where(it), enrollmentHeader(it).DisplayName))
	}
	if len(others) > 0 {
		l.at(win, SeverityInfo, "", "%d %s configurations found; using %q, %s; not %s",
			len(all), label, enrollmentHeader(win).DisplayName, why, strings.Join(others, ", "))
	}
	return win
}

// domainJoin returns the Domain Join configuration: the one $expand'ed into the chosen profile,
// else the first standalone one.
func (l *loader) domainJoin(prof *item) *flow.DomainJoin {
	var inline *rawDomainJoin
	if prof != nil && prof.kind == KindProfile {
		inline = prof.raw.(*rawProfile).DomainJoin
	}
	standalone := l.ofKind(KindDomainJoin)
	switch {
	case inline != nil:
		for _, it := range standalone {
			if sameGUID(it.raw.(*rawDomainJoin).ID, inline.ID) {
				it.used, it.note = true, "the same as the profile's domainJoinConfiguration"
			} else {
				it.note = "not applied: the profile's own domainJoinConfiguration is used"
				l.at(it, SeverityWarning, "", "ignored: the deployment profile %s carries its own domainJoinConfiguration %q", where(prof), inline.DisplayName)
			}
		}
		d := normDomainJoin(inline)
		if len(standalone) == 0 || !slices.ContainsFunc(standalone, func(it *item) bool { return it.used }) {
			l.checkDomainJoin(&item{file: prof.file, path: prof.path + ".domainJoinConfiguration"}, *d)
		}
		return d
	case len(standalone) > 0:
		it := l.first(KindDomainJoin)
		it.used, it.note = true, "the hybrid Domain Join configuration"
		return normDomainJoin(it.raw.(*rawDomainJoin))
	}
	return nil
}

// branding builds the default branding (a standalone branding object first, else the "0"
// entry of a localizations collection) and its localizations.
func (l *loader) branding() flow.Branding {
	var def *item
	for _, it := range l.ofKind(KindBranding) {
		if def == nil || (it.path == "$" && def.path != "$") {
			def = it
		}
	}
	for _, it := range l.ofKind(KindBranding) {
		if it != def {
			it.note = "default entry; " + where(def) + " is used"
			it.used = true
		}
	}
	locs := l.ofKind(KindBrandingLocalization)
	if def == nil && len(locs) == 0 {
		return flow.Branding{}
	}
	var b flow.Branding
	var cdn []string
	if def != nil {
		r := def.raw.(*rawBranding)
		cdn = r.CDNList
		b = brandingFields(r, cdn)
		def.used, def.note = true, "the default branding"
		if b.SquareLogoURL == "" && strings.TrimSpace(deref(r.SquareLogoRelativeURL, "")) != "" {
			l.at(def, SeverityWarning, ".cdnList", "empty: the square logo's relative URL cannot be resolved")
		}
	} else {
		l.inFile(locs[0].file.File, SeverityWarning, "branding localizations without a default branding")
	}
	for _, it := range locs {
		r := it.raw.(*rawBranding)
		id := strings.TrimSpace(r.ID)
		if b.Localizations == nil {
			b.Localizations = map[string]flow.Branding{}
		}
		dup := false
		for have := range b.Localizations {
			if strings.EqualFold(have, id) {
				dup = true
			}
		}
		if dup {
			it.note = "ignored: a second localization " + id
			l.at(it, SeverityWarning, "", "second branding localization %q ignored", id)
			continue
		}
		if !localeRE.MatchString(id) {
			l.at(it, SeverityWarning, ".id", "want a culture name like de-DE, got %q", id)
		}
		c := r.CDNList
		if len(c) == 0 {
			c = cdn
		}
		b.Localizations[id] = brandingFields(r, c)
		it.used, it.note = true, "localization "+id
	}
	return b
}

func brandingFields(r *rawBranding, cdn []string) flow.Branding {
	return flow.Branding{
		BackgroundColor:   deref(r.BackgroundColor, ""),
		SignInPageText:    deref(r.SignInPageText, ""),
		UsernameHint:      deref(r.UsernameHintText, ""),
		SquareLogoURL:     logoURL(cdn, deref(r.SquareLogoRelativeURL, "")),
		SquareLogoDarkURL: logoURL(cdn, deref(r.SquareLogoDarkRelativeURL, "")),
	}
}

// logoURL is "https://" + cdnList[0] + "/" + relative URL (reference §5).
func logoURL(cdn []string, rel string) string {
	rel = strings.TrimSpace(rel)
	if rel == "" {
		return ""
	}
	low := strings.ToLower(rel)
	if strings.HasPrefix(low, "https://") || strings.HasPrefix(low, "http://") {
		return rel
	}
	for _, host := range cdn {
		if host = strings.Trim(strings.TrimSpace(host), "/"); host != "" {
			return "https://" + host + "/" + strings.TrimLeft(rel, "/")
		}
	}
	return ""
}

// crossCheck compares what different files say about the same device.
func (l *loader) crossCheck(t *sim.World, prof *item, source string) {
	if id := t.DeviceIdentity; id != nil {
		dev := t.Scenario.Device
		if id.Serial != "" && dev.Serial != "" && !strings.EqualFold(dev.Serial, id.Serial) {
			l.general(SeverityWarning, "the scenario's device serial %q is not the registered Autopilot device %q", dev.Serial, id.Serial)
		}
		if t.Profile.Join == flow.JoinHybrid && id.UPN != "" {
			l.general(SeverityWarning, "a user (%s) is assigned to a device with a hybrid join profile: not supported, expect error 80070774", id.UPN)
		}
		if id.UPN != "" && len(t.Organization.Domains) > 0 && !t.Organization.OwnsUPN(id.UPN) {
			l.general(SeverityWarning, "the assigned user %s is not in the tenant's domains (%s)", id.UPN, strings.Join(t.Organization.Domains, ", "))
		}
	}
	switch {
	case t.Profile.Join == flow.JoinHybrid && t.DomainJoin == nil:
		l.general(SeverityWarning, "hybrid join profile without a Domain Join configuration: the device cannot be named or joined")
	case t.Profile.Join == flow.JoinEntra && t.DomainJoin != nil && prof != nil:
		l.general(SeverityInfo, "the Domain Join configuration is only used by hybrid join; the Entra join profile %q ignores it", t.Profile.Name)
	}
	l.hybridUnsupported(t)
	if tpl := t.Profile.DeviceNameTemplate; tpl != "" && t.Scenario.Device.Serial != "" &&
		strings.Contains(tpl, "%SERIAL%") && !strings.Contains(tpl, "%RAND:") {
		static := len(strings.ReplaceAll(tpl, "%SERIAL%", ""))
		if sn := flow.SanitizeSerial(t.Scenario.Device.Serial); static+len(sn) > flow.MaxDeviceNameLength {
			l.general(SeverityWarning, "name template %q with serial %q exceeds 15 characters: the serial is truncated from the beginning", tpl, t.Scenario.Device.Serial)
		}
	}
	// An AutopilotConfigurationFile.json made from one of the Graph profiles must agree with it.
	for _, c := range l.ofKind(KindConfigFile) {
		if c.profile == nil {
			continue
		}
		if o := t.Organization; o.ID != "" && c.config.TenantID != "" && !sameGUID(o.ID, c.config.TenantID) {
			l.at(c, SeverityWarning, ".CloudAssignedTenantId", "%s is not the organization's id %s", c.config.TenantID, o.ID)
		}
		if d := c.config.TenantDomain; d != "" && len(t.Organization.Domains) > 1 && !t.Organization.OwnsUPN("x@"+d) {
			l.at(c, SeverityWarning, ".CloudAssignedTenantDomain", "%q is not one of the organization's verified domains", d)
		}
		for _, g := range l.ofKind(KindProfile) {
			if g.profile == nil || !sameGUID(g.profile.ID, c.profile.ID) {
				continue
			}
			if diffs := profileDiffs(*g.profile, *c.profile); len(diffs) > 0 {
				l.at(c, SeverityWarning, "", "differs from the Graph profile %s with the same id: %s", where(g), strings.Join(diffs, "; "))
			} else {
				l.at(c, SeverityInfo, "", "matches the Graph profile %s (same id %s, same settings)", where(g), g.profile.ID)
			}
		}
	}
	if source != "embedded" {
		ids := map[string]bool{}
		for _, a := range t.Scenario.Apps {
			ids[strings.ToLower(strings.Trim(a.ID, "{} "))] = true
		}
		for _, id := range t.Profile.ESP.BlockingAppIDs {
			if !ids[strings.ToLower(strings.Trim(id, "{} "))] {
				l.general(SeverityWarning, "ESP blocking app %s is not among the scenario's apps", id)
			}
		}
		if len(t.Organization.Domains) > 0 {
			for _, u := range t.Scenario.Users {
				if !t.Organization.OwnsUPN(u.UPN) {
					l.general(SeverityWarning, "scenario user %s is not in the tenant's domains: signing in gives \"belongs to another organization\"", u.UPN)
				}
			}
		}
	}
}

// profileDiffs lists the settings in which a configuration file's profile differs from the
// Graph profile it was made from.
func profileDiffs(g, c flow.Profile) []string {
	var out []string
	cmp := func(name string, a, b any) {
		if a != b {
			out = append(out, fmt.Sprintf("%s %v in the profile, %v in the file", name, a, b))
		}
	}
	cmp("join", g.Join, c.Join)
	cmp("user type", g.UserType, c.UserType)
	cmp("EULA hidden", g.EULAHidden, c.EULAHidden)
	cmp("privacy hidden", g.PrivacyHidden, c.PrivacyHidden)
	cmp("keyboard skipped", g.KeyboardSkipped, c.KeyboardSkipped)
	cmp("escape link hidden", g.EscapeLinkHidden, c.EscapeLinkHidden)
	cmp("name template", g.DeviceNameTemplate, c.DeviceNameTemplate)
	if g.KeyboardSkipped {
		cmp("language", g.Locale, c.Locale)
	}
	if g.Join == flow.JoinHybrid {
		cmp("skip DC check", g.SkipDCCheck, c.SkipDCCheck)
	}
	return out
}

// profileReports normalizes every profile with the tenant's ESP and Hello settings.
func (l *loader) profileReports(t *sim.World, win *item) []ProfileReport {
	var out []ProfileReport
	for _, it := range l.items {
		if it.profile == nil || (it.kind != KindProfile && it.kind != KindConfigFile) {
			continue
		}
		if it != win && win != nil && it.kind == win.kind && sameGUID(it.profile.ID, win.profile.ID) && it.used {
			continue // the same profile twice ($expand'ed and standalone)
		}
		p := *it.profile
		p.ESP, p.Hello = t.Profile.ESP, t.Profile.Hello
		p.ESP.BlockingAppIDs = slices.Clone(p.ESP.BlockingAppIDs)
		out = append(out, ProfileReport{
			File: it.file.File, Path: it.path, Kind: it.kind, Applies: it == win, Note: it.note,
			Profile: p, ConfigFile: it.config, OOBEConfig: OOBEConfigFor(p),
		})
	}
	return out
}

// hybridUnsupported warns about what Microsoft says a user-driven hybrid join does not
// support, for the data that says so (the scenario's vpn, apps and proxy):
//   - a VPN that authenticates with user certificates, or a non-Microsoft UWP VPN plug-in
//     from the Store: "the connection isn't initiated until the user signs into Windows"
//     (hybrid tutorial, step 7, "Off-premises/Internet scenarios and VPN connectivity");
//   - the Configuration Manager client (an app of the scenario, or a co-management settings
//     policy with installConfigurationManagerAgent): Autopilot into co-management does not support hybrid
//     joined devices, "the autopilot provisioning times out during ESP phase" (Configuration
//     Manager, "How to enroll with Autopilot", Limitations; reference §4);
//   - a proxy without WPAD: "If using Proxy, Web Proxy Auto-Discovery Protocol (WPAD) Proxy
//     settings option must be enabled and configured" ("Deploy Microsoft Entra hybrid joined
//     devices by using Intune and Windows Autopilot", Device enrollment requirements).
//
// A VPN on an Entra join is only noted: the emulator offers it on hybrid joins alone.
func (l *loader) hybridUnsupported(t *sim.World) {
	s := t.Scenario
	if t.Profile.Join != flow.JoinHybrid {
		if s.VPN != nil {
			l.general(SeverityInfo, "the scenario's VPN %q is only used by a hybrid join (from the Windows sign-in screen)", s.VPN.Name)
		}
		return
	}
	if v := s.VPN; v != nil {
		if v.UserCertificate {
			l.general(SeverityWarning, "the VPN %q authenticates with a user certificate: not supported for a hybrid join, which connects before anyone signs in to Windows (use a device certificate)", v.Name)
		}
		if v.StorePlugin {
			l.general(SeverityWarning, "the VPN %q is a non-Microsoft UWP plug-in from the Microsoft Store: not supported for a hybrid join (it cannot connect before the user signs in); use a Win32 VPN client", v.Name)
		}
		if !t.Profile.SkipDCCheck && !s.DomainController.IsReachable() {
			l.general(SeverityWarning, "the VPN %q is installed only in Device setup, after the domain controller check: with no domain controller in reach, set the profile's Skip AD connectivity check, or the join fails with 80070774", v.Name)
		}
	} else if t.Profile.SkipDCCheck && !s.DomainController.IsReachable() {
		l.general(SeverityWarning, "the profile skips the AD connectivity check and no domain controller answers, but the scenario has no VPN: the first sign-in to Windows will fail (the domain isn't available)")
	}
	for _, it := range l.items {
		// the co-management settings policy (Graph deviceComanagementAuthorityConfiguration)
		// that installs the Configuration Manager client during Autopilot
		if it.kind == KindOtherEnrollment && odataType(it.obj) == "devicecomanagementauthorityconfiguration" && it.obj["installConfigurationManagerAgent"] == true {
			l.at(it, SeverityWarning, ".installConfigurationManagerAgent", "the co-management settings install the Configuration Manager client during Autopilot: not supported for a hybrid join (the ESP times out)")
		}
	}
	for _, a := range s.Apps {
		if a.ConfigurationManagerClient {
			l.general(SeverityWarning, "the app %q is the Configuration Manager client: do not install it during a hybrid user-driven deployment (Autopilot into co-management does not support hybrid join; the ESP times out)", a.Name)
		}
	}
	if p := s.Proxy; p != nil && !p.WPAD {
		l.general(SeverityWarning, "the network's proxy %s is not found by Web Proxy Auto-Discovery (WPAD): a hybrid join needs the WPAD proxy setting enabled and configured", p.Server)
	}
}

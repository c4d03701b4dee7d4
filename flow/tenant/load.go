package tenant

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
)

// EmbeddedDir is the folder of assets.TenantFS that holds the default tenant.
const EmbeddedDir = "tenant"

// LoadEmbedded loads the default tenant shipped in the binary (assets.TenantFS).
func LoadEmbedded() (*flow.Tenant, error) {
	return Load(assets.TenantFS, EmbeddedDir)
}

// Load reads every *.json file directly in dir of fsys, recognises each one by its content
// (see the package documentation) and returns the normalized tenant. A file that cannot be
// read, is not valid JSON, holds a value of the wrong type or an invalid scenario makes Load
// return a nil tenant and an error with one line per problem, each naming the file and the
// line:column (syntax) or the JSON path (types). Files it does not recognise are skipped
// with a warning.
func Load(fsys fs.FS, dir string) (*flow.Tenant, error) {
	if fsys == nil {
		return nil, errors.New("tenant: no file system")
	}
	if dir == "" {
		dir = "."
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".json") {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no .json files", dir)
	}
	l := &loader{}
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		v, err := parseJSON(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, e := range l.addFile(name, v) {
			errs = append(errs, errors.New(e))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return l.build(), nil
}

// item is one recognised object, decoded into its raw Graph shape.
type item struct {
	file string
	path string
	kind kind
	obj  map[string]any
	raw  any
	seq  int
}

// where names the item in warnings: the file, plus the path inside a collection.
func (it *item) where() string {
	if it.path == "$" {
		return it.file
	}
	return it.file + " " + it.path
}

type loader struct {
	items    []*item
	warnings []string
	sources  []string
}

func (l *loader) warn(format string, args ...any) {
	l.warnings = append(l.warnings, fmt.Sprintf(format, args...))
}

// addFile recognises the file's top-level value (an object or a collection) and decodes
// every recognised object. It returns the file's errors, each "file: path: message".
func (l *loader) addFile(name string, v any) []string {
	obj, ok := v.(map[string]any)
	if !ok {
		l.warn("%s: top-level %s is not a Graph object or collection; ignored", name, jsonKind(v))
		return nil
	}
	var errs []string
	used := false
	add := func(p string, o map[string]any, hint string) {
		k := classify(o, hint)
		switch k {
		case kindUnknown:
			l.warn("%s: %s not recognised; ignored", name, describe(p, o))
			return
		case kindConfigFile:
			l.warn("%s: AutopilotConfigurationFile.json format is not imported yet; ignored", name)
			return
		case kindOtherEnrollment:
			if p == "$" {
				l.warn("%s: %s of type %q is not used by the emulator; ignored", name, k, odataType(o))
			}
			return
		}
		it := &item{file: name, path: p, kind: k, obj: o, seq: len(l.items)}
		var errs1 []string
		it.raw, errs1 = decodeKind(k, p, o)
		for _, e := range errs1 {
			errs = append(errs, name+": "+e)
		}
		if k == kindScenario && len(errs1) == 0 {
			errs = append(errs, checkScenario(name, it.raw.(*flow.Scenario))...)
		}
		l.items = append(l.items, it)
		used = true
	}
	if isCollection(obj) {
		hint := odataContext(obj)
		arr := obj["value"].([]any)
		if len(arr) == 0 {
			l.warn("%s: empty collection; ignored", name)
		}
		for i, e := range arr {
			p := indexPath("$.value", i)
			o, ok := e.(map[string]any)
			if !ok {
				l.warn("%s: %s is a %s, not an object; ignored", name, p, jsonKind(e))
				continue
			}
			add(p, o, hint)
		}
	} else {
		add("$", obj, "")
	}
	if used {
		l.sources = append(l.sources, name)
	}
	return errs
}

// describe names an unrecognised object by its path and @odata.type when it has one.
func describe(p string, o map[string]any) string {
	what := "object"
	if p != "$" {
		what = p
	}
	if t, _ := o["@odata.type"].(string); t != "" {
		return fmt.Sprintf("%s (@odata.type %q)", what, t)
	}
	return what
}

// decodeKind decodes o into the raw shape of k.
func decodeKind(k kind, p string, o map[string]any) (any, []string) {
	switch k {
	case kindProfile:
		var r rawProfile
		return &r, decodeInto(p, o, &r)
	case kindESP:
		var r rawESP
		return &r, decodeInto(p, o, &r)
	case kindHello:
		var r rawHello
		return &r, decodeInto(p, o, &r)
	case kindIdentity:
		var r rawIdentity
		return &r, decodeInto(p, o, &r)
	case kindDomainJoin:
		var r rawDomainJoin
		return &r, decodeInto(p, o, &r)
	case kindOrganization:
		var r rawOrganization
		return &r, decodeInto(p, o, &r)
	case kindBranding, kindBrandingLocalization:
		var r rawBranding
		return &r, decodeInto(p, o, &r)
	case kindScenario:
		var r flow.Scenario
		return &r, decodeInto(p, o, &r)
	}
	return nil, nil
}

// checkScenario validates a decoded scenario; errors read "file: $.path: message".
func checkScenario(name string, s *flow.Scenario) []string {
	if strings.TrimSpace(s.Schema) != flow.ScenarioSchema {
		return []string{fmt.Sprintf("%s: $.$schema: unsupported scenario version %q, want %q", name, s.Schema, flow.ScenarioSchema)}
	}
	err := s.Validate()
	if err == nil {
		return nil
	}
	var out []string
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, name+": "+e.Error())
		}
		return out
	}
	return []string{name + ": " + err.Error()}
}

// ofKind returns the items of kind k in reading order.
func (l *loader) ofKind(k kind) []*item {
	var out []*item
	for _, it := range l.items {
		if it.kind == k {
			out = append(out, it)
		}
	}
	return out
}

// build resolves conflicts between files and normalizes everything into a tenant.
func (l *loader) build() *flow.Tenant {
	t := &flow.Tenant{Profile: flow.DefaultProfile()}

	prof := l.pickProfile()
	if prof != nil {
		t.Profile = normProfile(prof, l.warn)
	} else {
		l.warn("no deployment profile found: using Graph defaults (Entra join, user-driven, os-default locale)")
	}

	if esp := l.pickEnrollment(kindESP, "ESP"); esp != nil {
		t.Profile.ESP = normESP(esp, l.warn)
	} else if prof != nil && prof.raw.(*rawProfile).LegacyESP != nil {
		t.Profile.ESP = legacyESP(prof.raw.(*rawProfile).LegacyESP)
		l.warn("%s: no Enrollment Status Page configuration found: using the profile's legacy enrollmentStatusScreenSettings", prof.file)
	}
	if hello := l.pickEnrollment(kindHello, "Windows Hello for Business"); hello != nil {
		t.Profile.Hello = normHello(hello, l.warn)
	}

	if it := l.first(kindOrganization); it != nil {
		t.Organization = normOrganization(it.raw.(*rawOrganization))
	} else {
		l.warn("no organization found: the sign-in page has no tenant name")
	}
	t.Branding = l.branding()

	if it := l.first(kindIdentity); it != nil {
		r := it.raw.(*rawIdentity)
		t.DeviceIdentity = &flow.DeviceIdentity{
			Serial: strings.TrimSpace(r.SerialNumber), UPN: strings.TrimSpace(r.UserPrincipalName),
			FriendlyName: strings.TrimSpace(r.AddressableUserName), Manufacturer: r.Manufacturer,
			Model: r.Model, GroupTag: r.GroupTag,
		}
	}

	var djFile string
	if it := l.first(kindDomainJoin); it != nil {
		t.DomainJoin, djFile = normDomainJoin(it.raw.(*rawDomainJoin)), it.file
	} else if prof != nil && prof.raw.(*rawProfile).DomainJoin != nil {
		t.DomainJoin, djFile = normDomainJoin(prof.raw.(*rawProfile).DomainJoin), prof.file
	}
	if t.DomainJoin != nil {
		checkDomainJoin(djFile, *t.DomainJoin, l.warn)
	}

	scenarioFromFile := false
	if it := l.first(kindScenario); it != nil {
		t.Scenario = *it.raw.(*flow.Scenario)
		scenarioFromFile = true
	} else {
		t.Scenario = flow.DefaultScenario()
		l.warn("no scenario file (\"$schema\": %q) found: using a minimal default scenario (one open Wi-Fi network, no users, no apps)", flow.ScenarioSchema)
	}

	l.crossCheck(t, prof, scenarioFromFile)
	t.Warnings = l.warnings
	t.Sources = l.sources
	return t
}

// first returns the first item of kind k and warns about the others.
func (l *loader) first(k kind) *item {
	its := l.ofKind(k)
	if len(its) == 0 {
		return nil
	}
	if len(its) > 1 {
		var others []string
		for _, it := range its[1:] {
			others = append(others, it.where())
		}
		l.warn("%s: %d objects of type %s found; using this one, ignoring %s", its[0].where(), len(its), k, strings.Join(others, ", "))
	}
	return its[0]
}

// pickProfile applies the conflict rule of reference §2.1: the oldest created profile wins.
// Profiles without a valid createdDateTime sort last, in reading order.
func (l *loader) pickProfile() *item {
	its := l.ofKind(kindProfile)
	if len(its) == 0 {
		return nil
	}
	created := make(map[*item]time.Time, len(its))
	for _, it := range its {
		s := strings.TrimSpace(it.raw.(*rawProfile).CreatedDateTime)
		if s == "" {
			continue
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			l.warn("%s: createdDateTime %q is not an ISO 8601 date-time; ignored", it.where(), s)
			continue
		}
		created[it] = tm
	}
	sort.SliceStable(its, func(i, j int) bool {
		ti, oki := created[its[i]]
		tj, okj := created[its[j]]
		if oki != okj {
			return oki
		}
		return oki && ti.Before(tj)
	})
	if len(its) > 1 {
		var others []string
		for _, it := range its[1:] {
			others = append(others, fmt.Sprintf("%s (%q)", it.where(), it.raw.(*rawProfile).DisplayName))
		}
		l.warn("%s: %d deployment profiles found; using %q, the oldest created (conflict rule), ignoring %s",
			its[0].where(), len(its), its[0].raw.(*rawProfile).DisplayName, strings.Join(others, ", "))
	}
	return its[0]
}

// enrollmentHeader reads the fields shared by deviceEnrollmentConfiguration types.
func enrollmentHeader(it *item) rawEnrollmentHeader {
	switch r := it.raw.(type) {
	case *rawESP:
		return rawEnrollmentHeader{ID: r.ID, DisplayName: r.DisplayName, Priority: r.Priority, ConfigurationType: r.ConfigurationType}
	case *rawHello:
		return rawEnrollmentHeader{ID: r.ID, DisplayName: r.DisplayName, Priority: r.Priority, ConfigurationType: r.ConfigurationType}
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

// pickEnrollment applies reference §3.3 to the configurations of kind k: the custom one with
// the lowest priority number wins, otherwise the default.
func (l *loader) pickEnrollment(k kind, label string) *item {
	its := l.ofKind(k)
	if len(its) == 0 {
		return nil
	}
	var custom, defaults []*item
	for _, it := range its {
		if isDefaultConfig(enrollmentHeader(it)) {
			defaults = append(defaults, it)
		} else {
			custom = append(custom, it)
		}
	}
	prio := func(it *item) int {
		if p := enrollmentHeader(it).Priority; p != nil {
			return *p
		}
		return int(^uint(0) >> 1)
	}
	if len(custom) > 0 {
		sort.SliceStable(custom, func(i, j int) bool { return prio(custom[i]) < prio(custom[j]) })
		if len(custom) > 1 {
			var others []string
			for _, it := range custom[1:] {
				others = append(others, fmt.Sprintf("%s (%q)", it.where(), enrollmentHeader(it).DisplayName))
			}
			l.warn("%s: %d custom %s configurations found; using %q, the lowest priority number, ignoring %s",
				custom[0].where(), len(custom), label, enrollmentHeader(custom[0]).DisplayName, strings.Join(others, ", "))
		}
		return custom[0]
	}
	if len(defaults) > 1 {
		l.warn("%s: several default %s configurations found; using the first", defaults[0].where(), label)
	}
	return defaults[0]
}

// branding builds the default branding (a standalone branding object first, else the "0"
// entry of a localizations collection) and its localizations.
func (l *loader) branding() flow.Branding {
	var def *item
	for _, it := range l.ofKind(kindBranding) {
		if def == nil || (it.path == "$" && def.path != "$") {
			def = it
		}
	}
	locs := l.ofKind(kindBrandingLocalization)
	if def == nil && len(locs) == 0 {
		return flow.Branding{}
	}
	var b flow.Branding
	var cdn []string
	if def != nil {
		r := def.raw.(*rawBranding)
		cdn = r.CDNList
		b = brandingFields(r, cdn)
		checkBranding(def.where(), b, l.warn)
	} else {
		l.warn("%s: branding localizations without a default branding", locs[0].file)
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
			l.warn("%s: second branding localization %q ignored", it.where(), id)
			continue
		}
		c := r.CDNList
		if len(c) == 0 {
			c = cdn
		}
		lb := brandingFields(r, c)
		checkBranding(it.where(), lb, l.warn)
		b.Localizations[id] = lb
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

func checkBranding(where string, b flow.Branding, warn func(string, ...any)) {
	if n := len([]rune(strings.TrimSpace(b.UsernameHint))); n > 64 {
		warn("%s: usernameHintText is %d characters, the limit is 64", where, n)
	}
	if n := len([]rune(strings.TrimSpace(b.SignInPageText))); n > 1024 {
		warn("%s: signInPageText is %d characters, the limit is 1024", where, n)
	}
}

func normOrganization(r *rawOrganization) flow.Organization {
	o := flow.Organization{ID: strings.TrimSpace(r.ID), DisplayName: strings.TrimSpace(r.DisplayName)}
	for _, d := range r.VerifiedDomains {
		name := strings.TrimSpace(d.Name)
		if name == "" {
			continue
		}
		o.Domains = append(o.Domains, name)
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

func checkDomainJoin(file string, d flow.DomainJoin, warn func(string, ...any)) {
	if d.Domain == "" {
		warn("%s: activeDirectoryDomainName is empty", file)
	} else if !strings.Contains(d.Domain, ".") {
		warn("%s: activeDirectoryDomainName %q looks like a NetBIOS name, want an FQDN", file, d.Domain)
	}
	if d.Prefix == "" {
		warn("%s: computerNameStaticPrefix is empty", file)
	}
	if strings.Contains(d.Prefix, "%") {
		warn("%s: computerNameStaticPrefix %q must not contain macros", file, d.Prefix)
	}
	if d.RandomChars < 3 || d.RandomChars > 14 {
		warn("%s: computerNameSuffixRandomCharCount %d is outside 3–14", file, d.RandomChars)
	}
	if n := len(d.Prefix) + d.RandomChars; n > 15 {
		warn("%s: prefix %q plus %d random characters is %d characters, the limit is 15", file, d.Prefix, d.RandomChars, n)
	}
	if ou := strings.ToUpper(strings.ReplaceAll(d.OU, " ", "")); strings.HasPrefix(ou, "CN=COMPUTERS,") {
		warn("%s: organizationalUnit %q is the Computers container: the join fails; leave it empty instead", file, d.OU)
	}
}

// crossCheck compares what different files say about the same device.
func (l *loader) crossCheck(t *flow.Tenant, prof *item, scenarioFromFile bool) {
	profFile := "profile"
	if prof != nil {
		profFile = prof.file
	}
	if id := t.DeviceIdentity; id != nil {
		dev := &t.Scenario.Device
		switch {
		case dev.Serial == "":
			dev.Serial = id.Serial
			if dev.Manufacturer == "" {
				dev.Manufacturer = id.Manufacturer
			}
			if dev.Model == "" {
				dev.Model = id.Model
			}
		case id.Serial != "" && !strings.EqualFold(dev.Serial, id.Serial):
			l.warn("scenario device serial %q is not the registered Autopilot device %q", dev.Serial, id.Serial)
		}
		if t.Profile.Join == flow.JoinHybrid && id.UPN != "" {
			l.warn("%s: a user is assigned to a device with a hybrid join profile: not supported, expect error 80070774", profFile)
		}
	}
	switch {
	case t.Profile.Join == flow.JoinHybrid && t.DomainJoin == nil:
		l.warn("%s: hybrid join profile without a Domain Join configuration", profFile)
	case t.Profile.Join == flow.JoinEntra && t.DomainJoin != nil:
		l.warn("%s: the Domain Join configuration is only used by hybrid join; the Entra join profile ignores it", profFile)
	}
	if t.Profile.DeviceNameTemplate != "" && t.Scenario.Device.Serial != "" {
		if strings.Contains(t.Profile.DeviceNameTemplate, "%SERIAL%") && !strings.Contains(t.Profile.DeviceNameTemplate, "%RAND:") {
			static := len(strings.ReplaceAll(t.Profile.DeviceNameTemplate, "%SERIAL%", ""))
			if static+len(t.Scenario.Device.Serial) > 15 {
				l.warn("%s: name template %q with serial %q exceeds 15 characters: the serial is truncated from the beginning",
					profFile, t.Profile.DeviceNameTemplate, t.Scenario.Device.Serial)
			}
		}
	}
	if scenarioFromFile {
		ids := map[string]bool{}
		for _, a := range t.Scenario.Apps {
			ids[strings.ToLower(a.ID)] = true
		}
		for _, id := range t.Profile.ESP.BlockingAppIDs {
			if !ids[strings.ToLower(id)] {
				l.warn("ESP blocking app %s is not among the scenario's apps", id)
			}
		}
	}
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

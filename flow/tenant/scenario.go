package tenant

import (
	"path"
	"strings"
	"sync"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/internal/safefile"
)

// scenario sets t.Scenario: the Options.Scenario file, else a scenario among the files, else
// the embedded demo scenario adapted to the tenant. It returns the scenario's source: a file
// name or "embedded".
func (l *loader) scenario(t *sim.World) string {
	scens := l.ofKind(KindScenario)
	var chosen *item
	for _, it := range scens {
		if it.scenarioOpt {
			chosen = it
		}
	}
	if chosen == nil && len(scens) > 0 {
		chosen = scens[0]
	}
	for _, it := range scens {
		if it != chosen {
			it.note = "ignored: " + where(chosen) + " is used"
			if chosen.scenarioOpt {
				l.at(it, SeverityInfo, "", "replaced by the scenario file given, %s", where(chosen))
			} else {
				l.at(it, SeverityWarning, "", "a second scenario; %s is used", where(chosen))
			}
		}
	}
	if chosen != nil {
		chosen.used, chosen.note = true, "the scenario"
		t.Scenario = chosen.raw.(*sim.Scenario).Clone()
		if id := t.DeviceIdentity; id != nil && t.Scenario.Device.Serial == "" {
			t.Scenario.Device = sim.ScenarioDevice{Serial: id.Serial, Manufacturer: id.Manufacturer, Model: id.Model}
		}
		return chosen.file.File
	}
	t.Scenario = embeddedScenario().Clone()
	l.adaptScenario(t)
	return "embedded"
}

var (
	embeddedOnce sync.Once
	embeddedScen sim.Scenario
)

// embeddedScenario returns the scenario of the embedded tenant (assets.TenantFS), or
// sim.DefaultScenario if it cannot be read.
func embeddedScenario() sim.Scenario {
	embeddedOnce.Do(func() {
		embeddedScen = sim.DefaultScenario()
		data, err := safefile.ReadFS(assets.TenantFS, path.Join(EmbeddedDir, "scenario.json"), safefile.Limit)
		if err != nil {
			return
		}
		text, _, _ := decodeText(data)
		v, f := parseJSON("scenario.json", text)
		if f != nil {
			return
		}
		var s sim.Scenario
		for _, n := range decodeInto("$", v, &s, false) {
			if n.sev == SeverityError {
				return
			}
		}
		if s.Validate() == nil {
			embeddedScen = s
		}
	})
	return embeddedScen
}

// adaptScenario fits the embedded demo scenario to an imported tenant: the device becomes the
// registered Autopilot device, the demo users move to the tenant's default domain, and the
// assigned user is added as a demo user (with the first demo user's password and MFA method).
func (l *loader) adaptScenario(t *sim.World) {
	s := &t.Scenario
	l.general(SeverityInfo, "no scenario file: Wi-Fi networks, users, apps and timings come from the embedded demo scenario (give one with --scenario)")
	if id := t.DeviceIdentity; id != nil && id.Serial != "" {
		s.Device.Serial = id.Serial
		if id.Manufacturer != "" || id.Model != "" {
			s.Device.Manufacturer, s.Device.Model = id.Manufacturer, id.Model
		}
		l.general(SeverityInfo, "the emulated device is the registered Autopilot device %s", id.Serial)
	}
	org := t.Organization
	if dom := org.DefaultDomain; dom != "" && len(org.Domains) > 0 {
		renamed := map[string]string{}
		var names []string
		for i, u := range s.Users {
			if org.OwnsUPN(u.UPN) {
				continue
			}
			local := u.UPN
			if at := strings.LastIndex(local, "@"); at >= 0 {
				local = local[:at]
			}
			nu := local + "@" + dom
			renamed[strings.ToLower(u.UPN)] = nu
			s.Users[i].UPN = nu
			names = append(names, nu)
		}
		for i := range s.Apps {
			for j, u := range s.Apps[i].FailFor {
				if nu, ok := renamed[strings.ToLower(u)]; ok {
					s.Apps[i].FailFor[j] = nu
				}
			}
		}
		if len(names) > 0 {
			l.general(SeverityInfo, "the embedded demo users sign in as %s (passwords and MFA as in the embedded scenario)", strings.Join(names, ", "))
		}
	}
	if id := t.DeviceIdentity; id != nil && id.UPN != "" && len(s.Users) > 0 {
		if _, ok := s.User(id.UPN); !ok {
			tmpl := s.Users[0]
			name := id.FriendlyName
			if name == "" {
				name, _, _ = strings.Cut(id.UPN, "@")
			}
			s.Users = append(s.Users, sim.ScenarioUser{
				UPN: id.UPN, DisplayName: name, Password: tmpl.Password, MFA: tmpl.MFA, MFACode: tmpl.MFACode, Licensed: true,
			})
			l.general(SeverityInfo, "the assigned user %s is added as a demo user with the password and MFA method of %s", id.UPN, tmpl.UPN)
		}
	}
}

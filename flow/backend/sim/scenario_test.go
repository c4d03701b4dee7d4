package sim_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

func validScenario() sim.Scenario {
	return sim.Scenario{
		Schema:           sim.ScenarioSchema,
		DisplayLanguages: []string{"en-US", "de-DE"},
		WiFi: []sim.ScenarioWiFi{
			{SSID: "Open", Signal: 4, Security: flow.SecurityOpen, Internet: true},
			{SSID: "Corp", Signal: 3, Security: flow.SecurityPSK, Key: "secret-key-1", Internet: true},
			{SSID: "Lab", Signal: 2, Security: flow.SecurityPSK, Key: "hidden-key-2", Hidden: true},
		},
		Updates:  sim.ScenarioUpdates{Available: true, Restart: true, CheckSeconds: 1, DownloadSeconds: 2, InstallSeconds: 3, RestartSeconds: 4},
		Users:    []sim.ScenarioUser{{UPN: "a@x.com", Password: "pw-one", MFA: flow.MFAPush, Licensed: true, MFACode: "135799"}},
		Apps:     []sim.ScenarioApp{{ID: "1", Name: "App", Context: sim.ContextDevice, Seconds: 5, FailCode: "0x81036502"}},
		Policies: []sim.ScenarioItem{{Name: "Baseline", Seconds: 1}},
	}
}

func TestScenarioValidate(t *testing.T) {
	if err := validScenario().Validate(); err != nil {
		t.Fatalf("valid scenario: %v", err)
	}
	if err := sim.DefaultScenario().Validate(); err != nil {
		t.Fatalf("default scenario: %v", err)
	}
	tests := []struct {
		name   string
		change func(*sim.Scenario)
		want   string
	}{
		{"schema", func(s *sim.Scenario) { s.Schema = "" }, "$.$schema: want"},
		{"language", func(s *sim.Scenario) { s.DisplayLanguages[1] = "German" }, "$.displayLanguages[1]: want a language tag"},
		{"ethernet", func(s *sim.Scenario) { s.Ethernet.Internet = true }, "$.ethernet.internet: internet needs present"},
		{"signal", func(s *sim.Scenario) { s.WiFi[0].Signal = 0 }, "$.wifi[0].signal: want 1 to 4, got 0"},
		{"security", func(s *sim.Scenario) { s.WiFi[0].Security = "wep" }, `$.wifi[0].security: want open, psk or enterprise, got "wep"`},
		{"short key", func(s *sim.Scenario) { s.WiFi[1].Key = "short" }, "$.wifi[1].key: a psk key must be 8 to 63 characters, got 5"},
		{"duplicate SSID", func(s *sim.Scenario) { s.WiFi[2].SSID = "Corp" }, `$.wifi[2].ssid: "Corp" already used by $.wifi[1]`},
		{"negative seconds", func(s *sim.Scenario) { s.Updates.RestartSeconds = -1 }, "$.updates.restartSeconds: want 0 to 86400"},
		{"UPN", func(s *sim.Scenario) { s.Users[0].UPN = "a@" }, `$.users[0].upn: want name@domain`},
		{"password", func(s *sim.Scenario) { s.Users[0].Password = "" }, "$.users[0].password: must not be empty"},
		{"mfa", func(s *sim.Scenario) { s.Users[0].MFA = "" }, `$.users[0].mfa: want none, push or code, got ""`},
		{"context", func(s *sim.Scenario) { s.Apps[0].Context = "machine" }, `$.apps[0].context: want device or user`},
		{"fail code", func(s *sim.Scenario) { s.Apps[0].FailCode = "81036502" }, `$.apps[0].failCode: want "" or a hex code`},
		{"user reboot", func(s *sim.Scenario) { s.Apps[0].Context, s.Apps[0].RebootAfter = sim.ContextUser, true }, "$.apps[0].rebootAfter"},
		{"item name", func(s *sim.Scenario) { s.Policies[0].Name = "" }, "$.policies[0].name: must not be empty"},
		{"mfa code", func(s *sim.Scenario) { s.Users[0].MFACode = "12ab" }, "$.users[0].mfaCode: want 6 to 8 digits"},
		{"enroll error", func(s *sim.Scenario) { s.Users[0].EnrollError = "nope" }, `$.users[0].enrollError: want an 8-digit hex code`},
		{"fail times negative", func(s *sim.Scenario) { s.Apps[0].FailTimes = -1 }, "$.apps[0].failTimes: want 0 or more"},
		{"fail times without code", func(s *sim.Scenario) { s.Apps[0].FailCode, s.Apps[0].FailTimes = "", 1 }, "$.apps[0].failTimes: needs a failCode"},
		{"fail for without code", func(s *sim.Scenario) { s.Apps[0].FailCode, s.Apps[0].FailFor = "", []string{"a@x.com"} }, "$.apps[0].failFor: needs a failCode"},
		{"fail for UPN", func(s *sim.Scenario) { s.Apps[0].FailFor = []string{"a"} }, `$.apps[0].failFor[0]: want name@domain`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validScenario()
			tc.change(&s)
			err := s.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, tc.want) }) {
				t.Errorf("errors %q lack %q", lines, tc.want)
			}
			for _, l := range lines {
				for _, secret := range []string{"secret-key-1", "hidden-key-2", "pw-one", "135799", "12ab"} {
					if strings.Contains(l, secret) {
						t.Errorf("error quotes a secret: %q", l)
					}
				}
			}
		})
	}
}

func TestScenarioLookupsAndRedacted(t *testing.T) {
	s := validScenario()
	if u, ok := s.User(" A@X.COM "); !ok || u.UPN != "a@x.com" {
		t.Errorf("User = %+v, %v", u, ok)
	}
	if _, ok := s.User("b@x.com"); ok {
		t.Error("unknown user found")
	}
	if n, ok := s.Network("Lab"); !ok || !n.Hidden {
		t.Errorf("Network(Lab) = %+v, %v", n, ok)
	}
	if _, ok := s.Network("lab"); ok {
		t.Error("SSID lookup must be exact")
	}
	r := s.Redacted()
	if r.WiFi[1].Key != "***" || r.Users[0].Password != "***" || r.Users[0].MFACode != "***" || r.WiFi[0].Key != "" {
		t.Errorf("Redacted = %+v / %+v", r.WiFi, r.Users)
	}
	if s.WiFi[1].Key != "secret-key-1" || s.Users[0].Password != "pw-one" || s.Users[0].MFACode != "135799" {
		t.Error("Redacted changed the original")
	}
	if got := (sim.ScenarioUser{}).Code(); got != sim.DefaultMFACode || s.Users[0].Code() != "135799" {
		t.Errorf("Code = %q", got)
	}
}

func TestScenarioAppFails(t *testing.T) {
	always := sim.ScenarioApp{FailCode: "0x81036502"}
	once := sim.ScenarioApp{FailCode: "0x87D1041C", FailTimes: 1}
	forTomas := sim.ScenarioApp{FailCode: "0x87D1041C", FailTimes: 1, FailFor: []string{"Tomas.Okafor@larkspuraero.com"}}
	tests := []struct {
		name    string
		app     sim.ScenarioApp
		upn     string
		attempt int
		want    bool
	}{
		{"no code never fails", sim.ScenarioApp{FailTimes: 3}, "a@x.com", 1, false},
		{"always, first", always, "", 1, true},
		{"always, fifth", always, "a@x.com", 5, true},
		{"once, first", once, "a@x.com", 1, true},
		{"once, second", once, "a@x.com", 2, false},
		{"for tomas, tomas first", forTomas, "tomas.okafor@larkspuraero.com", 1, true},
		{"for tomas, tomas second", forTomas, "tomas.okafor@larkspuraero.com", 2, false},
		{"for tomas, megan", forTomas, "megan.rivera@larkspuraero.com", 1, false},
		{"for tomas, nobody signed in", forTomas, "", 1, false},
	}
	for _, tc := range tests {
		if got := tc.app.Fails(tc.upn, tc.attempt); got != tc.want {
			t.Errorf("%s: Fails = %v, want %v", tc.name, got, tc.want)
		}
	}
}

package tenant

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

func needSamples(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(samplesDir); err != nil {
		t.Fatalf("the sample exports in samples/: %v", err)
	}
}

// TestSamplesReport checks what each sample is and the per-profile values of the samples
// README, through LoadPaths.
func TestSamplesReport(t *testing.T) {
	needSamples(t)
	tn, rep, err := LoadPaths([]string{samplesDir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Kind{
		"AutopilotConfigurationFile.json":            KindConfigFile,
		"autopilot-device-identity.json":             KindIdentity,
		"deployment-profile-entra.json":              KindProfile,
		"deployment-profile-hybrid-skipcheck.json":   KindProfile,
		"domain-join-configuration.json":             KindDomainJoin,
		"esp-configuration.json":                     KindESP,
		"organization.json":                          KindOrganization,
		"organizational-branding.json":               KindBranding,
		"organizational-branding-localizations.json": KindBrandingLocalization,
	}
	if len(rep.Files) != len(kinds) {
		t.Errorf("%d files, want %d", len(rep.Files), len(kinds))
	}
	for _, f := range rep.Files {
		base := filepath.Base(f.File)
		if want, ok := kinds[base]; !ok || f.Kind != want {
			t.Errorf("%s: kind %v, want %v", base, f.Kind, want)
		}
		if base == "AutopilotConfigurationFile.json" && (f.Encoding != EncodingASCII || f.LineEndings != "CRLF") {
			t.Errorf("configuration file read as %s %s, want ASCII CRLF", f.Encoding, f.LineEndings)
		}
	}
	if len(rep.Of(SeverityWarning)) > 0 || len(rep.Of(SeverityError)) > 0 {
		t.Errorf("warnings or errors: %q", findingLines(rep))
	}
	if tn.Scenario.Device.Serial != "5CG4281QZT" {
		t.Errorf("device serial %q", tn.Scenario.Device.Serial)
	}
	name, err := flow.ExpandDeviceName(tn.Profile.DeviceNameTemplate, tn.Scenario.Device.Serial, nil)
	if err != nil || name != "FAB-5CG4281QZT" || len(name) != 14 {
		t.Errorf("computer name %q, %v", name, err)
	}

	byFile := map[string]ProfileReport{}
	for _, p := range rep.Profiles {
		byFile[filepath.Base(p.File)] = p
	}
	entra, hybrid, cfg := byFile["deployment-profile-entra.json"], byFile["deployment-profile-hybrid-skipcheck.json"], byFile["AutopilotConfigurationFile.json"]
	if len(rep.Profiles) != 3 || !entra.Applies || hybrid.Applies || cfg.Applies {
		t.Fatalf("profiles %+v", rep.Profiles)
	}
	if entra.OOBEConfig != 1310 || hybrid.OOBEConfig != 280 || cfg.OOBEConfig != 1310 {
		t.Errorf("equivalent bitmasks %d %d %d, want 1310 280 1310", entra.OOBEConfig, hybrid.OOBEConfig, cfg.OOBEConfig)
	}
	h := hybrid.Profile
	if h.Join != flow.JoinHybrid || !h.SkipDCCheck || h.UserType != flow.UserAdministrator || !h.EULAHidden || h.PrivacyHidden ||
		h.KeyboardSkipped || h.LocaleMode != flow.LocaleOSDefault || !h.EscapeLinkHidden || h.DeviceNameTemplate != "" {
		t.Errorf("hybrid profile = %+v", h)
	}
	if !h.ESP.Show || len(h.ESP.BlockingAppIDs) != 3 {
		t.Errorf("hybrid profile report lacks the tenant's ESP: %+v", h.ESP)
	}
	c := cfg.ConfigFile
	if c == nil || c.OOBEConfig != 1310 || c.DomainJoinMethod != 0 || c.ForcedEnrollment != 1 || c.Encoding != EncodingASCII {
		t.Fatalf("configuration file = %+v", c)
	}
	var bits []int64
	for _, b := range c.Bits {
		bits = append(bits, b.Value)
	}
	if !slices.Equal(bits, []int64{2, 4, 8, 16, 256, 1024}) {
		t.Errorf("bits %v", bits)
	}
	if z := c.ZeroTouchConfig; z == nil || *z != (ZeroTouchConfig{TenantUPN: "", ForcedEnrollment: 1, TenantDomain: "fabrikamlab.com"}) {
		t.Errorf("ZeroTouchConfig = %+v", c.ZeroTouchConfig)
	}
	if cfg.Profile.UserType != flow.UserStandard || !cfg.Profile.PrivacyHidden || !cfg.Profile.EULAHidden || !cfg.Profile.KeyboardSkipped ||
		cfg.Profile.Locale != "en-GB" || !cfg.Profile.EscapeLinkHidden {
		t.Errorf("configuration file profile = %+v", cfg.Profile)
	}
}

// TestSamplesOneByOne: each sample alone, given with its single-file flag's kind, imports
// without error and with its README values.
func TestSamplesOneByOne(t *testing.T) {
	needSamples(t)
	tests := []struct {
		file  string
		kind  Kind
		check func(*sim.World) bool
	}{
		{"deployment-profile-entra.json", KindProfile, func(tn *sim.World) bool {
			return tn.Profile.Join == flow.JoinEntra && tn.Profile.DeviceNameTemplate == "FAB-%SERIAL%" && tn.Profile.Locale == "en-GB"
		}},
		{"deployment-profile-hybrid-skipcheck.json", KindProfile, func(tn *sim.World) bool {
			return tn.Profile.Join == flow.JoinHybrid && tn.Profile.SkipDCCheck
		}},
		{"esp-configuration.json", KindESP, func(tn *sim.World) bool {
			b := flow.Buttons(tn.Profile.ESP, flow.Windows11)
			return b.TryAgain && b.Reset && b.CollectLogs && b.Diagnostics && !b.Continue && tn.Profile.ESP.TimeoutMinutes == 60
		}},
		{"organizational-branding.json", KindBranding, func(tn *sim.World) bool { return tn.Branding.BackgroundColor == "#0F3D6E" }},
		{"organizational-branding-localizations.json", KindBranding, func(tn *sim.World) bool {
			return tn.Branding.For("fr-FR").BackgroundColor == "#1B4F8A" && strings.HasPrefix(tn.Branding.For("de-DE").SignInPageText, "Geräte")
		}},
		{"AutopilotConfigurationFile.json", KindConfigFile, func(tn *sim.World) bool {
			return tn.Profile.KeyboardSkipped && tn.Organization.DefaultDomain == "fabrikamlab.com" && tn.Profile.ID == "afabda9a-ccc0-478f-834d-581095733920"
		}},
		{"organization.json", KindOrganization, func(tn *sim.World) bool { return tn.Organization.DisplayName == "Fabrikam Training Lab" }},
		{"autopilot-device-identity.json", KindIdentity, func(tn *sim.World) bool { return tn.DeviceIdentity.UPN == "alex.wilber@fabrikamlab.com" }},
		{"domain-join-configuration.json", KindDomainJoin, func(tn *sim.World) bool { return tn.DomainJoin.Prefix == "FABHY-" }},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p := filepath.Join(samplesDir, tc.file)
			tn, _, err := LoadPaths([]string{p}, Options{Kinds: map[string]Kind{p: tc.kind}})
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(tn) {
				t.Errorf("values differ from the README: %+v", tn)
			}
		})
	}
}

package tenant

import (
	"fmt"
	"strings"

	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// Kind is what a JSON object (or a whole file) was recognised as.
type Kind int

// The kinds of object the importer recognises.
const (
	// KindUnknown is an object the importer does not recognise (skipped with a warning).
	KindUnknown Kind = iota
	// KindProfile is a Graph windowsAutopilotDeploymentProfile (Entra or hybrid join).
	KindProfile
	// KindESP is a windows10EnrollmentCompletionPageConfiguration.
	KindESP
	// KindHello is a deviceEnrollmentWindowsHelloForBusinessConfiguration.
	KindHello
	// KindOtherEnrollment is another deviceEnrollmentConfiguration (limits, restrictions…),
	// recognised and not used.
	KindOtherEnrollment
	// KindIdentity is a windowsAutopilotDeviceIdentity.
	KindIdentity
	// KindDomainJoin is a windowsDomainJoinConfiguration.
	KindDomainJoin
	// KindOrganization is the Entra organization (GET /organization).
	KindOrganization
	// KindBranding is the default organizationalBranding.
	KindBranding
	// KindBrandingLocalization is an organizationalBrandingLocalization.
	KindBrandingLocalization
	// KindScenario is the emulator's scenario file ("$schema": "oobe-scenario/1").
	KindScenario
	// KindConfigFile is an AutopilotConfigurationFile.json (Autopilot for existing devices).
	KindConfigFile
	// KindCollection is a file holding a Graph collection of objects of different kinds.
	KindCollection
)

var kindInfo = []struct{ id, name string }{
	KindUnknown:              {"unknown", "unknown object"},
	KindProfile:              {"profile", "deployment profile"},
	KindESP:                  {"esp", "Enrollment Status Page configuration"},
	KindHello:                {"hello", "Windows Hello for Business configuration"},
	KindOtherEnrollment:      {"enrollment", "enrollment configuration"},
	KindIdentity:             {"device-identity", "Autopilot device identity"},
	KindDomainJoin:           {"domain-join", "Domain Join configuration"},
	KindOrganization:         {"organization", "organization"},
	KindBranding:             {"branding", "organizational branding"},
	KindBrandingLocalization: {"branding-localization", "branding localization"},
	KindScenario:             {"scenario", "emulator scenario"},
	KindConfigFile:           {"config-file", "AutopilotConfigurationFile.json"},
	KindCollection:           {"collection", "collection of mixed objects"},
}

// String is the human name of the kind ("deployment profile").
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindInfo) {
		return kindInfo[KindUnknown].name
	}
	return kindInfo[k].name
}

// ID is the kind's short machine name ("profile", "esp", "config-file"…), used in JSON.
func (k Kind) ID() string {
	if k < 0 || int(k) >= len(kindInfo) {
		return kindInfo[KindUnknown].id
	}
	return kindInfo[k].id
}

// MarshalText writes the kind's ID.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.ID()), nil }

// UnmarshalText reads a kind's ID.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, ki := range kindInfo {
		if ki.id == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown kind %q", b)
}

// odataType returns the object's @odata.type without "#" and "microsoft.graph.", lowercased.
func odataType(obj map[string]any) string {
	s, _ := obj["@odata.type"].(string)
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	return strings.TrimPrefix(s, "microsoft.graph.")
}

// odataContext returns the object's @odata.context, lowercased.
func odataContext(obj map[string]any) string {
	s, _ := obj["@odata.context"].(string)
	return strings.ToLower(s)
}

// isCollection reports whether obj is a Graph collection response {"value": […]}.
func isCollection(obj map[string]any) bool {
	if _, ok := obj["value"].([]any); !ok {
		return false
	}
	if _, ok := obj["$schema"]; ok {
		return false
	}
	return odataType(obj) == ""
}

// classify recognises an object by its content, in this order: the scenario marker
// ("$schema": "oobe-scenario/…"), @odata.type, @odata.context (the object's own, or hint, the
// context of the collection holding it), then characteristic keys.
func classify(obj map[string]any, hint string) Kind {
	if s, ok := obj["$schema"].(string); ok && strings.HasPrefix(strings.TrimSpace(s), sim.ScenarioSchemaPrefix) {
		return KindScenario
	}
	if t := odataType(obj); t != "" {
		switch t {
		case "azureadwindowsautopilotdeploymentprofile", "activedirectorywindowsautopilotdeploymentprofile",
			"windowsautopilotdeploymentprofile":
			return KindProfile
		case "windows10enrollmentcompletionpageconfiguration":
			return KindESP
		case "deviceenrollmentwindowshelloforbusinessconfiguration":
			return KindHello
		case "windowsautopilotdeviceidentity":
			return KindIdentity
		case "windowsdomainjoinconfiguration":
			return KindDomainJoin
		case "devicecomanagementauthorityconfiguration":
			// the co-management settings, a deviceEnrollmentConfiguration (oobe check reads
			// installConfigurationManagerAgent for a hybrid join)
			return KindOtherEnrollment
		case "organization":
			return KindOrganization
		case "organizationalbranding", "organizationalbrandinglocalization", "organizationalbrandingproperties":
			return brandingKind(obj)
		}
		if strings.HasPrefix(t, "deviceenrollment") || strings.Contains(t, "enrollmentconfiguration") ||
			strings.Contains(t, "platformrestriction") {
			return KindOtherEnrollment
		}
		return KindUnknown
	}
	ctx := odataContext(obj)
	if ctx == "" {
		ctx = hint
	}
	switch {
	case strings.Contains(ctx, "/branding"), strings.Contains(ctx, "#branding"):
		return brandingKind(obj)
	case strings.Contains(ctx, "deploymentprofile"):
		return KindProfile
	case strings.Contains(ctx, "windowsautopilotdeviceidentities"):
		return KindIdentity
	case strings.Contains(ctx, "#organization"):
		return KindOrganization
	}
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := lookup(obj, k); ok {
				return true
			}
		}
		return false
	}
	switch {
	case has("CloudAssignedOobeConfig", "CloudAssignedTenantId", "CloudAssignedAadServerData"):
		return KindConfigFile
	case has("outOfBoxExperienceSetting", "outOfBoxExperienceSettings", "hybridAzureADJoinSkipConnectivityCheck"):
		return KindProfile
	case has("showInstallationProgress", "blockDeviceSetupRetryByUser"):
		return KindESP
	case has("pinMinimumLength", "pinMaximumLength"):
		return KindHello
	case has("computerNameStaticPrefix", "activeDirectoryDomainName"):
		return KindDomainJoin
	case has("verifiedDomains"):
		return KindOrganization
	case has("serialNumber") && has("userPrincipalName", "enrollmentState", "addressableUserName"):
		return KindIdentity
	case has("usernameHintText", "signInPageText", "squareLogoRelativeUrl", "cdnList"):
		return brandingKind(obj)
	}
	return KindUnknown
}

// brandingKind tells the default branding (id "0", "default" or none) from a localization.
func brandingKind(obj map[string]any) Kind {
	if isDefaultBrandingID(obj["id"]) {
		return KindBranding
	}
	return KindBrandingLocalization
}

func isDefaultBrandingID(v any) bool {
	id, _ := v.(string)
	id = strings.TrimSpace(id)
	return id == "" || id == "0" || strings.EqualFold(id, "default")
}

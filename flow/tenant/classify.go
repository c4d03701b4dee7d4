package tenant

import (
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// kind is what a JSON object was recognised as.
type kind int

const (
	kindUnknown kind = iota
	kindProfile
	kindESP
	kindHello
	kindOtherEnrollment
	kindIdentity
	kindDomainJoin
	kindOrganization
	kindBranding
	kindBrandingLocalization
	kindScenario
	kindConfigFile
)

// String names the kind in warnings.
func (k kind) String() string {
	switch k {
	case kindProfile:
		return "deployment profile"
	case kindESP:
		return "Enrollment Status Page configuration"
	case kindHello:
		return "Windows Hello for Business configuration"
	case kindOtherEnrollment:
		return "enrollment configuration"
	case kindIdentity:
		return "Autopilot device identity"
	case kindDomainJoin:
		return "Domain Join configuration"
	case kindOrganization:
		return "organization"
	case kindBranding:
		return "organizational branding"
	case kindBrandingLocalization:
		return "branding localization"
	case kindScenario:
		return "emulator scenario"
	case kindConfigFile:
		return "AutopilotConfigurationFile.json"
	}
	return "unknown object"
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
func classify(obj map[string]any, hint string) kind {
	if s, ok := obj["$schema"].(string); ok && strings.HasPrefix(strings.TrimSpace(s), flow.ScenarioSchemaPrefix) {
		return kindScenario
	}
	if t := odataType(obj); t != "" {
		switch t {
		case "azureadwindowsautopilotdeploymentprofile", "activedirectorywindowsautopilotdeploymentprofile",
			"windowsautopilotdeploymentprofile":
			return kindProfile
		case "windows10enrollmentcompletionpageconfiguration":
			return kindESP
		case "deviceenrollmentwindowshelloforbusinessconfiguration":
			return kindHello
		case "windowsautopilotdeviceidentity":
			return kindIdentity
		case "windowsdomainjoinconfiguration":
			return kindDomainJoin
		case "organization":
			return kindOrganization
		case "organizationalbranding", "organizationalbrandinglocalization", "organizationalbrandingproperties":
			return brandingKind(obj)
		}
		if strings.HasPrefix(t, "deviceenrollment") || strings.Contains(t, "enrollmentconfiguration") ||
			strings.Contains(t, "platformrestriction") {
			return kindOtherEnrollment
		}
		return kindUnknown
	}
	ctx := odataContext(obj)
	if ctx == "" {
		ctx = hint
	}
	switch {
	case strings.Contains(ctx, "/branding"), strings.Contains(ctx, "#branding"):
		return brandingKind(obj)
	case strings.Contains(ctx, "deploymentprofile"):
		return kindProfile
	case strings.Contains(ctx, "windowsautopilotdeviceidentities"):
		return kindIdentity
	case strings.Contains(ctx, "#organization"):
		return kindOrganization
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
		return kindConfigFile
	case has("outOfBoxExperienceSetting", "outOfBoxExperienceSettings", "hybridAzureADJoinSkipConnectivityCheck"):
		return kindProfile
	case has("showInstallationProgress", "blockDeviceSetupRetryByUser"):
		return kindESP
	case has("pinMinimumLength", "pinMaximumLength"):
		return kindHello
	case has("computerNameStaticPrefix", "activeDirectoryDomainName"):
		return kindDomainJoin
	case has("verifiedDomains"):
		return kindOrganization
	case has("serialNumber") && has("userPrincipalName", "enrollmentState", "addressableUserName"):
		return kindIdentity
	case has("usernameHintText", "signInPageText", "squareLogoRelativeUrl", "cdnList"):
		return brandingKind(obj)
	}
	return kindUnknown
}

// brandingKind tells the default branding (id "0", "default" or none) from a localization.
func brandingKind(obj map[string]any) kind {
	if isDefaultBrandingID(obj["id"]) {
		return kindBranding
	}
	return kindBrandingLocalization
}

func isDefaultBrandingID(v any) bool {
	id, _ := v.(string)
	id = strings.TrimSpace(id)
	return id == "" || id == "0" || strings.EqualFold(id, "default")
}

package flow

// JoinType is how the device joins the organization.
type JoinType string

const (
	// JoinEntra is a Microsoft Entra join (azureADWindowsAutopilotDeploymentProfile).
	JoinEntra JoinType = "entra"
	// JoinHybrid is a Microsoft Entra hybrid join (activeDirectoryWindowsAutopilotDeploymentProfile).
	JoinHybrid JoinType = "hybrid"
)

// UserType is whether the enrolling user becomes a local administrator.
type UserType string

const (
	// UserAdministrator puts the user in the local Administrators group.
	UserAdministrator UserType = "administrator"
	// UserStandard keeps the user a standard user.
	UserStandard UserType = "standard"
)

// DeploymentMode is the Autopilot deployment mode (deviceUsageType).
type DeploymentMode string

const (
	// ModeUserDriven is the user-driven mode (deviceUsageType singleUser).
	ModeUserDriven DeploymentMode = "userDriven"
	// ModeSelfDeploying is the self-deploying mode (deviceUsageType shared).
	ModeSelfDeploying DeploymentMode = "selfDeploying"
)

// WindowsVersion is the Windows release whose OOBE is emulated.
type WindowsVersion int

const (
	// Windows11 is the primary target.
	Windows11 WindowsVersion = 11
	// Windows10 switches the Windows 10 behaviours (reference §1.3).
	Windows10 WindowsVersion = 10
)

// Is11 reports whether w is Windows 11 (the zero value counts as Windows 11, the primary
// target).
func (w WindowsVersion) Is11() bool { return w != Windows10 }

// LocaleMode says where the display language and region come from.
type LocaleMode string

const (
	// LocaleOSDefault uses the image's default language ("os-default").
	LocaleOSDefault LocaleMode = "os-default"
	// LocaleUserSelect lets the user choose ("user-select", "" or null).
	LocaleUserSelect LocaleMode = "user-select"
	// LocaleFixed applies the profile's Locale tag.
	LocaleFixed LocaleMode = "fixed"
)

// Profile is the normalized Autopilot deployment profile together with the enrollment
// settings the OOBE depends on (ESP, Windows Hello for Business).
type Profile struct {
	// NotAutopilot is true when no Autopilot profile applies: the device's hardware hash was
	// never registered, or no profile is assigned to it (reference §1.1 step 3, §1.2): the
	// ordinary OOBE runs, with the pages Autopilot skips (Let's name your device, How would
	// you like to set up this device?) and a sign-in without the organization's branding.
	NotAutopilot bool `json:"notAutopilot,omitempty"`
	// Unregistered says why NotAutopilot: "not_registered" (event 807
	// ZtdDeviceIsNotRegistered) or "no_profile" (event 815).
	Unregistered string `json:"unregistered,omitempty"`
	// ID is the profile's GUID (also the ZtdCorrelationId of a configuration file).
	ID string `json:"id,omitempty"`
	// Name is the profile's display name.
	Name string `json:"name,omitempty"`
	// Join is Entra or hybrid join.
	Join JoinType `json:"join,omitempty"`
	// Mode is user-driven or self-deploying.
	Mode DeploymentMode `json:"mode,omitempty"`
	// LocaleMode says whether Locale applies.
	LocaleMode LocaleMode `json:"localeMode,omitempty"`
	// Locale is the BCP-47 tag applied when LocaleMode is LocaleFixed.
	Locale string `json:"locale,omitempty"`
	// KeyboardSkipped is "Automatically configure keyboard".
	KeyboardSkipped bool `json:"keyboardSkipped,omitempty"`
	// EULAHidden hides the license agreement.
	EULAHidden bool `json:"eulaHidden,omitempty"`
	// PrivacyHidden hides the privacy settings page.
	PrivacyHidden bool `json:"privacyHidden,omitempty"`
	// EscapeLinkHidden hides the "start over" link on sign-in and error pages.
	EscapeLinkHidden bool `json:"escapeLinkHidden,omitempty"`
	// UserType is administrator or standard.
	UserType UserType `json:"userType,omitempty"`
	// PreprovisioningAllowed allows the Windows-key-×5 technician flow.
	PreprovisioningAllowed bool `json:"preprovisioningAllowed,omitempty"`
	// DeviceNameTemplate is the Entra join name template ("" when none).
	DeviceNameTemplate string `json:"deviceNameTemplate,omitempty"`
	// SkipDCCheck is hybridAzureADJoinSkipConnectivityCheck.
	SkipDCCheck bool `json:"skipDcCheck,omitempty"`
	// ESP is the Enrollment Status Page configuration that applies.
	ESP ESPConfig `json:"esp"`
	// Hello is the Windows Hello for Business configuration that applies.
	Hello HelloConfig `json:"hello"`
}

// LocaleSet reports whether the profile fixes a language (needed for keyboard skipping).
func (p Profile) LocaleSet() bool { return p.LocaleMode == LocaleFixed && p.Locale != "" }

// ESPConfig is the normalized windows10EnrollmentCompletionPageConfiguration (reference §3.1).
type ESPConfig struct {
	// Show is showInstallationProgress.
	Show bool `json:"show,omitempty"`
	// TimeoutMinutes is installProgressTimeoutInMinutes, per phase.
	TimeoutMinutes int `json:"timeoutMinutes,omitempty"`
	// CustomErrorMessage replaces the default error text when not empty.
	CustomErrorMessage string `json:"customErrorMessage,omitempty"`
	// AllowLogCollection shows Collect logs (and View diagnostics on Windows 11).
	AllowLogCollection bool `json:"allowLogCollection,omitempty"`
	// BlockDeviceUse is the admin-center "Block device use until all apps and profiles are
	// installed" (Graph blockDeviceSetupRetryByUser inverted).
	BlockDeviceUse bool `json:"blockDeviceUse,omitempty"`
	// AllowReset shows Reset device on failure.
	AllowReset bool `json:"allowReset,omitempty"`
	// AllowContinue shows Continue anyway on failure.
	AllowContinue bool `json:"allowContinue,omitempty"`
	// BlockingAppIDs are selectedMobileAppIds; empty means all required apps block.
	BlockingAppIDs []string `json:"blockingAppIds,omitempty"`
	// InstallQualityUpdates runs monthly quality updates at the end of OOBE (Windows 11).
	InstallQualityUpdates bool `json:"installQualityUpdates,omitempty"`
	// OnlyAutopilot is trackInstallProgressForAutopilotOnly.
	OnlyAutopilot bool `json:"onlyAutopilot,omitempty"`
	// OnlyFirstUser is disableUserStatusTrackingAfterFirstUser.
	OnlyFirstUser bool `json:"onlyFirstUser,omitempty"`
}

// PINUsage is whether a character class is allowed, required or disallowed in a PIN.
type PINUsage string

const (
	// PINAllowed permits the character class.
	PINAllowed PINUsage = "allowed"
	// PINRequired requires at least one character of the class.
	PINRequired PINUsage = "required"
	// PINDisallowed forbids the class.
	PINDisallowed PINUsage = "disallowed"
)

// Windows Hello for Business states (HelloConfig.State).
const (
	// HelloNotConfigured is the client default: Hello is offered on Entra-joined PCs.
	HelloNotConfigured = "notConfigured"
	// HelloEnabled turns Windows Hello for Business on.
	HelloEnabled = "enabled"
	// HelloDisabled turns it off: no PIN page.
	HelloDisabled = "disabled"
)

// HelloConfig is the normalized Windows Hello for Business configuration (reference §1.11).
type HelloConfig struct {
	// State is notConfigured, enabled or disabled.
	State string `json:"state,omitempty"`
	// MinLength is the shortest PIN allowed.
	MinLength int `json:"minLength,omitempty"`
	// MaxLength is the longest PIN allowed.
	MaxLength int `json:"maxLength,omitempty"`
	// Uppercase says how upper-case letters may be used.
	Uppercase PINUsage `json:"uppercase,omitempty"`
	// Lowercase says how lower-case letters may be used.
	Lowercase PINUsage `json:"lowercase,omitempty"`
	// Special says how special characters may be used.
	Special PINUsage `json:"special,omitempty"`
}

// DefaultProfile returns the settings of a profile with every field at its Graph default.
func DefaultProfile() Profile {
	return defaultProfile()
}

// OrdinaryProfile is what applies to a device Autopilot does not know (why: not_registered
// or no_profile): the ordinary OOBE with every page, no Enrollment Status Page (the default
// ESP does not show progress), Windows Hello as Windows offers it.
func OrdinaryProfile(why string) Profile {
	p := defaultProfile()
	p.NotAutopilot, p.Unregistered = true, why
	return p
}

func defaultProfile() Profile {
	return Profile{
		Join:       JoinEntra,
		Mode:       ModeUserDriven,
		LocaleMode: LocaleOSDefault,
		UserType:   UserAdministrator,
		ESP: ESPConfig{
			TimeoutMinutes: 60,
			BlockDeviceUse: true,
		},
		Hello: HelloConfig{
			State: "notConfigured", MinLength: 6, MaxLength: 127,
			Uppercase: PINDisallowed, Lowercase: PINDisallowed, Special: PINDisallowed,
		},
	}
}

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
	// ID is the profile's GUID (also the ZtdCorrelationId of a configuration file).
	ID string
	// Name is the profile's display name.
	Name string
	// Join is Entra or hybrid join.
	Join JoinType
	// Mode is user-driven or self-deploying.
	Mode DeploymentMode
	// LocaleMode says whether Locale applies.
	LocaleMode LocaleMode
	// Locale is the BCP-47 tag applied when LocaleMode is LocaleFixed.
	Locale string
	// KeyboardSkipped is "Automatically configure keyboard".
	KeyboardSkipped bool
	// EULAHidden hides the license agreement.
	EULAHidden bool
	// PrivacyHidden hides the privacy settings page.
	PrivacyHidden bool
	// EscapeLinkHidden hides the "start over" link on sign-in and error pages.
	EscapeLinkHidden bool
	// UserType is administrator or standard.
	UserType UserType
	// PreprovisioningAllowed allows the Windows-key-×5 technician flow.
	PreprovisioningAllowed bool
	// DeviceNameTemplate is the Entra join name template ("" when none).
	DeviceNameTemplate string
	// SkipDCCheck is hybridAzureADJoinSkipConnectivityCheck.
	SkipDCCheck bool
	// ESP is the Enrollment Status Page configuration that applies.
	ESP ESPConfig
	// Hello is the Windows Hello for Business configuration that applies.
	Hello HelloConfig
	// Windows is the emulated Windows release.
	Windows WindowsVersion
}

// LocaleSet reports whether the profile fixes a language (needed for keyboard skipping).
func (p Profile) LocaleSet() bool { return p.LocaleMode == LocaleFixed && p.Locale != "" }

// ESPConfig is the normalized windows10EnrollmentCompletionPageConfiguration (reference §3.1).
type ESPConfig struct {
	// Show is showInstallationProgress.
	Show bool
	// TimeoutMinutes is installProgressTimeoutInMinutes, per phase.
	TimeoutMinutes int
	// CustomErrorMessage replaces the default error text when not empty.
	CustomErrorMessage string
	// AllowLogCollection shows Collect logs (and View diagnostics on Windows 11).
	AllowLogCollection bool
	// BlockDeviceUse is the admin-center "Block device use until all apps and profiles are
	// installed" (Graph blockDeviceSetupRetryByUser inverted).
	BlockDeviceUse bool
	// AllowReset shows Reset device on failure.
	AllowReset bool
	// AllowContinue shows Continue anyway on failure.
	AllowContinue bool
	// BlockingAppIDs are selectedMobileAppIds; empty means all required apps block.
	BlockingAppIDs []string
	// InstallQualityUpdates runs monthly quality updates at the end of OOBE (Windows 11).
	InstallQualityUpdates bool
	// OnlyAutopilot is trackInstallProgressForAutopilotOnly.
	OnlyAutopilot bool
	// OnlyFirstUser is disableUserStatusTrackingAfterFirstUser.
	OnlyFirstUser bool
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
	State string
	// MinLength and MaxLength bound the PIN length.
	MinLength, MaxLength int
	// Uppercase, Lowercase and Special say how each character class may be used.
	Uppercase, Lowercase, Special PINUsage
}

// DefaultProfile returns the settings of a profile with every field at its Graph default.
func DefaultProfile() Profile {
	return Profile{
		Join:       JoinEntra,
		Mode:       ModeUserDriven,
		LocaleMode: LocaleOSDefault,
		UserType:   UserAdministrator,
		Windows:    Windows11,
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

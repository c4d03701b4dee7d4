package tenant

// The raw shapes of the Microsoft Graph resources the importer reads (beta names, reference
// §2–§5). Pointer fields distinguish "absent or null" from a value; unknown keys are ignored.

// rawProfile is windowsAutopilotDeploymentProfile (azureAD… or activeDirectory…).
type rawProfile struct {
	ODataType          string         `json:"@odata.type"`
	ID                 string         `json:"id"`
	DisplayName        string         `json:"displayName"`
	Locale             *string        `json:"locale"`
	Language           *string        `json:"language"`
	CreatedDateTime    string         `json:"createdDateTime"`
	OOBE               *rawOOBE       `json:"outOfBoxExperienceSetting"`
	OOBELegacy         *rawOOBELegacy `json:"outOfBoxExperienceSettings"`
	LegacyESP          *rawLegacyESP  `json:"enrollmentStatusScreenSettings"`
	DeviceNameTemplate *string        `json:"deviceNameTemplate"`
	DeviceType         *string        `json:"deviceType"`
	Preprovisioning    *bool          `json:"preprovisioningAllowed"`
	WhiteGlove         *bool          `json:"enableWhiteGlove"`
	HashExtraction     *bool          `json:"hardwareHashExtractionEnabled"`
	ExtractHash        *bool          `json:"extractHardwareHash"`
	SkipDCCheck        *bool          `json:"hybridAzureADJoinSkipConnectivityCheck"`
	RoleScopeTagIDs    []string       `json:"roleScopeTagIds"`
	DomainJoin         *rawDomainJoin `json:"domainJoinConfiguration"`
}

// rawOOBE is outOfBoxExperienceSetting (new names, 2024).
type rawOOBE struct {
	PrivacySettingsHidden        *bool   `json:"privacySettingsHidden"`
	EULAHidden                   *bool   `json:"eulaHidden"`
	UserType                     *string `json:"userType"`
	DeviceUsageType              *string `json:"deviceUsageType"`
	KeyboardSelectionPageSkipped *bool   `json:"keyboardSelectionPageSkipped"`
	EscapeLinkHidden             *bool   `json:"escapeLinkHidden"`
}

// rawOOBELegacy is outOfBoxExperienceSettings (legacy names, deprecated May 2024).
type rawOOBELegacy struct {
	HidePrivacySettings       *bool   `json:"hidePrivacySettings"`
	HideEULA                  *bool   `json:"hideEULA"`
	UserType                  *string `json:"userType"`
	DeviceUsageType           *string `json:"deviceUsageType"`
	SkipKeyboardSelectionPage *bool   `json:"skipKeyboardSelectionPage"`
	HideEscapeLink            *bool   `json:"hideEscapeLink"`
}

// rawLegacyESP is the profile's embedded windowsEnrollmentStatusScreenSettings.
type rawLegacyESP struct {
	HideInstallationProgress                         *bool   `json:"hideInstallationProgress"`
	AllowDeviceUseBeforeProfileAndAppInstallComplete *bool   `json:"allowDeviceUseBeforeProfileAndAppInstallComplete"`
	BlockDeviceSetupRetryByUser                      *bool   `json:"blockDeviceSetupRetryByUser"`
	AllowLogCollectionOnInstallFailure               *bool   `json:"allowLogCollectionOnInstallFailure"`
	CustomErrorMessage                               *string `json:"customErrorMessage"`
	InstallProgressTimeoutInMinutes                  *int    `json:"installProgressTimeoutInMinutes"`
	AllowDeviceUseOnInstallFailure                   *bool   `json:"allowDeviceUseOnInstallFailure"`
}

// rawESP is windows10EnrollmentCompletionPageConfiguration.
type rawESP struct {
	ID                                      string   `json:"id"`
	DisplayName                             string   `json:"displayName"`
	Priority                                *int     `json:"priority"`
	ConfigurationType                       string   `json:"deviceEnrollmentConfigurationType"`
	ShowInstallationProgress                *bool    `json:"showInstallationProgress"`
	BlockDeviceSetupRetryByUser             *bool    `json:"blockDeviceSetupRetryByUser"`
	AllowDeviceResetOnInstallFailure        *bool    `json:"allowDeviceResetOnInstallFailure"`
	AllowLogCollectionOnInstallFailure      *bool    `json:"allowLogCollectionOnInstallFailure"`
	CustomErrorMessage                      *string  `json:"customErrorMessage"`
	InstallProgressTimeoutInMinutes         *int     `json:"installProgressTimeoutInMinutes"`
	AllowDeviceUseOnInstallFailure          *bool    `json:"allowDeviceUseOnInstallFailure"`
	SelectedMobileAppIDs                    []string `json:"selectedMobileAppIds"`
	AllowNonBlockingAppInstallation         *bool    `json:"allowNonBlockingAppInstallation"`
	InstallQualityUpdates                   *bool    `json:"installQualityUpdates"`
	TrackInstallProgressForAutopilotOnly    *bool    `json:"trackInstallProgressForAutopilotOnly"`
	DisableUserStatusTrackingAfterFirstUser *bool    `json:"disableUserStatusTrackingAfterFirstUser"`
}

// rawHello is deviceEnrollmentWindowsHelloForBusinessConfiguration.
type rawHello struct {
	ID                          string  `json:"id"`
	DisplayName                 string  `json:"displayName"`
	Priority                    *int    `json:"priority"`
	ConfigurationType           string  `json:"deviceEnrollmentConfigurationType"`
	State                       *string `json:"state"`
	PINMinimumLength            *int    `json:"pinMinimumLength"`
	PINMaximumLength            *int    `json:"pinMaximumLength"`
	PINUppercaseCharactersUsage *string `json:"pinUppercaseCharactersUsage"`
	PINLowercaseCharactersUsage *string `json:"pinLowercaseCharactersUsage"`
	PINSpecialCharactersUsage   *string `json:"pinSpecialCharactersUsage"`
	SecurityDeviceRequired      *bool   `json:"securityDeviceRequired"`
	UnlockWithBiometricsEnabled *bool   `json:"unlockWithBiometricsEnabled"`
	RemotePassportEnabled       *bool   `json:"remotePassportEnabled"`
	PINPreviousBlockCount       *int    `json:"pinPreviousBlockCount"`
	PINExpirationInDays         *int    `json:"pinExpirationInDays"`
	EnhancedBiometricsState     *string `json:"enhancedBiometricsState"`
}

// rawEnrollmentHeader is the part shared by every deviceEnrollmentConfiguration type.
type rawEnrollmentHeader struct {
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	Priority          *int   `json:"priority"`
	ConfigurationType string `json:"deviceEnrollmentConfigurationType"`
}

// rawIdentity is windowsAutopilotDeviceIdentity.
type rawIdentity struct {
	ID                  string `json:"id"`
	SerialNumber        string `json:"serialNumber"`
	UserPrincipalName   string `json:"userPrincipalName"`
	AddressableUserName string `json:"addressableUserName"`
	Manufacturer        string `json:"manufacturer"`
	Model               string `json:"model"`
	GroupTag            string `json:"groupTag"`
	EnrollmentState     string `json:"enrollmentState"`
}

// rawDomainJoin is windowsDomainJoinConfiguration.
type rawDomainJoin struct {
	ID                                string `json:"id"`
	DisplayName                       string `json:"displayName"`
	ComputerNameStaticPrefix          string `json:"computerNameStaticPrefix"`
	ComputerNameSuffixRandomCharCount *int   `json:"computerNameSuffixRandomCharCount"`
	ActiveDirectoryDomainName         string `json:"activeDirectoryDomainName"`
	OrganizationalUnit                string `json:"organizationalUnit"`
}

// rawOrganization is organization (with verifiedDomains).
type rawOrganization struct {
	ID              string              `json:"id"`
	DisplayName     string              `json:"displayName"`
	VerifiedDomains []rawVerifiedDomain `json:"verifiedDomains"`
}

// rawVerifiedDomain is one verifiedDomain.
type rawVerifiedDomain struct {
	Name      string `json:"name"`
	IsDefault bool   `json:"isDefault"`
	IsInitial bool   `json:"isInitial"`
	Type      string `json:"type"`
}

// rawBranding is organizationalBranding or organizationalBrandingLocalization.
type rawBranding struct {
	ID                        string   `json:"id"`
	BackgroundColor           *string  `json:"backgroundColor"`
	SignInPageText            *string  `json:"signInPageText"`
	UsernameHintText          *string  `json:"usernameHintText"`
	SquareLogoRelativeURL     *string  `json:"squareLogoRelativeUrl"`
	SquareLogoDarkRelativeURL *string  `json:"squareLogoDarkRelativeUrl"`
	CDNList                   []string `json:"cdnList"`
}

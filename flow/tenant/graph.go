package tenant

// The raw shapes of the Microsoft Graph resources and files the importer reads (beta names,
// reference §2–§5). Pointer fields distinguish "absent or null" from a value. The `known` tag
// of each blank field lists the documented keys the emulator does not use: they are
// tolerated silently, while any other unknown key is reported as information.

// rawProfile is windowsAutopilotDeploymentProfile (azureAD… or activeDirectory…).
type rawProfile struct {
	_ struct{} `known:"description,lastModifiedDateTime,managementServiceAppId,assignedDevices,roleScopeTagIds,createdDateTime"`

	ID                 string          `json:"id"`
	DisplayName        string          `json:"displayName"`
	Locale             *string         `json:"locale"`
	Language           *string         `json:"language"`
	CreatedDateTime    string          `json:"createdDateTime"`
	OOBE               *rawOOBE        `json:"outOfBoxExperienceSetting"`
	OOBELegacy         *rawOOBELegacy  `json:"outOfBoxExperienceSettings"`
	LegacyESP          *rawLegacyESP   `json:"enrollmentStatusScreenSettings"`
	DeviceNameTemplate *string         `json:"deviceNameTemplate"`
	DeviceType         *string         `json:"deviceType"`
	Preprovisioning    *bool           `json:"preprovisioningAllowed"`
	WhiteGlove         *bool           `json:"enableWhiteGlove"`
	HashExtraction     *bool           `json:"hardwareHashExtractionEnabled"`
	ExtractHash        *bool           `json:"extractHardwareHash"`
	SkipDCCheck        *bool           `json:"hybridAzureADJoinSkipConnectivityCheck"`
	DomainJoin         *rawDomainJoin  `json:"domainJoinConfiguration"`
	Assignments        []rawAssignment `json:"assignments"`
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

// rawAssignment is one $expand'ed assignment of a profile or enrollment configuration
// (windowsAutopilotDeploymentProfileAssignment, enrollmentConfigurationAssignment).
type rawAssignment struct {
	_ struct{} `known:"source,sourceId"`

	ID     string     `json:"id"`
	Target *rawTarget `json:"target"`
}

// rawTarget is a deviceAndAppManagementAssignmentTarget.
type rawTarget struct {
	_ struct{} `known:"deviceAndAppManagementAssignmentFilterId,deviceAndAppManagementAssignmentFilterType,targetType,entraObjectId,collectionId"`

	ODataType string `json:"@odata.type"`
	GroupID   string `json:"groupId"`
}

// rawESP is windows10EnrollmentCompletionPageConfiguration.
type rawESP struct {
	_ struct{} `known:"description,createdDateTime,lastModifiedDateTime,version,roleScopeTagIds"`

	ID                                      string          `json:"id"`
	DisplayName                             string          `json:"displayName"`
	Priority                                *int            `json:"priority"`
	ConfigurationType                       string          `json:"deviceEnrollmentConfigurationType"`
	ShowInstallationProgress                *bool           `json:"showInstallationProgress"`
	BlockDeviceSetupRetryByUser             *bool           `json:"blockDeviceSetupRetryByUser"`
	AllowDeviceResetOnInstallFailure        *bool           `json:"allowDeviceResetOnInstallFailure"`
	AllowLogCollectionOnInstallFailure      *bool           `json:"allowLogCollectionOnInstallFailure"`
	CustomErrorMessage                      *string         `json:"customErrorMessage"`
	InstallProgressTimeoutInMinutes         *int            `json:"installProgressTimeoutInMinutes"`
	AllowDeviceUseOnInstallFailure          *bool           `json:"allowDeviceUseOnInstallFailure"`
	SelectedMobileAppIDs                    []string        `json:"selectedMobileAppIds"`
	AllowNonBlockingAppInstallation         *bool           `json:"allowNonBlockingAppInstallation"`
	InstallQualityUpdates                   *bool           `json:"installQualityUpdates"`
	TrackInstallProgressForAutopilotOnly    *bool           `json:"trackInstallProgressForAutopilotOnly"`
	DisableUserStatusTrackingAfterFirstUser *bool           `json:"disableUserStatusTrackingAfterFirstUser"`
	Assignments                             []rawAssignment `json:"assignments"`
}

// rawHello is deviceEnrollmentWindowsHelloForBusinessConfiguration.
type rawHello struct {
	_ struct{} `known:"description,createdDateTime,lastModifiedDateTime,version,roleScopeTagIds,securityKeyForSignIn"`

	ID                          string          `json:"id"`
	DisplayName                 string          `json:"displayName"`
	Priority                    *int            `json:"priority"`
	ConfigurationType           string          `json:"deviceEnrollmentConfigurationType"`
	State                       *string         `json:"state"`
	PINMinimumLength            *int            `json:"pinMinimumLength"`
	PINMaximumLength            *int            `json:"pinMaximumLength"`
	PINUppercaseCharactersUsage *string         `json:"pinUppercaseCharactersUsage"`
	PINLowercaseCharactersUsage *string         `json:"pinLowercaseCharactersUsage"`
	PINSpecialCharactersUsage   *string         `json:"pinSpecialCharactersUsage"`
	SecurityDeviceRequired      *bool           `json:"securityDeviceRequired"`
	UnlockWithBiometricsEnabled *bool           `json:"unlockWithBiometricsEnabled"`
	RemotePassportEnabled       *bool           `json:"remotePassportEnabled"`
	PINPreviousBlockCount       *int            `json:"pinPreviousBlockCount"`
	PINExpirationInDays         *int            `json:"pinExpirationInDays"`
	EnhancedBiometricsState     *string         `json:"enhancedBiometricsState"`
	Assignments                 []rawAssignment `json:"assignments"`
}

// rawEnrollmentHeader is the part shared by every deviceEnrollmentConfiguration type.
type rawEnrollmentHeader struct {
	ID                string
	DisplayName       string
	Priority          *int
	ConfigurationType string
	Assignments       []rawAssignment
	HasAssignments    bool
}

// rawIdentity is windowsAutopilotDeviceIdentity.
type rawIdentity struct {
	_ struct{} `known:"purchaseOrderIdentifier,productKey,lastContactedDateTime,resourceName,skuNumber,systemFamily,azureActiveDirectoryDeviceId,azureAdDeviceId,managedDeviceId,displayName,deploymentProfileAssignmentStatus,deploymentProfileAssignmentDetailedStatus,deploymentProfileAssignedDateTime,deploymentProfile,intendedDeploymentProfile,remediationState,remediationStateLastModifiedDateTime,userlessEnrollmentStatus,deviceAccountUpn,deviceAccountPassword,deviceFriendlyName"`

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
	_ struct{} `known:"description,createdDateTime,lastModifiedDateTime,version,roleScopeTagIds,supportsScopeTags,deviceManagementApplicabilityRuleOsEdition,deviceManagementApplicabilityRuleOsVersion,deviceManagementApplicabilityRuleDeviceMode,networkAccessConfigurations,assignments"`

	ID                                string `json:"id"`
	DisplayName                       string `json:"displayName"`
	ComputerNameStaticPrefix          string `json:"computerNameStaticPrefix"`
	ComputerNameSuffixRandomCharCount *int   `json:"computerNameSuffixRandomCharCount"`
	ActiveDirectoryDomainName         string `json:"activeDirectoryDomainName"`
	OrganizationalUnit                string `json:"organizationalUnit"`
}

// rawOrganization is organization (with verifiedDomains).
type rawOrganization struct {
	_ struct{} `known:"countryLetterCode,preferredLanguage,businessPhones,city,country,createdDateTime,deletedDateTime,marketingNotificationEmails,onPremisesLastSyncDateTime,onPremisesSyncEnabled,onPremisesSyncStatus,postalCode,state,street,technicalNotificationMails,tenantType,securityComplianceNotificationMails,securityComplianceNotificationPhones,privacyProfile,assignedPlans,provisionedPlans,directorySizeQuota,mobileDeviceManagementAuthority,partnerTenantType,branding,certificateBasedAuthConfiguration,extensions,defaultUsageLocation,isMultipleDataLocationsForServicesEnabled"`

	ID              string              `json:"id"`
	DisplayName     string              `json:"displayName"`
	VerifiedDomains []rawVerifiedDomain `json:"verifiedDomains"`
}

// rawVerifiedDomain is one verifiedDomain.
type rawVerifiedDomain struct {
	_ struct{} `known:"capabilities"`

	Name      string `json:"name"`
	IsDefault bool   `json:"isDefault"`
	IsInitial bool   `json:"isInitial"`
	Type      string `json:"type"`
}

// rawBranding is organizationalBranding or organizationalBrandingLocalization.
type rawBranding struct {
	_ struct{} `known:"backgroundImage,backgroundImageRelativeUrl,bannerLogo,bannerLogoRelativeUrl,headerLogo,headerLogoRelativeUrl,squareLogo,squareLogoDark,favicon,faviconRelativeUrl,customAccountResetCredentialsUrl,customCannotAccessYourAccountText,customCannotAccessYourAccountUrl,customForgotMyPasswordText,customPrivacyAndCookiesText,customPrivacyAndCookiesUrl,customResetItNowText,customTermsOfUseText,customTermsOfUseUrl,customCSS,customCSSRelativeUrl,headerBackgroundColor,loginPageLayoutConfiguration,loginPageTextVisibilitySettings,contentCustomization,localizations"`

	ID                        string   `json:"id"`
	BackgroundColor           *string  `json:"backgroundColor"`
	SignInPageText            *string  `json:"signInPageText"`
	UsernameHintText          *string  `json:"usernameHintText"`
	SquareLogoRelativeURL     *string  `json:"squareLogoRelativeUrl"`
	SquareLogoDarkRelativeURL *string  `json:"squareLogoDarkRelativeUrl"`
	CDNList                   []string `json:"cdnList"`
}

// rawConfigFile is AutopilotConfigurationFile.json (reference §2.8). The second group of
// known keys appears in the downloaded cloud profile cache (AutopilotDDSZTDFile.json).
type rawConfigFile struct {
	_ struct{} `known:"AutopilotServiceCorrelationId,ZtdRegistrationId,AadDeviceId,CloudAssignedMdmId,DeploymentProfileName,IsExplicitProfileAssignment,CloudAssignedPrivacyDiagnostics,CloudAssignedTelemetryLevel,PolicyDownloadDate,CloudAssignedTenantUpn,IsAutopilotDisabled,TenantMatched,AadTenantId"`

	Version                     *int    `json:"Version"`
	CommentFile                 *string `json:"Comment_File"`
	TenantID                    *string `json:"CloudAssignedTenantId"`
	TenantDomain                *string `json:"CloudAssignedTenantDomain"`
	OOBEConfig                  *int64  `json:"CloudAssignedOobeConfig"`
	DomainJoinMethod            *int    `json:"CloudAssignedDomainJoinMethod"`
	ForcedEnrollment            *int    `json:"CloudAssignedForcedEnrollment"`
	ZtdCorrelationID            *string `json:"ZtdCorrelationId"`
	AadServerData               any     `json:"CloudAssignedAadServerData"`
	DeviceName                  *string `json:"CloudAssignedDeviceName"`
	Language                    *string `json:"CloudAssignedLanguage"`
	Region                      *string `json:"CloudAssignedRegion"`
	HybridSkipDCCheck           *int    `json:"HybridJoinSkipDCConnectivityCheck"`
	AutopilotUpdateDisabled     *int    `json:"CloudAssignedAutopilotUpdateDisabled"`
	AutopilotUpdateTimeoutMilli *int64  `json:"CloudAssignedAutopilotUpdateTimeout"`
}

// rawAadServerData is the JSON held as a string in CloudAssignedAadServerData.
type rawAadServerData struct {
	ZeroTouchConfig *rawZeroTouchConfig `json:"ZeroTouchConfig"`
}

// rawZeroTouchConfig is CloudAssignedAadServerData's ZeroTouchConfig.
type rawZeroTouchConfig struct {
	TenantUPN        *string `json:"CloudAssignedTenantUpn"`
	ForcedEnrollment *int    `json:"ForcedEnrollment"`
	TenantDomain     *string `json:"CloudAssignedTenantDomain"`
}

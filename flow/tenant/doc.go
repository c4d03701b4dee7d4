// Package tenant imports a tenant (flow.Tenant) from a folder of JSON files: Microsoft Graph
// exports in their real formats plus the emulator's own scenario file.
//
// Every *.json file directly in the folder is read; file names do not matter. Each file holds
// one object or a Graph collection {"value": […]} whose items are handled one by one. An
// object is recognised by its content, in this order:
//
//   - "$schema": "oobe-scenario/1" — the emulator scenario (flow.Scenario, flow.ScenarioSchema);
//   - @odata.type — azureADWindowsAutopilotDeploymentProfile and
//     activeDirectoryWindowsAutopilotDeploymentProfile, windows10EnrollmentCompletionPageConfiguration,
//     deviceEnrollmentWindowsHelloForBusinessConfiguration, windowsAutopilotDeviceIdentity,
//     windowsDomainJoinConfiguration, organization, organizationalBranding(Localization);
//     other enrollment configuration types (limits, platform restrictions) are skipped;
//   - @odata.context (the object's, or its collection's) — …/branding, …/branding/localizations,
//     #organization, deployment profiles, device identities;
//   - characteristic keys — outOfBoxExperienceSetting(s), showInstallationProgress,
//     pinMinimumLength, computerNameStaticPrefix, verifiedDomains, serialNumber,
//     usernameHintText/signInPageText/cdnList.
//
// AutopilotConfigurationFile.json content is recognised but not imported yet (a warning).
// Unknown objects and unknown keys are skipped.
//
// When a folder holds several objects of one kind: the oldest created deployment profile wins
// (reference §2.1); the custom ESP or Windows Hello configuration with the lowest priority
// number wins, else the default one (§3.3); otherwise the first file in name order wins. Each
// such choice adds a warning naming the ignored objects.
//
// Errors are one line each: "file:line:column: message" for invalid JSON and
// "file: $.json.path: want boolean, got string" for values of the wrong type. A folder with
// any broken file yields an error and no tenant.
package tenant

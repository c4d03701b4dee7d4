// Package tenant imports a tenant from the files admins export: Microsoft Graph objects in
// their real formats and AutopilotConfigurationFile.json become a flow.Tenant, and the
// simulator's own scenario file its sim.Scenario; together they are the sim.World the
// simulated backend plays. It reports what it found (Report).
//
// Entry points: LoadPaths reads files and folders of the operating system (a folder
// contributes every *.json file in it and its subfolders; a file is read whatever its name);
// LoadFS reads the *.json files directly in one folder of an fs.FS; Load and LoadEmbedded are
// its short forms; LoadEmbeddedWith loads the embedded demo tenant with another scenario.
//
// # Recognition
//
// File names do not matter. Each file holds one object or a Graph collection {"value": […]}
// whose items are handled one by one. An object is recognised by its content, in this order:
//
//   - "$schema": "oobe-scenario/1" — the simulator scenario (sim.Scenario; its format is
//     documented by docs/scenario.schema.json);
//   - @odata.type — azureADWindowsAutopilotDeploymentProfile and
//     activeDirectoryWindowsAutopilotDeploymentProfile, windows10EnrollmentCompletionPageConfiguration,
//     deviceEnrollmentWindowsHelloForBusinessConfiguration, windowsAutopilotDeviceIdentity,
//     windowsDomainJoinConfiguration, organization, organizationalBranding(Localization);
//     other enrollment configuration types (limits, platform restrictions) are recognised and
//     not used;
//   - @odata.context (the object's, or its collection's) — …/branding, …/branding/localizations,
//     #organization, deployment profiles, device identities;
//   - characteristic keys — CloudAssignedOobeConfig/CloudAssignedTenantId (the configuration
//     file), outOfBoxExperienceSetting(s), showInstallationProgress, pinMinimumLength,
//     computerNameStaticPrefix, verifiedDomains, serialNumber, usernameHintText/signInPageText/cdnList.
//
// $expand'ed relationships are read: a profile's assignments and domainJoinConfiguration, an
// enrollment configuration's assignments, a device identity's deploymentProfile and
// intendedDeploymentProfile.
//
// # Rules (reference §2, §3.1–§3.3, §5, §8)
//
//   - Profiles: new property names first, legacy ones as fallback, a warning when they
//     disagree; locale "user-select", "" and null mean the user chooses, "os-default" or none
//     the image's language; the name template is validated (§2.9, an error, or a warning in
//     lenient mode) and ignored with a warning on hybrid profiles.
//   - Which profile applies: one $expand'ed into the device identity, else the oldest created
//     among the assigned ones (or those whose assignments were not exported), else an
//     unassigned one; AutopilotConfigurationFile.json only when no Graph profile is imported
//     (the cloud profile wins).
//   - ESP and Windows Hello (§3.3): the custom configuration assigned to the device with the
//     lowest priority number, else one assigned to users, else the default one; both come
//     from the same deviceEnrollmentConfigurations list.
//   - AutopilotConfigurationFile.json (§2.8): CloudAssignedOobeConfig decoded bit by bit,
//     CloudAssignedAadServerData decoded as the JSON string it is, CloudAssignedTenantId and
//     CloudAssignedOobeConfig required, self-deploying bits reported as unsupported, GUIDs
//     without braces; it must be ASCII/ANSI: Windows-1252 is decoded, UTF-8 with BOM and
//     UTF-16 are errors ("Windows would ignore this file"), loaded with a warning only in
//     lenient mode.
//   - Numbers given as strings (and booleans given for numbers) are errors, accepted with a
//     warning in lenient mode.
//   - GUIDs are compared case-insensitively everywhere.
//   - Branding: localizations fall back to the default per field, " " counts as empty; text
//     limits (usernameHintText 64, signInPageText 1024) are counted in characters; HTML is
//     kept literally (reported as information).
//   - Unknown keys are listed as information, never an error; documented keys the emulator
//     does not use are tolerated silently.
//   - What the files do not define (users, networks, apps) comes from the Options.Scenario
//     file, else a scenario among the files, else the embedded demo scenario adapted to the
//     tenant (the device becomes the registered one, demo users move to the tenant's default
//     domain, the assigned user is added as a demo user).
//
// # Errors
//
// Findings are one line each: "file:line:column: message" for invalid JSON and
// "file: $.json.path: message" for values of the wrong type or an invalid value, saying what
// was expected. Any error makes the import return no tenant (never a partial one) and an error
// with one line per error finding; the report is still returned.
package tenant

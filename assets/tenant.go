package assets

import "embed"

// TenantFS holds the embedded default tenant: Graph exports and the emulator scenario in the
// folder "tenant" (read it with flow/tenant.LoadEmbedded).
//
//go:embed tenant/*.json
var TenantFS embed.FS

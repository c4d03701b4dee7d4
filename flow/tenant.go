package flow

import (
	"sort"
	"strings"
)

// Tenant is what an organization's Intune and Entra settings say about one device: the
// deployment profile that applies (with its ESP and Windows Hello settings), the directory's
// name and domains, company branding, the Autopilot device record and the hybrid domain-join
// settings. Importers fill it from Graph exports (package flow/tenant); a backend shows the
// device its DeviceProfile view.
type Tenant struct {
	// Profile is the normalized deployment profile that applies to the device.
	Profile Profile
	// Organization is the Entra tenant (GET /organization).
	Organization Organization
	// Branding is the company branding with its localizations.
	Branding Branding
	// DeviceIdentity is the Autopilot device record; nil when none was imported.
	DeviceIdentity *DeviceIdentity
	// DomainJoin is the hybrid Domain Join configuration; nil when none was imported.
	DomainJoin *DomainJoin
	// Warnings are one-line findings of the import ("file: message"), in order.
	Warnings []string
	// Sources are the names of the files holding at least one recognised object, in reading order.
	Sources []string
	// SquareLogo and SquareLogoDark are the PNG images of the branding's square logos when the
	// tenant comes with them (Graph exports carry only their URLs); nil shows a text badge.
	SquareLogo, SquareLogoDark []byte
}

// Organization is the Entra tenant's identity (reference §5, GET /organization).
type Organization struct {
	// ID is the tenant id (a GUID).
	ID string `json:"id"`
	// DisplayName is the tenant name shown on the sign-in page.
	DisplayName string `json:"displayName"`
	// DefaultDomain is the verified domain marked isDefault.
	DefaultDomain string `json:"defaultDomain,omitempty"`
	// InitialDomain is the *.onmicrosoft.com domain marked isInitial.
	InitialDomain string `json:"initialDomain,omitempty"`
	// Domains are all verified domain names, in export order.
	Domains []string `json:"domains,omitempty"`
	// FederatedDomains are the verified domains of type Federated (AD FS or another
	// identity provider signs their users in, not Microsoft Entra ID).
	FederatedDomains []string `json:"federatedDomains,omitempty"`
}

// Federated reports whether upn's domain is one of the federated domains: its password is
// typed on the organization's own identity provider's page (reference §1.5).
func (o Organization) Federated(upn string) bool {
	at := strings.LastIndex(upn, "@")
	if at < 0 {
		return false
	}
	dom := strings.TrimSpace(upn[at+1:])
	for _, d := range o.FederatedDomains {
		if strings.EqualFold(d, dom) {
			return true
		}
	}
	return false
}

// OwnsUPN reports whether the domain part of upn is one of the tenant's verified domains
// (case-insensitive); a UPN of another domain belongs to another organization.
func (o Organization) OwnsUPN(upn string) bool {
	at := strings.LastIndex(upn, "@")
	if at < 0 {
		return false
	}
	dom := strings.TrimSpace(upn[at+1:])
	for _, d := range o.Domains {
		if strings.EqualFold(d, dom) {
			return true
		}
	}
	return false
}

// Branding is the company branding the sign-in page uses (reference §5): the default values
// and, per locale, overrides whose empty fields fall back to the default.
type Branding struct {
	// BackgroundColor is the page colour, like "#0F3D6E".
	BackgroundColor string `json:"backgroundColor,omitempty"`
	// SignInPageText is the text shown below the sign-in box (≤ 1024 characters).
	SignInPageText string `json:"signInPageText,omitempty"`
	// UsernameHint is the placeholder of the username box (≤ 64 characters).
	UsernameHint string `json:"usernameHint,omitempty"`
	// SquareLogoURL is the absolute URL of the square logo Windows shows.
	SquareLogoURL string `json:"squareLogoUrl,omitempty"`
	// SquareLogoDarkURL is the absolute URL of the dark-theme square logo.
	SquareLogoDarkURL string `json:"squareLogoDarkUrl,omitempty"`
	// Localizations are the per-locale overrides keyed by culture name (e.g. "de-DE"); their
	// own Localizations are ignored.
	Localizations map[string]Branding `json:"localizations,omitempty"`
}

// Configured reports whether any branding value is set (the tenant has company branding).
func (b Branding) Configured() bool {
	return strings.TrimSpace(b.BackgroundColor) != "" || strings.TrimSpace(b.SignInPageText) != "" ||
		strings.TrimSpace(b.UsernameHint) != "" || strings.TrimSpace(b.SquareLogoURL) != "" ||
		strings.TrimSpace(b.SquareLogoDarkURL) != "" || len(b.Localizations) > 0
}

// For returns the branding to show for locale: the localization whose name matches locale
// (case-insensitive; otherwise the first one, in name order, with the same primary language),
// each field falling back to the default when the override is empty after trimming spaces.
// The result has no Localizations.
func (b Branding) For(locale string) Branding {
	out := Branding{
		BackgroundColor:   strings.TrimSpace(b.BackgroundColor),
		SignInPageText:    strings.TrimSpace(b.SignInPageText),
		UsernameHint:      strings.TrimSpace(b.UsernameHint),
		SquareLogoURL:     strings.TrimSpace(b.SquareLogoURL),
		SquareLogoDarkURL: strings.TrimSpace(b.SquareLogoDarkURL),
	}
	ov, ok := b.localization(locale)
	if !ok {
		return out
	}
	pick := func(dst *string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*dst = v
		}
	}
	pick(&out.BackgroundColor, ov.BackgroundColor)
	pick(&out.SignInPageText, ov.SignInPageText)
	pick(&out.UsernameHint, ov.UsernameHint)
	pick(&out.SquareLogoURL, ov.SquareLogoURL)
	pick(&out.SquareLogoDarkURL, ov.SquareLogoDarkURL)
	return out
}

func (b Branding) localization(locale string) (Branding, bool) {
	locale = strings.TrimSpace(locale)
	if locale == "" || len(b.Localizations) == 0 {
		return Branding{}, false
	}
	names := make([]string, 0, len(b.Localizations))
	for name := range b.Localizations {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.EqualFold(name, locale) {
			return b.Localizations[name], true
		}
	}
	primary := func(tag string) string {
		if i := strings.IndexAny(tag, "-_"); i >= 0 {
			tag = tag[:i]
		}
		return strings.ToLower(tag)
	}
	want := primary(locale)
	for _, name := range names {
		if primary(name) == want {
			return b.Localizations[name], true
		}
	}
	return Branding{}, false
}

// DeviceIdentity is the Autopilot device record (windowsAutopilotDeviceIdentity, reference §2.7).
type DeviceIdentity struct {
	// Serial is the registered serial number.
	Serial string
	// UPN is the assigned user's principal name ("" when no user is assigned).
	UPN string
	// FriendlyName is the assigned user's greeting name (addressableUserName).
	FriendlyName string
	// Manufacturer is the registered OEM name.
	Manufacturer string
	// Model is the registered model name.
	Model string
	// GroupTag is the Autopilot group tag.
	GroupTag string
}

// DomainJoin is the hybrid Domain Join configuration (windowsDomainJoinConfiguration,
// reference §2.6).
type DomainJoin struct {
	// Domain is the Active Directory domain FQDN.
	Domain string
	// OU is the distinguished name of the target organizational unit ("" = Computers).
	OU string
	// Prefix is the computer name prefix.
	Prefix string
	// RandomChars is the number of random characters appended to Prefix (3–14).
	RandomChars int
}

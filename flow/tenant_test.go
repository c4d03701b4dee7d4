package flow_test

import (
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

func TestBrandingFor(t *testing.T) {
	b := flow.Branding{
		BackgroundColor: "#0F3D6E", SignInPageText: "Default text", UsernameHint: "first.last@x.com",
		SquareLogoURL: "https://cdn/x/tilelogo", SquareLogoDarkURL: "https://cdn/x/tilelogodark",
		Localizations: map[string]flow.Branding{
			"de-DE": {SignInPageText: "Deutscher Text", UsernameHint: "vorname@x.com"},
			"fr-FR": {BackgroundColor: "#1B4F8A", SignInPageText: " ", UsernameHint: " "},
			"pt-BR": {SquareLogoURL: "https://cdn/x/br", UsernameHint: "  nome@x.com  "},
		},
	}
	def := flow.Branding{BackgroundColor: "#0F3D6E", SignInPageText: "Default text", UsernameHint: "first.last@x.com",
		SquareLogoURL: "https://cdn/x/tilelogo", SquareLogoDarkURL: "https://cdn/x/tilelogodark"}
	tests := []struct {
		locale string
		want   flow.Branding
	}{
		{"", def},
		{"en-US", def},
		{"de-DE", flow.Branding{BackgroundColor: "#0F3D6E", SignInPageText: "Deutscher Text", UsernameHint: "vorname@x.com",
			SquareLogoURL: def.SquareLogoURL, SquareLogoDarkURL: def.SquareLogoDarkURL}},
		{"DE-de", flow.Branding{BackgroundColor: "#0F3D6E", SignInPageText: "Deutscher Text", UsernameHint: "vorname@x.com",
			SquareLogoURL: def.SquareLogoURL, SquareLogoDarkURL: def.SquareLogoDarkURL}},
		{"de-AT", flow.Branding{BackgroundColor: "#0F3D6E", SignInPageText: "Deutscher Text", UsernameHint: "vorname@x.com",
			SquareLogoURL: def.SquareLogoURL, SquareLogoDarkURL: def.SquareLogoDarkURL}},
		{"fr-FR", flow.Branding{BackgroundColor: "#1B4F8A", SignInPageText: "Default text", UsernameHint: "first.last@x.com",
			SquareLogoURL: def.SquareLogoURL, SquareLogoDarkURL: def.SquareLogoDarkURL}},
		{"pt-BR", flow.Branding{BackgroundColor: "#0F3D6E", SignInPageText: "Default text", UsernameHint: "nome@x.com",
			SquareLogoURL: "https://cdn/x/br", SquareLogoDarkURL: def.SquareLogoDarkURL}},
	}
	for _, tc := range tests {
		got := b.For(tc.locale)
		if got.Localizations != nil {
			t.Errorf("For(%q) kept Localizations", tc.locale)
		}
		got.Localizations = nil
		if got.BackgroundColor != tc.want.BackgroundColor || got.SignInPageText != tc.want.SignInPageText ||
			got.UsernameHint != tc.want.UsernameHint || got.SquareLogoURL != tc.want.SquareLogoURL ||
			got.SquareLogoDarkURL != tc.want.SquareLogoDarkURL {
			t.Errorf("For(%q) = %+v, want %+v", tc.locale, got, tc.want)
		}
	}
	if (flow.Branding{}).Configured() || !b.Configured() {
		t.Error("Configured is wrong")
	}
	if got := (flow.Branding{}).For("de-DE"); got.Configured() {
		t.Errorf("empty branding For = %+v", got)
	}
}

func TestOrganizationOwnsUPN(t *testing.T) {
	o := flow.Organization{Domains: []string{"larkspuraero.onmicrosoft.com", "larkspuraero.com"}}
	for upn, want := range map[string]bool{
		"megan.rivera@larkspuraero.com":          true,
		"Megan.Rivera@LarkspurAero.com":          true,
		"admin@larkspuraero.onmicrosoft.com":     true,
		"alex.wilber@fabrikamlab.com":            false,
		"megan.rivera":                           false,
		"megan.rivera@larkspuraero.com.evil.com": false,
		"":                                       false,
	} {
		if got := o.OwnsUPN(upn); got != want {
			t.Errorf("OwnsUPN(%q) = %v, want %v", upn, got, want)
		}
	}
}

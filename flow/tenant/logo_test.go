package tenant

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/oobe-emu/oobe/assets"
)

// TestSquareLogoFromFolder: a tenant folder may hold the square logos saved from their URLs;
// names mentioning "square" count, "dark" marks the dark variant, and only real PNGs count.
func TestSquareLogoFromFolder(t *testing.T) {
	dir := t.TempDir()
	org := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#organization/$entity","id":"0b0e7d25-7c39-4a9f-9a53-0d1f4c2a8e11","displayName":"Contoso Test","verifiedDomains":[{"name":"contoso.example","isDefault":true,"isInitial":true}]}`
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("organization.json", []byte(org))
	tn, _, err := LoadPaths([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tn.SquareLogo != nil || tn.SquareLogoDark != nil {
		t.Fatal("a folder without logos has logos")
	}
	light, dark := assets.SquareLogo(false), assets.SquareLogo(true)
	write("squareLogo.png", light)
	write("squareLogoDark.png", dark)
	write("bannerLogo.png", dark)              // not a square logo
	write("square-fake.png", []byte("GIF89a")) // not a PNG
	tn, _, err = LoadPaths([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tn.SquareLogo, light) || !bytes.Equal(tn.SquareLogoDark, dark) {
		t.Errorf("logos: light %d bytes, dark %d bytes; want %d and %d", len(tn.SquareLogo), len(tn.SquareLogoDark), len(light), len(dark))
	}
	emb, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(emb.SquareLogo, light) || !bytes.Equal(emb.SquareLogoDark, dark) {
		t.Error("the embedded tenant lacks its logos")
	}
}

package tenant

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/oobe-emu/oobe/assets"
)

// TestLoadEmbeddedWithKeepsLogos: --scenario (and --lenient) run the embedded tenant with its
// square logos, as the plain embedded tenant does.
func TestLoadEmbeddedWithKeepsLogos(t *testing.T) {
	scen, err := fs.ReadFile(assets.TenantFS, "tenant/scenario.json")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "my-scenario.json")
	if err := os.WriteFile(p, scen, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{Scenario: p}, {Lenient: true}} {
		tn, _, err := LoadEmbeddedWith(opts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(tn.SquareLogo, assets.SquareLogo(false)) || !bytes.Equal(tn.SquareLogoDark, assets.SquareLogo(true)) {
			t.Errorf("%+v: logos of %d and %d bytes, want the embedded ones", opts, len(tn.SquareLogo), len(tn.SquareLogoDark))
		}
	}
}

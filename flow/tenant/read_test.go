package tenant

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/internal/safefile"
)

// orgJSON is a minimal valid tenant file: a tenant folder with it alone loads.
const orgJSON = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#organization/$entity","id":"0b0e7d25-7c39-4a9f-9a53-0d1f4c2a8e11","displayName":"Contoso Test","verifiedDomains":[{"name":"contoso.example","isDefault":true,"isInitial":true}]}`

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

// badFile is a file no reader may read whole: make creates it at path.
type badFile struct {
	name string
	make func(t *testing.T, path string)
	// want is the error line after the file's name: ": cannot read: …" or ":line:col: …".
	want string
	// folder: it is a folder, which LoadPaths walks instead of reading.
	folder bool
}

func writeBytes(data []byte) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		t.Helper()
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func symlinkTo(target string) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		t.Helper()
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
	}
}

func portableBadFiles() []badFile {
	out := []badFile{
		{"directory", func(t *testing.T, p string) {
			if err := os.Mkdir(p, 0o700); err != nil {
				t.Fatal(err)
			}
		}, ": cannot read: a directory, not a regular file", true},
		{"over the limit", writeBytes(bytes.Repeat([]byte(" "), safefile.Limit+1)), ": cannot read: larger than the 4 MiB limit", false},
		{"3 million deep", writeBytes(bytes.Repeat([]byte("["), 3_000_000)), ":1:257: arrays and objects nested more than 256 deep, the limit", false},
		{"deep in an object", writeBytes([]byte(`{"a": "[[[", "b": ` + strings.Repeat(`{"c": `, 300))), ":1:1549: arrays and objects nested more than 256 deep, the limit", false},
	}
	if runtime.GOOS != "windows" {
		out = append(out, badFile{"link to /dev/zero", symlinkTo("/dev/zero"), ": cannot read: a character device, not a regular file", false})
	}
	return out
}

// checkBad runs every importer on each bad file: as the --scenario of the embedded tenant, in a
// single-file flag and in a --tenant folder (read from disk and through os.DirFS). Each gives
// exactly one error line naming the file and the problem, at once and within memory.
func checkBad(t *testing.T, cases []badFile) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "organization.json"), []byte(orgJSON), 0o600); err != nil {
				t.Fatal(err)
			}
			bad := filepath.Join(dir, "x.json")
			c.make(t, bad)
			check := func(how string, tn *sim.World, err error, name string) {
				t.Helper()
				if err == nil || tn != nil {
					t.Fatalf("%s: loaded (error %v)", how, err)
				}
				if got, want := err.Error(), name+c.want; got != want {
					t.Errorf("%s: error\n%q, want\n%q", how, got, want)
				}
			}
			tn, _, err := LoadEmbeddedWith(Options{Scenario: bad})
			check("--scenario", tn, err, bad)
			tn, _, err = LoadPaths(nil, Options{Scenario: bad})
			check("--scenario alone", tn, err, bad)
			if c.folder {
				return
			}
			tn, _, err = LoadPaths([]string{bad}, Options{Kinds: map[string]Kind{bad: KindProfile}})
			check("--profile", tn, err, bad)
			tn, _, err = LoadPaths([]string{dir}, Options{})
			check("--tenant", tn, err, bad)
			tn, _, err = LoadFS(os.DirFS(dir), ".", Options{})
			check("os.DirFS", tn, err, "x.json")
		})
	}
}

// TestUnreadableFiles: directories, devices, files over the size limit and files nested too
// deep are errors naming the file, in every importer.
func TestUnreadableFiles(t *testing.T) { checkBad(t, portableBadFiles()) }

// TestUnreadableLogo: a square logo that cannot be read is a warning naming it; the tenant
// loads without that logo.
func TestUnreadableLogo(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "organization.json"), []byte(orgJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	logo := filepath.Join(dir, "square-logo.png")
	big := filepath.Join(dir, "square-logo-dark.png")
	symlinkTo("/dev/zero")(t, logo)
	writeBytes(append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, safefile.Limit)...))(t, big)
	tn, _, err := LoadPaths([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tn.SquareLogo != nil || tn.SquareLogoDark != nil {
		t.Error("an unreadable logo was used")
	}
	if !hasWarning(tn, logo+": cannot read: a character device, not a regular file; the logo is not used") ||
		!hasWarning(tn, big+": cannot read: larger than the 4 MiB limit; the logo is not used") {
		t.Errorf("warnings %q lack the unreadable logos", tn.Warnings)
	}
}

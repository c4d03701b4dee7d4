package docs

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

const module = "github.com/oobe-emu/oobe/"

// goFiles returns the repository's Go files (root "..") by package directory, tests apart.
func goFiles(t *testing.T, tests bool) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") != tests {
			return nil
		}
		dir, _ := filepath.Rel("..", filepath.Dir(path))
		out[filepath.ToSlash(dir)] = append(out[filepath.ToSlash(dir)], path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReferenceSectionsResolve: every "reference §x.y" a comment cites is a section of the
// vendored domain reference.
func TestReferenceSectionsResolve(t *testing.T) {
	ref, err := os.ReadFile("reference/autopilot-oobe.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#{2,3} (\d+(?:\.\d+)?)\.? `).FindAllStringSubmatch(string(ref), -1) {
		sections[m[1]] = true
	}
	if len(sections) < 30 {
		t.Fatalf("only %d sections found in the reference", len(sections))
	}
	cite := regexp.MustCompile(`§(\d+(?:\.\d+)?)`)
	n := 0
	for _, tests := range []bool{false, true} {
		for _, files := range goFiles(t, tests) {
			for _, f := range files {
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range cite.FindAllStringSubmatch(string(src), -1) {
					n++
					if !sections[m[1]] {
						t.Errorf("%s cites §%s, which docs/reference/autopilot-oobe.md does not have", f, m[1])
					}
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d citations found: is the scan broken?", n)
	}
}

// TestRecordVocabularyDocumented: docs/record.md names every kind of record line and every
// step a line can be on.
func TestRecordVocabularyDocumented(t *testing.T) {
	doc, err := os.ReadFile("record.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range flow.RecordKinds() {
		if !strings.Contains(string(doc), "| `"+string(k)+"` |") {
			t.Errorf("docs/record.md has no row for the kind %q", k)
		}
	}
	for _, s := range flow.AllSteps {
		if !strings.Contains(string(doc), "`"+string(s)+"`") {
			t.Errorf("docs/record.md does not name the step %q", s)
		}
	}
}

// TestImportRules keeps docs/architecture.md true: which package may import which.
func TestImportRules(t *testing.T) {
	forbidden := func(pkg, imp string) string {
		charm := strings.HasPrefix(imp, "charm.land/") || strings.HasPrefix(imp, "github.com/charmbracelet/")
		local, isLocal := strings.CutPrefix(imp, module)
		under := func(p, root string) bool { return p == root || strings.HasPrefix(p, root+"/") }
		switch {
		case under(pkg, "flow") && (charm || isLocal && (under(local, "ui") || under(local, "themes") || under(local, "logo") || under(local, "cmd"))):
			return "flow never imports the user interface"
		case pkg == "flow" && isLocal:
			return "the port imports nothing of the project"
		case pkg == "flow" && strings.Contains(strings.Split(imp, "/")[0], "."):
			return "the port imports the standard library only (the wire protocol lives in flow/backend/rpc)"
		case pkg == "flow/backendtest" && isLocal && local != "flow":
			return "the conformance suite knows the port only"
		case pkg == "flow/run" && isLocal && local != "flow" && local != "flow/answers":
			return "the run knows the port only, never a backend or a tenant"
		case under(pkg, "flow/backend") && isLocal && local != "flow":
			return "a backend imports the port only"
		case under(pkg, "ui") && isLocal && (under(local, "flow/backend") || under(local, "flow/tenant") || under(local, "flow/check") || under(local, "flow/convert") || under(local, "cmd")):
			return "the screens' only window on the world is the backend, through the run"
		case isLocal && under(local, "review") && !under(pkg, "cmd") && !under(pkg, "review"):
			return "review (reports, galleries, diffs) is a front end beside cmd/oobe: only cmd imports it"
		case (pkg == "internal/shot" || pkg == "internal/cast") && isLocal:
			return "the pictures of a frame and the cast recorder are leaves: they import nothing of the project"
		case (under(pkg, "themes") || under(pkg, "assets") || under(pkg, "logo")) && isLocal && (under(local, "flow") || under(local, "ui")):
			return "themes, assets and logo know nothing of the flow or the screens"
		case pkg == "internal/records" && isLocal:
			return "the record store and its API know no package of the project"
		case pkg == "internal/outbox" && isLocal && local != "flow" && local != "internal/records":
			return "the outbox knows the record (flow) and the records API only"
		case (under(pkg, "ui") || under(pkg, "flow")) && isLocal && (local == "internal/outbox" || local == "internal/records"):
			return "the screens and the flow never send or store records: cmd/oobe wires the outbox to the recorder"
		}
		return ""
	}
	fset := token.NewFileSet()
	checked := 0
	for pkg, files := range goFiles(t, false) {
		for _, f := range files {
			af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range af.Imports {
				imp, _ := strconv.Unquote(im.Path.Value)
				checked++
				if why := forbidden(pkg, imp); why != "" {
					t.Errorf("%s imports %s: %s", f, imp, why)
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d imports checked: is the scan broken?", checked)
	}
	if why := forbidden("ui", module+"flow/backend/sim"); why == "" {
		t.Error("the rules let ui import the sim")
	}
	for _, c := range [][2]string{
		{"ui", module + "flow/backend/rpc"},               // the screens never speak the protocol
		{"flow/run", module + "flow/backend/rpc"},         // the run knows the port only
		{"flow/backend/rpc", module + "flow/run"},         // the protocol serves the port, not the run
		{"flow/backend/rpc", module + "flow/backend/sim"}, // nor one backend in particular
		{"flow", "github.com/creachadair/jrpc2"},          // the port stays standard-library only
	} {
		if forbidden(c[0], c[1]) == "" {
			t.Errorf("the rules let %s import %s", c[0], c[1])
		}
	}
	if why := forbidden("flow/run", module+"internal/outbox"); why == "" {
		t.Error("the rules let the run import the outbox")
	}
}

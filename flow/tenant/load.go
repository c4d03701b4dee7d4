package tenant

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/internal/safefile"
)

// EmbeddedDir is the folder of assets.TenantFS that holds the default tenant.
const EmbeddedDir = "tenant"

// Options tune an import.
type Options struct {
	// Lenient loads files real Windows would ignore (an AutopilotConfigurationFile.json in
	// UTF-8 with BOM or UTF-16) and accepts numbers given as strings, each with a warning
	// instead of an error.
	Lenient bool
	// Scenario is the path of an emulator scenario file (--scenario); it wins over a scenario
	// found among the other files. "" means: a scenario among the files, else the embedded one.
	Scenario string
	// Kinds says what a file given by path (exactly as in the paths list) must be, for the
	// single-file flags (--profile, --esp, --branding, --config-file); a file holding nothing
	// of that kind is an error. KindBranding accepts localizations too.
	Kinds map[string]Kind
}

// LoadEmbedded loads the default tenant shipped in the binary (assets.TenantFS), with its
// square logos.
func LoadEmbedded() (*sim.World, error) {
	t, err := Load(assets.TenantFS, EmbeddedDir)
	embeddedLogos(t)
	return t, err
}

// embeddedLogos gives t, when there is one, the embedded tenant's square logos.
func embeddedLogos(t *sim.World) {
	if t != nil {
		t.SquareLogo, t.SquareLogoDark = assets.SquareLogo(false), assets.SquareLogo(true)
	}
}

// LoadEmbeddedWith loads the embedded tenant, with its square logos, with opts; opts.Scenario,
// when set, is a path of the operating system whose scenario replaces the embedded one.
func LoadEmbeddedWith(opts Options) (*sim.World, *Report, error) {
	scen := opts.Scenario
	opts.Scenario = ""
	entries, err := fs.ReadDir(assets.TenantFS, EmbeddedDir)
	if err != nil {
		return nil, nil, err
	}
	var files []srcFile
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".json") {
			continue
		}
		data, err := safefile.ReadFS(assets.TenantFS, path.Join(EmbeddedDir, e.Name()), safefile.Limit)
		files = append(files, srcFile{name: e.Name(), data: data, readErr: err})
	}
	if scen != "" {
		data, err := safefile.Read(scen, safefile.Limit)
		files = append(files, srcFile{name: scen, data: data, readErr: err, want: KindScenario, scenarioOpt: true})
	}
	t, rep, err := load(files, nil, opts)
	embeddedLogos(t)
	return t, rep, err
}

// Load reads every *.json file directly in dir of fsys (names relative to dir) with default
// Options and returns the tenant; see LoadFS.
func Load(fsys fs.FS, dir string) (*sim.World, error) {
	t, _, err := LoadFS(fsys, dir, Options{})
	return t, err
}

// LoadFS reads every *.json file directly in dir of fsys, recognises each by its content (see
// the package documentation) and returns the normalized tenant with a report. Files are named
// by their base name. On error the tenant is nil and the error has one line per error
// finding; the report is returned whenever the folder could be listed. Options.Scenario is a
// path in fsys.
func LoadFS(fsys fs.FS, dir string, opts Options) (*sim.World, *Report, error) {
	if fsys == nil {
		return nil, nil, errors.New("tenant: no file system")
	}
	if dir == "" {
		dir = "."
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	var files []srcFile
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".json") {
			continue
		}
		data, err := safefile.ReadFS(fsys, path.Join(dir, e.Name()), safefile.Limit)
		files = append(files, srcFile{name: e.Name(), data: data, readErr: err, want: opts.Kinds[e.Name()]})
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: no .json files", dir)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	if opts.Scenario != "" {
		data, err := safefile.ReadFS(fsys, opts.Scenario, safefile.Limit)
		files = append(files, srcFile{name: opts.Scenario, data: data, readErr: err, want: KindScenario, scenarioOpt: true})
	}
	return load(files, nil, opts)
}

// LoadPaths imports files and folders of the operating system. A folder contributes every
// *.json file in it and in its subfolders (folders whose name starts with "." are skipped),
// named folder/sub/file; a file is read whatever its name. Options.Scenario and the keys of
// Options.Kinds are paths too. On error the tenant is nil, the report says what each file is
// and the error has one line per error finding (file, line:column or JSON path, what was
// expected).
func LoadPaths(paths []string, opts Options) (*sim.World, *Report, error) {
	if len(paths) == 0 && opts.Scenario == "" {
		return nil, nil, errors.New("tenant: no files or folders given")
	}
	var files []srcFile
	seen := map[string]int{} // absolute path → index in files
	var errs []error
	addFile := func(name string, want Kind, scen bool) {
		abs, err := filepath.Abs(name)
		if err == nil {
			if i, dup := seen[abs]; dup {
				// The same file twice (a folder and a flag): one entry, with the flag's meaning.
				if want != KindUnknown {
					files[i].want = want
				}
				files[i].scenarioOpt = files[i].scenarioOpt || scen
				return
			}
			seen[abs] = len(files)
		}
		data, err := safefile.Read(name, safefile.Limit)
		files = append(files, srcFile{name: name, data: data, readErr: err, want: want, scenarioOpt: scen})
	}
	var logos []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, errors.New(oneLine(err.Error())))
			continue
		}
		if !st.IsDir() {
			addFile(p, opts.Kinds[p], false)
			continue
		}
		var found []string
		var pngs []string
		err = filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if fp != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			switch strings.ToLower(filepath.Ext(fp)) {
			case ".json":
				found = append(found, fp)
			case ".png":
				pngs = append(pngs, fp)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, errors.New(oneLine(err.Error())))
			continue
		}
		if len(found) == 0 {
			errs = append(errs, fmt.Errorf("%s: no .json files in this folder", p))
			continue
		}
		sort.Strings(found)
		for _, fp := range found {
			addFile(fp, opts.Kinds[fp], false)
		}
		sort.Strings(pngs)
		logos = append(logos, pngs...)
	}
	if opts.Scenario != "" {
		addFile(opts.Scenario, KindScenario, true)
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return load(files, logos, opts)
}

// squareLogos picks the square logo images among the PNG files of the tenant folders: files
// whose name mentions "square" (as the branding's squareLogo, saved from its URL), the one
// whose name also mentions "dark" for dark themes. Only real PNG files count; one that cannot
// be read is a warning.
func (l *loader) squareLogos(paths []string) (light, dark []byte) {
	for _, p := range paths {
		name := strings.ToLower(filepath.Base(p))
		if !strings.Contains(name, "square") {
			continue
		}
		data, err := safefile.Read(p, safefile.Limit)
		if err != nil {
			l.inFile(p, SeverityWarning, "cannot read: %s; the logo is not used", pathErrorText(err))
			continue
		}
		if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
			continue
		}
		if strings.Contains(name, "dark") {
			if dark == nil {
				dark = data
			}
		} else if light == nil {
			light = data
		}
	}
	return light, dark
}

// srcFile is one file to import.
type srcFile struct {
	name        string
	data        []byte
	readErr     error
	want        Kind // KindUnknown: anything
	scenarioOpt bool // the Options.Scenario file
}

// item is one recognised object, decoded into its raw shape and normalized.
type item struct {
	file        *FileReport
	path        string
	kind        Kind
	obj         map[string]any
	raw         any
	seq         int
	bad         bool // decoding found errors: not normalized, not used
	scenarioOpt bool
	enc         Encoding

	name string // short identification for the report
	used bool
	note string

	profile *flow.Profile
	config  *ConfigFileInfo
	esp     *flow.ESPConfig
	hello   *flow.HelloConfig
	// assignedTo says who an enrollment configuration or profile is assigned to, from its
	// $expand'ed assignments: "" (not expanded), "device", "user", "none".
	assignedTo string
}

// ctx collects findings while files are read and normalized.
type ctx struct {
	opts     Options
	findings []Finding
}

func (c *ctx) add(f Finding) {
	f.Message = oneLine(f.Message)
	c.findings = append(c.findings, f)
}

// general records a finding not tied to one file.
func (c *ctx) general(sev Severity, format string, args ...any) {
	c.add(Finding{Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// inFile records a finding about a whole file.
func (c *ctx) inFile(file string, sev Severity, format string, args ...any) {
	c.add(Finding{Severity: sev, File: file, Message: fmt.Sprintf(format, args...)})
}

// at records a finding about item it, at the item's path plus rel (".key.sub" or "").
func (c *ctx) at(it *item, sev Severity, rel, format string, args ...any) {
	p := it.path + rel
	if p == "$" {
		p = ""
	}
	c.add(Finding{Severity: sev, File: it.file.File, Path: p, Message: fmt.Sprintf(format, args...)})
}

// notes records decoder findings of item it (their paths are absolute).
func (c *ctx) notes(it *item, ns []note) {
	for _, n := range ns {
		p := n.path
		if p == "$" {
			p = ""
		}
		c.add(Finding{Severity: n.sev, File: it.file.File, Path: p, Message: n.msg})
	}
}

func (c *ctx) errorCount() int {
	n := 0
	for _, f := range c.findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}

type loader struct {
	ctx
	files []*FileReport
	items []*item
}

// load imports already read files; the tenant gets its square logos from the PNG files at
// logos (see squareLogos).
func load(files []srcFile, logos []string, opts Options) (*sim.World, *Report, error) {
	l := &loader{ctx: ctx{opts: opts}}
	for _, f := range files {
		l.readFile(f)
	}
	for _, it := range l.items {
		l.normalize(it)
	}
	var t *sim.World
	var profiles []ProfileReport
	scenarioSource := ""
	if l.errorCount() == 0 {
		t, profiles, scenarioSource = l.build()
		t.SquareLogo, t.SquareLogoDark = l.squareLogos(logos)
	}
	rep := l.report()
	rep.Profiles = profiles
	rep.ScenarioSource = scenarioSource
	if rep.HasErrors() {
		var lines []error
		for _, f := range rep.Of(SeverityError) {
			lines = append(lines, errors.New(f.String()))
		}
		return nil, rep, errors.Join(lines...)
	}
	for _, f := range rep.Of(SeverityWarning) {
		t.Warnings = append(t.Warnings, f.String())
	}
	for _, fr := range rep.Files {
		if slices.ContainsFunc(fr.Objects, func(o ObjectReport) bool { return o.Used }) {
			t.Sources = append(t.Sources, fr.File)
		}
	}
	return t, rep, nil
}

// readFile decodes one file: encoding, JSON, objects.
func (l *loader) readFile(f srcFile) {
	fr := &FileReport{File: f.name}
	l.files = append(l.files, fr)
	if f.readErr != nil {
		l.inFile(f.name, SeverityError, "cannot read: %s", pathErrorText(f.readErr))
		return
	}
	text, enc, badSeq := decodeText(f.data)
	fr.Encoding, fr.LineEndings = enc, lineEndings(text)
	v, syn := parseJSON(f.name, text)
	if syn != nil {
		// No checkWant: "want a …, but the file holds nothing recognisable" would only repeat
		// the error.
		l.add(*syn)
		if enc.ignoredByWindows() || enc == EncodingWindows1252 {
			l.inFile(f.name, SeverityInfo, "read as %s", enc)
		}
		return
	}
	obj, isObj := v.(map[string]any)
	topKind := KindUnknown
	if isObj && !isCollection(obj) {
		topKind = classify(obj, "")
	}
	// AutopilotConfigurationFile.json is read by Windows as ANSI: a UTF-8 file without BOM is
	// seen as Windows-1252.
	if topKind == KindConfigFile && enc == EncodingUTF8 {
		l.inFile(f.name, SeverityWarning,
			"UTF-8 without BOM: Windows reads AutopilotConfigurationFile.json as ANSI (Windows-1252), so non-ASCII characters change; decoded the way Windows does; save the file as ANSI or ASCII")
		text = windows1252(f.data)
		enc = EncodingWindows1252
		if v2, syn2 := parseJSON(f.name, text); syn2 == nil {
			v, obj = v2, v2.(map[string]any)
		}
	}
	l.encodingFindings(f.name, enc, badSeq, topKind)
	if !isObj {
		l.inFile(f.name, SeverityWarning, "the top-level value is a %s, not a Graph object or collection; ignored", jsonKind(v))
		l.checkWant(f, fr)
		return
	}
	l.addObjects(fr, f, obj, enc)
	l.checkWant(f, fr)
}

// pathErrorText is a read error without the path an *fs.PathError repeats: the finding names
// the file already.
func pathErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// encodingFindings reports the file's encoding (reference §2.8 for the configuration file).
func (l *loader) encodingFindings(name string, enc Encoding, badSeq bool, top Kind) {
	if badSeq {
		l.inFile(name, SeverityWarning, "%s text with invalid sequences; they were replaced by U+FFFD", enc)
	}
	if top == KindConfigFile {
		switch {
		case enc.ignoredByWindows() && l.opts.Lenient:
			l.inFile(name, SeverityWarning, "Windows would ignore this file: it is %s, and AutopilotConfigurationFile.json must be ANSI or ASCII (the device would go through normal OOBE); loaded anyway in lenient mode", enc)
		case enc.ignoredByWindows():
			l.inFile(name, SeverityError, "Windows would ignore this file: it is %s, and AutopilotConfigurationFile.json must be ANSI or ASCII (the device would go through normal OOBE); save it as ANSI, or load it anyway in lenient mode", enc)
		case enc == EncodingWindows1252:
			l.inFile(name, SeverityInfo, "ANSI (Windows-1252) text, decoded as Windows reads it")
		}
		return
	}
	switch enc {
	case EncodingUTF8BOM:
		l.inFile(name, SeverityInfo, "UTF-8 with BOM; decoded")
	case EncodingUTF16LEBOM, EncodingUTF16BEBOM, EncodingUTF16LE, EncodingUTF16BE:
		l.inFile(name, SeverityInfo, "%s (as Windows PowerShell 5.1 Out-File writes); decoded", enc)
	case EncodingWindows1252:
		l.inFile(name, SeverityWarning, "not valid UTF-8: decoded as Windows-1252 (ANSI); Graph exports are UTF-8")
	}
}

// checkWant enforces Options.Kinds for a single-file flag.
func (l *loader) checkWant(f srcFile, fr *FileReport) {
	if f.want == KindUnknown {
		return
	}
	for _, it := range l.items {
		if it.file != fr {
			continue
		}
		if it.kind == f.want || (f.want == KindBranding && it.kind == KindBrandingLocalization) {
			return
		}
	}
	got := "nothing recognisable"
	var kinds []string
	for _, it := range l.items {
		if it.file == fr && !slices.Contains(kinds, article(it.kind.String())) {
			kinds = append(kinds, article(it.kind.String()))
		}
	}
	if len(kinds) > 0 {
		got = strings.Join(kinds, ", ")
	}
	want := f.want.String()
	if f.want == KindBranding {
		want = "organizational branding or branding localizations"
	}
	l.inFile(f.name, SeverityError, "want %s, but the file holds %s", article(want), got)
}

func article(s string) string {
	if s == "" || strings.HasPrefix(s, "organizational branding or") {
		return s
	}
	if strings.HasPrefix(s, "AutopilotConfigurationFile") {
		return "an " + s
	}
	switch s[0] {
	case 'A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u':
		return "an " + s
	}
	return "a " + s
}

// addObjects recognises the file's top-level object (an object or a collection) and decodes
// every recognised object, including profiles $expand'ed into a device identity.
func (l *loader) addObjects(fr *FileReport, f srcFile, obj map[string]any, enc Encoding) {
	add := func(p string, o map[string]any, hint string) *item {
		k := classify(o, hint)
		it := &item{file: fr, path: p, kind: k, obj: o, seq: len(l.items), scenarioOpt: f.scenarioOpt, enc: enc}
		l.items = append(l.items, it)
		switch k {
		case KindUnknown:
			it.note = "not recognised; ignored"
			l.at(it, SeverityWarning, "", "%s not recognised; ignored", describeUnknown(o))
			return it
		case KindOtherEnrollment:
			it.name = odataTypeName(o)
			it.note = "not used by the emulator"
			if p == "$" {
				l.at(it, SeverityInfo, "", "enrollment configuration of type %q is not used by the emulator; ignored", odataTypeName(o))
			}
			return it
		}
		var ns []note
		it.raw, ns = decodeKind(k, p, o, l.opts.Lenient)
		l.notes(it, ns)
		for _, n := range ns {
			if n.sev == SeverityError {
				it.bad = true
			}
		}
		return it
	}
	if isCollection(obj) {
		hint := odataContext(obj)
		arr := obj["value"].([]any)
		if len(arr) == 0 {
			l.inFile(fr.File, SeverityWarning, "empty collection; ignored")
		}
		for i, e := range arr {
			p := indexPath("$.value", i)
			o, ok := e.(map[string]any)
			if !ok {
				l.add(Finding{Severity: SeverityWarning, File: fr.File, Path: p, Message: fmt.Sprintf("a %s, not an object; ignored", jsonKind(e))})
				continue
			}
			l.expand(add(p, o, hint), add)
		}
		return
	}
	l.expand(add("$", obj, ""), add)
}

// expand adds the profiles $expand'ed into a device identity (deploymentProfile,
// intendedDeploymentProfile): they are the profiles assigned to that device.
func (l *loader) expand(it *item, add func(string, map[string]any, string) *item) {
	if it.kind != KindIdentity {
		return
	}
	for _, key := range []string{"deploymentProfile", "intendedDeploymentProfile"} {
		v, ok := lookup(it.obj, key)
		if !ok || v == nil {
			continue
		}
		o, ok := v.(map[string]any)
		if !ok {
			l.at(it, SeverityError, "."+key, "want object, got %s", jsonKind(v))
			it.bad = true
			continue
		}
		if _, ok := o["@odata.type"]; !ok {
			o["@odata.type"] = "#microsoft.graph.windowsAutopilotDeploymentProfile"
		}
		add(it.path+"."+key, o, "")
	}
}

// describeUnknown names an unrecognised object by its @odata.type when it has one.
func describeUnknown(o map[string]any) string {
	if t, _ := o["@odata.type"].(string); t != "" {
		return fmt.Sprintf("object of @odata.type %q", t)
	}
	return "object"
}

// odataTypeName is the @odata.type without "#microsoft.graph.".
func odataTypeName(o map[string]any) string {
	t, _ := o["@odata.type"].(string)
	return strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(t), "#"), "microsoft.graph.")
}

// decodeKind decodes o into the raw shape of k.
func decodeKind(k Kind, p string, o map[string]any, lenient bool) (any, []note) {
	switch k {
	case KindProfile:
		var r rawProfile
		return &r, decodeInto(p, o, &r, lenient)
	case KindESP:
		var r rawESP
		return &r, decodeInto(p, o, &r, lenient)
	case KindHello:
		var r rawHello
		return &r, decodeInto(p, o, &r, lenient)
	case KindIdentity:
		var r rawIdentity
		return &r, decodeInto(p, o, &r, lenient)
	case KindDomainJoin:
		var r rawDomainJoin
		return &r, decodeInto(p, o, &r, lenient)
	case KindOrganization:
		var r rawOrganization
		return &r, decodeInto(p, o, &r, lenient)
	case KindBranding, KindBrandingLocalization:
		var r rawBranding
		return &r, decodeInto(p, o, &r, lenient)
	case KindScenario:
		var r sim.Scenario
		return &r, decodeInto(p, o, &r, lenient)
	case KindConfigFile:
		var r rawConfigFile
		return &r, decodeInto(p, o, &r, lenient)
	}
	return nil, nil
}

// ofKind returns the usable items of kind k in reading order.
func (l *loader) ofKind(k Kind) []*item {
	var out []*item
	for _, it := range l.items {
		if it.kind == k && !it.bad && it.raw != nil {
			out = append(out, it)
		}
	}
	return out
}

// report assembles the per-file report.
func (l *loader) report() *Report {
	rep := &Report{}
	byFile := map[string]*FileReport{}
	for _, fr := range l.files {
		byFile[fr.File] = fr
	}
	for _, it := range l.items {
		it.file.Objects = append(it.file.Objects, ObjectReport{Path: it.path, Kind: it.kind, Name: it.name, Used: it.used, Note: it.note})
	}
	for _, f := range l.findings {
		if fr, ok := byFile[f.File]; ok && f.File != "" {
			fr.Findings = append(fr.Findings, f)
			continue
		}
		rep.Findings = append(rep.Findings, f)
	}
	for _, fr := range l.files {
		fr.Kind, fr.What = describeFile(fr)
		rep.Files = append(rep.Files, *fr)
	}
	return rep
}

// describeFile sums up what a file holds.
func describeFile(fr *FileReport) (Kind, string) {
	if len(fr.Objects) == 0 {
		for _, f := range fr.Findings {
			if f.Severity == SeverityError {
				return KindUnknown, "unreadable or invalid JSON"
			}
		}
		return KindUnknown, "nothing recognisable"
	}
	k := fr.Objects[0].Kind
	same := true
	for _, o := range fr.Objects[1:] {
		// A localizations collection holds its default entry too.
		if o.Kind != k && !(isBrandingKind(o.Kind) && isBrandingKind(k)) {
			same = false
		}
	}
	if len(fr.Objects) == 1 {
		o := fr.Objects[0]
		if o.Name != "" {
			return k, o.Kind.String() + " " + o.Name
		}
		return k, o.Kind.String()
	}
	if same {
		var names []string
		for _, o := range fr.Objects {
			if o.Name != "" {
				names = append(names, o.Name)
			}
		}
		what := fmt.Sprintf("%d × %s", len(fr.Objects), k)
		if isBrandingKind(k) {
			what = fmt.Sprintf("%d branding localizations", len(fr.Objects))
			k = KindBrandingLocalization
		}
		if len(names) > 0 {
			what += ": " + strings.Join(names, ", ")
		}
		return k, what
	}
	counts := map[Kind]int{}
	var order []Kind
	for _, o := range fr.Objects {
		if counts[o.Kind] == 0 {
			order = append(order, o.Kind)
		}
		counts[o.Kind]++
	}
	var parts []string
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%d × %s", counts[k], k))
	}
	return KindCollection, "collection: " + strings.Join(parts, ", ")
}

func isBrandingKind(k Kind) bool { return k == KindBranding || k == KindBrandingLocalization }

package tenant

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// Severity grades a finding.
type Severity int

// Severities, from the mildest.
const (
	// SeverityInfo is information: unknown keys, encodings, choices the importer made.
	SeverityInfo Severity = iota
	// SeverityWarning is a problem the importer worked around; the tenant still loads.
	SeverityWarning
	// SeverityError makes the import fail: no tenant is returned.
	SeverityError
)

// String is "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return "info"
}

// MarshalText writes String.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "info", "warning" or "error".
func (s *Severity) UnmarshalText(b []byte) error {
	for _, v := range []Severity{SeverityInfo, SeverityWarning, SeverityError} {
		if v.String() == string(b) {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("unknown severity %q", b)
}

// Finding is one line of an import report: where (a file, a line and column for syntax
// errors or a JSON path for values) and what.
type Finding struct {
	// Severity is info, warning or error.
	Severity Severity `json:"severity"`
	// File is the file as named in the report ("" for findings about the whole tenant).
	File string `json:"file,omitempty"`
	// Line and Column locate a syntax error (1-based; column counted in characters).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Path is the JSON path of the value concerned, like $.outOfBoxExperienceSetting.eulaHidden.
	Path string `json:"path,omitempty"`
	// Message says what is wrong and what was expected; one line.
	Message string `json:"message"`
}

// String formats the finding on one line: "file:line:col: message" for a position,
// "file: $.path: message" for a value, "file: message" or "message" otherwise. The severity is
// not included.
func (f Finding) String() string {
	var b strings.Builder
	if f.File != "" {
		b.WriteString(f.File)
		if f.Line > 0 {
			b.WriteString(":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column))
		}
		b.WriteString(": ")
	}
	if f.Path != "" && f.Line == 0 {
		b.WriteString(f.Path + ": ")
	}
	b.WriteString(oneLine(f.Message))
	return b.String()
}

// Encoding is the character encoding a file was read in.
type Encoding string

// The encodings the importer detects.
const (
	EncodingASCII       Encoding = "ASCII"
	EncodingUTF8        Encoding = "UTF-8"
	EncodingUTF8BOM     Encoding = "UTF-8 with BOM"
	EncodingUTF16LEBOM  Encoding = "UTF-16 LE with BOM"
	EncodingUTF16BEBOM  Encoding = "UTF-16 BE with BOM"
	EncodingUTF16LE     Encoding = "UTF-16 LE"
	EncodingUTF16BE     Encoding = "UTF-16 BE"
	EncodingWindows1252 Encoding = "Windows-1252"
)

// ignoredByWindows reports whether real Windows ignores an AutopilotConfigurationFile.json in
// this encoding (reference §2.8: it must be ASCII/ANSI).
func (e Encoding) ignoredByWindows() bool {
	switch e {
	case EncodingUTF8BOM, EncodingUTF16LEBOM, EncodingUTF16BEBOM, EncodingUTF16LE, EncodingUTF16BE:
		return true
	}
	return false
}

// ObjectReport is one object found in a file.
type ObjectReport struct {
	// Path is the object's JSON path in the file ("$" or "$.value[2]").
	Path string `json:"path"`
	// Kind is what it was recognised as.
	Kind Kind `json:"kind"`
	// Name is its display name, id or other short identification.
	Name string `json:"name,omitempty"`
	// Used is true when the object contributes to the tenant.
	Used bool `json:"used"`
	// Note says why it is used or ignored.
	Note string `json:"note,omitempty"`
}

// FileReport is what the importer made of one file.
type FileReport struct {
	// File is the file's name as given (a folder's files are named folder/file).
	File string `json:"file"`
	// Kind is the kind of the file's objects (KindCollection when they differ).
	Kind Kind `json:"kind"`
	// What describes the file in words, like `deployment profile "X" (Entra join)`.
	What string `json:"what"`
	// Encoding is the file's character encoding.
	Encoding Encoding `json:"encoding,omitempty"`
	// LineEndings is "CRLF", "LF", "mixed" or "" (a single line).
	LineEndings string `json:"lineEndings,omitempty"`
	// Objects are the objects found in the file.
	Objects []ObjectReport `json:"objects,omitempty"`
	// Findings are the file's errors, warnings and information, in order.
	Findings []Finding `json:"findings,omitempty"`
}

// ProfileReport is one deployment profile (Graph or AutopilotConfigurationFile.json),
// normalized with the tenant's ESP and Windows Hello settings, whether or not it applies.
type ProfileReport struct {
	// File and Path locate the profile.
	File string `json:"file"`
	Path string `json:"path"`
	// Kind is KindProfile or KindConfigFile.
	Kind Kind `json:"kind"`
	// Applies is true for the profile the device gets.
	Applies bool `json:"applies"`
	// Note says why it applies or not.
	Note string `json:"note,omitempty"`
	// Profile is the normalized profile.
	Profile flow.Profile `json:"profile"`
	// ConfigFile holds the decoded values of an AutopilotConfigurationFile.json.
	ConfigFile *ConfigFileInfo `json:"configFile,omitempty"`
	// OOBEConfig is the CloudAssignedOobeConfig bitmask equivalent to the profile (reference
	// §2.8 converter rules).
	OOBEConfig int `json:"oobeConfig"`
}

// Report lists, per file, what the importer recognised and found.
type Report struct {
	// Files are the files read, in reading order.
	Files []FileReport `json:"files"`
	// Findings are the findings not tied to one file (cross-file checks).
	Findings []Finding `json:"findings,omitempty"`
	// Profiles are every deployment profile found, the applying one marked; empty when the
	// import failed.
	Profiles []ProfileReport `json:"profiles,omitempty"`
	// ScenarioSource names where the scenario came from: a file, or "embedded".
	ScenarioSource string `json:"scenarioSource,omitempty"`
}

// All returns every finding: each file's in file order, then the general ones.
func (r *Report) All() []Finding {
	if r == nil {
		return nil
	}
	var out []Finding
	for _, f := range r.Files {
		out = append(out, f.Findings...)
	}
	return append(out, r.Findings...)
}

// Of returns the findings of severity s, in the order of All.
func (r *Report) Of(s Severity) []Finding {
	var out []Finding
	for _, f := range r.All() {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// HasErrors reports whether any finding is an error.
func (r *Report) HasErrors() bool { return len(r.Of(SeverityError)) > 0 }

// File returns the report of the file named name.
func (r *Report) File(name string) (FileReport, bool) {
	if r != nil {
		for _, f := range r.Files {
			if f.File == name {
				return f, true
			}
		}
	}
	return FileReport{}, false
}

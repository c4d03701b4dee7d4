package answers

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Secrets are the secrets a replay types, resolved from the references of an answers file.
// A secret whose reference is missing is "": the person types it on that page.
type Secrets struct {
	// WiFiKey is the network security key (network.keyFrom).
	WiFiKey string
	// Password is the account password (user.passwordFrom).
	Password string
	// MFACode is the Authenticator verification code (mfaCodeFrom).
	MFACode string
	// PIN is the Windows Hello PIN (pinFrom).
	PIN string
}

// String shows which secrets are set, never their values.
func (s Secrets) String() string {
	return fmt.Sprintf("{WiFiKey:%s Password:%s MFACode:%s PIN:%s}", redact(s.WiFiKey), redact(s.Password), redact(s.MFACode), redact(s.PIN))
}

// GoString is String, for %#v.
func (s Secrets) GoString() string { return "answers.Secrets" + s.String() }

func redact(v string) string {
	if v == "" {
		return `""`
	}
	return "***"
}

// Resolve reads every secret the file refers to: environment variables through getenv, files
// relative to the answers file's directory (their first line; a trailing line break is not
// part of the secret). A reference that cannot be resolved is an error naming the member.
func (f *File) Resolve(getenv func(string) string) (Secrets, error) {
	var s Secrets
	for _, r := range f.refs() {
		v, err := f.resolve(r.field, r.ref, getenv)
		if err != nil {
			return Secrets{}, err
		}
		*r.dst(&s) = v
	}
	return s, nil
}

func (f *File) resolve(field string, r *SecretRef, getenv func(string) string) (string, error) {
	fail := func(format string, args ...any) error {
		return &Error{File: f.name, Line: r.line, Col: r.col, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if r.Env != "" {
		v := ""
		if getenv != nil {
			v = getenv(r.Env)
		}
		if v == "" {
			return "", fail("environment variable %s is not set (or empty); set it before replaying, or remove %s to type this secret yourself", r.Env, field)
		}
		return v, nil
	}
	path := r.File
	if !filepath.IsAbs(path) {
		base := r.base
		if base == "" {
			base = f.dir
		}
		path = filepath.Join(base, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fail("cannot read secret file %q: %s", r.File, unwrapPathError(err))
	}
	v := strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r")
	switch {
	case v == "":
		return "", fail("secret file %q is empty", r.File)
	case strings.ContainsAny(v, "\r\n"):
		return "", fail("secret file %q holds more than one line; want the secret alone on its first line", r.File)
	}
	return v, nil
}

// Script is an answers file with its secrets resolved: what a replay needs.
type Script struct {
	// File is the answers file.
	File *File
	// Secrets are the secrets it refers to.
	Secrets Secrets
}

// Load reads the answers file at path and resolves its secrets with getenv.
func Load(path string, getenv func(string) string) (*Script, error) {
	f, err := Read(path)
	if err != nil {
		return nil, err
	}
	s, err := f.Resolve(getenv)
	if err != nil {
		return nil, err
	}
	return &Script{File: f, Secrets: s}, nil
}

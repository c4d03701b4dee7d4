package answers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/oobe-emu/oobe/internal/safefile"
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

// Options say where secrets may come from.
type Options struct {
	// Getenv looks up environment variables (nil: none is set).
	Getenv func(string) string
	// SecretsAnywhere lets a secret file lie outside the answers file's folder
	// (--answers-secrets-anywhere).
	SecretsAnywhere bool
}

// Resolve is ResolveWith with environment variables from getenv and secret files inside the
// answers file's folder only.
func (f *File) Resolve(getenv func(string) string) (Secrets, error) {
	return f.ResolveWith(Options{Getenv: getenv})
}

// ResolveWith reads every secret the file refers to: environment variables through
// opts.Getenv, files relative to the answers file's directory (their first line; a trailing
// line break is not part of the secret). A secret file must be a regular file inside that
// directory, reached without leaving it through ".." or a symbolic link, unless
// opts.SecretsAnywhere: an answers file from someone else cannot read ~/.git-credentials. A
// reference that cannot be resolved is an error naming the member.
func (f *File) ResolveWith(opts Options) (Secrets, error) {
	var s Secrets
	for _, r := range f.refs() {
		v, err := f.resolve(r.field, r.ref, opts)
		if err != nil {
			return Secrets{}, err
		}
		*r.dst(&s) = v
	}
	return s, nil
}

func (f *File) resolve(field string, r *SecretRef, opts Options) (string, error) {
	fail := func(format string, args ...any) error {
		return &Error{File: f.name, Line: r.line, Col: r.col, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if r.Env != "" {
		v := ""
		if opts.Getenv != nil {
			v = opts.Getenv(r.Env)
		}
		if v == "" {
			return "", fail("environment variable %s is not set (or empty); set it before replaying, or remove %s to type this secret yourself", r.Env, field)
		}
		return v, nil
	}
	folder := r.base
	if folder == "" {
		folder = f.dir
	}
	if abs, err := filepath.Abs(folder); err == nil {
		folder = abs
	}
	data, err := readSecretFile(folder, r.File, opts.SecretsAnywhere)
	switch {
	case errors.Is(err, errOutside):
		return "", fail("secret file %q is outside the answers file's folder %s; move it there, or allow it with --answers-secrets-anywhere", r.File, folder)
	case errors.Is(err, errLinkOutside):
		return "", fail("secret file %q leads outside the answers file's folder %s through a symbolic link; copy the file there, or allow it with --answers-secrets-anywhere", r.File, folder)
	case err != nil:
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

// The ways a secret file can lie outside the answers file's folder.
var (
	errOutside     = errors.New("outside the folder")
	errLinkOutside = errors.New("a link leading outside the folder")
)

// readSecretFile reads secret file name (absolute, or relative to folder). Unless anywhere, it
// must be inside folder: opening goes through os.Root, which follows no ".." or symbolic link
// out of it.
func readSecretFile(folder, name string, anywhere bool) ([]byte, error) {
	if anywhere {
		if !filepath.IsAbs(name) {
			name = filepath.Join(folder, name)
		}
		return safefile.Read(name, safefile.Limit)
	}
	rel := name
	if filepath.IsAbs(name) {
		var err error
		if rel, err = filepath.Rel(folder, name); err != nil {
			return nil, errOutside
		}
	}
	if !filepath.IsLocal(rel) {
		return nil, errOutside
	}
	root, err := os.OpenRoot(folder)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	data, err := safefile.ReadIn(root, rel, safefile.Limit)
	if err != nil && linksOutside(folder, rel) {
		return nil, errLinkOutside
	}
	return data, err
}

// linksOutside reports whether rel, inside folder, resolves through symbolic links to a file
// outside it; only to word the error once os.Root has refused to open it.
func linksOutside(folder, rel string) bool {
	real, err := filepath.EvalSymlinks(filepath.Join(folder, rel))
	if err != nil {
		return false
	}
	base, err := filepath.EvalSymlinks(folder)
	if err != nil {
		return false
	}
	r, err := filepath.Rel(base, real)
	return err != nil || !filepath.IsLocal(r)
}

// Script is an answers file with its secrets resolved: what a replay needs.
type Script struct {
	// File is the answers file.
	File *File
	// Secrets are the secrets it refers to.
	Secrets Secrets
}

// Load reads the answers file at path and resolves its secrets with getenv, secret files
// inside its folder only.
func Load(path string, getenv func(string) string) (*Script, error) {
	return LoadWith(path, Options{Getenv: getenv})
}

// LoadWith reads the answers file at path and resolves its secrets with opts.
func LoadWith(path string, opts Options) (*Script, error) {
	f, err := Read(path)
	if err != nil {
		return nil, err
	}
	s, err := f.ResolveWith(opts)
	if err != nil {
		return nil, err
	}
	return &Script{File: f, Secrets: s}, nil
}

package answers

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/oobe-emu/oobe/flow"
)

// fileJSON is File as written: "privacy": {} (accept the defaults) survives, unlike with
// omitempty on a map.
type fileJSON struct {
	Schema      string           `json:"$schema"`
	Note        string           `json:"note,omitempty"`
	Language    string           `json:"language,omitempty"`
	Region      string           `json:"region,omitempty"`
	Keyboard    string           `json:"keyboard,omitempty"`
	Keyboard2   *string          `json:"keyboard2,omitempty"`
	Network     *Network         `json:"network,omitempty"`
	EULA        string           `json:"eula,omitempty"`
	User        *User            `json:"user,omitempty"`
	WindowsUser string           `json:"windowsUser,omitempty"`
	MFACodeFrom *SecretRef       `json:"mfaCodeFrom,omitempty"`
	Privacy     *map[string]bool `json:"privacy,omitempty"`
	PINFrom     *SecretRef       `json:"pinFrom,omitempty"`
	DeviceName  string           `json:"deviceName,omitempty"`
}

// Marshal encodes the file as indented JSON with a final newline. It holds no secret: a
// File has no place for one.
func (f *File) Marshal() ([]byte, error) {
	out := fileJSON{
		Schema: f.Schema, Note: f.Note, Language: f.Language, Region: f.Region, Keyboard: f.Keyboard,
		Keyboard2: f.Keyboard2, Network: f.Network, EULA: f.EULA, User: f.User, WindowsUser: f.WindowsUser, MFACodeFrom: f.MFACodeFrom,
		PINFrom: f.PINFrom, DeviceName: f.DeviceName,
	}
	if out.Schema == "" {
		out.Schema = Schema
	}
	if f.Privacy != nil {
		out.Privacy = &f.Privacy
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteFile writes f to path, replacing it atomically (readable by the owner only: it names
// a user). Secret files a replayed file referred to stay the same files: their paths are made
// relative to the new file's directory, and when one lies outside it the note says that a
// replay needs --answers-secrets-anywhere.
func WriteFile(path string, f *File) error {
	dir := filepath.Dir(path)
	if abs, err := filepath.Abs(dir); err == nil {
		outside := false
		for _, r := range f.refs() {
			if r.ref.rebased && filepath.IsAbs(r.ref.File) {
				if rel, err := filepath.Rel(abs, r.ref.File); err == nil {
					r.ref.File = rel
				}
				outside = outside || !filepath.IsLocal(r.ref.File)
				r.ref.rebased = false
			}
		}
		if outside {
			f.Note += " " + outsideNote
		}
	}
	data, err := f.Marshal()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".answers-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// outsideNote ends the note of a file whose secret files lie outside its folder.
const outsideNote = "A secret file named here is outside this file's folder: replay with --answers-secrets-anywhere, or move the file here and change its path."

// Write writes the answers of a run to path (see FromAnswers): never a secret, only
// references for the person to fill in.
func Write(path string, a flow.Answers, r Run) error { return WriteFile(path, FromAnswers(a, r)) }

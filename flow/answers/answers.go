// Package answers reads and writes answers files: what a person answered on each page of the
// OOBE, so that a run can be replayed (oobe --answers F) and every run can leave its answers
// behind (oobe --write-answers F).
//
// # Format
//
// An answers file is one JSON object (UTF-8; a leading byte order mark is ignored). Every
// member but "$schema" is optional: a page whose answer is missing stays interactive.
//
//	{
//	  "$schema": "oobe-answers/1",
//	  "note": "free text, ignored",
//	  "language": "en-US",
//	  "region": "DE",
//	  "keyboard": "00000407",
//	  "keyboard2": "00000809",
//	  "network": {
//	    "ssid": "Larkspur-Corp",
//	    "hidden": false,
//	    "connectAutomatically": true,
//	    "keyFrom": {"env": "OOBE_WIFI_KEY"}
//	  },
//	  "eula": "accept",
//	  "user": {
//	    "upn": "megan.rivera@larkspuraero.com",
//	    "passwordFrom": {"file": "secrets/megan.txt"}
//	  },
//	  "windowsUser": "LARKSPUR\\megan.rivera",
//	  "mfaCodeFrom": {"env": "OOBE_MFA_CODE"},
//	  "privacy": {"location": false, "findMyDevice": false},
//	  "pinFrom": {"env": "OOBE_PIN"},
//	  "deviceName": "LSA-8CG3471KQD"
//	}
//
// Members:
//
//   - "$schema" (required) is the version marker, exactly "oobe-answers/1".
//   - "note" is a comment for people; it is never interpreted.
//   - "language" is the display language tag chosen on the language page (BCP 47, "de-DE").
//   - "region" is the ISO 3166 two-letter code of the region page ("DE").
//   - "keyboard" is the first keyboard layout as a KLID, eight hex digits ("00000407").
//   - "keyboard2" is the second layout's KLID, or "" for Skip; absent means unanswered.
//   - "network" is the network joined: {"ssid": NAME} for Wi-Fi ("hidden": true when it was
//     joined through "Hidden network", "connectAutomatically" the box, "keyFrom" where its
//     security key comes from), or {"ethernet": true} for a wired device.
//   - "eula" is "accept" (a replay never declines).
//   - "user" is the account that signs in: "upn" and "passwordFrom". The same credentials
//     answer the Windows sign-in screen after a restart during Device setup.
//   - "windowsUser" is the name a Microsoft Entra hybrid join signs in with on the Windows
//     sign-in screen (DOMAIN\user or a UPN), after Device setup and again after Sign out;
//     its password is the user's ("user"."passwordFrom"), as with password hash sync. An
//     Entra join's Windows sign-in after a restart uses "user" and ignores it.
//   - "mfaCodeFrom" is where the Authenticator verification code comes from, for accounts
//     challenged with a code.
//   - "privacy" maps privacy toggles (flow.PrivacyToggles, e.g. "location") to true (on) or
//     false (off); toggles left out keep their default, and {} accepts the defaults.
//   - "pinFrom" is where the Windows Hello PIN comes from.
//   - "deviceName" is the name the device got. It is informational: a replay does not use it,
//     Windows derives the name from the profile.
//
// # Secrets
//
// A secret (Wi-Fi key, password, verification code, PIN) is never written in an answers file.
// A member ending in "From" names where it comes from, as exactly one of:
//
//	{"env": "NAME"}   the value of environment variable NAME (set and not empty)
//	{"file": "PATH"}  the first line of file PATH, relative to the answers file's directory
//
// A secret file must be a regular file inside the answers file's directory (its
// subdirectories included): a PATH, or a symbolic link, that leads out of it is an error
// unless the replay allows it (oobe --answers-secrets-anywhere), so that an answers file from
// someone else cannot type any file of the person who replays it into a page.
//
// Reading a file that holds a secret-looking member ("password", "key", "pin", "mfaCode", …),
// or a "…From" member given as a plain string, is an error naming the member. Files written by
// a run carry placeholders such as {"env": "OOBE_PASSWORD"} for the secrets the run used, and
// a "note" that says which variables to set before replaying.
//
// Errors name the file, the line and column, and the member: "demo.json:7:14: network.ssid:
// want a string, got a number".
package answers

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// Schema is the version marker of the format, the value of "$schema".
const Schema = "oobe-answers/1"

// The environment variables a written file names for the secrets a run used.
const (
	EnvWiFiKey  = "OOBE_WIFI_KEY"
	EnvPassword = "OOBE_PASSWORD"
	EnvMFACode  = "OOBE_MFA_CODE"
	EnvPIN      = "OOBE_PIN"
)

// File is an answers file. A nil or empty member is unanswered.
type File struct {
	// Schema is the version marker, Schema.
	Schema string `json:"$schema"`
	// Note is a comment for people.
	Note string `json:"note,omitempty"`
	// Language is the display language tag.
	Language string `json:"language,omitempty"`
	// Region is the ISO 3166 two-letter region code, upper case.
	Region string `json:"region,omitempty"`
	// Keyboard is the KLID of the first layout, upper case.
	Keyboard string `json:"keyboard,omitempty"`
	// Keyboard2 is the KLID of the second layout; "" is Skip; nil is unanswered.
	Keyboard2 *string `json:"keyboard2,omitempty"`
	// Network is the network joined.
	Network *Network `json:"network,omitempty"`
	// EULA is "accept" when the license terms were accepted.
	EULA string `json:"eula,omitempty"`
	// User is the account that signs in.
	User *User `json:"user,omitempty"`
	// WindowsUser is the name a hybrid join signs in with on the Windows sign-in screen.
	WindowsUser string `json:"windowsUser,omitempty"`
	// MFACodeFrom is where the verification code comes from.
	MFACodeFrom *SecretRef `json:"mfaCodeFrom,omitempty"`
	// Privacy maps privacy toggles to on or off; nil is unanswered, empty accepts the defaults.
	Privacy map[string]bool `json:"privacy,omitempty"`
	// PINFrom is where the Windows Hello PIN comes from.
	PINFrom *SecretRef `json:"pinFrom,omitempty"`
	// DeviceName is the name the device got (informational, not replayed).
	DeviceName string `json:"deviceName,omitempty"`

	// name is the file's name as given to Read or Parse, for messages; dir is the directory
	// relative secret files are read from.
	name, dir string
}

// Network is the network answer: Wi-Fi by SSID, or Ethernet.
type Network struct {
	// Ethernet is true for a wired device (no Wi-Fi joined).
	Ethernet bool `json:"ethernet,omitempty"`
	// SSID is the Wi-Fi network's name.
	SSID string `json:"ssid,omitempty"`
	// Hidden is true when the network was joined through "Hidden network" (typed by name).
	Hidden bool `json:"hidden,omitempty"`
	// ConnectAutomatically is the "Connect automatically" box; nil keeps the default (ticked).
	ConnectAutomatically *bool `json:"connectAutomatically,omitempty"`
	// KeyFrom is where the network security key comes from (nil for an open network, or to
	// let the person type it).
	KeyFrom *SecretRef `json:"keyFrom,omitempty"`
}

// User is the account that signs in.
type User struct {
	// UPN is the username.
	UPN string `json:"upn"`
	// PasswordFrom is where the password comes from (nil: the person types it).
	PasswordFrom *SecretRef `json:"passwordFrom,omitempty"`
}

// SecretRef names where a secret comes from: an environment variable or a file.
type SecretRef struct {
	// Env is the environment variable that holds the secret.
	Env string `json:"env,omitempty"`
	// File is the file whose first line is the secret, relative to the answers file.
	File string `json:"file,omitempty"`

	// field, line and col locate the reference in the file it was read from; base is the
	// absolute directory a relative File is relative to; rebased marks a File made absolute
	// by clone, which the writer makes relative to the file it writes.
	field     string
	line, col int
	base      string
	rebased   bool
}

// Env returns a reference to environment variable name.
func Env(name string) *SecretRef { return &SecretRef{Env: name} }

// String describes the reference (never the secret).
func (r *SecretRef) String() string {
	if r == nil {
		return "<none>"
	}
	if r.Env != "" {
		return "environment variable " + r.Env
	}
	return fmt.Sprintf("file %q", r.File)
}

// Empty reports whether the file answers nothing.
func (f *File) Empty() bool {
	return f.Language == "" && f.Region == "" && f.Keyboard == "" && f.Keyboard2 == nil &&
		f.Network == nil && f.EULA == "" && f.User == nil && f.WindowsUser == "" && f.MFACodeFrom == nil &&
		f.Privacy == nil && f.PINFrom == nil && f.DeviceName == ""
}

// Name is the file's name as it was read ("" for a file built in memory).
func (f *File) Name() string { return f.name }

// Answers returns the answers the file gives, as a session holds them (no secrets).
func (f *File) Answers() flow.Answers {
	a := flow.Answers{
		Language: f.Language, Region: f.Region, Keyboard: f.Keyboard,
		EULAAccepted: f.EULA == "accept", DeviceName: f.DeviceName,
	}
	if f.Keyboard2 != nil {
		a.Keyboard2 = *f.Keyboard2
	}
	if n := f.Network; n != nil {
		a.Network = n.SSID
		if n.Ethernet {
			a.Network = "ethernet"
		}
		if n.ConnectAutomatically != nil {
			a.ConnectAutomatically = *n.ConnectAutomatically
		}
	}
	if f.User != nil {
		a.UPN = f.User.UPN
	}
	if f.Privacy != nil {
		a.Privacy = make(map[string]bool, len(f.Privacy))
		for k, v := range f.Privacy {
			a.Privacy[k] = v
		}
	}
	return a
}

// Run is what a run did beyond its answers: which steps the person completed and which
// secrets were used, so that the file written says what a replay needs.
type Run struct {
	// Answered holds the steps completed (left with Next). A step's answer is written only
	// when it is in Answered; nil writes every answer that is set.
	Answered map[flow.StepID]bool
	// HiddenNetwork is true when the network was joined through "Hidden network".
	HiddenNetwork bool
	// WiFiKey, Password, MFACode and PIN are true for each secret the run used.
	WiFiKey, Password, MFACode, PIN bool
	// WindowsUser is the name a hybrid join signed in with on the Windows sign-in screen.
	WindowsUser string
	// From is the answers file the run replayed, if any: its secret references are written
	// again instead of the default placeholders (when they answer the same network and user).
	From *File
}

// FromAnswers builds the file of a run: its answers, and for each secret it used a
// placeholder reference (never the secret), with a note that says what to set.
func FromAnswers(a flow.Answers, r Run) *File {
	done := func(s flow.StepID) bool { return r.Answered == nil || r.Answered[s] }
	f := &File{Schema: Schema, DeviceName: a.DeviceName}
	if done(flow.StepLanguage) {
		f.Language = a.Language
	}
	if done(flow.StepRegion) {
		f.Region = a.Region
	}
	if done(flow.StepKeyboard) {
		f.Keyboard = a.Keyboard
	}
	// keyboard2 is written as "" (Skip) only when the page was answered with a first layout
	if a.Keyboard2 != "" || (r.Answered != nil && r.Answered[flow.StepKeyboard2] && a.Keyboard != "") {
		if done(flow.StepKeyboard2) {
			k2 := a.Keyboard2
			f.Keyboard2 = &k2
		}
	}
	if a.Network != "" && done(flow.StepNetwork) {
		if a.Network == "ethernet" {
			f.Network = &Network{Ethernet: true}
		} else {
			auto := a.ConnectAutomatically
			f.Network = &Network{SSID: a.Network, Hidden: r.HiddenNetwork, ConnectAutomatically: &auto}
			if r.WiFiKey {
				f.Network.KeyFrom = Env(EnvWiFiKey)
				if from := r.From; from != nil && from.Network != nil && from.Network.KeyFrom != nil && from.Network.SSID == a.Network {
					f.Network.KeyFrom = from.Network.KeyFrom.clone()
				}
			}
		}
	}
	if a.EULAAccepted && done(flow.StepEULA) {
		f.EULA = "accept"
	}
	if a.UPN != "" {
		f.User = &User{UPN: a.UPN}
		if r.Password {
			f.User.PasswordFrom = Env(EnvPassword)
			if from := r.From; from != nil && from.User != nil && from.User.PasswordFrom != nil && strings.EqualFold(from.User.UPN, a.UPN) {
				f.User.PasswordFrom = from.User.PasswordFrom.clone()
			}
		}
	}
	f.WindowsUser = r.WindowsUser
	if r.MFACode {
		f.MFACodeFrom = Env(EnvMFACode)
		if r.From != nil && r.From.MFACodeFrom != nil {
			f.MFACodeFrom = r.From.MFACodeFrom.clone()
		}
	}
	if a.Privacy != nil && done(flow.StepPrivacy) {
		f.Privacy = make(map[string]bool, len(a.Privacy))
		for k, v := range a.Privacy {
			f.Privacy[k] = v
		}
	}
	if r.PIN {
		f.PINFrom = Env(EnvPIN)
		if r.From != nil && r.From.PINFrom != nil {
			f.PINFrom = r.From.PINFrom.clone()
		}
	}
	f.Note = note(f)
	return f
}

// note explains the file and names what a replay needs set.
func note(f *File) string {
	var envs []string
	files := false
	for _, r := range f.refs() {
		if r.ref.Env != "" {
			envs = append(envs, r.ref.Env)
		} else {
			files = true
		}
	}
	n := "Written by oobe --write-answers; replay it with oobe --answers FILE. Secrets are never stored here"
	switch {
	case len(envs) == 0 && !files:
		return n + "."
	case len(envs) == 0:
		return n + ": the secret files named below must exist before replaying."
	}
	n += ": before replaying, set " + strings.Join(envs, ", ")
	if files {
		n += " and create the secret files named below"
	}
	return n + ` (or replace {"env": NAME} by {"file": "PATH"}, relative to this file); remove a "…From" member to type that secret yourself.`
}

func (r *SecretRef) clone() *SecretRef {
	c := *r
	if c.File != "" && !filepath.IsAbs(c.File) && c.base != "" {
		c.File = filepath.Join(c.base, c.File) // made relative to the new file by the writer
		c.rebased = true
	}
	c.base = ""
	return &c
}

// namedRef is one secret reference of a file with the member that holds it.
type namedRef struct {
	field string
	ref   *SecretRef
	dst   func(*Secrets) *string
}

// refs lists the file's secret references in file order.
func (f *File) refs() []namedRef {
	var out []namedRef
	if f.Network != nil && f.Network.KeyFrom != nil {
		out = append(out, namedRef{"network.keyFrom", f.Network.KeyFrom, func(s *Secrets) *string { return &s.WiFiKey }})
	}
	if f.User != nil && f.User.PasswordFrom != nil {
		out = append(out, namedRef{"user.passwordFrom", f.User.PasswordFrom, func(s *Secrets) *string { return &s.Password }})
	}
	if f.MFACodeFrom != nil {
		out = append(out, namedRef{"mfaCodeFrom", f.MFACodeFrom, func(s *Secrets) *string { return &s.MFACode }})
	}
	if f.PINFrom != nil {
		out = append(out, namedRef{"pinFrom", f.PINFrom, func(s *Secrets) *string { return &s.PIN }})
	}
	return out
}

package answers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/internal/safefile"
)

// Error is a problem with an answers file, located as precisely as it can be.
type Error struct {
	// File is the file's name.
	File string
	// Line and Col are 1-based (Col counts characters); 0 when the problem has no place.
	Line, Col int
	// Field is the member's path, like "network.keyFrom" ("" for the file as a whole).
	Field string
	// Msg says what is wrong and what was expected.
	Msg string
}

// Error formats the problem on one line: "file:line:col: field: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Field != "" {
		field := e.Field
		if strings.ContainsFunc(field, unicode.IsControl) {
			field = strconv.Quote(field) // a member name from the file may hold a line break
		}
		b.WriteString(field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Read reads and checks the answers file at path, a regular file of at most safefile.Limit
// bytes. Relative secret files are later resolved against its directory.
func Read(path string) (*File, error) {
	data, err := safefile.Read(path, safefile.Limit)
	if err != nil {
		return nil, &Error{File: path, Msg: unwrapPathError(err)}
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	return parse(path, dir, data)
}

// unwrapPathError drops the path an *os.PathError repeats, and the operation when the error
// says what the file is (a directory, a named pipe, too large).
func unwrapPathError(err error) string {
	var pe *os.PathError
	switch {
	case errors.Is(err, safefile.ErrNotRegular) || errors.Is(err, safefile.ErrTooLarge):
		if errors.As(err, &pe) {
			return pe.Err.Error()
		}
	case errors.As(err, &pe):
		op := pe.Op
		if op == "openat" { // os.Root's word for open
			op = "open"
		}
		return op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// Parse checks data as the answers file called name; relative secret files are resolved
// against the current directory.
func Parse(name string, data []byte) (*File, error) {
	dir, err := filepath.Abs(".")
	if err != nil {
		dir = "."
	}
	return parse(name, dir, data)
}

func parse(name, dir string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &parser{name: name, data: data}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, p.errAt(off, "", "the file is not valid UTF-8")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: name, Msg: `the file is empty; want a JSON object starting with {"$schema": "` + Schema + `"}`}
	}
	p.dec = json.NewDecoder(bytes.NewReader(data))
	p.dec.UseNumber()
	root, err := p.value()
	if err != nil {
		return nil, err
	}
	end := p.skip(int(p.dec.InputOffset()))
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, p.errAt(end, "", "unexpected data after the closing }")
	}
	f, err := p.file(root)
	if err != nil {
		return nil, err
	}
	f.name, f.dir = name, dir
	for _, r := range f.refs() {
		r.ref.base = dir
	}
	return f, nil
}

// node is one JSON value with the byte offset where it starts.
type node struct {
	kind  byte // '{' object, '[' array, 's' string, 'n' number, 'b' bool, '0' null
	off   int
	str   string
	num   json.Number
	b     bool
	keys  []string
	koff  map[string]int
	vals  map[string]*node
	elems []*node
}

func (n *node) what() string {
	switch n.kind {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 's':
		return "a string"
	case 'n':
		return "a number"
	case 'b':
		return "a boolean"
	}
	return "null"
}

type parser struct {
	name  string
	data  []byte
	dec   *json.Decoder
	depth int // arrays and objects open around the value being read
}

// pos turns a byte offset into a 1-based line and character column.
func (p *parser) pos(off int) (int, int) {
	off = max(0, min(off, len(p.data)))
	line := 1 + bytes.Count(p.data[:off], []byte("\n"))
	start := bytes.LastIndexByte(p.data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(p.data[start:off])
}

func (p *parser) errAt(off int, field, format string, args ...any) *Error {
	l, c := p.pos(off)
	return &Error{File: p.name, Line: l, Col: c, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// skip moves past white space and the separators between tokens.
func (p *parser) skip(off int) int {
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

func (p *parser) syntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return p.errAt(int(se.Offset), "", "invalid JSON: %s", strings.TrimPrefix(se.Error(), "invalid character "))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errAt(len(p.data), "", "unexpected end of file (a } or ] is missing)")
	}
	return p.errAt(int(p.dec.InputOffset()), "", "invalid JSON: %v", err)
}

// value reads the next value with its offset.
func (p *parser) value() (*node, error) {
	start := p.skip(int(p.dec.InputOffset()))
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	n := &node{off: start}
	switch t := tok.(type) {
	case json.Delim:
		// value recurses once per level, and json.Decoder.Token has no depth limit of its own.
		if p.depth++; p.depth > safefile.MaxDepth {
			return nil, p.errAt(start, "", "arrays and objects nested more than %d deep, the limit", safefile.MaxDepth)
		}
		defer func() { p.depth-- }()
		switch t {
		case '{':
			n.kind, n.koff, n.vals = '{', map[string]int{}, map[string]*node{}
			for p.dec.More() {
				koff := p.skip(int(p.dec.InputOffset()))
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.syntax(err)
				}
				k, _ := kt.(string)
				if _, dup := n.vals[k]; dup {
					return nil, p.errAt(koff, "", "member %q given twice", k)
				}
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.koff[k], n.vals[k] = koff, v
			}
		case '[':
			n.kind = '['
			for p.dec.More() {
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		default:
			return nil, p.errAt(start, "", "unexpected %q", string(t))
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, p.syntax(err)
		}
	case string:
		n.kind, n.str = 's', t
	case json.Number:
		n.kind, n.num = 'n', t
	case bool:
		n.kind, n.b = 'b', t
	case nil:
		n.kind = '0'
	}
	return n, nil
}

// member is one known member of an object: its check reads the value.
type member struct {
	name  string
	check func(field string, v *node) error
}

// object checks that v is an object whose members are all known, and runs each member's
// check in file order. from names the …From members this object offers, for the message
// about an inline secret.
func (p *parser) object(field string, v *node, members []member, from []string) error {
	if v.kind != '{' {
		return p.errAt(v.off, field, "want an object, got %s", v.what())
	}
	known := map[string]member{}
	var names []string
	for _, m := range members {
		known[m.name] = m
		names = append(names, fmt.Sprintf("%q", m.name))
	}
	for _, k := range v.keys {
		sub := join(field, k)
		m, ok := known[k]
		switch {
		case ok:
			if err := m.check(sub, v.vals[k]); err != nil {
				return err
			}
		case looksSecret(k):
			return p.errAt(v.koff[k], sub, "a secret is never written in an answers file; name where it comes from instead: %s",
				suggestFrom(field, k, from))
		default:
			return p.errAt(v.koff[k], sub, "unknown member; want one of %s", strings.Join(names, ", "))
		}
	}
	return nil
}

func join(field, k string) string {
	if field == "" {
		return k
	}
	return field + "." + k
}

// secretWords are the words of a member name that suggest it holds a secret.
var secretWords = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "passphrase": true, "pass": true, "secret": true,
	"pin": true, "psk": true, "token": true, "otp": true, "totp": true, "code": true, "key": true,
	"credential": true, "credentials": true, "passcode": true,
}

// looksSecret reports whether a member name looks like it holds a secret ("password",
// "wifiKey", "mfa_code", "PIN").
func looksSecret(name string) bool {
	for _, w := range words(name) {
		if secretWords[w] {
			return true
		}
	}
	return false
}

// words splits camelCase, snake_case, kebab-case and dotted names into lower-case words.
func words(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// suggestFrom words the reference to use instead of an inline secret member k of object field.
func suggestFrom(field, k string, from []string) string {
	ws := map[string]bool{}
	for _, w := range words(k) {
		ws[w] = true
	}
	pick := ""
	switch {
	case len(from) == 1:
		pick = from[0]
	case ws["pin"]:
		pick = "pinFrom"
	case ws["code"] || ws["otp"] || ws["totp"] || ws["passcode"]:
		pick = "mfaCodeFrom"
	case field == "" && (ws["password"] || ws["pass"] || ws["passwd"] || ws["pwd"]):
		pick = "user.passwordFrom"
	case field == "" && (ws["key"] || ws["psk"] || ws["passphrase"]):
		pick = "network.keyFrom"
	}
	if pick == "" {
		pick = "…From"
	}
	return fmt.Sprintf(`"%s": {"env": "NAME"} or {"file": "PATH"}`, pick)
}

func (p *parser) str(field string, v *node) (string, error) {
	if v.kind != 's' {
		return "", p.errAt(v.off, field, "want a string, got %s", v.what())
	}
	return v.str, nil
}

func (p *parser) boolean(field string, v *node) (bool, error) {
	if v.kind != 'b' {
		return false, p.errAt(v.off, field, "want true or false, got %s", v.what())
	}
	return v.b, nil
}

var (
	klidRE = regexp.MustCompile(`^[0-9A-Fa-f]{8}$`)
	envRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// keyboard checks a KLID and returns it in upper case.
func (p *parser) keyboard(field string, v *node) (string, error) {
	s, err := p.str(field, v)
	if err != nil {
		return "", err
	}
	if !klidRE.MatchString(s) {
		return "", p.errAt(v.off, field, "want a keyboard layout ID of 8 hex digits such as \"00000409\", got %q", s)
	}
	k, ok := assets.KeyboardByKLID(s)
	if !ok {
		return "", p.errAt(v.off, field, "unknown keyboard layout %q", s)
	}
	return k.KLID, nil
}

// secret reads a {"env": NAME} or {"file": PATH} reference.
func (p *parser) secret(field string, v *node) (*SecretRef, error) {
	if v.kind != '{' {
		return nil, p.errAt(v.off, field, `want {"env": "NAME"} or {"file": "PATH"}, got %s; a secret is never written in an answers file`, v.what())
	}
	ref := &SecretRef{field: field}
	ref.line, ref.col = p.pos(v.off)
	for _, k := range v.keys {
		sub := join(field, k)
		val := v.vals[k]
		switch k {
		case "env":
			s, err := p.str(sub, val)
			if err != nil {
				return nil, err
			}
			if !envRE.MatchString(s) {
				return nil, p.errAt(val.off, sub, "want an environment variable name (letters, digits, _), got %q", s)
			}
			ref.Env = s
		case "file":
			s, err := p.str(sub, val)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(s) == "" {
				return nil, p.errAt(val.off, sub, "want a file path, got an empty string")
			}
			ref.File = s
		default:
			return nil, p.errAt(v.koff[k], sub, `a secret reference takes "env" or "file" only (never the secret itself)`)
		}
	}
	switch {
	case ref.Env == "" && ref.File == "":
		return nil, p.errAt(v.off, field, `want {"env": "NAME"} or {"file": "PATH"}`)
	case ref.Env != "" && ref.File != "":
		return nil, p.errAt(v.off, field, `give "env" or "file", not both`)
	}
	return ref, nil
}

// file checks the top-level object and builds the File.
func (p *parser) file(root *node) (*File, error) {
	f := &File{}
	secretTo := func(dst **SecretRef) func(string, *node) error {
		return func(field string, v *node) error {
			r, err := p.secret(field, v)
			*dst = r
			return err
		}
	}
	members := []member{
		{"$schema", func(field string, v *node) error {
			s, err := p.str(field, v)
			if err == nil && s != Schema {
				err = p.errAt(v.off, field, "want %q, got %q (this version of oobe reads %s files)", Schema, s, Schema)
			}
			f.Schema = s
			return err
		}},
		{"note", func(field string, v *node) (err error) {
			f.Note, err = p.str(field, v)
			return err
		}},
		{"language", func(field string, v *node) error {
			s, err := p.str(field, v)
			if err != nil {
				return err
			}
			tag, perr := language.Parse(s)
			if perr != nil || s == "" {
				return p.errAt(v.off, field, "want a language tag such as \"en-US\", got %q", s)
			}
			f.Language = tag.String()
			return nil
		}},
		{"region", func(field string, v *node) error {
			s, err := p.str(field, v)
			if err != nil {
				return err
			}
			r, ok := assets.RegionByISO(strings.ToUpper(s))
			if len(s) != 2 || !ok {
				return p.errAt(v.off, field, "want an ISO 3166 two-letter region code such as \"US\", got %q", s)
			}
			f.Region = r.ISO2
			return nil
		}},
		{"keyboard", func(field string, v *node) (err error) {
			f.Keyboard, err = p.keyboard(field, v)
			return err
		}},
		{"keyboard2", func(field string, v *node) error {
			if v.kind == 's' && v.str == "" {
				f.Keyboard2 = new(string)
				return nil
			}
			k, err := p.keyboard(field, v)
			if err != nil {
				if v.kind == 's' {
					err.(*Error).Msg += ", or \"\" to skip the second layout"
				}
				return err
			}
			f.Keyboard2 = &k
			return nil
		}},
		{"network", func(field string, v *node) error {
			n := &Network{}
			f.Network = n
			err := p.object(field, v, []member{
				{"ethernet", func(field string, v *node) (err error) {
					n.Ethernet, err = p.boolean(field, v)
					return err
				}},
				{"ssid", func(field string, v *node) error {
					s, err := p.str(field, v)
					if err != nil {
						return err
					}
					if s == "" || len(s) > 32 {
						return p.errAt(v.off, field, "want a network name of 1 to 32 bytes, got %q", s)
					}
					n.SSID = s
					return nil
				}},
				{"hidden", func(field string, v *node) (err error) {
					n.Hidden, err = p.boolean(field, v)
					return err
				}},
				{"connectAutomatically", func(field string, v *node) error {
					b, err := p.boolean(field, v)
					n.ConnectAutomatically = &b
					return err
				}},
				{"keyFrom", secretTo(&n.KeyFrom)},
			}, []string{"keyFrom"})
			if err != nil {
				return err
			}
			switch {
			case n.Ethernet && (n.SSID != "" || n.Hidden || n.KeyFrom != nil || n.ConnectAutomatically != nil):
				return p.errAt(v.off, field, `"ethernet": true takes no Wi-Fi members`)
			case !n.Ethernet && n.SSID == "":
				return p.errAt(v.off, field, `want "ssid" (the Wi-Fi network joined) or "ethernet": true`)
			}
			return nil
		}},
		{"eula", func(field string, v *node) error {
			s, err := p.str(field, v)
			if err == nil && s != "accept" {
				err = p.errAt(v.off, field, "want \"accept\", got %q (a replay never declines; leave it out to answer the page yourself)", s)
			}
			f.EULA = s
			return err
		}},
		{"user", func(field string, v *node) error {
			u := &User{}
			f.User = u
			err := p.object(field, v, []member{
				{"upn", func(field string, v *node) error {
					s, err := p.str(field, v)
					if err != nil {
						return err
					}
					if s = strings.TrimSpace(s); !strings.Contains(s, "@") || strings.HasPrefix(s, "@") || strings.HasSuffix(s, "@") {
						return p.errAt(v.off, field, "want a username such as \"name@contoso.com\", got %q", s)
					}
					u.UPN = s
					return nil
				}},
				{"passwordFrom", secretTo(&u.PasswordFrom)},
			}, []string{"passwordFrom"})
			if err == nil && u.UPN == "" {
				err = p.errAt(v.off, field, `want "upn", the username that signs in`)
			}
			return err
		}},
		{"windowsUser", func(field string, v *node) error {
			s, err := p.str(field, v)
			if err != nil {
				return err
			}
			s = strings.TrimSpace(s)
			dom, user, isDomain := strings.Cut(s, `\`)
			badDomain := isDomain && (strings.TrimSpace(dom) == "" || strings.TrimSpace(user) == "")
			badUPN := !isDomain && (!strings.Contains(s, "@") || strings.HasPrefix(s, "@") || strings.HasSuffix(s, "@"))
			if badDomain || badUPN {
				return p.errAt(v.off, field, "want DOMAIN\\user or a username such as \"name@contoso.com\", got %q", s)
			}
			f.WindowsUser = s
			return nil
		}},
		{"mfaCodeFrom", secretTo(&f.MFACodeFrom)},
		{"privacy", func(field string, v *node) error {
			f.Privacy = map[string]bool{}
			var ms []member
			for _, id := range flow.PrivacyToggles(flow.Windows10) { // Windows 10 shows them all
				ms = append(ms, member{id, func(field string, v *node) error {
					b, err := p.boolean(field, v)
					f.Privacy[id] = b
					return err
				}})
			}
			return p.object(field, v, ms, nil)
		}},
		{"pinFrom", secretTo(&f.PINFrom)},
		{"deviceName", func(field string, v *node) (err error) {
			f.DeviceName, err = p.str(field, v)
			return err
		}},
	}
	if err := p.object("", root, members, []string{"user.passwordFrom", "network.keyFrom", "mfaCodeFrom", "pinFrom"}); err != nil {
		if e, ok := err.(*Error); ok && e.Field == "" && root.kind != '{' {
			e.Msg = `want a JSON object such as {"$schema": "` + Schema + `", …}, got ` + root.what()
		}
		return nil, err
	}
	if f.Schema == "" {
		return nil, p.errAt(root.off, "$schema", "missing; want \"$schema\": %q as the version marker", Schema)
	}
	return f, nil
}

package tenant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/oobe-emu/oobe/internal/safefile"
)

// parseJSON decodes one file's text (UTF-8, no BOM) into generic values (objects as
// map[string]any, numbers as json.Number). A syntax error is returned as a finding naming the
// file and the line:column of the offending character.
func parseJSON(name string, data []byte) (any, *Finding) {
	fail := func(line, col int, format string, args ...any) (any, *Finding) {
		return nil, &Finding{Severity: SeverityError, File: name, Line: line, Column: col, Message: fmt.Sprintf(format, args...)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Finding{Severity: SeverityError, File: name, Message: "empty file, want a JSON object"}
	}
	if off := safefile.TooDeep(data, safefile.MaxDepth); off >= 0 {
		line, col := position(data, int64(off))
		return fail(line, col, "arrays and objects nested more than %d deep, the limit", safefile.MaxDepth)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			line, col := position(data, se.Offset-1)
			return fail(line, col, "%s", oneLine(se.Error()))
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, col := position(data, int64(len(data)))
			return fail(line, col, "unexpected end of JSON input")
		default:
			return nil, &Finding{Severity: SeverityError, File: name, Message: oneLine(err.Error())}
		}
	}
	// Only one value per file: anything but white space after it is an error.
	rest := data[dec.InputOffset():]
	if i := bytes.IndexFunc(rest, func(r rune) bool { return !strings.ContainsRune(" \t\r\n", r) }); i >= 0 {
		line, col := position(data, dec.InputOffset()+int64(i))
		return fail(line, col, "unexpected data after the top-level value")
	}
	return v, nil
}

// position converts a byte offset into a 1-based line and a 1-based column counted in runes.
func position(data []byte, off int64) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	start := bytes.LastIndexByte(before, '\n') + 1
	col = 1 + utf8.RuneCount(bytes.TrimSuffix(before[start:], []byte("\r")))
	return line, col
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// jsonKind names the JSON type of a generic value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

var identRE = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// keyPath appends an object key to a JSON path ($.a.b, $["@odata.type"]).
func keyPath(path, key string) string {
	if identRE.MatchString(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// indexPath appends an array index to a JSON path.
func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// lookup returns the value of key in m: an exact match first, then a case-insensitive one
// (like encoding/json). ok is false when the key is absent.
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// isAnnotation reports whether key is an OData annotation (@odata.type,
// assignments@odata.context…), tolerated everywhere.
func isAnnotation(key string) bool {
	return strings.HasPrefix(key, "@") || strings.Contains(key, "@odata.")
}

// note is one finding of the decoder, located by a JSON path.
type note struct {
	sev  Severity
	path string
	msg  string
}

// decoder copies generic JSON values into Go values by their json tags. A value of the wrong
// type is an error "path: want X, got Y"; a number given as a string (or a boolean given for a
// number) is accepted with a warning in lenient mode and an error otherwise. null and missing
// keys leave the destination unchanged (pointers stay nil). A key that is neither a field's
// json tag nor listed in the `known:"a,b"` tag of a blank field `_` is reported as
// information.
type decoder struct {
	lenient bool
	notes   []note
}

func (d *decoder) add(sev Severity, path, format string, args ...any) {
	d.notes = append(d.notes, note{sev: sev, path: path, msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) fail(path, want string, v any) {
	d.add(SeverityError, path, "want %s, got %s", want, jsonKind(v))
}

func (d *decoder) errors() int {
	n := 0
	for _, e := range d.notes {
		if e.sev == SeverityError {
			n++
		}
	}
	return n
}

// number returns v as a json.Number, accepting (leniently) a numeric string or a boolean.
func (d *decoder) number(path, want string, v any) (json.Number, bool) {
	switch x := v.(type) {
	case json.Number:
		return x, true
	case string:
		s := strings.TrimSpace(x)
		if _, err := strconv.ParseFloat(s, 64); err != nil || s == "" {
			d.add(SeverityError, path, "want %s, got string %q", want, x)
			return "", false
		}
		if !d.lenient {
			d.add(SeverityError, path, "want %s, got string %q (numbers given as strings are accepted only in lenient mode)", want, x)
			return "", false
		}
		d.add(SeverityWarning, path, "number given as a string %q; accepted in lenient mode", x)
		return json.Number(s), true
	case bool:
		if !d.lenient {
			d.fail(path, want, v)
			return "", false
		}
		n := json.Number("0")
		if x {
			n = "1"
		}
		d.add(SeverityWarning, path, "boolean %t given for a number; read as %s in lenient mode", x, n)
		return n, true
	}
	d.fail(path, want, v)
	return "", false
}

// decode copies v into dst (a settable value).
func (d *decoder) decode(path string, v any, dst reflect.Value) {
	if v == nil {
		return
	}
	switch dst.Kind() {
	case reflect.Pointer:
		n := reflect.New(dst.Type().Elem())
		before := d.errors()
		d.decode(path, v, n.Elem())
		if d.errors() == before {
			dst.Set(n)
		}
	case reflect.Interface:
		dst.Set(reflect.ValueOf(v))
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			d.fail(path, "string", v)
			return
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.fail(path, "boolean", v)
			return
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := d.number(path, "integer", v)
		if !ok {
			return
		}
		i, err := n.Int64()
		if err != nil {
			f, ferr := n.Float64()
			if ferr != nil || f != float64(int64(f)) || f > 1<<62 || f < -(1<<62) {
				d.add(SeverityError, path, "want integer, got number %s", n)
				return
			}
			i = int64(f)
		}
		if dst.OverflowInt(i) {
			d.add(SeverityError, path, "integer %s out of range", n)
			return
		}
		dst.SetInt(i)
	case reflect.Float32, reflect.Float64:
		n, ok := d.number(path, "number", v)
		if !ok {
			return
		}
		f, err := n.Float64()
		if err != nil || dst.OverflowFloat(f) {
			d.add(SeverityError, path, "number %s out of range", n)
			return
		}
		dst.SetFloat(f)
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			d.fail(path, "array", v)
			return
		}
		s := reflect.MakeSlice(dst.Type(), len(arr), len(arr))
		for i, e := range arr {
			d.decode(indexPath(path, i), e, s.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok || dst.Type().Key().Kind() != reflect.String {
			d.fail(path, "object", v)
			return
		}
		out := reflect.MakeMapWithSize(dst.Type(), len(m))
		for k, e := range m {
			ev := reflect.New(dst.Type().Elem()).Elem()
			d.decode(keyPath(path, k), e, ev)
			out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), ev)
		}
		dst.Set(out)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			d.fail(path, "object", v)
			return
		}
		d.decodeStruct(path, m, dst)
	default:
		d.add(SeverityError, path, "cannot decode into %s", dst.Type())
	}
}

func (d *decoder) decodeStruct(path string, m map[string]any, dst reflect.Value) {
	t := dst.Type()
	known := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Name == "_" {
			for _, k := range strings.Split(f.Tag.Get("known"), ",") {
				if k = strings.TrimSpace(k); k != "" {
					known[strings.ToLower(k)] = true
				}
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		known[strings.ToLower(name)] = true
		if e, ok := lookup(m, name); ok {
			d.decode(keyPath(path, name), e, dst.Field(i))
		}
	}
	var unknown []string
	for k := range m {
		if !known[strings.ToLower(k)] && !isAnnotation(k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		d.add(SeverityInfo, keyPath(path, k), "unknown key; kept in the file, not used by the emulator")
	}
}

// decodeInto decodes v into *dst and returns the decoder's findings.
func decodeInto[T any](path string, v any, dst *T, lenient bool) []note {
	d := decoder{lenient: lenient}
	d.decode(path, v, reflect.ValueOf(dst).Elem())
	return d.notes
}

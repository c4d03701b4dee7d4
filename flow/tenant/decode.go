package tenant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseJSON decodes one file into generic values (objects as map[string]any, numbers as
// json.Number). A syntax error names the file and the line:column of the offending byte.
func parseJSON(name string, data []byte) (any, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty file, want a JSON object", name)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			line, col := position(data, se.Offset-1)
			return nil, fmt.Errorf("%s:%d:%d: %s", name, line, col, oneLine(se.Error()))
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, col := position(data, int64(len(data)))
			return nil, fmt.Errorf("%s:%d:%d: unexpected end of JSON input", name, line, col)
		default:
			return nil, fmt.Errorf("%s: %s", name, oneLine(err.Error()))
		}
	}
	// Only one value per file: anything but white space after it is an error.
	rest := data[dec.InputOffset():]
	if i := bytes.IndexFunc(rest, func(r rune) bool { return !strings.ContainsRune(" \t\r\n", r) }); i >= 0 {
		line, col := position(data, dec.InputOffset()+int64(i))
		return nil, fmt.Errorf("%s:%d:%d: unexpected data after the top-level value", name, line, col)
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

// decoder copies generic JSON values into Go values by their json tags, collecting one
// "path: want X, got Y" line per value of the wrong type. null and missing keys leave the
// destination unchanged (pointers stay nil); unknown keys are ignored.
type decoder struct {
	errs []string
}

func (d *decoder) fail(path, want string, v any) {
	d.errs = append(d.errs, fmt.Sprintf("%s: want %s, got %s", path, want, jsonKind(v)))
}

// decode copies v into dst (a settable value).
func (d *decoder) decode(path string, v any, dst reflect.Value) {
	if v == nil {
		return
	}
	switch dst.Kind() {
	case reflect.Pointer:
		n := reflect.New(dst.Type().Elem())
		before := len(d.errs)
		d.decode(path, v, n.Elem())
		if len(d.errs) == before {
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
		n, ok := v.(json.Number)
		if !ok {
			d.fail(path, "integer", v)
			return
		}
		i, err := n.Int64()
		if err != nil {
			f, ferr := n.Float64()
			if ferr != nil || f != float64(int64(f)) {
				d.errs = append(d.errs, fmt.Sprintf("%s: want integer, got number %s", path, n))
				return
			}
			i = int64(f)
		}
		if dst.OverflowInt(i) {
			d.errs = append(d.errs, fmt.Sprintf("%s: integer %s out of range", path, n))
			return
		}
		dst.SetInt(i)
	case reflect.Float32, reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			d.fail(path, "number", v)
			return
		}
		f, err := n.Float64()
		if err != nil || dst.OverflowFloat(f) {
			d.errs = append(d.errs, fmt.Sprintf("%s: number %s out of range", path, n))
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
		t := dst.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if e, ok := lookup(m, name); ok {
				d.decode(keyPath(path, name), e, dst.Field(i))
			}
		}
	default:
		d.errs = append(d.errs, fmt.Sprintf("%s: cannot decode into %s", path, dst.Type()))
	}
}

// decodeInto decodes v into *dst, returning the type errors found.
func decodeInto[T any](path string, v any, dst *T) []string {
	var d decoder
	d.decode(path, v, reflect.ValueOf(dst).Elem())
	return d.errs
}

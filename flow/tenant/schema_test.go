package tenant

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

const schemaPath = "../../docs/scenario.schema.json"

func readSchema(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	return s
}

// resolve follows a local "$ref" (#/$defs/name).
func resolve(root, node map[string]any) map[string]any {
	for {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		name := strings.TrimPrefix(ref, "#/$defs/")
		node, _ = root["$defs"].(map[string]any)[name].(map[string]any)
		if node == nil {
			return map[string]any{}
		}
	}
}

// TestSchemaMatchesScenario: every json tag of sim.Scenario (and the structs inside) is a
// property of docs/scenario.schema.json with a matching type, and every property is a json
// tag; enums list the Go constants.
func TestSchemaMatchesScenario(t *testing.T) {
	root := readSchema(t)
	if root["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", root["$schema"])
	}
	props := root["properties"].(map[string]any)
	if c := props["$schema"].(map[string]any)["const"]; c != sim.ScenarioSchema {
		t.Errorf("marker const = %v, want %q", c, sim.ScenarioSchema)
	}
	enums := map[reflect.Type][]string{
		reflect.TypeFor[flow.Security]():      {string(flow.SecurityOpen), string(flow.SecurityPSK), string(flow.SecurityEnterprise)},
		reflect.TypeFor[flow.MFAMethod]():     {string(flow.MFANone), string(flow.MFAPush), string(flow.MFACode)},
		reflect.TypeFor[sim.InstallContext](): {"", string(sim.ContextDevice), string(sim.ContextUser)},
	}
	var walk func(path string, typ reflect.Type, node map[string]any)
	walk = func(path string, typ reflect.Type, node map[string]any) {
		node = resolve(root, node)
		switch typ.Kind() {
		case reflect.Struct:
			if node["type"] != "object" {
				t.Errorf("%s: schema type %v, want object", path, node["type"])
			}
			if node["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties must be false", path)
			}
			props, _ := node["properties"].(map[string]any)
			tags := map[string]bool{}
			for i := 0; i < typ.NumField(); i++ {
				f := typ.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if !f.IsExported() || name == "-" || name == "" {
					continue
				}
				tags[name] = true
				sub, ok := props[name].(map[string]any)
				if !ok {
					t.Errorf("%s: json tag %q (%s.%s) missing from the schema", path, name, typ.Name(), f.Name)
					continue
				}
				walk(path+"."+name, f.Type, sub)
			}
			for name := range props {
				if !tags[name] {
					t.Errorf("%s: schema property %q is not a json tag of %s", path, name, typ.Name())
				}
			}
			req, _ := node["required"].([]any)
			for _, r := range req {
				if !tags[r.(string)] {
					t.Errorf("%s: required %q is not a property", path, r)
				}
			}
		case reflect.Pointer: // an optional value: absent means its documented default
			walk(path, typ.Elem(), node)
		case reflect.Slice:
			if node["type"] != "array" {
				t.Errorf("%s: schema type %v, want array", path, node["type"])
			}
			walk(path+"[]", typ.Elem(), node["items"].(map[string]any))
		case reflect.String:
			if want, ok := enums[typ]; ok {
				var got []string
				for _, e := range node["enum"].([]any) {
					got = append(got, e.(string))
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: enum %q, want %q", path, got, want)
				}
				return
			}
			if _, isConst := node["const"]; node["type"] != "string" && !isConst {
				t.Errorf("%s: schema type %v, want string", path, node["type"])
			}
		case reflect.Bool:
			if node["type"] != "boolean" {
				t.Errorf("%s: schema type %v, want boolean", path, node["type"])
			}
		case reflect.Int:
			if node["type"] != "integer" {
				t.Errorf("%s: schema type %v, want integer", path, node["type"])
			}
		case reflect.Float64:
			if node["type"] != "number" {
				t.Errorf("%s: schema type %v, want number", path, node["type"])
			}
		default:
			t.Errorf("%s: Go type %s not covered by this test", path, typ)
		}
	}
	walk("$", reflect.TypeFor[sim.Scenario](), root)
	if root["required"].([]any)[0] != "$schema" {
		t.Error("the marker is not required")
	}
}

// validate checks v against a subset of JSON Schema (type, const, enum, properties, required,
// additionalProperties, items, minimum/maximum, minLength/maxLength, pattern, $ref) and returns
// one line per problem.
func validate(root, node map[string]any, path string, v any) []string {
	node = resolve(root, node)
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if c, ok := node["const"]; ok && c != v {
		bad("want %v, got %v", c, v)
	}
	if e, ok := node["enum"].([]any); ok && !slices.Contains(e, v) {
		bad("%v not in %v", v, e)
	}
	switch node["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("want object")
			return errs
		}
		props, _ := node["properties"].(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, ok := props[k].(map[string]any)
			if !ok {
				if node["additionalProperties"] == false {
					bad("unknown property %q", k)
				}
				continue
			}
			errs = append(errs, validate(root, sub, path+"."+k, m[k])...)
		}
		if req, ok := node["required"].([]any); ok {
			for _, r := range req {
				if _, ok := m[r.(string)]; !ok {
					bad("missing required %q", r)
				}
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("want array")
			return errs
		}
		for i, e := range a {
			errs = append(errs, validate(root, node["items"].(map[string]any), fmt.Sprintf("%s[%d]", path, i), e)...)
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			bad("want string")
			return errs
		}
		n := float64(len([]rune(s)))
		if m, ok := node["minLength"].(float64); ok && n < m {
			bad("shorter than %v", m)
		}
		if m, ok := node["maxLength"].(float64); ok && n > m {
			bad("longer than %v", m)
		}
		if p, ok := node["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(s) {
			bad("%q does not match %s", s, p)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("want boolean")
		}
	case "integer", "number":
		f, ok := v.(float64)
		if !ok || (node["type"] == "integer" && f != float64(int64(f))) {
			bad("want %v", node["type"])
			return errs
		}
		if m, ok := node["minimum"].(float64); ok && f < m {
			bad("below %v", m)
		}
		if m, ok := node["maximum"].(float64); ok && f > m {
			bad("above %v", m)
		}
	}
	return errs
}

// TestEmbeddedScenarioMatchesSchema: the embedded scenario.json uses only known properties
// and valid values; the validator itself catches unknown and wrong ones.
func TestEmbeddedScenarioMatchesSchema(t *testing.T) {
	root := readSchema(t)
	data, err := fs.ReadFile(assets.TenantFS, EmbeddedDir+"/scenario.json")
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	for _, e := range validate(root, root, "$", v) {
		t.Error(e)
	}
	bad := map[string]any{"$schema": "oobe-scenario/2", "wifis": []any{}, "wifi": []any{map[string]any{"ssid": "a", "signal": 9.0}},
		"users": []any{map[string]any{"upn": "x", "password": "p", "mfa": "sms"}}}
	got := validate(root, root, "$", bad)
	for _, want := range []string{`$.$schema: want oobe-scenario/1`, `$: unknown property "wifis"`, `$.wifi[0].signal: above 4`,
		`$.wifi[0]: missing required "security"`, `$.users[0].mfa: sms not in`, `$.users[0].upn: "x" does not match`} {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, want) }) {
			t.Errorf("validator misses %q: %q", want, got)
		}
	}
	// The default scenario is valid too (null, an empty slice, stands for a missing key).
	b, _ := json.Marshal(sim.DefaultScenario())
	var d map[string]any
	_ = json.Unmarshal(b, &d)
	for k, v := range d {
		if v == nil {
			delete(d, k)
		}
	}
	for _, e := range validate(root, root, "$", d) {
		t.Error(e)
	}
}

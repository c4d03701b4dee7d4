package rpc_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/invopop/jsonschema"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
)

// schemaFile is the protocol's JSON Schema, from the repository's root.
const schemaFile = "docs/backend-protocol.schema.json"

// updateEnv set to 1 makes TestSchemaUpToDate write the schema instead of comparing it
// (go generate ./flow/backend/rpc).
const updateEnv = "OOBE_UPDATE_SCHEMA"

// methods are the protocol's methods with the Go types of their params and result.
var methods = []struct {
	name           string
	params, result any
}{
	{rpc.MethodHello, rpc.Hello{}, rpc.HelloResult{}},
	{rpc.MethodBoot, rpc.Empty{}, flow.BootInfo{}},
	{rpc.MethodScan, rpc.Empty{}, rpc.ScanResult{}},
	{rpc.MethodConnect, flow.ConnectRequest{}, flow.ConnectResult{}},
	{rpc.MethodProfile, rpc.Empty{}, flow.DeviceProfile{}},
	{rpc.MethodCheckUpdates, rpc.Empty{}, rpc.StreamResult{}},
	{rpc.MethodCheckUser, rpc.UserRequest{}, rpc.Empty{}},
	{rpc.MethodSignIn, flow.Credentials{}, flow.SignInResult{}},
	{rpc.MethodWaitMFA, rpc.TicketRequest{}, rpc.Empty{}},
	{rpc.MethodVerifyCode, rpc.CodeRequest{}, rpc.Empty{}},
	{rpc.MethodEnroll, rpc.TicketRequest{}, rpc.Empty{}},
	{rpc.MethodProvision, flow.ProvisionRequest{}, rpc.StreamResult{}},
	{rpc.MethodQualityUpdates, rpc.Empty{}, rpc.StreamResult{}},
	{rpc.MethodConnectVPN, rpc.Empty{}, rpc.Empty{}},
	{rpc.MethodDeviceName, rpc.Empty{}, rpc.NameResult{}},
	{rpc.MethodReset, rpc.Empty{}, rpc.Empty{}},
	{rpc.MethodStreamNext, rpc.StreamRequest{}, rpc.NextResult{}},
	{rpc.MethodStreamClose, rpc.StreamRequest{}, rpc.Empty{}},
}

// generateSchema builds the protocol's schema from the Go types, their doc comments as
// descriptions (a field that carries a secret says SECRET).
func generateSchema(t *testing.T) []byte {
	t.Helper()
	t.Chdir(filepath.Join("..", "..", ".."))
	r := &jsonschema.Reflector{AllowAdditionalProperties: true, RequiredFromJSONSchemaTags: true}
	if err := r.AddGoComments("github.com/oobe-emu/oobe", "flow"); err != nil {
		t.Fatal(err)
	}
	defs := jsonschema.Definitions{}
	ref := func(v any) map[string]string {
		s := r.Reflect(v)
		for k, d := range s.Definitions {
			defs[k] = d
		}
		name := reflect.TypeOf(v).Name()
		return map[string]string{"$ref": "#/$defs/" + name}
	}
	type method struct {
		Params map[string]string `json:"params"`
		Result map[string]string `json:"result"`
	}
	ms := map[string]method{}
	for _, m := range methods {
		ms[m.name] = method{Params: ref(m.params), Result: ref(m.result)}
	}
	ref(flow.Event{})
	ref(rpc.ErrorData{})
	names := make([]string, 0, len(ms))
	for n := range ms {
		names = append(names, n)
	}
	sort.Strings(names)
	doc := map[string]any{
		"$schema":        "https://json-schema.org/draft/2020-12/schema",
		"$id":            "https://github.com/oobe-emu/oobe/docs/backend-protocol.schema.json",
		"title":          "oobe backend protocol " + rpc.Version,
		"description":    "The params and results of every method of the oobe backend protocol (JSON-RPC 2.0; see docs/backend-protocol.md). x-methods maps each method to its params and result; a JSON-RPC error of code -32000 carries an Error in its data. Generated from the Go types by go generate ./flow/backend/rpc: do not edit.",
		"x-methods":      ms,
		"x-method-order": names,
		"$defs":          defs,
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// TestSchemaUpToDate: docs/backend-protocol.schema.json is what the Go types give; run
// go generate ./flow/backend/rpc after changing a type of the protocol.
func TestSchemaUpToDate(t *testing.T) {
	want := generateSchema(t) // from the repository's root now
	if os.Getenv(updateEnv) == "1" {
		if err := os.WriteFile(schemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatalf("%v (go generate ./flow/backend/rpc writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the Go types give: run go generate ./flow/backend/rpc", schemaFile)
	}
	for _, m := range methods {
		if !bytes.Contains(got, []byte(`"`+m.name+`": {`)) {
			t.Errorf("the schema has no method %s", m.name)
		}
	}
	for _, secret := range []string{"SECRET: it crosses a wire only in this field and is never recorded", "SECRET: never logged"} {
		if !bytes.Contains(got, []byte(secret)) {
			t.Errorf("the schema does not mark a secret field (%q)", secret)
		}
	}
}

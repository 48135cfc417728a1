package ask

import (
	"encoding/json"
	"testing"
)

func TestSchemaBuilders(t *testing.T) {
	tests := []struct {
		name   string
		schema map[string]any
		want   string
	}{
		{"type", Type("number"), `{"type":"number"}`},
		{"enum", Enum("bug", "expected"), `{"enum":["bug","expected"],"type":"string"}`},
		{"array", Array(Type("string")), `{"items":{"type":"string"},"type":"array"}`},
		{"object: every property required, sorted, no others", Object(map[string]any{"b": Type("string"), "a": Type("integer")}),
			`{"additionalProperties":false,"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"required":["a","b"],"type":"object"}`},
		{"empty object", Object(nil), `{"additionalProperties":false,"properties":{},"required":[],"type":"object"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.schema)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("schema = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDecodeIsStrict(t *testing.T) {
	tests := []struct {
		name, content, wantErr string
	}{
		{"good", `{"n": 3}`, ""},
		{"unknown field", `{"n": 3, "m": 1}`, `json: unknown field "m"`},
		{"wrong type", `{"n": "3"}`, "json: cannot unmarshal string into Go struct field number.n of type int"},
		{"not JSON", "three", "invalid character 'h' in literal true (expecting 'r')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v number
			err := Decode(tt.content, &v)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("Decode(%q) = %q, want %q", tt.content, got, tt.wantErr)
			}
		})
	}
}

package ask

import "slices"

// The builders of JSON schemas for strict structured output: every object
// closed (additionalProperties false) with every property required, as
// OpenAI's strict mode demands. Each returns a new map.

// Object is the schema of an object with exactly props, all required; nil
// props is an object with none. The required list is sorted, so the schema
// is the same on every call.
func Object(props map[string]any) map[string]any {
	if props == nil {
		props = map[string]any{}
	}
	req := make([]string, 0, len(props))
	for k := range props {
		req = append(req, k)
	}
	slices.Sort(req)
	return map[string]any{"type": "object", "properties": props, "required": req, "additionalProperties": false}
}

// Array is the schema of an array of items.
func Array(items map[string]any) map[string]any {
	return map[string]any{"type": "array", "items": items}
}

// Type is the schema of a value of one JSON type: "string", "number",
// "integer" or "boolean".
func Type(name string) map[string]any { return map[string]any{"type": name} }

// Enum is the schema of a string that is one of values.
func Enum(values ...string) map[string]any {
	return map[string]any{"type": "string", "enum": values}
}

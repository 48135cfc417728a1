package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// Caps on tool results.
const (
	readFileLines  = 200
	searchMatches  = 40
	listEntries    = 200
	symbolMatches  = 20
	maxResultBytes = 12 << 10
)

// tool is one read-only function the model may call.
type tool struct {
	decl llm.Tool
	// run answers a call. A malformed call (arguments that do not decode
	// into the declared shape) returns a non-nil malformed error; a call
	// the workspace refuses or cannot answer returns its result text.
	run func(ctx context.Context, ws *workspace.Workspace, args []byte) (result, error)
}

// result is a tool's answer: a header of ours, the data it read (to be
// fenced), and notes of ours on what was cut.
type result struct {
	Header, Data string
	Notes        []string
}

// errorResult is a refusal or failure the model is told about.
func errorResult(format string, args ...any) result {
	return result{Header: "error: " + fmt.Sprintf(format, args...)}
}

// toolSet is the read-only tools, in the order they are declared.
var toolSet = []tool{readFileTool, searchTool, listDirTool, findSymbolTool, historyTool, testsForTool}

// toolDecls returns the tool declarations sent with each loop request.
func toolDecls() []llm.Tool {
	out := make([]llm.Tool, len(toolSet))
	for i, t := range toolSet {
		out[i] = t.decl
	}
	return out
}

// findTool returns the tool called name.
func findTool(name string) (tool, bool) {
	for _, t := range toolSet {
		if t.decl.Name == name {
			return t, true
		}
	}
	return tool{}, false
}

// object is the JSON schema of an arguments object.
func object(required []string, props map[string]any) map[string]any {
	if required == nil {
		required = []string{}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func prop(typ, desc string) map[string]any { return map[string]any{"type": typ, "description": desc} }

// decodeArgs decodes a call's arguments strictly into v: valid JSON, one
// object, no unknown fields. An empty string counts as {}.
func decodeArgs(args []byte, v any) error {
	args = bytes.TrimSpace(args)
	if len(args) == 0 {
		args = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(args))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("arguments are not the JSON object declared: %w", err)
	}
	if dec.More() {
		return errors.New("arguments hold more than one JSON value")
	}
	return nil
}

// required reports a missing required string argument.
func required(name, v string) error {
	if v == "" {
		return fmt.Errorf("argument %q is required", name)
	}
	return nil
}

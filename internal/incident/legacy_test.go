package incident_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// TestTopLevelStack covers events whose frames sit in a top-level
// stacktrace, as sentry-elixir before 10 and raven sent them: the stack
// belongs to the only exception when that exception has none of its own.
func TestTopLevelStack(t *testing.T) {
	const stack = `"stacktrace":{"frames":[{"filename":"lib/a.ex","function":"A.f/1","lineno":3,"in_app":true}]}`
	top := []incident.Frame{{File: "lib/a.ex", Line: 3, Function: "A.f/1", InApp: true}}
	own := []incident.Frame{{File: "lib/own.ex", Line: 9, InApp: true}}
	tests := []struct {
		name       string
		input      string
		wantType   string
		wantFrames []incident.Frame
	}{
		{
			name:       "bare exception list",
			input:      `{"platform":"elixir","exception":[{"type":"RuntimeError","value":"v","module":null}],` + stack + `}`,
			wantType:   "RuntimeError",
			wantFrames: top,
		},
		{
			name:       "exception values",
			input:      `{"exception":{"values":[{"type":"E","value":"v"}]},` + stack + `}`,
			wantType:   "E",
			wantFrames: top,
		},
		{
			name:       "legacy interface keys",
			input:      `{"sentry.interfaces.Exception":[{"type":"E"}],"sentry.interfaces.Stacktrace":{"frames":[{"filename":"lib/a.ex","function":"A.f/1","lineno":3,"in_app":true}]}}`,
			wantType:   "E",
			wantFrames: top,
		},
		{
			name:       "the exception's own stack wins",
			input:      `{"exception":[{"type":"E","stacktrace":{"frames":[{"filename":"lib/own.ex","lineno":9,"in_app":true}]}}],` + stack + `}`,
			wantType:   "E",
			wantFrames: own,
		},
		{
			name:       "two exceptions: the top-level stack is nobody's",
			input:      `{"exception":[{"type":"Cause"},{"type":"E"}],` + stack + `}`,
			wantType:   "E",
			wantFrames: []incident.Frame{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := incident.Parse([]byte(tt.input), incident.FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := inc.Type, tt.wantType; got != want {
				t.Errorf("type = %q, want %q", got, want)
			}
			if diff := cmp.Diff(tt.wantFrames, inc.Frames); diff != "" {
				t.Errorf("frames mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

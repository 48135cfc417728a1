package agent

import (
	"strings"
	"testing"
)

// TestAnswerRegressionTest checks what the answer's regression test must
// be: in a file an edit changes, whether the test is new, a new case of an
// existing table or new assertions in an existing test.
func TestAnswerRegressionTest(t *testing.T) {
	const fix = `{"file":"decode_hooks.go","old":"data.(string)","new":"str"}`
	tests := []struct {
		name, edits, test, wantErr string
	}{
		{"a new test function", fix + `,{"file":"a_test.go","old":"","new":"func TestNew(t *testing.T) {}\n"}`, `{"file":"a_test.go","name":"TestNew"}`, ""},
		{"a new row of an existing table", fix + `,{"file":"decode_hooks_test.go","old":"\t}\n\tfor i, tc := range cases {","new":"\t\t{json.Number(\"42\"), 42},\n\t}\n\tfor i, tc := range cases {"}`,
			`{"file":"decode_hooks_test.go","name":"TestTextUnmarshallerHookFunc"}`, ""},
		{"a subtest path", fix + `,{"file":"x_test.go","old":"{\"a\", 1},","new":"{\"a\", 1},\n{\"empty input\", 0},"}`, `{"file":"x_test.go","name":"TestParse/empty_input"}`, ""},
		{"a test in a file no edit changes", fix + `,{"file":"a_test.go","old":"","new":"func TestNew(t *testing.T) {}\n"}`, `{"file":"b_test.go","name":"TestOld"}`,
			"no edit changes b_test.go"},
		{"only the test", `{"file":"a_test.go","old":"","new":"func TestNew(t *testing.T) {}\n"}`, `{"file":"a_test.go","name":"TestNew"}`, "the fix itself is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := `{"diagnosis":{"crash_frame":"a","cause_frame":"b","root_cause":"c","why_not_symptom":"d","evidence":[],"confidence":0.9},` +
				`"edits":[` + tt.edits + `],"regression_test":` + tt.test + `,"title":"t"}`
			_, err := parseAnswer(content)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("parseAnswer() = %v, want no error", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("parseAnswer() = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}

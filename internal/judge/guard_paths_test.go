package judge

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// TestGuardPathCase checks that protected paths are matched ignoring
// case, as patch.ProtectedBy matches them, and allowed paths exactly.
func TestGuardPathCase(t *testing.T) {
	tests := []struct {
		name, path string
		allowed    []string
		want       []string
	}{
		{name: "upper-case Makefile", path: "MAKEFILE",
			want: []string{`MAKEFILE:0: protected-path: MAKEFILE matches the protected pattern "**/Makefile"`}},
		{name: "mixed-case workflow", path: ".GitHub/workflows/x.yml",
			want: []string{`.GitHub/workflows/x.yml:0: protected-path: .GitHub/workflows/x.yml matches the protected pattern ".github/**"`}},
		{name: "lower-case CODEOWNERS in docs", path: "docs/codeowners",
			want: []string{`docs/codeowners:0: protected-path: docs/codeowners matches the protected pattern "**/CODEOWNERS"`}},
		{name: "conftest in tests", path: "tests/conftest.py",
			want: []string{`tests/conftest.py:0: protected-path: tests/conftest.py matches the protected pattern "**/conftest.py"`}},
		{name: "ordinary source", path: "src/conftest_helpers.py"},
		{name: "allowed matched exactly", path: "Internal/x.go", allowed: []string{"internal/**"},
			want: []string{"Internal/x.go:0: outside-allowed: Internal/x.go is outside the allowed paths"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := GuardInput{Diff: fileDiffText(tt.path, "+", "x\n"), Protected: patch.DefaultProtected(), Allowed: tt.allowed}
			if diff := cmp.Diff(tt.want, findingStrings(t, in)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

package judge

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/google/go-cmp/cmp"
)

// TestGuardShapes runs the guards over testdata/guards/shapes/*.diff:
// small diffs written to reproduce the shape of real code, each cited in
// testdata/guards/README.md. want lists every finding, notes included; a
// case without a Stop finding is one the guards let through to the judge.
func TestGuardShapes(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{name: "go-recover-zero-error", want: []string{
			"decode/hooks.go:13: swallowed-error: recover() sets the error to nil: the panic becomes a success",
		}},
		{name: "go-recover-nil-nil", want: []string{
			"decode.go:6: swallowed-error: recover() sets the error to nil: the panic becomes a success",
		}},
		// The same zeroing, but only the recover block's body changed: with
		// three lines of context the recover() line is outside the hunk, so
		// no rule sees it. A diff with function context shows it.
		{name: "go-recover-nil-nil-partial"},
		{name: "go-recover-nil-nil-function-context", want: []string{
			"parse.go:5: swallowed-error: recover() sets the error to nil: the panic becomes a success",
		}},
		{name: "go-recover-to-error"},
		{name: "py-except-swallowed", want: []string{
			"src/pydash/objects.py:4: swallowed-error: except Exception neither re-raises nor logs: it hides every error, not only the one in the incident",
			"src/pydash/objects.py:11: swallowed-error: except AttributeError only passes and nothing defined follows: the error vanishes",
			"src/pydash/objects.py:19: swallowed-error: except IndexError only passes and nothing defined follows: the error vanishes",
			"src/pydash/objects.py:27: swallowed-error: except (TypeError, ValueError) returns None: the caller gets None as if the call had worked",
		}},
		{name: "py-narrow-except-fallback", want: []string{
			"src/pydash/helpers.py:5: caught-with-fallback (note): except TypeError passes and falls through to: return count",
			"src/pydash/helpers.py:13: caught-with-fallback (note): except (KeyError, IndexError) falls back to: exists = False",
			"src/pydash/helpers.py:22: caught-with-fallback (note): except ValueError passes and falls through to: the try's else: clause",
		}},
		{name: "js-catch-swallowed", want: []string{
			"index.js:6: swallowed-error: catch that only returns nothing swallows the error: the caller gets nothing as if the call had worked",
			"index.js:12: swallowed-error: .catch with an empty handler swallows the rejection",
		}},
		{name: "js-catch-fallback", want: []string{
			"index.js:5: caught-with-fallback (note): catch neither rethrows nor logs; it falls back to: return key",
		}},
	}
	var names []string
	for _, tt := range tests {
		names = append(names, tt.name)
	}
	slices.Sort(names)
	if diff := cmp.Diff(shapeFiles(t), names); diff != "" {
		t.Errorf("shape fixtures (-on disk +in the table):\n%s", diff)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := GuardInput{Diff: readDiff(t, "shapes", tt.name+".diff"), Protected: patch.DefaultProtected()}
			if diff := cmp.Diff(tt.want, findingStrings(t, in)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// shapeFiles lists the fixtures under testdata/guards/shapes by stem.
func shapeFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(guardsDir + "/shapes")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if stem, ok := strings.CutSuffix(e.Name(), ".diff"); ok {
			out = append(out, stem)
		}
	}
	slices.Sort(out)
	return out
}

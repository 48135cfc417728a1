package judge

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// TestGuardShapes runs the guards over testdata/guards/shapes/*.diff:
// small diffs written to reproduce the shape of real code, each cited in
// testdata/guards/README.md. want lists every finding, notes included; a
// case without a Stop finding is one the guards let through to the judge.
func TestGuardShapes(t *testing.T) {
	tests := []struct {
		name string
		// frames are the incident's frame lines, for the scope rules.
		frames map[string][]int
		want   []string
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
		{name: "test-assert-edited", want: []string{
			"tests/test_dicttoxml.py:3: edited-assertion (note): edits an existing assertion: self.assertEqual(unparse({\"a\": True}, full_document=False), '<a>True</a>') → self.assertEqual(unparse({\"a\": True}, full_document=False), '<a>true</a>')",
		}},
		{name: "test-assert-inverted", want: []string{
			"error_test.go:8: weakened-assertion: inverts an existing assertion: if have := err.ErrorWithUsage(); have != want { → if have := err.ErrorWithUsage(); have == want {",
			"error_test.go:15: weakened-assertion: inverts an existing assertion: if err := NewEncoder(buf).Encode(nest); err != nil { → if err := NewEncoder(buf).Encode(nest); err == nil {",
			"error_test.go:22: weakened-assertion: inverts an existing assertion: assert.NoError(t, err) → assert.Error(t, err)",
			"test/fuzzy-search.test.js:6: weakened-assertion: inverts an existing assertion: expect(result[0].refIndex).toBe(0) → expect(result[0].refIndex).not.toBe(0)",
			"tests/test_dicttoxml.py:3: weakened-assertion: inverts an existing assertion: self.assertTrue(xml_declaration_re.match(unparse({\"a\": 1}))) → self.assertFalse(xml_declaration_re.match(unparse({\"a\": 1})))",
			"tests/test_dicttoxml.py:8: weakened-assertion: inverts an existing assertion: self.assertEqual(xml, expected_xml) → self.assertNotEqual(xml, expected_xml)",
		}},
		{name: "test-assert-loosened", want: []string{
			"score_test.go:4: weakened-assertion: loosens the tolerance of an existing assertion: assert.InDelta(t, 0.5, Score(\"ab\", \"abc\"), 0.001) → assert.InDelta(t, 0.5, Score(\"ab\", \"abc\"), 0.1)",
			"test/score.test.js:2: weakened-assertion: loosens the tolerance of an existing assertion: expect(result[0].score).toBeCloseTo(0.5, 5) → expect(result[0].score).toBeCloseTo(0.5, 1)",
			"tests/test_score.py:3: weakened-assertion: loosens the tolerance of an existing assertion: self.assertAlmostEqual(ratio(\"ab\", \"abc\"), 0.6666667, places=7) → self.assertAlmostEqual(ratio(\"ab\", \"abc\"), 0.6666667, places=2)",
			"tests/test_score.py:7: weakened-assertion: loosens the tolerance of an existing assertion: assert column_width([\"1.5\"]) == pytest.approx(7.5, rel=1e-6) → assert column_width([\"1.5\"]) == pytest.approx(7.5, rel=0.1)",
		}},
		{name: "test-assert-removed", want: []string{
			"tests/test_dicttoxml.py:3: removed-assertions: removes 2 assertion(s) with nothing in their place, first: self.assertEqual(xml, expected_xml)",
		}},
		{name: "test-assert-weakened", want: []string{
			"error_test.go:6: weakened-assertion: trades an exact check for a looser one: if have := err.ErrorWithUsage(); have != want { → if have := err.ErrorWithUsage(); !strings.Contains(have, want) {",
			"test/fuzzy-search.test.js:6: weakened-assertion: trades an exact check for a looser one: expect(result).toHaveLength(2) → expect(result.length).toBeGreaterThan(0)",
			"tests/test_dicttoxml.py:4: weakened-assertion: trades an exact check for a looser one: self.assertEqual(xml, expected_xml) → self.assertIn('<x>', xml)",
		}},
		{name: "test-new-cases"},
		{name: "test-skip-added", want: []string{
			"test.js:2: skipped-test: skips or narrows tests: xit('should return the value under shallow object', function() {",
			"test/fuzzy-search.test.js:2: skipped-test: skips or narrows tests: test.skip('we get a list of exactly 1 item', () => {",
			"test/test_textwrapper.py:2: skipped-test: skips or narrows tests: skip(\"datetime wrapping is unstable\")",
			"test/test_textwrapper.py:9: skipped-test: skips or narrows tests: pytest.skip(\"None cells crash\")",
		}},
		{name: "scope-new-helper", frames: map[string][]int{"xmltodict.py": {166}, "encode.go": {159}}},
		{name: "scope-far-edit", frames: map[string][]int{"xmltodict.py": {168}}, want: []string{
			"xmltodict.py:3: far-from-frames: change at base line 3 is 165 lines from the nearest frame line (168), over 80",
			"xmltodict.py:92: far-from-frames: change at base line 86 is 82 lines from the nearest frame line (168), over 80",
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
			in := GuardInput{Diff: readDiff(t, "shapes", tt.name+".diff"), Protected: patch.DefaultProtected(), FrameLines: tt.frames}
			for f := range tt.frames {
				in.FrameFiles = append(in.FrameFiles, f)
			}
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

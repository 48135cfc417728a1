package judge

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// editText returns the diff git writes when the first line of a file at
// path changes from before to after; rest are context lines after it.
func editText(path, before, after string, rest ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "diff --git a/%s b/%s\nindex 1111111..2222222 100644\n--- a/%s\n+++ b/%s\n", path, path, path, path)
	fmt.Fprintf(&b, "@@ -1,%d +1,%d @@\n-%s\n+%s\n", len(rest)+1, len(rest)+1, before, after)
	for _, l := range rest {
		b.WriteString(" " + l + "\n")
	}
	return b.String()
}

// TestAssertionEdits covers one-line edits of an existing assertion: the
// rule each must trigger ("" for none) and whether it stops.
func TestAssertionEdits(t *testing.T) {
	tests := []struct {
		name, path, before, after string
		rest                      []string
		rule                      string
		stop                      bool
	}{
		{name: "testify NotEqual to Equal", path: "a_test.go", before: "\tassert.NotEqual(t, a, b)", after: "\tassert.Equal(t, a, b)", rule: ruleWeakened, stop: true},
		{name: "testify Nil to NotNil", path: "a_test.go", before: "\trequire.Nil(t, err)", after: "\trequire.NotNil(t, err)", rule: ruleWeakened, stop: true},
		{name: "go negated DeepEqual", path: "a_test.go", before: "\tif !reflect.DeepEqual(got, want) {", after: "\tif reflect.DeepEqual(got, want) {",
			rest: []string{"\t\tt.Errorf(\"got %v\", got)", "\t}"}, rule: ruleWeakened, stop: true},
		{name: "go if without a failure is not an assertion", path: "a_test.go", before: "\tif err != nil {", after: "\tif err == nil {",
			rest: []string{"\t\treturn", "\t}"}},
		{name: "go failure message reworded", path: "a_test.go", before: "\t\tt.Fatal(err)", after: "\t\tt.Fatalf(\"load: %v\", err)"},
		{name: "go expected value changed", path: "a_test.go", before: "\tassert.Equal(t, 3, n)", after: "\tassert.Equal(t, 4, n)", rule: ruleEdited},
		{name: "pytest == to !=", path: "tests/test_a.py", before: "    assert a == b", after: "    assert a != b", rule: ruleWeakened, stop: true},
		{name: "pytest in to not in", path: "tests/test_a.py", before: "    assert 'x' in out", after: "    assert 'x' not in out", rule: ruleWeakened, stop: true},
		{name: "pytest assert to assert not", path: "tests/test_a.py", before: "    assert ok", after: "    assert not ok", rule: ruleWeakened, stop: true},
		{name: "pytest is None to is not None", path: "tests/test_a.py", before: "    assert v is None", after: "    assert v is not None", rule: ruleWeakened, stop: true},
		{name: "unittest IsNone to IsNotNone", path: "tests/test_a.py", before: "        self.assertIsNone(v)", after: "        self.assertIsNotNone(v)", rule: ruleWeakened, stop: true},
		{name: "unittest delta grown", path: "tests/test_a.py", before: "        self.assertAlmostEqual(a, b, delta=0.01)", after: "        self.assertAlmostEqual(a, b, delta=0.5)", rule: ruleWeakened, stop: true},
		{name: "unittest places raised", path: "tests/test_a.py", before: "        self.assertAlmostEqual(a, b, places=2)", after: "        self.assertAlmostEqual(a, b, places=7)", rule: ruleEdited},
		{name: "pytest approx abs grown", path: "tests/test_a.py", before: "    assert a == pytest.approx(b, abs=1e-9)", after: "    assert a == pytest.approx(b, abs=1e-3)", rule: ruleWeakened, stop: true},
		{name: "pytest equality to approx", path: "tests/test_a.py", before: "    assert a == 0.5", after: "    assert a == pytest.approx(0.5)", rule: ruleWeakened, stop: true},
		{name: "pytest expected string changed", path: "tests/test_a.py", before: "    assert out == 'true'", after: "    assert out == 'True'", rule: ruleEdited},
		{name: "node assert equal to notEqual", path: "test/a.js", before: "    assert.equal(a, b)", after: "    assert.notEqual(a, b)", rule: ruleWeakened, stop: true},
		{name: "node doesNotThrow to throws", path: "test/a.js", before: "    assert.throws(fn)", after: "    assert.doesNotThrow(fn)", rule: ruleWeakened, stop: true},
		{name: "chai to.equal to to.not.equal", path: "test/a.js", before: "    expect(a).to.equal(b);", after: "    expect(a).to.not.equal(b);", rule: ruleWeakened, stop: true},
		{name: "chai deep.equal to include", path: "test/a.js", before: "    expect(a).to.deep.equal(b);", after: "    expect(a).to.include(b);", rule: ruleWeakened, stop: true},
		{name: "jest toBeTruthy to toBeFalsy", path: "a.test.js", before: "  expect(ok).toBeTruthy()", after: "  expect(ok).toBeFalsy()", rule: ruleWeakened, stop: true},
		{name: "jest toEqual to toBeDefined", path: "a.test.js", before: "  expect(r).toEqual({a: 1})", after: "  expect(r).toBeDefined()", rule: ruleWeakened, stop: true},
		{name: "jest toThrow to not.toThrow", path: "a.test.js", before: "  expect(fn).toThrow()", after: "  expect(fn).not.toThrow()", rule: ruleWeakened, stop: true},
		{name: "not a test file", path: "src/a.js", before: "  assert.equal(a, b)", after: "  assert.notEqual(a, b)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := Guard(GuardInput{Diff: editText(tt.path, tt.before, tt.after, tt.rest...)})
			if err != nil {
				t.Fatal(err)
			}
			checkRules(t, fs, tt.rule, tt.stop)
		})
	}
}

// TestAssertionPairing checks which added line an edited assertion is
// compared with when its change block adds several.
func TestAssertionPairing(t *testing.T) {
	tests := []struct {
		name, path, diff string
		rule             string
		stop             bool
	}{
		{name: "edited value next to a new negative check", path: "a_test.go",
			diff: "@@ -1,1 +1,2 @@\n-\tassert.Equal(t, 3, len(x))\n+\tassert.NotNil(t, x)\n+\tassert.Equal(t, 4, len(x))\n",
			rule: ruleEdited},
		{name: "expected value on a continuation line", path: "tests/test_a.py",
			diff: "@@ -1,2 +1,2 @@\n     self.assertEqual(unparse({\"a\": 1}),\n-                     '<a>1</a>')\n+                     '<a>2</a>')\n",
			rule: ruleEdited},
		{name: "a call after a complete assertion is not a continuation", path: "tests/test_a.py",
			diff: "@@ -1,3 +1,3 @@\n     assert x == 1\n     run(\n-        1)\n+        2)\n"},
		{name: "inverted next to an unrelated new check", path: "tests/test_a.py",
			diff: "@@ -1,1 +1,2 @@\n-    self.assertTrue(ok)\n+    self.assertEqual(n, 2)\n+    self.assertFalse(ok)\n",
			rule: ruleWeakened, stop: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := "diff --git a/" + tt.path + " b/" + tt.path + "\nindex 1111111..2222222 100644\n--- a/" + tt.path + "\n+++ b/" + tt.path + "\n"
			fs, err := Guard(GuardInput{Diff: head + tt.diff})
			if err != nil {
				t.Fatal(err)
			}
			checkRules(t, fs, tt.rule, tt.stop)
		})
	}
}

// checkRules checks that fs is one finding of rule, stopping or not.
func checkRules(t *testing.T, fs []Finding, rule string, stop bool) {
	t.Helper()
	var rules []string
	for _, f := range fs {
		rules = append(rules, f.Rule)
		if got := f.Severity == Stop; got != stop {
			t.Errorf("%s: stops = %v, want %v", f, got, stop)
		}
	}
	var want []string
	if rule != "" {
		want = []string{rule}
	}
	if diff := cmp.Diff(want, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s\nfindings: %v", diff, fs)
	}
}

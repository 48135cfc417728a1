package eval

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/agent"
	"github.com/dawnpatch/dawnpatch/internal/judge"
	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// tinyCorpus is a corpus of one bug folder in the real-world corpus's
// shape, written for these tests.
var tinyCorpus = filepath.Join("testdata", "realworld")

func TestLoadRealworldAndScript(t *testing.T) {
	bugs, err := LoadRealworld(tinyCorpus)
	if err != nil {
		t.Fatal(err)
	}
	if len(bugs) != 1 {
		t.Fatalf("got %d bugs, want 1", len(bugs))
	}
	b := bugs[0]
	if got, want := [4]string{b.Name, b.Lang, b.TestFiles, b.TestCmd},
		[4]string{"go-shop-nilcode", "go", "*_test.go", "go test -count=1 -run 'TestPriceUnknownCode$' ./discount"}; got != want {
		t.Errorf("bug = %q, want %q", got, want)
	}
	scenarios, cases, err := RealScenarios(bugs)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cases {
		ids = append(ids, c.ID())
	}
	if diff := cmp.Diff([]string{"go-shop-nilcode/upstream", "go-shop-nilcode/swallow"}, ids); diff != "" {
		t.Errorf("cases (-want +got):\n%s", diff)
	}
	up := scenarios[0]
	if up.Kind != KindGood || !up.SpareTurns || !strings.Contains(up.Policy, `environments: ["production","corpus"]`) ||
		!strings.Contains(up.Policy, "max_attempts: 1") {
		t.Errorf("upstream scenario: kind %s, spare turns %v, policy:\n%s", up.Kind, up.SpareTurns, up.Policy)
	}
	var dispatch struct {
		Action        string
		ClientPayload struct {
			Event struct {
				EventID string `json:"event_id"`
			}
		} `json:"client_payload"`
	}
	if err := json.Unmarshal(up.Dispatch, &dispatch); err != nil || dispatch.Action != "sentry-issue" ||
		dispatch.ClientPayload.Event.EventID != "5f0c2a9e8b7d4c1e9a3b6d2f4e8c1a70" {
		t.Errorf("dispatch = %s (%v), want the event wrapped as a sentry-issue dispatch", up.Dispatch, err)
	}
	checkScript(t, up)
}

// checkScript checks the three turns: the gate says bug, the fixer answers
// with the diff's edits, the judge approves.
func checkScript(t *testing.T, s *Scenario) {
	t.Helper()
	if len(s.Script) != 3 {
		t.Fatalf("%d turns, want gate, fixer and judge", len(s.Script))
	}
	var gate struct {
		Verdict    string
		Confidence float64
	}
	var a agent.Answer
	var v judge.Verdict
	for i, dst := range []any{&gate, &a, &v} {
		if err := json.Unmarshal(s.Script[i].JSON, dst); err != nil {
			t.Fatalf("turn %d: %v", i, err)
		}
	}
	if gate.Verdict != "bug" || gate.Confidence != 0.9 {
		t.Errorf("gate = %+v, want bug at 0.9", gate)
	}
	wantEdits := []patch.Edit{
		{File: "discount/discount.go",
			Old: "}\n\n// Price returns the price in cents of an order of cents after the\n// discount code names; an empty code is no discount.\nfunc Price(cents int, code string) int {\n\tif code == \"\" {\n\t\treturn cents\n\t}\n\td := codes[code]\n\treturn cents - cents*d.Percent/100\n}\n",
			New: "}\n\n// Price returns the price in cents of an order of cents after the\n// discount code names; an empty or unknown code is no discount.\nfunc Price(cents int, code string) int {\n\tif code == \"\" {\n\t\treturn cents\n\t}\n\td, ok := codes[code]\n\tif !ok {\n\t\treturn cents // a code the shop does not know is no discount\n\t}\n\treturn cents - cents*d.Percent/100\n}\n"},
	}
	if diff := cmp.Diff(wantEdits, a.Edits[:1]); diff != "" {
		t.Errorf("the fix's edit (-want +got):\n%s", diff)
	}
	if got, want := a.RegressionTest, (agent.TestRef{File: "discount/discount_test.go", Name: "TestPriceUnknownCode"}); got != want {
		t.Errorf("regression test = %+v, want %+v", got, want)
	}
	if !strings.HasPrefix(a.Diagnosis.CrashFrame, "`panic: runtime error: invalid memory address") ||
		!strings.HasPrefix(a.Diagnosis.RootCause, "Root cause and crash frame are the same line") || a.Diagnosis.Confidence != 0.9 {
		t.Errorf("diagnosis = %+v, want the README's crash and cause", a.Diagnosis)
	}
	if len(v.Scores) != len(judge.Criteria) || !v.Accepts(0.9) {
		t.Errorf("judge = %+v, want every criterion scored high and approved", v)
	}
}

func TestReadBugEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bug.env")
	text := "# a comment\nBUG_LANG=js\nTEST_FILES='test/*'\nTEST_CMD=\"MODE=dev ./node_modules/.bin/jest t.js -t 'word size'\"\n" +
		"SUITE_CMD=\"go test -run 'TestX\\$' .\"\n\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readBugEnv(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"BUG_LANG": "js", "TEST_FILES": "test/*",
		"TEST_CMD": "MODE=dev ./node_modules/.bin/jest t.js -t 'word size'", "SUITE_CMD": "go test -run 'TestX$' ."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bug.env (-want +got):\n%s", diff)
	}
	if err := os.WriteFile(path, []byte("TEST_CMD=go test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readBugEnv(path); err == nil || !strings.Contains(err.Error(), "bug.env:1") {
		t.Errorf("two words unquoted: err = %v, want one naming the line", err)
	}
}

func TestTestName(t *testing.T) {
	tests := []struct{ name, cmd, want string }{
		{"go -run anchored", "go test -count=1 -run 'TestParseError$' .", "TestParseError"},
		{"go -run both anchors", "go test -run '^TestX$' ./...", "TestX"},
		{"pytest -k", "/usr/bin/python3 -m pytest -q tests/test_a.py -k test_merge", "test_merge"},
		{"mocha -g", "./node_modules/.bin/mocha test.js -g 'null prototype'", "null prototype"},
		{"jest -t after a variable", "MODE=dev ./node_modules/.bin/jest t.js -t 'machine word size'", "machine word size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := testName(tt.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("testName(%q) = %q, want %q", tt.cmd, got, tt.want)
			}
		})
	}
	if _, err := testName("npm test"); err == nil {
		t.Error("a command naming no test: want an error")
	}
}

func TestDefineTests(t *testing.T) {
	js := "suite('Unflatten', function() {\n  test('Overwrite', function() {\n  })\n})\n" +
		"describe('get', function() {\n  it(\n    'should not fail on a \\'null\\' prototype',\n    function () {}\n  );\n" +
		"  describe(\"deep\", () => {\n    test(`works`, () => {})\n  })\n  it('after deep', () => {})\n})\n" +
		"// describe('commented', () => {\n"
	py := "class T(unittest.TestCase):\n    def test_method(self):\n        pass\n\ndef test_function():\n    pass\ndef helper():\n    pass\n"
	goSrc := "func TestA(t *testing.T) {}\nfunc helper() {}\nfunc TestB(t *testing.T) {}\n"
	tests := []struct {
		name, lang, text string
		want             []definedTest
	}{
		{"mocha and jest titles under their suites", "js", js, []definedTest{
			{"Unflatten Overwrite", 2}, {"get should not fail on a 'null' prototype", 6}, {"get deep works", 11}, {"get after deep", 13}}},
		{"python functions and methods", "python", py, []definedTest{{"test_method", 2}, {"test_function", 5}}},
		{"go test functions", "go", goSrc, []definedTest{{"TestA", 1}, {"TestB", 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, defineTests(tt.lang, tt.text), cmp.AllowUnexported(definedTest{})); diff != "" {
				t.Errorf("tests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseKnown(t *testing.T) {
	text := "# x\n\n## Known failures\n\n| case | rubric line | why |\n|---|---|---|\n" +
		"| `go-a/symptom` | `root_cause`: the change addresses the root cause, not the symptom one frame below it; | its test passes |\n" +
		"\n## Later\n| `x/y` | nonsense | no |\n"
	got, err := ParseKnown(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []KnownFailure{{Case: "go-a/symptom", Criterion: "root_cause",
		Rubric: "`root_cause`: the change addresses the root cause, not the symptom one frame below it;", Why: "its test passes"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("known (-want +got):\n%s", diff)
	}
	bad := []struct{ name, row, want string }{
		{"unknown criterion", "| `a/b` | `politeness`: be nice | x |", "must start with a judge criterion"},
		{"no case name", "| `a` | `root_cause`: x | x |", `case "a": want bug/case`},
		{"two cells", "| `a/b` | `root_cause`: x |", "want 3 cells"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseKnown("## Known failures\n| case | rubric | why |\n|-|-|-|\n" + tt.row + "\n")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestTheKnownFailuresQuoteTheJudge checks that every rubric line of
// docs/realworld.md is quoted word for word from the judge's prompt.
func TestTheKnownFailuresQuoteTheJudge(t *testing.T) {
	known, err := ReadKnown(filepath.Join("..", "..", "docs", "realworld.md"))
	if err != nil {
		t.Fatal(err)
	}
	prompt, err := os.ReadFile(filepath.Join("..", "judge", "prompts", "judge.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range known {
		if !strings.Contains(string(prompt), "\n- "+k.Rubric+"\n") {
			t.Errorf("%s: the rubric line %q is not a line of the judge's prompt", k.Case, k.Rubric)
		}
	}
}

func TestRealScore(t *testing.T) {
	b := &Bug{Name: "go-a"}
	cases := []RealCase{{Bug: b, Name: "upstream", Upstream: true}, {Bug: b, Name: "swallow"}, {Bug: b, Name: "symptom"},
		{Bug: b, Name: "invented"}, {Bug: b, Name: "weakened"}}
	results := []Result{{Got: "skipped/no-patch", ModelCalls: 3}, {Got: "skipped/guard-rejected", ModelCalls: 2},
		{Got: "pr-opened/pr-opened", ModelCalls: 3}, {Got: "pr-opened/pr-opened"}, {Got: "skipped/not-reproduced"}}
	known := []KnownFailure{{Case: "go-a/symptom", Criterion: "root_cause"}, {Case: "go-a/weakened", Criterion: "test_exercises_path"}}
	rep := RealScore(cases, results, known)
	var got []string
	for _, r := range rep.Cases {
		got = append(got, r.Case+": "+r.Verdict+" "+r.passMark())
	}
	want := []string{"upstream: no PR: no-patch MISS", "swallow: stopped by guard-rejected ok",
		"symptom: REACHED A PR (known: root_cause) known", "invented: REACHED A PR FAIL", "weakened: stopped by not-reproduced ok"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
	wantTotals := RealTotals{UpstreamTotal: 1, WrongStopped: 2, WrongTotal: 4, WrongReached: 2, WrongReachedKnown: 1, ModelCalls: 8}
	if diff := cmp.Diff(wantTotals, rep.Totals); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	if !rep.Failed() || !cmp.Equal(rep.Stale, []string{"go-a/weakened"}) {
		t.Errorf("failed %v, stale %v: want failed (an unknown wrong fix reached a PR) and go-a/weakened stale", rep.Failed(), rep.Stale)
	}
	rep = RealScore(cases[:3], results[:3], known[:1])
	if rep.Failed() {
		t.Error("only a known wrong fix and an upstream fix without a PR: want not failed")
	}
}

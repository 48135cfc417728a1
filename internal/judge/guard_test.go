package judge

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/lang"
	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// guardsDir holds testdata/guards/<rule>/{bad,good}.diff, real git diffs.
const guardsDir = "../../testdata/guards"

// knownImports is the repository the new-import fixtures pretend to be in.
func knownImports(l lang.Language, p string) bool {
	known := map[string]bool{
		"go:github.com/acme/shop/internal/money": true,
		"go:github.com/acme/shop/internal/tax":   true,
		"python:shop":                            true,
		"javascript:express":                     true,
	}
	return known[string(l)+":"+p]
}

// fixtureInput is the GuardInput every fixture of a rule is checked with.
func fixtureInput(rule string) GuardInput {
	in := GuardInput{Protected: patch.DefaultProtected()}
	switch rule {
	case "new-import":
		in.KnownImports = knownImports
	case "empty-regression-test":
		in.RegressionTest = TestRef{File: "store/store_test.go", Name: "TestLoadMissing"}
	case "outside-allowed":
		in.Allowed = []string{"internal/**"}
	case "too-many-files":
		in.MaxFiles = 2
	case "too-many-lines":
		in.MaxChangedLines = 10
	case "unrelated-file":
		in.FrameFiles = []string{"internal/orders/handler.go"}
	case "far-from-frames":
		in.FrameFiles = []string{"internal/orders/handler.go"}
		in.FrameLines = map[string][]int{"internal/orders/handler.go": {20}}
	}
	return in
}

// readDiff returns a fixture diff.
func readDiff(t testing.TB, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{guardsDir}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// findingStrings runs Guard and formats its findings.
func findingStrings(t *testing.T, in GuardInput) []string {
	t.Helper()
	fs, err := Guard(in)
	if err != nil {
		t.Fatalf("Guard: %v", err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

func TestGuardFixtures(t *testing.T) {
	tests := []struct {
		name string
		// bad lists the findings of bad.diff; good lists those of
		// good.diff, which must all be notes.
		bad, good []string
	}{
		{name: "swallowed-error", bad: []string{
			"Shop/Repo.cs:11: swallowed-error: empty catch block swallows the error",
			"app/parse.py:7: swallowed-error: bare except: catches every exception, including KeyboardInterrupt and SystemExit",
			"app/parse.py:15: swallowed-error: except Exception neither re-raises nor logs: it hides every error, not only the one in the incident",
			"lib/repo.rb:3: swallowed-error: rescue nil discards the error",
			"lib/repo.rb:9: swallowed-error: empty rescue swallows the error",
			"shop/Repo.java:7: swallowed-error: empty catch block swallows the error",
			"src/config.php:4: swallowed-error: @ suppresses the errors of this call",
			"store/store.go:12: swallowed-error: returns a nil error when err is not nil: the error is dropped",
			"store/store.go:21: swallowed-error: _ = err discards the error",
			"store/store.go:37: swallowed-error: recover() without re-panicking, logging or returning an error hides the panic",
			"web/size.ts:2: swallowed-error: empty catch block swallows the error",
			"web/user.js:7: swallowed-error: .catch with an empty handler swallows the rejection",
			"web/user.js:13: swallowed-error: empty catch block swallows the error",
		}},
		{name: "deleted-test", bad: []string{
			"store/store_test.go:14: deleted-test: deletes test TestSave",
			"store/store_test.go:14: removed-assertions: removes 1 assertion(s) with nothing in their place, first: if err := Save(&Record{ID: 2}); err != nil {",
			"tests/test_parse.py:8: deleted-test: deletes test test_parse_list",
			`tests/test_parse.py:8: removed-assertions: removes 1 assertion(s) with nothing in their place, first: assert parse("[]") == []`,
		}, good: []string{
			"store/store_test.go:6: edited-assertion (note): edits an existing assertion: if err := Save(&Record{ID: 2}); err != nil { → if err := Save(&Record{ID: 3}); err != nil {",
			`tests/test_parse.py:11: edited-assertion (note): edits an existing assertion: assert parse("[]") == [] → assert parse("[1]") == [1]`,
		}},
		{name: "skipped-test", bad: []string{
			"store/store_test.go:16: skipped-test: skips or narrows tests: t.Skip(\"flaky\")",
			"tests/test_parse.py:10: skipped-test: skips or narrows tests: @pytest.mark.skip(reason=\"broken\")",
			"web/user.test.js:4: skipped-test: skips or narrows tests: it.skip(\"parses an object\", () => {",
		}},
		{name: "removed-assertions", bad: []string{
			"store/store_test.go:10: removed-assertions: removes 1 assertion(s) with nothing in their place, first: if r.ID != 1 {",
			`tests/test_parse.py:11: removed-assertions: removes 1 assertion(s) with nothing in their place, first: assert parse("[]") == []`,
		}, good: []string{
			`tests/test_parse.py:11: edited-assertion (note): edits an existing assertion: assert parse("[]") == [] → assert parse("[]") == [], "empty list"`,
		}},
		{name: "empty-regression-test", bad: []string{
			"store/store_test.go:22: empty-regression-test: regression test TestLoadMissing asserts nothing",
			"store/store_test.go:25: swallowed-error: _ = err discards the error",
		}},
		{name: "protected-path", bad: []string{
			".github/workflows/ci.yml:0: protected-path: .github/workflows/ci.yml matches the protected pattern \".github/**\"",
			"go.mod:0: protected-path: go.mod matches the protected pattern \"**/go.mod\"",
		}},
		{name: "outside-allowed", bad: []string{
			"cmd/main.go:0: outside-allowed: cmd/main.go is outside the allowed paths",
		}},
		{name: "binary-file", bad: []string{
			"internal/orders/logo.png:0: binary-file: binary file changed",
		}},
		{name: "symlink", bad: []string{
			"internal/orders/secrets:0: symlink: symbolic link changed (mode 120000)",
		}},
		{name: "too-many-files", bad: []string{
			"too-many-files: 3 files changed, over the cap of 2",
		}},
		{name: "too-many-lines", bad: []string{
			"too-many-lines: 12 lines changed, over the cap of 10",
		}},
		{name: "new-import", bad: []string{
			"internal/orders/price.go:7: new-import: imports github.com/pkg/errors, which the repository does not use yet",
			"shop/price.py:2: new-import: imports requests, which the repository does not use yet",
			"web/routes.js:2: new-import: imports lodash, which the repository does not use yet",
			"web/routes.js:3: new-import: imports @acme/zod-kit, which the repository does not use yet",
		}},
		{name: "unrelated-file", bad: []string{
			"internal/billing/invoice.go:4: unrelated-file: change in a file with no frame of the incident, outside the frames' directories",
		}},
		{name: "far-from-frames", bad: []string{
			"internal/orders/handler.go:211: far-from-frames: change at base line 211 is 191 lines from the nearest frame line (20), over 80",
		}},
	}
	var names []string
	for _, tt := range tests {
		names = append(names, tt.name)
	}
	slices.Sort(names)
	if diff := cmp.Diff(fixtureDirs(t), names); diff != "" {
		t.Errorf("fixture directories (-on disk +in the table):\n%s", diff)
	}
	for _, tt := range tests {
		for _, kind := range []string{"bad", "good"} {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				in := fixtureInput(tt.name)
				in.Diff = readDiff(t, tt.name, kind+".diff")
				want := tt.good
				if kind == "bad" {
					want = tt.bad
				}
				if diff := cmp.Diff(want, findingStrings(t, in)); diff != "" {
					t.Errorf("findings (-want +got):\n%s", diff)
				}
				if fs, _ := Guard(in); kind == "good" && len(Stops(fs)) > 0 {
					t.Errorf("good.diff has stopping findings: %v", Stops(fs))
				}
			})
		}
	}
}

// fixtureDirs lists the rule directories under testdata/guards.
func fixtureDirs(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(guardsDir)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "demo" && e.Name() != "shapes" {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

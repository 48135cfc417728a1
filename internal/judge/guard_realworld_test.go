package judge

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// realworldDir is the real-world bug corpus, a sibling of the repository
// (see its README.md): per bug, the upstream fix.diff, wrong/*.diff, the
// Sentry event and the upstream tree at the fix's parent.
const realworldDir = "../../../shared/realworld"

// realworldStops lists, per wrong diff, the rules that stop it; nil means
// the guards let it through and the proof or the judge must stop it.
var realworldStops = map[string][]string{
	"go-mapstructure-textunmarshaller/swallow": {ruleSwallowed},
	// The regression test passes on the base code: the proof's red step.
	"go-toml-errorpos-oneline/passes-on-base": nil,
	// A plausible early return in the crash frame: only the judge can
	// tell it guards the symptom (the cause is in lex.go).
	"go-toml-errorpos-oneline/symptom":       nil,
	"go-toml-omitempty-uncomparable/swallow": {ruleSwallowed},
	"js-flat-unflatten-overwrite/swallow":    {ruleSwallowed},
	// Stopped only because it rewrites the CRLF test file with LF line
	// endings (1603 lines); the real stop is the proof's red step.
	"js-fuse-matches-undefined/passes-on-base": {ruleTooManyLines},
	"js-object-path-nullproto/swallow":         {ruleSwallowed},
	// A new requirement (None becomes {}): the judge's.
	"py-pydash-merge-none/invented-requirement": nil,
	"py-pydash-merge-none/swallow":              {ruleSwallowed},
	// str() at the crash line: well-formed code, the judge's.
	"py-tabulate-wrap-none/symptom":           nil,
	"py-xmltodict-unparse-text/symptom":       nil,
	"py-xmltodict-unparse-text/weakened-test": {ruleWeakened},
}

// TestGuardRealWorld runs the guards the way the pipeline does (default
// protected paths and caps, the event's in-app frames resolved in the
// upstream tree, its imports) over every real-world bug: no upstream fix
// may be stopped, and each wrong diff is stopped by exactly the rules
// realworldStops lists.
func TestGuardRealWorld(t *testing.T) {
	bugs := realworldBugs(t)
	seen := map[string]bool{}
	for _, bug := range bugs {
		dir := filepath.Join(realworldDir, bug)
		in := realworldInput(t, dir)
		t.Run(bug+"/fix", func(t *testing.T) {
			in := in
			in.Diff = readFile(t, filepath.Join(dir, "fix.diff"))
			fs := guard(t, in)
			if stops := Stops(fs); len(stops) > 0 {
				t.Errorf("the upstream fix is stopped: %v", stops)
			}
			for _, n := range Notes(fs) {
				t.Logf("note: %s", n)
			}
		})
		wrongs, err := filepath.Glob(filepath.Join(dir, "wrong", "*.diff"))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wrongs {
			key := bug + "/" + strings.TrimSuffix(filepath.Base(w), ".diff")
			seen[key] = true
			t.Run(key, func(t *testing.T) {
				want, ok := realworldStops[key]
				if !ok {
					t.Fatalf("%s is not in realworldStops", key)
				}
				in := in
				in.Diff = readFile(t, w)
				stops := Stops(guard(t, in))
				if diff := cmp.Diff(want, stopRules(stops)); diff != "" {
					t.Errorf("rules that stop it (-want +got):\n%s\nfindings: %v", diff, stops)
				}
				for _, s := range stops {
					t.Logf("stopped: %s", s)
				}
			})
		}
	}
	for key := range realworldStops {
		if !seen[key] {
			t.Errorf("realworldStops lists %s, which the corpus does not have", key)
		}
	}
}

// realworldBugs lists the bug folders. Without the corpus the test is
// skipped, except in CI, where a missing corpus is a failure.
func realworldBugs(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(realworldDir)
	if errors.Is(err, fs.ErrNotExist) && os.Getenv("CI") != "true" {
		t.Skipf("no real-world corpus at %s", realworldDir)
	}
	if err != nil {
		t.Fatalf("real-world corpus: %v", err)
	}
	var bugs []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(realworldDir, e.Name(), "fix.diff")); e.IsDir() && err == nil {
			bugs = append(bugs, e.Name())
		}
	}
	if len(bugs) == 0 {
		t.Fatalf("no bug folders in %s", realworldDir)
	}
	return bugs
}

// realworldInput builds the GuardInput the pipeline would for the bug in
// dir: the frames of event.json resolved in repo/ as the locate stage
// resolves them, and repo/'s imports.
func realworldInput(t *testing.T, dir string) GuardInput {
	t.Helper()
	inc, err := incident.Parse([]byte(readFile(t, filepath.Join(dir, "event.json"))), "")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	in := GuardInput{Protected: patch.DefaultProtected(), KnownImports: ws.KnownImport, FrameLines: map[string][]int{}}
	for _, f := range inc.InAppFrames() {
		if rel, ok := ws.Resolve(f); ok {
			f.File = rel
		}
		if _, ok := in.FrameLines[f.File]; !ok {
			in.FrameFiles = append(in.FrameFiles, f.File)
		}
		in.FrameLines[f.File] = append(in.FrameLines[f.File], f.Line)
	}
	return in
}

// guard runs Guard and fails the test on an error.
func guard(t *testing.T, in GuardInput) []Finding {
	t.Helper()
	fs, err := Guard(in)
	if err != nil {
		t.Fatalf("Guard: %v", err)
	}
	return fs
}

// stopRules returns the distinct rules of fs, sorted; nil for none.
func stopRules(fs []Finding) []string {
	var rules []string
	for _, f := range fs {
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	slices.Sort(rules)
	return rules
}

// readFile returns the content of a file.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

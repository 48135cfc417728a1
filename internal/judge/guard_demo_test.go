package judge

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/lang"
	"github.com/dawnpatch/dawnpatch/internal/patch"
)

var updateGuards = flag.Bool("update-guards", false, "rewrite testdata/guards/demo/*.diff from testdata/demo")

// demoInput is the GuardInput of the demo incident: the in-app frames of
// testdata/demo/event.json and the regression test both demo fixes name.
func demoInput(diff string) GuardInput {
	return GuardInput{
		Diff:      diff,
		Protected: patch.DefaultProtected(),
		KnownImports: func(l lang.Language, p string) bool {
			return l == lang.Go && strings.HasPrefix(p, "example.com/shop/")
		},
		FrameFiles: []string{"internal/orders/handler.go", "internal/orders/pricing.go"},
		FrameLines: map[string][]int{
			"internal/orders/handler.go": {31, 59},
			"internal/orders/pricing.go": {21},
		},
		RegressionTest: TestRef{File: "internal/orders/handler_test.go", Name: "TestDiscountUnknownCode"},
	}
}

// demoDiff applies the edits of the first turn of a demo model script to a
// git copy of testdata/demo/service and returns git's diff.
func demoDiff(t *testing.T, script string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed; the demo diff is made with git")
	}
	raw, err := os.ReadFile(filepath.Join("../../testdata/demo", script))
	if err != nil {
		t.Fatal(err)
	}
	var model struct {
		Turns []struct {
			JSON struct {
				Edits []struct{ File, Old, New string }
			} `json:"json"`
		}
	}
	if err := json.Unmarshal(raw, &model); err != nil || len(model.Turns) == 0 {
		t.Fatalf("decode %s: %v (turns: %d)", script, err, len(model.Turns))
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../testdata/demo/service")); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-qm", "base")
	for _, e := range model.Turns[0].JSON.Edits {
		applyEdit(t, filepath.Join(dir, e.File), e.Old, e.New)
	}
	git(t, dir, "add", "-A")
	return git(t, dir, "diff", "--cached")
}

// applyEdit replaces the one occurrence of old in the file at path.
func applyEdit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), old); n != 1 {
		t.Fatalf("edit of %s matches %d times, want 1", path, n)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// git runs git in dir with a fixed identity and no user configuration.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestGuardDemo runs the guards over the demo's two fixes, made afresh
// from the model scripts, and keeps testdata/guards/demo in step with them.
//
// The good fix (refuse unknown codes in the handler) must pass. The swallow
// variant (a nil check in applyDiscount that returns the undiscounted
// price) also passes the guards, and this test pins that down: it is not a
// syntactically swallowed error (no error value is dropped, no catch is
// emptied), it sits on the crash frame's line, and its regression test
// asserts. Telling it apart from a real fix needs the diagnosis, which is
// the model judge's job (testdata/demo/model-swallow.json rejects it).
func TestGuardDemo(t *testing.T) {
	tests := []struct {
		name, script, golden string
		want                 []string
	}{
		{name: "fix passes", script: "model.json", golden: "fix.diff"},
		{name: "swallow variant passes, left to the judge", script: "model-swallow.json", golden: "swallow.diff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diff := demoDiff(t, tt.script)
			golden := filepath.Join(guardsDir, "demo", tt.golden)
			if *updateGuards {
				if err := os.WriteFile(golden, []byte(diff), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if d := cmp.Diff(readDiff(t, "demo", tt.golden), diff); d != "" {
				t.Errorf("%s is stale; rerun with -update-guards (-stored +made):\n%s", golden, d)
			}
			if d := cmp.Diff(tt.want, findingStrings(t, demoInput(diff))); d != "" {
				t.Errorf("findings (-want +got):\n%s", d)
			}
		})
	}
}

// TestGuardDemoCaughtVariants proves the demo input is not blind: the same
// fix, pushed into shapes the guards exist for, is rejected.
func TestGuardDemoCaughtVariants(t *testing.T) {
	fix := readDiff(t, "demo", "fix.diff")
	tests := []struct {
		name    string
		from    string
		to      string
		wantOne string
	}{
		{
			name:    "regression test without its assertion",
			from:    "+\tif got, want := rec.Code, http.StatusBadRequest; got != want {\n+\t\tt.Errorf(\"status = %d, want %d; body %s\", got, want, rec.Body)\n+\t}\n",
			to:      "+\t_ = rec\n+\n+\n",
			wantOne: "internal/orders/handler_test.go:63: empty-regression-test: regression test TestDiscountUnknownCode asserts nothing",
		},
		{
			name:    "skipped regression test",
			from:    "+\trec := serve(http.MethodPost, \"/orders/42/discount\", `{\"code\":\"SPRING\"}`)\n",
			to:      "+\tt.Skip(\"later\")\n",
			wantOne: `internal/orders/handler_test.go:64: skipped-test: skips or narrows tests: t.Skip("later")`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(fix, tt.from) {
				t.Fatalf("fix.diff does not contain %q", tt.from)
			}
			got := findingStrings(t, demoInput(strings.Replace(fix, tt.from, tt.to, 1)))
			if !strings.Contains(strings.Join(got, "\n"), tt.wantOne) {
				t.Errorf("findings %q do not include %q", got, tt.wantOne)
			}
		})
	}
}

func BenchmarkGuardDemo(b *testing.B) {
	in := demoInput(readDiff(b, "demo", "fix.diff"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Guard(in); err != nil {
			b.Fatal(err)
		}
	}
}

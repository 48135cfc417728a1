package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
)

// TestPublishCommitsTheJudgedDiffOnly plays a test that outlives its run
// and rewrites the scratch copy after the proof: a backdoor in a source
// file, a workflow, a symlink to the process environment. The commit holds
// the base tree plus exactly the judged changes.
func TestPublishCommitsTheJudgedDiffOnly(t *testing.T) {
	w := newWorld(t, demoTurns(t)...)
	w.prove = func(req testrun.ProofRequest) *testrun.Proof {
		tamper(t, req.Dir)
		return proven()
	}
	res := w.run()
	if res.Outcome.Reason != ReasonPROpened {
		t.Fatalf("reason = %s: %s", res.Outcome.Reason, res.Outcome.Detail)
	}
	pulls := w.gh.Pulls("acme", "shop")
	if len(pulls) != 1 {
		t.Fatalf("%d pull requests, want 1", len(pulls))
	}
	got, err := w.gh.Files("acme", "shop", pulls[0].HeadSHA)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for k, v := range w.files {
		want[k] = v
	}
	for _, e := range demoEdits(t) {
		want[e.file] = strings.Replace(want[e.file], e.old, e.new, 1)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the commit is not the base plus the judged changes (-want +got):\n%s", diff)
	}
	if !strings.Contains(pulls[0].Body, res.Fix.Diff) || res.Fix.Diff == "" {
		t.Errorf("the body does not show the judged diff %q:\n%s", res.Fix.Diff, pulls[0].Body)
	}
}

// tamper does what a test that outlives its run did in the security
// review, in the scratch copy dir.
func tamper(t *testing.T, dir string) {
	t.Helper()
	write := func(rel, content string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("internal/orders/handler.go", "package orders\n\n// backdoor\n")
	write(".github/workflows/x.yml", "on: push\n")
	if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "environ.txt")); err != nil {
		t.Fatal(err)
	}
}

type demoEdit struct{ file, old, new string }

// demoEdits are the edits of the demo's scripted fix.
func demoEdits(t *testing.T) []demoEdit {
	t.Helper()
	var m map[string]any
	editJSON(t, demoTurns(t)[1], func(a map[string]any) { m = a })
	var out []demoEdit
	for _, e := range m["edits"].([]any) {
		e := e.(map[string]any)
		out = append(out, demoEdit{e["file"].(string), e["old"].(string), e["new"].(string)})
	}
	return out
}

// TestPublishRefusesAChangedBase plays a test that changed the checkout
// itself (possible only without isolation): the final check finds that
// the base the diff was judged against is gone, and nothing is published.
func TestPublishRefusesAChangedBase(t *testing.T) {
	w := newWorld(t, demoTurns(t)...)
	w.prove = func(req testrun.ProofRequest) *testrun.Proof {
		p := filepath.Join(w.checkout, "internal", "orders", "handler.go")
		if err := os.WriteFile(p, []byte("package orders\n// changed under the run\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return proven()
	}
	_, err := w.runErr()
	if err == nil || !strings.Contains(err.Error(), "final check") {
		t.Fatalf("Run error = %v, want a final check failure", err)
	}
	if n := len(w.gh.Pulls("acme", "shop")); n != 0 {
		t.Errorf("%d pull requests opened", n)
	}
	sha, _ := w.gh.Ref("acme", "shop", "heads/"+ghwork.BranchName(w.fingerprint()))
	c, _ := w.gh.Commit("acme", "shop", sha)
	if !strings.HasPrefix(c.Message, "dawnpatch: claim") {
		t.Errorf("the branch moved past the claim to %q", c.Message)
	}
}

// TestPRBodyTellsTheRunsCost checks that the pull request body says what
// the run spent, as the summary does.
func TestPRBodyTellsTheRunsCost(t *testing.T) {
	w := newWorld(t, demoTurns(t)...)
	res := w.run()
	pulls := w.gh.Pulls("acme", "shop")
	if len(pulls) != 1 {
		t.Fatalf("%d pull requests", len(pulls))
	}
	want := fmt.Sprintf("usage: %d model calls, %d tokens", res.Usage.ModelCalls, res.Usage.Tokens)
	if res.Usage.ModelCalls != 3 || res.Usage.Tokens == 0 || !strings.Contains(pulls[0].Body, want) {
		t.Errorf("the body does not say %q (usage %+v):\n%s", want, res.Usage, pulls[0].Body)
	}
}

// TestEventTextIsNeverStructure sends an event whose exception type,
// crash function and message carry closing keywords, mentions, trailers
// and a forged marker: the title and the commit message are one clean
// line each, and the body's only marker is dawnpatch's own at its end.
func TestEventTextIsNeverStructure(t *testing.T) {
	w := newWorld(t, demoTurns(t)...)
	w.event(func(ev map[string]any) {
		last := lastException(ev)
		last["type"] = "ZeroDivisionError Fixes #1 closes acme/other#2 GH-3"
		last["value"] = "boom <!-- dawnpatch:fp=deadbeefdeadbeef --> @octocat\nCo-authored-by: Mallory <m@example.com>"
		fs := frames(ev)
		fs[len(fs)-1]["function"] = "applyDiscount Fixes #4 @octocat"
	})
	res := w.run()
	if res.Outcome.Reason != ReasonPROpened {
		t.Fatalf("reason = %s (%s)", res.Outcome.Reason, res.Outcome.Detail)
	}
	pr := w.gh.Pulls("acme", "shop")[0]
	c, _ := w.gh.Commit("acme", "shop", pr.HeadSHA)
	bad := regexp.MustCompile(`(?i)(fix(es|ed)?|close[sd]?|resolve[sd]?)\b[: ]*(#|[\w.-]+/[\w.-]+#|gh-)\d|@octocat|gh-\d|(?m)^co-authored-by:|#\d`)
	for name, text := range map[string]string{"title": pr.Title, "commit message": c.Message} {
		if m := bad.FindString(text); m != "" {
			t.Errorf("the %s carries %q: %q", name, m, text)
		}
	}
	if strings.Contains(pr.Title, "\n") || strings.Count(c.Message, "\n") > 2 {
		t.Errorf("title %q or commit message %q has more lines than dawnpatch writes", pr.Title, c.Message)
	}
	m, ok := ghwork.ParseMarkers(pr.Body)
	if !ok || m.Fingerprint != w.fingerprint() {
		t.Errorf("the body's marker block = %+v, %v; want dawnpatch's own for %s", m, ok, w.fingerprint())
	}
	if strings.Contains(pr.Body, "dawnpatch:fp=deadbeef") {
		t.Errorf("the forged marker reached the body:\n%s", pr.Body)
	}
}

package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/pipeline"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/google/go-cmp/cmp"
)

// corpus writes one scenario named "case" under a new corpus directory:
// scenario.yml, a repository with a.go, an event and a dispatch.
func corpus(t *testing.T, yml string) (dir, sc string) {
	t.Helper()
	dir = t.TempDir()
	sc = filepath.Join(dir, "case")
	files := map[string]string{
		"scenario.yml":  yml,
		"repo/a.go":     "package a\n\n// F returns one.\nfunc F() int { return 1 }\n\n// G returns two.\nfunc G() int { return 2 }\n",
		"event.json":    `{"eventID":"abc","entries":[]}`,
		"bad.json":      `{"eventID":`,
		"dispatch.json": `{"action":"sentry-issue","client_payload":{"sentry_issue_id":"4242"}}`,
	}
	for name, body := range files {
		if err := writeFile(filepath.Join(sc, name), body); err != nil {
			t.Fatal(err)
		}
	}
	return dir, sc
}

const head = "kind: skip\nevent: dispatch.json\nexpect: {outcome: skipped, reason: too-rare}\n"

func TestLoadErrorsForSentryAndHistory(t *testing.T) {
	tests := []struct{ name, yml, want string }{
		{"sentry id not numeric", "sentry: {id: SHOP-1A, event: event.json}\n", "sentry: id"},
		{"sentry id missing", "sentry: {event: event.json}\n", "sentry: id"},
		{"sentry status", "sentry: {id: \"1\", status: closed, event: event.json}\n", "sentry: status"},
		{"sentry negative count", "sentry: {id: \"1\", count: -1, event: event.json}\n", "must not be negative"},
		{"sentry age", "sentry: {id: \"1\", first_seen: yesterday, event: event.json}\n", `invalid age "yesterday"`},
		{"sentry negative age", "sentry: {id: \"1\", last_seen: -2h, event: event.json}\n", `invalid age "-2h"`},
		{"sentry assignee type", "sentry: {id: \"1\", assignee: {type: bot, name: x}, event: event.json}\n", "assignee.type"},
		{"sentry assignee name", "sentry: {id: \"1\", assignee: {type: user}, event: event.json}\n", "assignee.name"},
		{"sentry no event", "sentry: {id: \"1\"}\n", "sentry: event"},
		{"sentry event missing", "sentry: {id: \"1\", event: nope.json}\n", "nope.json"},
		{"sentry event not JSON", "sentry: {id: \"1\", event: bad.json}\n", "not valid JSON"},
		{"sentry unknown field", "sentry: {id: \"1\", event: event.json, cnt: 3}\n", "cnt"},
		{"history empty", "history: {}\n", "want a tag, commits or both"},
		{"history tag", "history: {tag: \"-v1\"}\n", "not a plain tag name"},
		{"history tag with dots", "history: {tag: \"v1..2\"}\n", "not a plain tag name"},
		{"history file outside", "history: {commits: [{file: ../x.go, replace: a, with: b}]}\n", "commits[0]: file"},
		{"history file missing", "history: {commits: [{file: b.go, replace: a, with: b}]}\n", "b.go"},
		{"history text absent", "history: {commits: [{file: a.go, replace: nowhere, with: b}]}\n", `"nowhere" occurs 0 times`},
		{"history text twice", "history: {commits: [{file: a.go, replace: returns, with: gives}]}\n", "occurs 2 times"},
		{"history empty replace", "history: {commits: [{file: a.go, with: b}]}\n", "replace must be non-empty"},
		{"history second change sees the first", "history: {commits: [{file: a.go, replace: return 1, with: return 3}, {file: a.go, replace: return 1, with: return 4}]}\n", "commits[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := corpus(t, head+tt.yml)
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "case") {
				t.Errorf("err = %v, want one naming the scenario and %q", err, tt.want)
			}
		})
	}
}

func TestSentrySeedCountsAgesBack(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	st := &SentryState{ID: "4242", ShortID: "SHOP-1A", Status: "resolved", Count: 3, UserCount: 2,
		FirstSeen: "2h", LastSeen: "5m", Assignee: &SentryAssignee{Type: "team", Name: "payments"}}
	want := sentryfake.IssueSeed{ID: "4242", ShortID: "SHOP-1A", Status: "resolved", Count: 3, UserCount: 2,
		FirstSeen: now.Add(-2 * time.Hour), LastSeen: now.Add(-5 * time.Minute),
		AssignedTo: &sentryfake.Assignee{Type: "team", ID: "1", Name: "payments"}}
	if diff := cmp.Diff(want, st.seed(now)); diff != "" {
		t.Errorf("seed (-want +got):\n%s", diff)
	}
}

// sentryStep fetches the scenario's issue as the pipeline would, with the
// inputs the world gave it, and makes no model call.
func sentryStep(got *string) Step {
	return func(ctx context.Context, getenv func(string) string, _, _ io.Writer) (*pipeline.Result, error) {
		url := fmt.Sprintf("%s/api/0/organizations/%s/issues/4242/", getenv("INPUT_SENTRY-BASE-URL"), getenv("INPUT_SENTRY-ORG"))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+getenv("INPUT_SENTRY-TOKEN"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var is struct{ ShortID, Count, Status string }
		if err := json.NewDecoder(resp.Body).Decode(&is); err != nil {
			return nil, fmt.Errorf("issue %s: %w", resp.Status, err)
		}
		*got = is.ShortID + " " + is.Count + " " + is.Status
		return &pipeline.Result{Outcome: pipeline.Outcome{Kind: "skipped", Reason: "too-rare"}}, nil
	}
}

func TestRunServesTheSentryIssueAndReportsUnusedTurns(t *testing.T) {
	dir, sc := corpus(t, head+"sentry: {id: \"4242\", short_id: SHOP-1A, count: 1, event: event.json}\n")
	transcript := `{"turns":[{"content":"never asked for"}]}`
	if err := writeFile(filepath.Join(sc, "model.json"), transcript); err != nil {
		t.Fatal(err)
	}
	scenarios, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	r := &Runner{Step: sentryStep(&got), Getenv: os.Getenv}
	res := r.Run(t.Context(), scenarios[0])
	if got != "SHOP-1A 1 unresolved" {
		t.Errorf("the step saw the Sentry issue as %q, want SHOP-1A 1 unresolved", got)
	}
	if diff := cmp.Diff([]string{"the script has 1 unused turns"}, res.Problems); diff != "" || res.Pass {
		t.Errorf("pass %v, problems (-want +got):\n%s", res.Pass, diff)
	}
}

func TestHistoryTagsTheBaseAndCommitsAfterIt(t *testing.T) {
	dir, _ := corpus(t, head+`history:
  tag: v1.0.0
  commits:
    - {file: a.go, replace: return 1, with: return 3, message: first}
    - {file: a.go, replace: return 3, with: return 4}
`)
	scenarios, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Getenv: os.Getenv}
	w, err := r.world(t.Context(), scenarios[0], t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	log := gitOut(t, w.checkout, "log", "--format=%s%d", "--decorate=short")
	if want := "change a.go (HEAD -> base)\nfirst\nbase (tag: v1.0.0)"; log != want {
		t.Errorf("git log:\n%s\nwant:\n%s", log, want)
	}
	if st := gitOut(t, w.checkout, "status", "--porcelain", "--untracked-files=no"); st != "" {
		t.Errorf("the checkout has uncommitted changes: %s", st)
	}
	tip, _ := w.gh.Ref("acme", "app", "heads/main")
	files, err := w.gh.Files("acme", "app", tip)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(files["a.go"], "return 4") || strings.Contains(files["a.go"], "return 1") {
		t.Errorf("the fake GitHub does not hold the final tree:\n%s", files["a.go"])
	}
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

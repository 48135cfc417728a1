package app

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
)

var update = flag.Bool("update", false, "rewrite golden files")

// monthOfPRs seeds a fake GitHub with a month of dawnpatch pull requests in
// every state, a human's pull request, and one too old to count.
func monthOfPRs(t *testing.T, end time.Time) *ghfake.Server {
	t.Helper()
	gh := ghfake.New()
	gh.AddRepo("acme", "shop", "main", map[string]string{"go.mod": "module shop\n"})
	for day := range 30 {
		created := end.Add(-time.Duration(day)*24*time.Hour - 3*time.Hour)
		seed := ghfake.PullSeed{Title: "fix", Body: ghwork.Marker(fmt.Sprintf("fp%02d", day), ""), Head: fmt.Sprintf("dawnpatch/%02d", day), Base: "main", CreatedAt: created}
		switch day % 5 {
		case 0, 1: // merged untouched, after 6h (day 0) or 30h (day 1)
			seed.Merged, seed.ClosedAt = true, created.Add(time.Duration(6+24*(day%5))*time.Hour)
		case 2: // merged after a human pushed twice
			seed.Merged, seed.Commits, seed.ClosedAt = true, 3, created.Add(48*time.Hour)
		case 3:
			seed.State = "closed"
		}
		n := gh.AddPull("acme", "shop", seed)
		if day%5 != 4 {
			if err := gh.AddReview("acme", "shop", n, ghfake.Review{User: "jane", State: "APPROVED", SubmittedAt: created.Add(time.Duration(1+day%3) * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "human", Body: "a person's change", Head: "feature", Base: "main", CreatedAt: end.Add(-time.Hour)})
	gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "old", Body: ghwork.Marker("old", ""), Head: "dawnpatch/old", Base: "main", Merged: true, CreatedAt: end.Add(-40 * 24 * time.Hour)})
	return gh
}

func TestStatsGolden(t *testing.T) {
	end := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	gh := monthOfPRs(t, end)
	srv := httptest.NewServer(gh)
	defer srv.Close()
	jsonPath := filepath.Join(t.TempDir(), "stats.json")
	var stdout, stderr bytes.Buffer
	env := Env{
		Args: []string{"stats", "--since", "30d", "--until", end.Format(time.RFC3339), "--json", jsonPath, "--detail", "100"},
		Getenv: func(k string) string {
			return map[string]string{"GITHUB_REPOSITORY": "acme/shop", "GITHUB_API_URL": srv.URL, "GITHUB_TOKEN": "t"}[k]
		},
		Stdout: &stdout, Stderr: &stderr,
	}
	if code := Main(context.Background(), env); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, "\n"+stdout.String()...)
	golden := filepath.Join("..", "..", "testdata", "stats", "month.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/app -run TestStatsGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("stats differ from %s; run with -update and review:\n%s", golden, got)
	}
	// One search page, then a pull request and its reviews per record.
	if want := fmt.Sprintf("stats: %d GitHub API calls", 1+2*30); !bytes.Contains(stderr.Bytes(), []byte(want)) {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}
}

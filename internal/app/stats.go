package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/stats"
)

// runStats is `dawnpatch stats`: the scorecard of dawnpatch's pull requests.
func runStats(ctx context.Context, env Env, args []string) error {
	fs := flags("stats")
	since := fs.String("since", "30d", "how far back to look (30m, 2h, 14d, 2w)")
	until := fs.String("until", "", "end of the window, RFC 3339 (default now)")
	jsonFile := fs.String("json", "", "also write the scorecard as JSON to this file")
	repo := fs.String("repo", env.Getenv("GITHUB_REPOSITORY"), "owner/name (default $GITHUB_REPOSITORY)")
	apiURL := fs.String("github-api-url", orEnv(env.Getenv("GITHUB_API_URL"), "https://api.github.com"), "GitHub API URL (default $GITHUB_API_URL)")
	maxPages := fs.Int("max-pages", 3, "search pages of 100 pull requests to read at most")
	detail := fs.Int("detail", 50, "read reviews and commits of at most this many recent pull requests (2 API calls each)")
	if err := parseFlags(fs, env.Stdout, args); err != nil {
		return err
	}
	window, err := config.ParseDuration(*since)
	if err != nil {
		return usagef("stats --since: %v", err)
	}
	end := time.Now().UTC()
	if *until != "" {
		if end, err = time.Parse(time.RFC3339, *until); err != nil {
			return usagef("stats --until: want an RFC 3339 time, got %q", *until)
		}
	}
	token := orEnv(env.Getenv("INPUT_GITHUB-TOKEN"), env.Getenv("GITHUB_TOKEN"))
	if token == "" {
		return fmt.Errorf("stats needs a token in GITHUB_TOKEN")
	}
	gh, err := ghwork.New(env.HTTPClient, *apiURL, token, *repo)
	if err != nil {
		return err
	}
	sc, err := scorecard(ctx, gh, end.Add(-window), end, *maxPages, *detail)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(env.Stdout, sc.Markdown()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "stats: %d GitHub API calls\n", gh.Calls())
	if *jsonFile != "" {
		return writeJSON(*jsonFile, sc)
	}
	return nil
}

// scorecard lists the pull requests and reads the details of the newest.
func scorecard(ctx context.Context, gh *ghwork.Client, since, until time.Time, maxPages, detail int) (stats.Scorecard, error) {
	prs, truncated, err := gh.ListPRs(ctx, since, maxPages)
	if err != nil {
		return stats.Scorecard{}, err
	}
	var inWindow []ghwork.PRRecord
	for _, p := range prs {
		if p.CreatedAt.Before(until) {
			inWindow = append(inWindow, p)
		}
	}
	for i := range inWindow[:min(detail, len(inWindow))] {
		if err := gh.Detail(ctx, &inWindow[i]); err != nil {
			return stats.Scorecard{}, err
		}
	}
	return stats.Compute(inWindow, since, until, truncated), nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func orEnv(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

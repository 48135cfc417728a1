package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/google/go-github/v62/github"
)

// RetryPolicy bounds the retries of a dispatch GitHub answered with a 5xx
// or that failed in transit. Sentry waits about one second for an answer,
// so the defaults stay inside that. Zero fields take the defaults.
type RetryPolicy struct {
	// MaxTries counts all attempts, the first included. Default 3.
	MaxTries uint
	// Initial is the first wait between attempts; it doubles (with jitter)
	// up to Max. Defaults 50ms and 250ms.
	Initial, Max time.Duration
	// Budget bounds the whole dispatch, waits and attempts together.
	// Default 900ms.
	Budget time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if p.MaxTries == 0 {
		p.MaxTries = 3
	}
	def(&p.Initial, 50*time.Millisecond)
	def(&p.Max, 250*time.Millisecond)
	def(&p.Budget, 900*time.Millisecond)
	return p
}

// GitHub sends repository dispatches through go-github. Create it with
// NewGitHub.
type GitHub struct {
	gh    *github.Client
	retry RetryPolicy
}

// NewGitHub returns a dispatcher for the API at apiURL
// ("https://api.github.com", a GHES ".../api/v3", or a fake's URL) that
// authenticates with token. A nil httpClient uses a client with a 10s
// timeout.
func NewGitHub(httpClient *http.Client, apiURL, token string, retry RetryPolicy) (*GitHub, error) {
	u, err := url.Parse(strings.TrimSpace(apiURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return nil, fmt.Errorf("invalid GitHub API URL: want an http(s) URL like https://api.github.com without credentials")
	}
	if token == "" || strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, errors.New("invalid GitHub token: empty, or it contains whitespace or control characters")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 10 * time.Second}
	}
	gh := github.NewClient(httpClient).WithAuthToken(token)
	gh.BaseURL, gh.UploadURL = u, u
	return &GitHub{gh: gh, retry: retry.withDefaults()}, nil
}

// DispatchError is a dispatch GitHub refused or that never got through.
type DispatchError struct {
	// Status is GitHub's last HTTP status, 0 when none came back.
	Status int
	// Attempts is how many requests were made.
	Attempts int
	// Err is the last error.
	Err error
}

// Error says how many attempts were made and how the last one ended.
func (e *DispatchError) Error() string {
	return fmt.Sprintf("repository dispatch: %d attempt(s), last status %d: %v", e.Attempts, e.Status, e.Err)
}

// Unwrap returns the last attempt's error.
func (e *DispatchError) Unwrap() error { return e.Err }

// Dispatch sends p to repo ("owner/name") as a repository_dispatch of
// type EventType. A 5xx or a transport failure is retried within the
// RetryPolicy; any 4xx (bad token, no access, unknown repository, rate
// limit) is final at once.
func (g *GitHub) Dispatch(ctx context.Context, repo string, p Payload) error {
	owner, name, ok := splitRepo(repo)
	if !ok {
		return fmt.Errorf("repository dispatch: invalid repository %q", repo)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("repository dispatch: encode payload: %w", err)
	}
	msg := json.RawMessage(raw)
	opts := github.DispatchRequestOptions{EventType: EventType, ClientPayload: &msg}
	ctx, cancel := context.WithTimeout(ctx, g.retry.Budget)
	defer cancel()
	derr := &DispatchError{}
	_, err = backoff.Retry(ctx, func() (struct{}, error) {
		derr.Attempts++
		_, resp, err := g.gh.Repositories.Dispatch(ctx, owner, name, opts)
		derr.Status = 0
		if resp != nil {
			derr.Status = resp.StatusCode
		}
		return struct{}{}, classify(derr.Status, err)
	}, backoff.WithBackOff(g.backOff()), backoff.WithMaxTries(g.retry.MaxTries), backoff.WithMaxElapsedTime(g.retry.Budget))
	if err != nil {
		derr.Err = err
		return derr
	}
	return nil
}

// classify marks the errors not worth retrying as permanent.
func classify(status int, err error) error {
	if err == nil || status == 0 || status >= 500 {
		return err
	}
	return backoff.Permanent(err)
}

func (g *GitHub) backOff() backoff.BackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval = g.retry.Initial, g.retry.Max
	return b
}

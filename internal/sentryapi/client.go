package sentryapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
)

const (
	// maxAttempts bounds how many times one request is sent, retries
	// included.
	maxAttempts = 4
	// maxWait caps one wait for a rate limit or a backoff. A 429 asking
	// for longer is returned as an error rather than waited for.
	maxWait = 60 * time.Second
	// defaultMaxBody caps how much of a response body is read.
	defaultMaxBody = 8 << 20
)

// orgPattern matches an organization slug or numeric id.
var orgPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)

// Client calls Sentry's web API for one organization. It is safe for
// concurrent use. Create one with New.
type Client struct {
	hc    *http.Client
	base  *url.URL // scheme, host and any path prefix of a self-hosted Sentry
	token string
	org   string
	calls atomic.Int64

	mu         sync.Mutex
	pauseUntil time.Time // set when X-Sentry-Rate-Limit-Remaining hit 0

	// sleep waits d or until ctx ends; tests replace it so they never sleep.
	sleep func(ctx context.Context, d time.Duration) error
	// now is the clock that rate-limit reset times are compared with.
	now func() time.Time
	// maxBody caps every response body read.
	maxBody int64
	// newBackOff makes the interval policy for one request's retries.
	newBackOff func() backoff.BackOff
}

// New returns a client of the Sentry at baseURL (https://sentry.io or a
// self-hosted URL, which may carry a path prefix) for organization org,
// authenticated with token. A nil httpClient means http.DefaultClient.
// Errors name the input at fault (sentry-base-url, sentry-token,
// sentry-org) and never contain the token.
func New(httpClient *http.Client, baseURL, token, org string) (*Client, error) {
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, fmt.Errorf("new sentry client: sentry-base-url: %w", err)
	}
	if err := checkToken(token); err != nil {
		return nil, fmt.Errorf("new sentry client: sentry-token: %w", err)
	}
	if !orgPattern.MatchString(org) {
		return nil, fmt.Errorf("new sentry client: sentry-org: %q is not an organization slug or id (letters, digits, '-' and '_')", org)
	}
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &Client{
		hc: httpClient, base: base, token: token, org: org,
		sleep: sleepCtx, now: time.Now, maxBody: defaultMaxBody,
		newBackOff: defaultBackOff,
	}, nil
}

// Calls returns how many HTTP requests the client has sent, retries
// included.
func (c *Client) Calls() int { return int(c.calls.Load()) }

func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case raw == "":
		return nil, errors.New("empty; want https://sentry.io or a self-hosted Sentry URL")
	case err != nil:
		return nil, fmt.Errorf("not a URL: %w", err)
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("%q: want an http or https URL", raw)
	case u.Host == "":
		return nil, fmt.Errorf("%q: no host", raw)
	case u.User != nil:
		return nil, errors.New("must not hold credentials; pass the token as sentry-token")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%q: must not have a query or fragment", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func checkToken(token string) error {
	if token == "" {
		return errors.New("empty; an auth token with event:read (and event:write to comment) is required")
	}
	for _, r := range token {
		if r <= ' ' || r == 0x7f {
			return errors.New("contains whitespace or control characters")
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func defaultBackOff() backoff.BackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = time.Second
	b.Multiplier = 2
	b.MaxInterval = 30 * time.Second
	return b
}

// endpoint returns the URL of the API path made of segs under
// /api/0/organizations/{org}/, each segment escaped, ending in a slash as
// Sentry's routes do.
func (c *Client) endpoint(q url.Values, segs ...string) string {
	raw := []string{c.base.EscapedPath(), "api", "0", "organizations", url.PathEscape(c.org)}
	plain := []string{c.base.Path, "api", "0", "organizations", c.org}
	for _, s := range segs {
		raw = append(raw, url.PathEscape(s))
		plain = append(plain, s)
	}
	u := *c.base
	u.Path = strings.Join(plain, "/") + "/"
	u.RawPath = strings.Join(raw, "/") + "/"
	u.RawQuery = q.Encode()
	return u.String()
}

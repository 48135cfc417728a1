package ghwork

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const (
	// maxRetries is how many times a rate-limited request is sent again.
	maxRetries = 2
	// maxWait caps one wait for a rate limit to lift.
	maxWait = 60 * time.Second
	// maxResponse caps how much of a response body is read.
	maxResponse = 32 << 20
	// peekLimit caps how much of a 403 body is read to classify it.
	peekLimit = 64 << 10
)

// transport authenticates, counts and rate-limit-retries requests.
type transport struct {
	base  http.RoundTripper
	token string
	calls atomic.Int64
	// sleep waits d or until ctx ends; tests replace it to avoid sleeping.
	sleep func(ctx context.Context, d time.Duration) error
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

// RoundTrip sends req, again after a wait when GitHub says it is rate
// limited and the body can be replayed.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		r, err := t.attempt(req, attempt)
		if err != nil {
			return nil, err
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		resp.Body = limitBody(resp.Body)
		wait, limited := rateLimited(resp)
		if !limited || attempt >= maxRetries || (req.Body != nil && req.GetBody == nil) {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, peekLimit))
		resp.Body.Close()
		if err := t.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// attempt clones req with the credential and a fresh body, and counts it.
func (t *transport) attempt(req *http.Request, n int) (*http.Request, error) {
	r := req.Clone(req.Context())
	if n > 0 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	if t.token != "" {
		r.Header.Set("Authorization", "Bearer "+t.token)
	}
	t.calls.Add(1)
	return r, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

func limitBody(b io.ReadCloser) io.ReadCloser {
	return readCloser{io.LimitReader(b, maxResponse), b}
}

// rateLimited reports whether resp is a rate limit that is worth waiting
// for, and how long to wait (capped at maxWait). A 403 body is peeked at and
// put back.
func rateLimited(resp *http.Response) (time.Duration, bool) {
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
	case http.StatusForbidden:
		if resp.Header.Get("Retry-After") == "" && !secondaryLimit(resp) {
			return 0, false
		}
	default:
		return 0, false
	}
	return min(retryAfter(resp.Header, time.Now()), maxWait), true
}

func secondaryLimit(resp *http.Response) bool {
	peek, _ := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
	return strings.Contains(strings.ToLower(string(peek)), "secondary rate limit")
}

// retryAfter reads Retry-After (seconds or an HTTP date), then a primary
// limit's X-RateLimit-Reset; without either GitHub asks for a minute.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil {
			return max(0, time.Duration(s)*time.Second)
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(0, t.Sub(now))
		}
	}
	if h.Get("X-RateLimit-Remaining") == "0" {
		if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(0, time.Unix(s, 0).Sub(now))
		}
	}
	return time.Minute
}

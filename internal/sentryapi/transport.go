package sentryapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// errorPeek caps how much of an error response is read for its message.
const errorPeek = 64 << 10

// ErrTooLarge is wrapped by the error of a response whose body exceeded the
// client's cap; the body was cut and not used.
var ErrTooLarge = errors.New("response body too large")

// result is one HTTP answer.
type result struct {
	status int
	header http.Header
	body   []byte
}

// do sends method to url (with body as JSON when not nil), retrying rate
// limits, and for GET also 5xx and transport errors, up to maxAttempts. A
// final status of 400 or more becomes an *APIError.
func (c *Client) do(ctx context.Context, method, url string, body []byte) (*result, error) {
	bo := c.newBackOff()
	bo.Reset()
	for attempt := 1; ; attempt++ {
		if err := c.waitQuota(ctx); err != nil {
			return nil, err
		}
		res, err := c.send(ctx, method, url, body)
		wait, again := c.retryable(ctx, method, res, err, attempt, bo)
		if !again {
			return finish(res, err, c.token, scopeOf(method))
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("wait %s to retry: %w", wait, err)
		}
	}
}

func finish(res *result, err error, token, scope string) (*result, error) {
	if err != nil {
		return nil, err
	}
	if res.status >= 400 {
		return nil, newAPIError(res.status, res.header, res.body, token, scope)
	}
	return res, nil
}

// scopeOf is the token scope a request of method needs: reads are GETs,
// and the only write is LinkPR's POST.
func scopeOf(method string) string {
	if method == http.MethodGet {
		return ScopeRead
	}
	return ScopeWrite
}

// send makes one attempt and reads the body: all of it, up to the cap, on
// success; enough for a message on an error status.
func (c *Client) send(ctx context.Context, method, url string, body []byte) (*result, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.calls.Add(1)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err // *url.Error: method and URL, never the header
	}
	defer resp.Body.Close()
	c.noteQuota(resp.Header)
	res := &result{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode >= 400 {
		res.body, _ = io.ReadAll(io.LimitReader(resp.Body, errorPeek))
		return res, nil
	}
	res.body, err = io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if int64(len(res.body)) > c.maxBody {
		return nil, fmt.Errorf("read response: %w: more than %d bytes, cut at the cap", ErrTooLarge, c.maxBody)
	}
	return res, nil
}

// retryable decides whether the attempt is worth another one and after how
// long.
func (c *Client) retryable(ctx context.Context, method string, res *result, err error, attempt int, bo backoff.BackOff) (time.Duration, bool) {
	if attempt >= maxAttempts || ctx.Err() != nil {
		return 0, false
	}
	idempotent := method == http.MethodGet
	switch {
	case err != nil:
		return bo.NextBackOff(), idempotent && !errors.Is(err, ErrTooLarge)
	case res.status == http.StatusTooManyRequests:
		wait, ok := c.retryAfter(res.header)
		if !ok {
			wait = bo.NextBackOff()
		}
		return wait, wait <= maxWait
	case res.status >= 500:
		return bo.NextBackOff(), idempotent
	}
	return 0, false
}

// retryAfter reads Retry-After (seconds or an HTTP date), then
// X-Sentry-Rate-Limit-Reset (Unix seconds, possibly fractional).
func (c *Client) retryAfter(h http.Header) (time.Duration, bool) {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
			return time.Duration(s * float64(time.Second)), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(0, t.Sub(c.now())), true
		}
	}
	if t, ok := resetTime(h); ok {
		return max(0, t.Sub(c.now())), true
	}
	return 0, false
}

func resetTime(h http.Header) (time.Time, bool) {
	s, err := strconv.ParseFloat(h.Get("X-Sentry-Rate-Limit-Reset"), 64)
	if err != nil || s <= 0 {
		return time.Time{}, false
	}
	return time.Unix(0, int64(s*float64(time.Second))), true
}

// noteQuota remembers, when Sentry says no requests remain in the window,
// when the window resets.
func (c *Client) noteQuota(h http.Header) {
	rem, err := strconv.Atoi(h.Get("X-Sentry-Rate-Limit-Remaining"))
	if err != nil || rem > 0 {
		return
	}
	if t, ok := resetTime(h); ok {
		c.mu.Lock()
		c.pauseUntil = t
		c.mu.Unlock()
	}
}

// waitQuota waits (at most maxWait) for a rate-limit window that was used
// up to reset.
func (c *Client) waitQuota(ctx context.Context) error {
	c.mu.Lock()
	wait := c.pauseUntil.Sub(c.now())
	c.pauseUntil = time.Time{}
	c.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	wait = min(wait, maxWait)
	if err := c.sleep(ctx, wait); err != nil {
		return fmt.Errorf("wait %s for the sentry rate limit to reset: %w", wait, err)
	}
	return nil
}

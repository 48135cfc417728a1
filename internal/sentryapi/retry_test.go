package sentryapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/google/go-cmp/cmp"
)

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestRateLimitRetries(t *testing.T) {
	tests := []struct {
		name       string
		header     func(now time.Time) http.Header
		times      int
		wantSleeps []time.Duration
	}{
		{
			name:       "Retry-After seconds",
			header:     func(time.Time) http.Header { return hdr("Retry-After", "7") },
			times:      2,
			wantSleeps: []time.Duration{7 * time.Second, 7 * time.Second},
		},
		{
			name: "Retry-After HTTP date",
			header: func(now time.Time) http.Header {
				return hdr("Retry-After", now.Add(12*time.Second).Format(http.TimeFormat))
			},
			times:      1,
			wantSleeps: []time.Duration{12 * time.Second},
		},
		{
			name: "X-Sentry-Rate-Limit-Reset only",
			header: func(now time.Time) http.Header {
				return hdr("X-Sentry-Rate-Limit-Reset", strconv.FormatInt(now.Add(5*time.Second).Unix(), 10))
			},
			times:      1,
			wantSleeps: []time.Duration{5 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.seedMany(t, 3)
			e.fake.Fail("/issues/", http.StatusTooManyRequests, tt.times, tt.header(e.clock))
			got, _, err := e.client.ListIssues(context.Background(), ListQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 {
				t.Errorf("got %d issues, want 3", len(got))
			}
			if diff := cmp.Diff(tt.wantSleeps, e.slept()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			if got, want := e.client.Calls(), tt.times+1; got != want {
				t.Errorf("calls = %d, want %d", got, want)
			}
		})
	}
}

func TestRateLimitGivesUp(t *testing.T) {
	tests := []struct {
		name      string
		header    http.Header
		times     int
		wantCalls int
		wantRetry string
	}{
		{name: "wait too long", header: hdr("Retry-After", "3600"), times: 1, wantCalls: 1, wantRetry: "3600"},
		{name: "limited on every attempt", header: hdr("Retry-After", "1"), times: 100, wantCalls: maxAttempts, wantRetry: "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.addIssue(t, sentryfake.IssueSeed{})
			e.fake.Fail("/issues/", http.StatusTooManyRequests, tt.times, tt.header)
			_, err := e.client.Issue(context.Background(), id)
			var ae *APIError
			if !asAPIError(err, &ae) || ae.Status != http.StatusTooManyRequests || ae.RetryAfter != tt.wantRetry {
				t.Fatalf("error = %#v, want *APIError 429 with RetryAfter %q", err, tt.wantRetry)
			}
			if got := e.client.Calls(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			for _, d := range e.slept() {
				if d > maxWait {
					t.Errorf("slept %s, more than maxWait %s", d, maxWait)
				}
			}
		})
	}
}

// TestQuotaUsedUpWaitsForReset: a response saying no requests remain makes
// the next request wait until the window resets.
func TestQuotaUsedUpWaitsForReset(t *testing.T) {
	e := newEnv(t)
	id := e.addIssue(t, sentryfake.IssueSeed{})
	e.fake.SetRateLimit(40, 0, e.clock.Add(9*time.Second))
	ctx := context.Background()
	if _, err := e.client.Issue(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := e.slept(); len(got) != 0 {
		t.Fatalf("slept %v before the first request", got)
	}
	e.fake.SetRateLimit(40, 39, e.clock.Add(time.Second))
	if _, err := e.client.Issue(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Issue(ctx, id); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{9 * time.Second}, e.slept()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

func TestServerErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		times      int
		wantErr    bool
		wantCalls  int
		wantSleeps int
	}{
		{name: "500 every time", status: 500, times: 100, wantErr: true, wantCalls: maxAttempts, wantSleeps: maxAttempts - 1},
		{name: "502 twice then success", status: 502, times: 2, wantCalls: 3, wantSleeps: 2},
		{name: "503 once then success", status: 503, times: 1, wantCalls: 2, wantSleeps: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.addIssue(t, sentryfake.IssueSeed{Title: "boom"})
			e.fake.Fail("/issues/", tt.status, tt.times, nil)
			is, err := e.client.Issue(context.Background(), id)
			var ae *APIError
			switch {
			case tt.wantErr && (!asAPIError(err, &ae) || ae.Status != tt.status):
				t.Fatalf("error = %v, want *APIError %d", err, tt.status)
			case !tt.wantErr && err != nil:
				t.Fatal(err)
			case !tt.wantErr && is.Title != "boom":
				t.Errorf("title = %q, want boom", is.Title)
			}
			if got := e.client.Calls(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			sleeps := e.slept()
			if len(sleeps) != tt.wantSleeps {
				t.Errorf("slept %d times (%v), want %d", len(sleeps), sleeps, tt.wantSleeps)
			}
			for _, d := range sleeps {
				if d <= 0 || d > maxWait {
					t.Errorf("backoff %s outside (0, %s]", d, maxWait)
				}
			}
		})
	}
}

func TestCancelledWhileWaiting(t *testing.T) {
	e := newEnv(t)
	id := e.addIssue(t, sentryfake.IssueSeed{})
	e.fake.Fail("/issues/", http.StatusTooManyRequests, 1, hdr("Retry-After", "30"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waited time.Duration
	e.client.sleep = func(ctx context.Context, d time.Duration) error {
		waited = d
		cancel()                // the run is cancelled during the wait
		return sleepCtx(ctx, d) // the real wait, cut short
	}
	_, err := e.client.Issue(ctx, id)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if waited != 30*time.Second {
		t.Errorf("waited %s, want 30s", waited)
	}
	if got := e.client.Calls(); got != 1 {
		t.Errorf("calls = %d, want 1", got)
	}
}

func TestUnauthorized(t *testing.T) {
	e := newEnv(t)
	id := e.addIssue(t, sentryfake.IssueSeed{})
	const wrong = "sntrys_WRONGtoken987654321"
	c := e.newClient(t, wrong)
	_, err := c.Issue(context.Background(), id)
	var ae *APIError
	if !asAPIError(err, &ae) || ae.Status != http.StatusUnauthorized {
		t.Fatalf("error = %v, want *APIError 401", err)
	}
	if got, want := ae.Message, "Invalid token"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	for _, tok := range []string{wrong, testToken} {
		if strings.Contains(err.Error(), tok) {
			t.Errorf("error %q contains a token", err)
		}
	}
	if got := c.Calls(); got != 1 {
		t.Errorf("calls = %d, want 1 (401 is not retried)", got)
	}
}

// TestErrorMessageScrubbed: a server that echoes the Authorization header
// into its error must not get the token into the error.
func TestErrorMessageScrubbed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		long := strings.Repeat("x", 2000)
		_, _ = w.Write([]byte(`{"detail":"bad header ` + r.Header.Get("Authorization") + "\n" + long + `"}`))
	}))
	defer srv.Close()
	c, err := New(srv.Client(), srv.URL, testToken, testOrg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Issue(context.Background(), "1")
	var ae *APIError
	if !asAPIError(err, &ae) || ae.Status != http.StatusForbidden {
		t.Fatalf("error = %v, want *APIError 403", err)
	}
	msg := err.Error()
	if strings.Contains(msg, testToken) || !strings.Contains(msg, "Bearer [redacted]") {
		t.Errorf("error %q: want the token redacted", msg)
	}
	if strings.ContainsAny(ae.Message, "\n\r") || len(ae.Message) > maxMessage+len("…") {
		t.Errorf("message is %d bytes or holds a newline; want one line of at most %d", len(ae.Message), maxMessage)
	}
}

package ghwork

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRateLimitRetried(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    http.Header
		times     int
		wantErr   string // "" means the call succeeds after the retries
		wantSleep []time.Duration
		wantCalls int
	}{
		{"429 with Retry-After", 429, http.Header{"Retry-After": {"7"}}, 1, "", []time.Duration{7 * time.Second}, 2},
		{"secondary limit by message", 403, nil, 2, "", []time.Duration{time.Minute, time.Minute}, 3},
		{"403 Retry-After is capped", 403, http.Header{"Retry-After": {"3600"}}, 1, "", []time.Duration{maxWait}, 2},
		{"gives up after two retries", 429, http.Header{"Retry-After": {"1"}}, 5, "get repository acme/shop", []time.Duration{time.Second, time.Second}, 3},
		{"secondary limit exhausted", 403, http.Header{"Retry-After": {"1"}}, 3, "secondary rate limit", []time.Duration{time.Second, time.Second}, 3},
		{"500 is not retried", 500, nil, 1, "get repository acme/shop", nil, 1},
		{"primary 403 is not retried", 403, http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1"}}, 1, "rate limit", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.Fail("GET", "/repos/acme/shop", tt.status, tt.times, tt.header)
			b, err := e.client.DefaultBranch(context.Background())
			switch {
			case tt.wantErr == "" && (err != nil || b != "main"):
				t.Errorf("DefaultBranch = %q, %v; want main after retrying", b, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("DefaultBranch error = %v, want one containing %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantSleep, e.slept()); diff != "" {
				t.Errorf("waits mismatch (-want +got):\n%s", diff)
			}
			if got := e.client.Calls(); got != tt.wantCalls {
				t.Errorf("Calls = %d, want %d", got, tt.wantCalls)
			}
			if err != nil && IsPermission(err) {
				t.Errorf("IsPermission(%v) = true for a rate limit or server error", err)
			}
		})
	}
}

func TestRateLimitRetryReplaysTheBody(t *testing.T) {
	e := newEnv(t)
	e.fake.Fail("POST", "/git/refs", 429, 1, http.Header{"Retry-After": {"2"}})
	claim, err := e.client.Claim(context.Background(), "dawnpatch/retry", e.head)
	if err != nil {
		t.Fatalf("Claim after a 429: %v", err)
	}
	if sha, ok := e.fake.Ref("acme", "shop", "dawnpatch/retry"); !ok || sha != claim {
		t.Errorf("ref after retry = %q, %v", sha, ok)
	}
	if got := len(e.fake.Writes()); got != 3 {
		t.Errorf("Writes = %d, want 3 (the claim commit, the 429 and the retry)", got)
	}
}

func TestRateLimitWaitRespectsContext(t *testing.T) {
	e := newEnv(t)
	e.client.rt.sleep = sleepCtx // the real sleep, with a cancelled context
	e.fake.Fail("GET", "/repos/acme/shop", 429, 1, http.Header{"Retry-After": {"30"}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.client.DefaultBranch(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("DefaultBranch with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"5"}}, 5 * time.Second},
		{"http date", http.Header{"Retry-After": {now.Add(9 * time.Second).Format(http.TimeFormat)}}, 9 * time.Second},
		{"reset of an exhausted primary limit", http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1735689620"}}, 20 * time.Second},
		{"nothing: a minute", http.Header{}, time.Minute},
		{"negative seconds", http.Header{"Retry-After": {"-3"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.header, now); got != tt.want {
				t.Errorf("retryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIsPermission(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		msg    string
		want   bool
	}{
		{"403 resource not accessible", 403, nil, "Resource not accessible by integration", true},
		{"404", 404, nil, "Not Found", true},
		{"422", 422, nil, "Validation Failed", false},
		{"500", 500, nil, "Server Error", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.FailMessage("GET", "/git/ref/", tt.status, 1, tt.header, tt.msg)
			_, err := e.client.BranchSHA(context.Background(), "main")
			if err == nil {
				t.Fatal("BranchSHA succeeded through an injected fault")
			}
			if got := IsPermission(err); got != tt.want {
				t.Errorf("IsPermission(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
	if IsPermission(errors.New("403 forbidden")) || IsPermission(nil) {
		t.Error("IsPermission is true for an error that is not a GitHub response")
	}
}

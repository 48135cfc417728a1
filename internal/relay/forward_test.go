package relay

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestNewGitHubErrors(t *testing.T) {
	tests := []struct {
		name, url, token, wantErr string
	}{
		{"no scheme", "api.github.com", "t", "invalid GitHub API URL"},
		{"credentials in the url", "https://u:p@api.github.com", "t", "invalid GitHub API URL"},
		{"ftp", "ftp://api.github.com", "t", "invalid GitHub API URL"},
		{"empty token", "https://api.github.com", "", "invalid GitHub token"},
		{"token with a newline", "https://api.github.com", "a\nb", "invalid GitHub token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewGitHub(nil, tt.url, tt.token, RetryPolicy{})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "u:p") {
				t.Errorf("error %q shows the URL's credentials", err)
			}
		})
	}
}

func TestDispatchErrors(t *testing.T) {
	rg := newRig(t, DefaultConfig(), true)
	gh, err := NewGitHub(&http.Client{Transport: inProcessTransport{rg.fake}}, "http://ghfake.invalid", testToken, testRetry)
	if err != nil {
		t.Fatal(err)
	}
	p := Payload{IssueID: "1", Resource: "issue", Action: "created"}
	if err := gh.Dispatch(t.Context(), "acme/shop", p); err != nil {
		t.Fatalf("dispatch without a trailing slash on the URL: %v", err)
	}
	if err := gh.Dispatch(t.Context(), "acme", p); err == nil || !strings.Contains(err.Error(), `invalid repository "acme"`) {
		t.Errorf("bad repo: error = %v", err)
	}
	rg.fake.Fail(http.MethodPost, "/dispatches", 503, 3, nil)
	err = gh.Dispatch(t.Context(), "acme/shop", p)
	var de *DispatchError
	if !errors.As(err, &de) || de.Status != 503 || de.Attempts != 3 {
		t.Errorf("after three 503s: error = %#v, want a DispatchError with status 503 after 3 attempts", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	before := rg.fake.Calls()
	if err := gh.Dispatch(ctx, "acme/shop", p); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: error = %v, want context.Canceled", err)
	}
	if got := rg.fake.Calls() - before; got != 0 {
		t.Errorf("cancelled context made %d calls, want none", got)
	}
}

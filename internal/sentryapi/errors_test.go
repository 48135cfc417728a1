package sentryapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
)

// TestTokenErrors: a 401 or a 403 names the sentry-token input once and the
// scope the call needed (event:write only for the link back), without the
// operation, which the caller adds once.
func TestTokenErrors(t *testing.T) {
	const (
		readHint  = "; Sentry refused the sentry-token input: it must be a valid auth token with the event:read scope (event:write only to link pull requests back)"
		read403   = "; the sentry-token input lacks the event:read scope or access to the organization's projects"
		write403  = "; the sentry-token input lacks the event:write scope, needed only to link pull requests back"
		forbidden = "sentry api: 403 Forbidden: You do not have permission to perform this action."
	)
	calls := map[string]func(c *Client, id string) error{
		"list issues": func(c *Client, _ string) error {
			_, _, err := c.ListIssues(context.Background(), ListQuery{})
			return err
		},
		"get issue": func(c *Client, id string) error {
			_, err := c.Issue(context.Background(), id)
			return err
		},
		"latest event": func(c *Client, id string) error {
			_, err := c.LatestEvent(context.Background(), id)
			return err
		},
		"link pull request": func(c *Client, id string) error {
			return c.LinkPR(context.Background(), id, "https://github.com/acme/shop/pull/7", "fix")
		},
	}
	tests := []struct {
		name      string
		call      string
		status    int
		want      string
		wantScope string
	}{
		{"bad token, list", "list issues", http.StatusUnauthorized, "sentry api: 401 Unauthorized: Invalid token" + readHint, ScopeRead},
		{"bad token, issue", "get issue", http.StatusUnauthorized, "sentry api: 401 Unauthorized: Invalid token" + readHint, ScopeRead},
		{"bad token, link back", "link pull request", http.StatusUnauthorized, "sentry api: 401 Unauthorized: Invalid token" + readHint, ScopeWrite},
		{"no read scope, list", "list issues", http.StatusForbidden, forbidden + read403, ScopeRead},
		{"no read scope, latest event", "latest event", http.StatusForbidden, forbidden + read403, ScopeRead},
		{"no write scope, link back", "link pull request", http.StatusForbidden, forbidden + write403, ScopeWrite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.addIssue(t, sentryfake.IssueSeed{})
			c := e.client
			if tt.status == http.StatusUnauthorized {
				c = e.newClient(t, "sntrys_WRONGtoken987654321")
			} else {
				e.fake.Fail("/", tt.status, 1, nil)
			}
			err := calls[tt.call](c, id)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error =\n%s\nwant\n%s", got, tt.want)
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != tt.status || ae.Scope != tt.wantScope {
				t.Errorf("errors.As: %#v, want *APIError %d needing %s", ae, tt.status, tt.wantScope)
			}
			wrapped := fmt.Errorf("list Sentry issues: %w", err).Error()
			if n := strings.Count(wrapped, "sentry-token"); n != 1 {
				t.Errorf("%q names sentry-token %d times, want once", wrapped, n)
			}
			if n := strings.Count(strings.ToLower(wrapped), "sentry issue"); n > 1 {
				t.Errorf("%q repeats the operation", wrapped)
			}
		})
	}
}

// TestOtherStatusesNameNoToken: statuses that say nothing about the token
// leave it out.
func TestOtherStatusesNameNoToken(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusNotFound, http.StatusTooManyRequests, http.StatusInternalServerError} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := &APIError{Status: status, Message: "m", Scope: ScopeRead}
			if got := e.Error(); strings.Contains(got, "sentry-token") || strings.Contains(got, "scope") {
				t.Errorf("%q mentions the token", got)
			}
		})
	}
}

package ghwork

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// recurrenceMarker tags dawnpatch's "fired again" comments.
func recurrenceMarker(fingerprint string) string {
	return "<!-- dawnpatch:recurrence fp=" + fingerprint + " -->"
}

// NoteRecurrence adds a short comment to the open pull request that the
// error fired again, at most once per gap: it lists the comments made since
// now-gap (one call) and comments only when none of them is such a note.
// It reports whether it commented.

func (c *Client) NoteRecurrence(ctx context.Context, number int, fingerprint, note string, now time.Time, gap time.Duration) (bool, error) {
	since := now.Add(-gap)
	comments, _, err := c.gh.Issues.ListComments(ctx, c.owner, c.name, number, &github.IssueListCommentsOptions{
		Since: &since, ListOptions: github.ListOptions{PerPage: 100},
	})
	if err != nil {
		return false, fmt.Errorf("list comments of #%d: %w", number, err)
	}
	for _, cm := range comments {
		if strings.Contains(cm.GetBody(), recurrenceMarker(fingerprint)) {
			return false, nil
		}
	}
	body := note + "\n\n" + recurrenceMarker(fingerprint)
	if _, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.name, number, &github.IssueComment{Body: &body}); err != nil {
		return false, fmt.Errorf("comment on #%d: %w", number, err)
	}
	return true, nil
}

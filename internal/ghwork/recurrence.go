package ghwork

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/go-github/v62/github"
)

// Recurrence is what is known about an error firing again while its pull
// request waits.
type Recurrence struct {
	// Events and Users are Sentry's totals for the error; 0 when unknown.
	Events, Users int
	// LastSeen is when Sentry last saw the error; zero when unknown.
	LastSeen time.Time
	// Now is this run's time, shown as when the comment was last updated.
	Now time.Time
}

// recurrenceMarker ends dawnpatch's recurrence comment on a pull request
// (and ended the daily notes earlier versions posted).
func recurrenceMarker(fingerprint string) string {
	return "<!-- dawnpatch:recurrence fp=" + fingerprint + " -->"
}

// recurrenceData is the hidden line, just above the marker, that holds
// what the comment last said.
var recurrenceData = regexp.MustCompile(`^<!-- dawnpatch:recurrence-data events=([0-9]{1,18}) users=([0-9]{1,18}) seen=(\S+) runs=([0-9]{1,9}) -->$`)

// maxCommentPages bounds how many pages of 100 comments RecordRecurrence
// reads looking for its comment.
const maxCommentPages = 10

// RecordRecurrence keeps one comment on dawnpatch's open pull request pr up
// to date with its error firing again: it creates the comment the first
// time and edits it in place afterwards (an edit notifies nobody). The
// comment shows the events, users and last sighting, how many runs brought
// news, and when it was last updated; hidden lines at its end tag it and
// hold those values. It writes nothing when the events, users and last
// sighting are the ones the comment already shows, and reports whether it
// wrote.
//
// Only a comment by pr.Author (FindOwn fills it) ending with the tag is
// dawnpatch's: an outsider's comment carrying the tag is neither trusted
// nor edited. Writers may edit any comment on GitHub, so this check is
// what protects it, not GitHub. A comment whose hidden values are missing
// or garbled is rewritten. When the token's login is not the one that
// opened the pull request, the comments it creates are not found again.
//
// Cost: one call listing the comments (one more per further page of 100,
// read only while the comment is not found, ten pages at most) and at
// most one write.
func (c *Client) RecordRecurrence(ctx context.Context, pr *PR, fingerprint string, r Recurrence) (wrote bool, err error) {
	switch {
	case pr == nil || pr.Number <= 0:
		return false, errors.New("record recurrence: no pull request")
	case pr.Author == "":
		return false, fmt.Errorf("record recurrence on #%d: the pull request's author is unknown", pr.Number)
	case !fingerprintRE.MatchString(fingerprint):
		return false, fmt.Errorf("record recurrence on #%d: invalid fingerprint %q", pr.Number, fingerprint)
	}
	found, err := c.recurrenceComment(ctx, pr, fingerprint)
	if err != nil {
		return false, err
	}
	runs := 1
	if found != nil {
		old, ok := parseRecurrence(found.GetBody())
		if ok && old.same(r) {
			return false, nil
		}
		runs += old.runs // 0 when garbled
	}
	body := recurrenceBody(fingerprint, r, runs)
	if found == nil {
		_, _, err = c.gh.Issues.CreateComment(ctx, c.owner, c.name, pr.Number, &github.IssueComment{Body: &body})
	} else {
		_, _, err = c.gh.Issues.EditComment(ctx, c.owner, c.name, found.GetID(), &github.IssueComment{Body: &body})
	}
	if err != nil {
		return false, fmt.Errorf("record recurrence on #%d: %w", pr.Number, err)
	}
	return true, nil
}

// recurrenceComment finds dawnpatch's recurrence comment on pr: the first
// one by pr's author whose last line is the marker for fingerprint.
func (c *Client) recurrenceComment(ctx context.Context, pr *PR, fingerprint string) (*github.IssueComment, error) {
	opt := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for page := 1; page <= maxCommentPages; page++ {
		comments, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.name, pr.Number, opt)
		if err != nil {
			return nil, fmt.Errorf("list comments of #%d: %w", pr.Number, err)
		}
		for _, cm := range comments {
			if strings.EqualFold(cm.GetUser().GetLogin(), pr.Author) && lastLine(cm.GetBody()) == recurrenceMarker(fingerprint) {
				return cm, nil
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return nil, nil
}

// lastLine is body's last non-blank line without trailing blanks.
func lastLine(body string) string {
	body = strings.TrimRightFunc(body, unicode.IsSpace)
	return strings.TrimRight(body[strings.LastIndexByte(body, '\n')+1:], " \t\r")
}

// shown is what a recurrence comment last said.
type shown struct {
	events, users int
	seen          time.Time
	runs          int
}

// same reports whether r brings no news over what the comment shows.
func (s shown) same(r Recurrence) bool {
	return s.events == r.Events && s.users == r.Users && s.seen.Equal(seenAt(r.LastSeen))
}

// seenAt is a last sighting as the comment stores it: UTC seconds.
func seenAt(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Second)
}

// parseRecurrence reads the hidden values of a recurrence comment: the
// line just above the marker. ok is false when they are missing or garbled.
func parseRecurrence(body string) (shown, bool) {
	lines := splitLines(strings.TrimRightFunc(body, unicode.IsSpace))
	if len(lines) < 2 {
		return shown{}, false
	}
	m := match(recurrenceData, lines[len(lines)-2])
	if m == nil {
		return shown{}, false
	}
	var s shown
	var err1, err2, err3, err4 error
	s.events, err1 = strconv.Atoi(m[1])
	s.users, err2 = strconv.Atoi(m[2])
	s.runs, err3 = strconv.Atoi(m[4])
	if m[3] != "-" {
		s.seen, err4 = time.Parse(time.RFC3339, m[3])
	}
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return shown{}, false
	}
	return s, true
}

// recurrenceBody renders the comment.
func recurrenceBody(fingerprint string, r Recurrence, runs int) string {
	seen, seenData := "unknown", "-"
	if t := seenAt(r.LastSeen); !t.IsZero() {
		seen, seenData = t.Format("2006-01-02 15:04 UTC"), t.Format(time.RFC3339)
	}
	count := func(n int) string {
		if n <= 0 {
			return "unknown"
		}
		return strconv.Itoa(n)
	}
	var b strings.Builder
	b.WriteString("**The error this pull request fixes fired again.**\n\n")
	b.WriteString("| Events | Users | Last seen | Runs that brought news | Updated |\n|---:|---:|---|---:|---|\n")
	fmt.Fprintf(&b, "| %s | %s | %s | %d | %s |\n\n", count(r.Events), count(r.Users), seen, runs, r.Now.UTC().Format("2006-01-02 15:04 UTC"))
	b.WriteString("dawnpatch keeps this comment up to date instead of posting new ones.\n\n")
	fmt.Fprintf(&b, "<!-- dawnpatch:recurrence-data events=%d users=%d seen=%s runs=%d -->\n", max(r.Events, 0), max(r.Users, 0), seenData, runs)
	b.WriteString(recurrenceMarker(fingerprint))
	return b.String()
}

// NoteRecurrence adds a short comment to the open pull request that the
// error fired again, at most once per gap: it lists the comments made since
// now-gap (one call) and comments only when none of them is such a note.
// It reports whether it commented.
//
// Deprecated: it posts a new comment, and a notification, per gap, and
// trusts anyone's comment carrying its marker. Use RecordRecurrence, which
// edits one comment of dawnpatch's in place.
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

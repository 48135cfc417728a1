package sentryapi

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

var (
	numericID   = regexp.MustCompile(`^[0-9]{1,20}$`)
	shortID     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}-[A-Za-z0-9]{1,20}$`)
	projectSlug = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$`)
	statsPeriod = regexp.MustCompile(`^[0-9]{1,6}[smhdw]$`)
)

// ValidIssueID returns nil when id is a Sentry issue id: digits (1341191803)
// or a short id (PUMP-STATION-1). Use it on ids from untrusted payloads
// before anything else is done with them.
func ValidIssueID(id string) error {
	if numericID.MatchString(id) || shortID.MatchString(id) {
		return nil
	}
	return fmt.Errorf("issue id %q: want digits or a short id like PROJ-1A", truncate(id, 64))
}

// projectParam returns the query parameter that filters by projects:
// "project" for numeric ids (and -1, all projects), "projectSlug" for slugs.
func projectParam(projects []string) (string, error) {
	var ids, slugs int
	for _, p := range projects {
		switch {
		case p == "-1" || numericID.MatchString(p):
			ids++
		case projectSlug.MatchString(p):
			slugs++
		default:
			return "", fmt.Errorf("project %q: want a numeric project id or a slug", truncate(p, 64))
		}
	}
	switch {
	case ids > 0 && slugs > 0:
		return "", fmt.Errorf("projects %q: mix numeric ids and slugs; Sentry takes one kind per request", projects)
	case slugs > 0:
		return "projectSlug", nil
	}
	return "project", nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

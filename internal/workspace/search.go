package workspace

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// maxPattern caps the length of a search pattern.
const maxPattern = 512

// Query is a search over the checkout's text files.
type Query struct {
	// Pattern is a fixed string, or an RE2 regular expression when Regex
	// is set. It is matched against each line, case-sensitively.
	Pattern string
	Regex   bool
	// Glob, when set, keeps only files whose repository-relative path (or,
	// for a pattern without a slash, whose base name) matches this
	// doublestar pattern, such as "**/*.go" or "*_test.go".
	Glob string
	// Max caps the matches returned; zero means 50.
	Max int
}

// Match is one matching line.
type Match struct {
	File string
	Line int
	// Text is the line, cut at 240 bytes.
	Text string
}

// SearchResult holds the first matches in path order and counts the rest.
type SearchResult struct {
	Matches []Match
	// More counts matches found beyond Max.
	More int
	// Skipped counts files not searched: binary or over MaxScanFileBytes.
	Skipped int
}

// Search finds the lines of the checkout's text files that match q. It
// skips .git, dependency directories, symlinks and binary or large files.
func (w *Workspace) Search(ctx context.Context, q Query) (*SearchResult, error) {
	match, err := q.matcher()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	keep, err := globFilter(q.Glob)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	limit := q.Max
	if limit <= 0 {
		limit = 50
	}
	res := &SearchResult{}
	err = w.walkFiles(ctx, func(rel string) error {
		if !keep(rel) {
			return nil
		}
		text, ok := w.scanText(rel)
		if !ok {
			res.Skipped++
			return nil
		}
		res.add(rel, text, match, limit)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// add records the matching lines of one file.
func (r *SearchResult) add(rel, text string, match func(string) bool, limit int) {
	for i, line := range splitLines(text) {
		if !match(line) {
			continue
		}
		if len(r.Matches) >= limit {
			r.More++
			continue
		}
		r.Matches = append(r.Matches, Match{File: rel, Line: i + 1, Text: shortLine(line)})
	}
}

// matcher compiles the query's pattern.
func (q Query) matcher() (func(string) bool, error) {
	switch {
	case q.Pattern == "":
		return nil, errors.New("empty pattern")
	case len(q.Pattern) > maxPattern:
		return nil, fmt.Errorf("pattern of %d bytes, over the %d-byte cap", len(q.Pattern), maxPattern)
	case !q.Regex:
		p := q.Pattern
		return func(s string) bool { return strings.Contains(s, p) }, nil
	}
	re, err := regexp.Compile(q.Pattern)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", q.Pattern, err)
	}
	return re.MatchString, nil
}

// globFilter returns a filter for a doublestar glob; "" keeps every path.
// A glob that climbs out (".." or an absolute path) is refused.
func globFilter(glob string) (func(string) bool, error) {
	if glob == "" {
		return func(string) bool { return true }, nil
	}
	if strings.HasPrefix(glob, "/") || glob == ".." || strings.HasPrefix(glob, "../") || strings.Contains(glob, "/../") {
		return nil, fmt.Errorf("glob %q: %w", glob, ErrOutside)
	}
	if !doublestar.ValidatePattern(glob) {
		return nil, fmt.Errorf("glob %q: not a valid pattern", glob)
	}
	base := !strings.Contains(glob, "/")
	return func(rel string) bool {
		if base {
			i := strings.LastIndexByte(rel, '/')
			return doublestar.MatchUnvalidated(glob, rel[i+1:])
		}
		return doublestar.MatchUnvalidated(glob, rel)
	}, nil
}

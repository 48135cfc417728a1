package eval

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/judge"
)

// KnownFailure is a wrong fix of the real-world corpus that the project
// knows reaches a pull request when the judge is fooled, with the judge's
// rubric line that must catch it.
type KnownFailure struct {
	// Case is bug/case, as the table names it.
	Case string `json:"case"`
	// Criterion is the judge criterion of the rubric line.
	Criterion string `json:"criterion"`
	// Rubric is the rubric line as the known-failures table quotes it.
	Rubric string `json:"rubric"`
	// Why says why every layer before the judge lets it through.
	Why string `json:"why"`
}

// knownHeading starts the section of the known-failures table.
const knownHeading = "## Known failures"

// ReadKnown reads the known-failures table of a Markdown file (see
// docs/realworld.md): under the heading "## Known failures", a table whose
// rows are | bug/case | rubric line | why |. The rubric line must start with
// a judge criterion in backquotes (`root_cause`: …).
func ReadKnown(path string) ([]KnownFailure, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read known failures: %w", err)
	}
	known, err := ParseKnown(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return known, nil
}

// ParseKnown parses the known-failures table of a Markdown text.
func ParseKnown(text string) ([]KnownFailure, error) {
	_, section, ok := strings.Cut("\n"+text, "\n"+knownHeading+"\n")
	if !ok {
		return nil, fmt.Errorf("no %q section", knownHeading)
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	var out []KnownFailure
	var errs []error
	rows := 0
	for i, line := range strings.Split(section, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			continue
		}
		if rows++; rows <= 2 { // the header and its separator
			continue
		}
		k, err := knownRow(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("known failures, line %d of the section: %w", i+1, err))
			continue
		}
		if slices.ContainsFunc(out, func(o KnownFailure) bool { return o.Case == k.Case }) {
			errs = append(errs, fmt.Errorf("known failures: %s is listed twice", k.Case))
		}
		out = append(out, k)
	}
	return out, errors.Join(errs...)
}

// knownRow reads one row of the table.
func knownRow(line string) (KnownFailure, error) {
	cells := strings.Split(strings.Trim(line, "|"), "|")
	if len(cells) != 3 {
		return KnownFailure{}, fmt.Errorf("want 3 cells (case, rubric line, why), got %d", len(cells))
	}
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	k := KnownFailure{Case: strings.Trim(cells[0], "`"), Rubric: cells[1], Why: cells[2]}
	if bug, c, ok := strings.Cut(k.Case, "/"); !ok || bug == "" || c == "" {
		return k, fmt.Errorf("case %q: want bug/case", k.Case)
	}
	if strings.HasPrefix(k.Rubric, "`") {
		k.Criterion, _, _ = strings.Cut(k.Rubric[1:], "`")
	}
	if !isCriterion(k.Criterion) {
		return k, fmt.Errorf("%s: the rubric line must start with a judge criterion in backquotes, got %q", k.Case, k.Rubric)
	}
	return k, nil
}

// isCriterion reports whether name is one of the judge's criteria.
func isCriterion(name string) bool {
	for _, c := range judge.Criteria {
		if c.Name == name {
			return true
		}
	}
	return false
}

// CheckKnown reports known failures that name no case of the corpus.
func CheckKnown(known []KnownFailure, cases []RealCase) error {
	var errs []error
	for _, k := range known {
		if !slices.ContainsFunc(cases, func(c RealCase) bool { return c.ID() == k.Case }) {
			errs = append(errs, fmt.Errorf("known failure %s: no such case in the corpus", k.Case))
		}
	}
	return errors.Join(errs...)
}

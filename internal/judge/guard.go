package judge

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"

	"github.com/dawnpatch/dawnpatch/internal/lang"
	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// DefaultMaxDistance is the distance in lines used when
// GuardInput.MaxDistance is zero or negative.
const DefaultMaxDistance = 80

// Severity is what a finding does to the attempt. The zero value stops it.
type Severity int

const (
	// Stop rejects the attempt: the fix breaks a rule no fix may break, and
	// the fixer gets the finding as feedback.
	Stop Severity = iota
	// Note does not reject the attempt. It points the judge and the fixer
	// at a shape a rule cannot call wrong on its own, such as a narrow catch
	// with a fallback value or an edited assertion, with what it found.
	Note
)

// Finding is one deterministic observation about a diff. Findings are
// values, not errors: a Stop finding rejects the diff, a Note is context.
type Finding struct {
	// Rule names the guard, e.g. "swallowed-error" or "protected-path".
	Rule string
	// Severity says whether the finding stops the attempt.
	Severity Severity
	// File is the repository-relative path the finding is about; it is
	// empty for findings about the whole diff (the size caps).
	File string
	// Line is a line in the new file, 0 for file-level findings. For a
	// deletion it is the new line where the removed lines used to be.
	Line int
	// Message says what is wrong, for a person and for the fixer.
	Message string
}

// String formats f as "file:line: rule: message", or "rule: message" when
// it is about the whole diff. A Note's rule is followed by " (note)".
func (f Finding) String() string {
	rule := f.Rule
	if f.Severity == Note {
		rule += " (note)"
	}
	if f.File == "" {
		return fmt.Sprintf("%s: %s", rule, f.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, rule, f.Message)
}

// Stops returns the findings that stop the attempt, in order.
func Stops(fs []Finding) []Finding {
	return bySeverity(fs, Stop)
}

// Notes returns the findings that are context only, in order.
func Notes(fs []Finding) []Finding {
	return bySeverity(fs, Note)
}

// bySeverity returns the findings of fs with severity s.
func bySeverity(fs []Finding, s Severity) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// TestRef names a test: the file that holds it and its name (a Go, Python,
// Java, C# or PHP function name, or a JavaScript or Ruby test title).
type TestRef struct{ File, Name string }

// GuardInput is what the deterministic guards look at. The zero value of
// every optional field switches its rule off or takes the documented default.
type GuardInput struct {
	// Diff is the unified diff of the whole change, as git diff writes it.
	Diff string
	// Protected lists doublestar globs no change may touch; the caller
	// includes patch.DefaultProtected(). Allowed, when not empty, lists the
	// only paths a change may touch.
	Protected, Allowed []string
	// MaxFiles and MaxChangedLines cap the diff. Zero means the patch
	// package's defaults; negative means no cap.
	MaxFiles, MaxChangedLines int
	// KnownImports reports whether the repository already uses an import:
	// lang is "go", "python" or "javascript"; importPath is the full Go import path,
	// the top-level Python module, or the npm package name (with its scope).
	// Nil switches the new-import rule off.
	KnownImports func(l lang.Language, importPath string) bool
	// FrameFiles are the repository-relative files of the incident's in-app
	// frames; FrameLines maps a file to its frame lines (base numbering).
	// Without frame files the unrelated-edit rules are off.
	FrameFiles []string
	FrameLines map[string][]int
	// MaxDistance is how far, in lines, a hunk in a frame file may be from
	// every frame line of that file. Zero or negative means DefaultMaxDistance.
	MaxDistance int
	// RegressionTest names the test the fix adds; its body, when the diff
	// shows it whole, must assert something. A zero Name skips the rule.
	RegressionTest TestRef
}

// fileRule checks one changed file; diffRule checks the whole diff.
type (
	fileRule func(in *GuardInput, fd *fileDiff) []Finding
	diffRule func(in *GuardInput, files []*fileDiff) []Finding
)

// Guard runs every deterministic guard over in.Diff and returns all the
// findings, Stop and Note alike, sorted by file, line and rule; use Stops
// to decide and Notes to inform. The error is only for a diff that cannot
// be parsed or a bad glob pattern.
func Guard(in GuardInput) ([]Finding, error) {
	files, err := parseDiff(in.Diff)
	if err != nil {
		return nil, err
	}
	if err := validatePatterns(in.Protected, in.Allowed); err != nil {
		return nil, err
	}
	fileRules := []fileRule{checkPaths, checkSwallowed, checkTests, checkImports, checkScope}
	diffRules := []diffRule{checkSize, checkRegressionTest, checkDeletedTests}
	var out []Finding
	for _, fd := range files {
		for _, rule := range fileRules {
			out = append(out, rule(&in, fd)...)
		}
	}
	for _, rule := range diffRules {
		out = append(out, rule(&in, files)...)
	}
	sortFindings(out)
	return out, nil
}

// sortFindings orders findings by file, line, rule and message.
func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			strings.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Message, b.Message),
		)
	})
}

// caps resolves the size caps the way package patch does.
func (in *GuardInput) caps() (maxFiles, maxLines int) {
	maxFiles, maxLines = in.MaxFiles, in.MaxChangedLines
	if maxFiles == 0 {
		maxFiles = patch.DefaultMaxFiles
	}
	if maxLines == 0 {
		maxLines = patch.DefaultMaxChangedLines
	}
	return maxFiles, maxLines
}

// maxDistance resolves MaxDistance.
func (in *GuardInput) maxDistance() int {
	if in.MaxDistance <= 0 {
		return DefaultMaxDistance
	}
	return in.MaxDistance
}

// findingAt builds a finding about fd.
func (fd *fileDiff) findingAt(rule string, line int, format string, args ...any) Finding {
	return Finding{Rule: rule, File: fd.path, Line: line, Message: fmt.Sprintf(format, args...)}
}

// fileMode is how gitdiff reports modes: the octal bits git writes.
const (
	modeTypeMask = 0o170000
	modeSymlink  = 0o120000
)

// isSymlink reports whether either side of f is a symbolic link.
func isSymlink(f *gitdiff.File) bool {
	return f.OldMode&modeTypeMask == modeSymlink || f.NewMode&modeTypeMask == modeSymlink
}

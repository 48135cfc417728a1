package patch

import (
	"fmt"

	"github.com/bmatcuk/doublestar/v4"
)

// Default caps applied when a Limits field is zero.
const (
	DefaultMaxFiles        = 10
	DefaultMaxChangedLines = 400
)

// Limits bounds what a patch may touch. Patterns are doublestar/v4 globs
// over repository-relative slash paths.
type Limits struct {
	// MaxFiles caps the number of distinct files edited. Zero means
	// DefaultMaxFiles; negative means no cap.
	MaxFiles int
	// MaxChangedLines caps the removed plus added lines over all edits.
	// Zero means DefaultMaxChangedLines; negative means no cap.
	MaxChangedLines int
	// Protected paths may not be edited. Nil means DefaultProtected(); an
	// empty non-nil slice protects nothing.
	Protected []string
	// Allowed, when not empty, lists the only paths that may be edited.
	Allowed []string
}

// DefaultProtected returns the paths no patch may touch: CI and automation
// configuration, build and dependency manifests, ownership and instructions
// for agents.
func DefaultProtected() []string {
	return []string{
		".github/**", "action.yml", "action.yaml", ".gitlab-ci.yml", ".circleci/**",
		".buildkite/**", ".travis.yml", "azure-pipelines.yml", "**/Jenkinsfile",
		"**/CODEOWNERS", "**/Dockerfile*", "**/Makefile", "**/.dockerignore",
		"**/go.mod", "**/go.sum", "**/go.work", "**/go.work.sum",
		"**/package.json", "**/package-lock.json", "**/yarn.lock", "**/pnpm-lock.yaml", "**/.npmrc",
		"**/requirements*.txt", "**/pyproject.toml", "**/poetry.lock", "**/Pipfile*", "**/setup.py", "**/setup.cfg",
		"**/Gemfile*", "**/Cargo.*",
		"**/AGENTS.md", "**/CLAUDE.md", "**/.cursorrules", "**/.cursor/**",
		".gitmodules", "**/.gitattributes", "**/.git/**",
	}
}

// resolved fills in the documented defaults and checks the patterns.
func (l Limits) resolved() (Limits, error) {
	if l.MaxFiles == 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	if l.MaxChangedLines == 0 {
		l.MaxChangedLines = DefaultMaxChangedLines
	}
	if l.Protected == nil {
		l.Protected = DefaultProtected()
	}
	for _, p := range append(append([]string{}, l.Protected...), l.Allowed...) {
		if !doublestar.ValidatePattern(p) {
			return l, fmt.Errorf("bad path pattern %q", p)
		}
	}
	return l, nil
}

// matchAny returns the first pattern that matches path, or "".
func matchAny(patterns []string, path string) string {
	for _, p := range patterns {
		if doublestar.MatchUnvalidated(p, path) {
			return p
		}
	}
	return ""
}

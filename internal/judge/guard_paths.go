package judge

import (
	"fmt"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// Path and size rule names.
const (
	ruleProtected     = "protected-path"
	ruleOutsideAllow  = "outside-allowed"
	ruleBinary        = "binary-file"
	ruleSymlink       = "symlink"
	ruleTooManyFiles  = "too-many-files"
	ruleTooManyLines  = "too-many-lines"
	ruleUnrelatedFile = "unrelated-file"
	ruleFarFromFrames = "far-from-frames"
)

// validatePatterns checks every glob before any is matched.
func validatePatterns(lists ...[]string) error {
	for _, list := range lists {
		for _, p := range list {
			if !doublestar.ValidatePattern(p) {
				return fmt.Errorf("guard: bad path pattern %q", p)
			}
		}
	}
	return nil
}

// names returns the distinct paths f touches (both sides of a rename).
func (fd *fileDiff) names() []string {
	out := []string{}
	for _, n := range []string{fd.f.OldName, fd.f.NewName} {
		if n != "" && (len(out) == 0 || out[0] != n) {
			out = append(out, n)
		}
	}
	return out
}

// checkPaths reports protected paths (matched as patch.ProtectedBy
// matches them, ignoring case), paths outside the allowed ones (matched
// exactly: a path that differs from an allowed one only in case is
// outside), binary files and symbolic links.
func checkPaths(in *GuardInput, fd *fileDiff) []Finding {
	var out []Finding
	for _, name := range fd.names() {
		if p := patch.ProtectedBy(in.Protected, name); p != "" {
			out = append(out, fd.findingAt(ruleProtected, 0, "%s matches the protected pattern %q", name, p))
		}
		if len(in.Allowed) > 0 && matchAny(in.Allowed, name) == "" {
			out = append(out, fd.findingAt(ruleOutsideAllow, 0, "%s is outside the allowed paths", name))
		}
	}
	if fd.f.IsBinary {
		out = append(out, fd.findingAt(ruleBinary, 0, "binary file changed"))
	}
	if isSymlink(fd.f) {
		out = append(out, fd.findingAt(ruleSymlink, 0, "symbolic link changed (mode 120000)"))
	}
	return out
}

// matchAny returns the first pattern that matches name exactly, or "".
func matchAny(patterns []string, name string) string {
	for _, p := range patterns {
		if doublestar.MatchUnvalidated(p, name) {
			return p
		}
	}
	return ""
}

// checkSize reports a diff over the file or changed-line caps.
func checkSize(in *GuardInput, files []*fileDiff) []Finding {
	maxFiles, maxLines := in.caps()
	var out []Finding
	if maxFiles >= 0 && len(files) > maxFiles {
		out = append(out, Finding{Rule: ruleTooManyFiles,
			Message: fmt.Sprintf("%d files changed, over the cap of %d", len(files), maxFiles)})
	}
	lines := 0
	for _, fd := range files {
		lines += fd.added + fd.removed
	}
	if maxLines >= 0 && lines > maxLines {
		out = append(out, Finding{Rule: ruleTooManyLines,
			Message: fmt.Sprintf("%d lines changed, over the cap of %d", lines, maxLines)})
	}
	return out
}

package workspace

import (
	"path"
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// buildPrefixes are directories that builds commonly check sources out into;
// a reported path that starts with one is tried without it.
var buildPrefixes = []string{"/github/workspace/", "/workspace/", "/app/", "/src/"}

// dependencyDirs are path components that mark third-party code.
var dependencyDirs = map[string]bool{
	"vendor": true, "node_modules": true, "site-packages": true, "dist-packages": true,
}

// gorootPrefixes mark the Go standard library.
var gorootPrefixes = []string{"$GOROOT/", "/usr/local/go/", "/usr/lib/go", "/usr/share/go", "/opt/go/"}

// Resolve maps a stack frame to the repository-relative slash path of an
// existing regular file in the checkout, or reports false. It tries, in
// order: the Go package path under the module prefix plus the file's base
// name; the reported paths with build-machine prefixes stripped; and the
// longest suffix of the reported paths that exists. Frames in the module
// cache, GOROOT, vendor or other dependency directories never resolve, nor
// does anything outside the checkout or in .git.
func (w *Workspace) Resolve(f incident.Frame) (string, bool) {
	for _, c := range w.candidates(f) {
		rel, ok := w.regularFile(c)
		if !ok {
			continue
		}
		// A match on the bare file name alone (main.go, utils.py) is weak:
		// another program's file of the same name would match too. Take
		// it only when the file declares the frame's function.
		if !strings.Contains(c, "/") && strings.Contains(framePaths(f)[0], "/") && !w.declares(rel, f.Function) {
			continue
		}
		return rel, true
	}
	return "", false
}

// closure matches the closure and generic suffixes Go adds to a name.
var closure = regexp.MustCompile(`(\.func\d+|\.gowrap\d+|\[\.\.\.\])+$`)

// declares reports whether file rel looks like it defines function fn:
// its last name (without receiver or closure suffixes) appears there as a
// word followed by an opening parenthesis.
func (w *Workspace) declares(rel, fn string) bool {
	name := closure.ReplaceAllString(fn, "")
	if i := strings.LastIndexAny(name, "./:"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Trim(name, "()*<> ")
	if name == "" {
		return false
	}
	data, err := w.readFile(rel)
	if err != nil {
		return false
	}
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(name) + `\s*[(=:]`)
	return err == nil && re.Match(data)
}

// candidates lists the repository paths a frame may name, best first.
func (w *Workspace) candidates(f incident.Frame) []string {
	paths := framePaths(f)
	if len(paths) == 0 || w.foreign(f, paths) {
		return nil
	}
	var out []string
	if c := w.fromPackage(f.Module, paths[0]); c != "" {
		out = append(out, c)
	}
	for _, p := range paths {
		if s := w.stripPrefix(p); s != "" {
			out = append(out, s)
		}
		out = append(out, suffixes(p)...)
	}
	return out
}

// framePaths returns the frame's reported paths with forward slashes.
func framePaths(f incident.Frame) []string {
	var out []string
	for _, p := range []string{f.File, f.AbsPath} {
		p = strings.ReplaceAll(p, `\`, "/")
		if p != "" && (len(out) == 0 || out[0] != p) {
			out = append(out, p)
		}
	}
	return out
}

// foreign reports whether a frame is third-party or standard-library code.
func (w *Workspace) foreign(f incident.Frame, paths []string) bool {
	for _, p := range paths {
		if isDependencyPath(p) {
			return true
		}
	}
	if w.module == "" || f.Module == "" || f.Module == "main" || !strings.HasSuffix(paths[0], ".go") {
		return false
	}
	_, ok := w.packageDir(f.Module)
	return !ok
}

// isDependencyPath reports whether p lies in a module cache, GOROOT or a
// dependency directory.
func isDependencyPath(p string) bool {
	if strings.Contains(p, "/pkg/mod/") || strings.HasPrefix(p, "pkg/mod/") ||
		strings.Contains(p, "/hostedtoolcache/go/") {
		return true
	}
	for _, pre := range gorootPrefixes {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	for part := range strings.SplitSeq(p, "/") {
		if dependencyDirs[part] {
			return true
		}
	}
	return false
}

// packageDir maps a Go package path inside the module to its directory.
func (w *Workspace) packageDir(pkg string) (string, bool) {
	pkg = strings.TrimSuffix(pkg, "_test")
	switch {
	case w.module == "":
		return "", false
	case pkg == w.module:
		return ".", true
	case strings.HasPrefix(pkg, w.module+"/"):
		return strings.TrimPrefix(pkg, w.module+"/"), true
	}
	return "", false
}

// fromPackage joins the package directory and the file's base name.
func (w *Workspace) fromPackage(pkg, file string) string {
	dir, ok := w.packageDir(pkg)
	if !ok {
		return ""
	}
	return path.Join(dir, path.Base(file))
}

// stripPrefix removes a GOPATH, -trimpath or build-directory prefix from p,
// or returns "" when none applies.
func (w *Workspace) stripPrefix(p string) string {
	if w.module != "" {
		if i := strings.Index(p, "/src/"+w.module+"/"); i >= 0 {
			return p[i+len("/src/"+w.module+"/"):]
		}
		if strings.HasPrefix(p, w.module+"/") {
			return strings.TrimPrefix(p, w.module+"/")
		}
	}
	for _, pre := range buildPrefixes {
		if strings.HasPrefix(p, pre) {
			return strings.TrimPrefix(p, pre)
		}
	}
	return ""
}

// suffixes returns the path suffixes of p, longest first.
func suffixes(p string) []string {
	var parts []string
	for part := range strings.SplitSeq(p, "/") {
		if part != "" && part != "." {
			parts = append(parts, part)
		}
	}
	out := make([]string, 0, len(parts))
	for i := range parts {
		out = append(out, strings.Join(parts[i:], "/"))
	}
	return out
}

package workspace

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// KnownImport reports whether the repository already depends on an import,
// so a fix that brings in a new dependency can be told apart from one that
// uses what is there. l is Go, Python or JavaScript, as judge.Guard asks:
// Go gets the import path, Python the top-level module, JavaScript the
// package name.
func (w *Workspace) KnownImport(l lang.Language, imp string) bool {
	switch l {
	case lang.Go:
		return w.knownGo(imp)
	case lang.Python:
		return w.exists(imp) || w.exists(imp+".py") || w.exists(filepath.Join("src", imp)) || w.manifestMentions(imp, "requirements.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile")
	case lang.JavaScript:
		return w.manifestMentions(`"`+imp+`"`, "package.json")
	}
	return false
}

// knownGo: the module's own packages, and modules go.mod requires.
func (w *Workspace) knownGo(imp string) bool {
	if w.module != "" && (imp == w.module || strings.HasPrefix(imp, w.module+"/")) {
		return true
	}
	data, err := w.readFile("go.mod")
	if err != nil {
		return false
	}
	for _, m := range requireLine.FindAllStringSubmatch(string(data), -1) {
		if imp == m[1] || strings.HasPrefix(imp, m[1]+"/") {
			return true
		}
	}
	return false
}

// requireLine matches a module path in go.mod's require lines and blocks.
var requireLine = regexp.MustCompile(`(?m)^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]{2,}(?:/[^\s]+)?)\s+v\d`)

func (w *Workspace) exists(rel string) bool {
	_, err := os.Stat(filepath.Join(w.root, filepath.FromSlash(path.Clean(rel))))
	return err == nil && !strings.Contains(rel, "..")
}

// manifestMentions reports whether any of the manifests holds needle.
func (w *Workspace) manifestMentions(needle string, manifests ...string) bool {
	for _, m := range manifests {
		if data, err := w.readFile(m); err == nil && strings.Contains(string(data), needle) {
			return true
		}
	}
	return false
}

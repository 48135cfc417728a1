package judge

import (
	"regexp"
	"slices"
	"strings"
)

// ruleNewImport names the new-dependency findings.
const ruleNewImport = "new-import"

// pythonStdlib is a short list of the standard-library modules a fix is
// likely to import. A module missing from it is asked about through
// KnownImports, so the list only saves questions; it need not be complete.
var pythonStdlib = []string{
	"__future__", "abc", "argparse", "asyncio", "base64", "collections", "contextlib",
	"copy", "csv", "dataclasses", "datetime", "decimal", "enum", "functools", "glob",
	"hashlib", "http", "io", "itertools", "json", "logging", "math", "operator", "os",
	"pathlib", "random", "re", "shutil", "string", "subprocess", "sys", "tempfile",
	"threading", "time", "traceback", "typing", "unittest", "urllib", "uuid", "warnings",
}

// nodeCore lists Node's core modules, which also resolve without "node:".
var nodeCore = []string{
	"assert", "async_hooks", "buffer", "child_process", "cluster", "crypto", "dgram",
	"dns", "events", "fs", "http", "http2", "https", "module", "net", "os", "path",
	"perf_hooks", "process", "querystring", "readline", "stream", "string_decoder",
	"timers", "tls", "url", "util", "v8", "vm", "worker_threads", "zlib",
}

var (
	goImportLine = regexp.MustCompile(`^\s*(import\s+)?([\w.]+\s+)?"([^"]+)"\s*(//.*)?$`)
	pyImport     = regexp.MustCompile(`^\s*import\s+(.+)$`)
	pyFrom       = regexp.MustCompile(`^\s*from\s+([\w.]+)\s+import\b`)
	jsImports    = []*regexp.Regexp{
		regexp.MustCompile(`^\s*(?:import|export)\b.*\bfrom\s+['"]([^'"]+)['"]`),
		regexp.MustCompile(`^\s*\}\s*from\s+['"]([^'"]+)['"]`),
		regexp.MustCompile(`^\s*import\s+['"]([^'"]+)['"]`),
		regexp.MustCompile(`\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)`),
	}
)

// checkImports reports imports of packages the repository does not use
// yet. Standard-library imports are always fine.
func checkImports(in *GuardInput, fd *fileDiff) []Finding {
	if in.KnownImports == nil {
		return nil
	}
	return newHits(fd, ruleNewImport, func(sc scan, i int) (hit, bool) {
		for _, imp := range importsOf(sc, i) {
			if !in.KnownImports(sc.lang, imp) {
				return hit{start: i, end: i, msg: "imports " + imp + ", which the repository does not use yet"}, true
			}
		}
		return hit{}, false
	})
}

// importsOf returns the non-standard imports line i declares, named as
// KnownImports expects them.
func importsOf(sc scan, i int) []string {
	text, lang := sc.s[i].text, sc.lang
	var out []string
	switch lang {
	case "go":
		m := goImportLine.FindStringSubmatch(text)
		if m != nil && (m[1] != "" || inGoImportBlock(sc, i)) && !goStdlib(m[3]) {
			out = append(out, m[3])
		}
	case "python":
		out = pythonImports(code(text, lang))
	case "javascript":
		for _, re := range jsImports {
			if m := re.FindStringSubmatch(text); m != nil {
				if pkg := npmPackage(m[1]); pkg != "" {
					out = append(out, pkg)
				}
				break
			}
		}
	}
	return out
}

// inGoImportBlock reports whether line i is inside an import block: the
// nearest unindented line above it (or git's function line for the hunk)
// opens one.
func inGoImportBlock(sc scan, i int) bool {
	for k := i - 1; k >= 0; k-- {
		t := sc.s[k].text
		if t != "" && indentOf(t) == 0 {
			return strings.HasPrefix(t, "import (")
		}
	}
	return strings.HasPrefix(sc.comment, "import (")
}

// goStdlib reports whether a Go import path is in the standard library:
// its first element has no dot.
func goStdlib(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// pythonImports returns the top-level modules an import line names,
// leaving out relative imports and the standard library.
func pythonImports(line string) []string {
	var mods []string
	if m := pyFrom.FindStringSubmatch(line); m != nil {
		mods = []string{m[1]}
	} else if m := pyImport.FindStringSubmatch(line); m != nil {
		for _, part := range strings.Split(m[1], ",") {
			if f := strings.Fields(part); len(f) > 0 {
				mods = append(mods, f[0])
			}
		}
	}
	var out []string
	for _, m := range mods {
		top, _, _ := strings.Cut(m, ".")
		if top != "" && !slices.Contains(pythonStdlib, top) {
			out = append(out, top)
		}
	}
	return out
}

// npmPackage returns the package a module specifier names ("@scope/name"
// or "name"), or "" for a relative path or a Node core module.
func npmPackage(spec string) string {
	if strings.HasPrefix(spec, ".") || strings.HasPrefix(spec, "/") || strings.HasPrefix(spec, "node:") {
		return ""
	}
	parts := strings.SplitN(spec, "/", 3)
	if strings.HasPrefix(spec, "@") && len(parts) >= 2 {
		return parts[0] + "/" + parts[1]
	}
	if slices.Contains(nodeCore, parts[0]) {
		return ""
	}
	return parts[0]
}

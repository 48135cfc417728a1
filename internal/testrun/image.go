package testrun

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Image is the container image a repository's tests run in, and why.
type Image struct {
	// Name is the image reference, e.g. golang:1.24.3.
	Name string
	// Reason says where the choice came from, for the summary.
	Reason string
}

// Default images when a repository pins no version: current releases
// with long support.
const (
	defaultGo     = "golang:1.26"
	defaultPython = "python:3.13"
	defaultNode   = "node:22"
)

// knownPython and knownNode are the releases a version range is matched
// against, newest first: the newest one the range allows is taken.
var (
	knownPython = []string{"3.14", "3.13", "3.12", "3.11", "3.10", "3.9", "3.8"}
	knownNode   = []string{"24", "22", "20", "18"}
	// nodeLTS maps the codenames .nvmrc may hold to their major release.
	nodeLTS = map[string]string{"hydrogen": "18", "iron": "20", "jod": "22", "krypton": "24"}
)

// DeriveImage picks the official image for the repository in dir: the
// version its files pin (go.mod's toolchain or go line; .python-version,
// .tool-versions or requires-python; .nvmrc, .node-version, .tool-versions
// or package.json's engines.node), else a current default. The Reason
// names the file and what it says.
func DeriveImage(dir string, lang Language) Image {
	switch lang {
	case Go:
		return goImage(dir)
	case Python:
		return pythonImage(dir)
	case JavaScript:
		return nodeImage(dir)
	}
	return Image{}
}

// goVersionLine matches go.mod's toolchain and go directives.
var goVersionLine = regexp.MustCompile(`(?m)^\s*(toolchain\s+go|go\s+)(\d+\.\d+(?:\.\d+)?)\s*(?://.*)?$`)

func goImage(dir string) Image {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err == nil {
		var goLine, toolchain string
		for _, m := range goVersionLine.FindAllStringSubmatch(string(data), -1) {
			if strings.HasPrefix(m[1], "toolchain") {
				toolchain = m[2]
			} else {
				goLine = m[2]
			}
		}
		switch {
		case toolchain != "":
			return Image{"golang:" + toolchain, "go.mod's toolchain line says go" + toolchain}
		case goLine != "":
			return Image{"golang:" + goLine, "go.mod's go line says " + goLine}
		}
	}
	if v := toolVersion(dir, "golang", "go"); v != "" {
		return Image{"golang:" + v, ".tool-versions says golang " + v}
	}
	return Image{defaultGo, "no Go version pinned; the current release"}
}

func pythonImage(dir string) Image {
	if v := firstLine(dir, ".python-version"); pythonVersion.MatchString(v) {
		return Image{"python:" + v, ".python-version says " + v}
	}
	if v := toolVersion(dir, "python"); pythonVersion.MatchString(v) {
		return Image{"python:" + v, ".tool-versions says python " + v}
	}
	if spec, file := requiresPython(dir); spec != "" {
		if v := newestAllowed(knownPython, spec); v != "" {
			return Image{"python:" + v, fmt.Sprintf("%s's requires-python %q allows it", file, spec)}
		}
	}
	return Image{defaultPython, "no Python version pinned; a current release"}
}

var pythonVersion = regexp.MustCompile(`^3\.\d+(\.\d+)?$`)

// requiresPython returns the repository's Python version range and the
// file it is in.
var requiresPythonRE = []struct {
	file string
	re   *regexp.Regexp
}{
	{"pyproject.toml", regexp.MustCompile(`(?m)^\s*requires-python\s*=\s*["']([^"']+)["']`)},
	{"setup.cfg", regexp.MustCompile(`(?m)^\s*python_requires\s*=\s*(.+?)\s*$`)},
	{"setup.py", regexp.MustCompile(`python_requires\s*=\s*["']([^"']+)["']`)},
}

func requiresPython(dir string) (spec, file string) {
	for _, r := range requiresPythonRE {
		data, err := os.ReadFile(filepath.Join(dir, r.file))
		if err != nil {
			continue
		}
		if m := r.re.FindSubmatch(data); m != nil {
			return strings.TrimSpace(string(m[1])), r.file
		}
	}
	return "", ""
}

func nodeImage(dir string) Image {
	for _, f := range []string{".nvmrc", ".node-version"} {
		if v := nodeVersion(firstLine(dir, f)); v != "" {
			return Image{"node:" + v, f + " says " + firstLine(dir, f)}
		}
	}
	if v := nodeVersion(toolVersion(dir, "nodejs", "node")); v != "" {
		return Image{"node:" + v, ".tool-versions says nodejs " + v}
	}
	var pkg struct {
		Engines struct {
			Node string `json:"node"`
		} `json:"engines"`
	}
	if data, err := os.ReadFile(filepath.Join(dir, "package.json")); err == nil && json.Unmarshal(data, &pkg) == nil && pkg.Engines.Node != "" {
		if v := newestAllowed(knownNode, pkg.Engines.Node); v != "" {
			return Image{"node:" + v, fmt.Sprintf("package.json's engines.node %q allows it", pkg.Engines.Node)}
		}
	}
	return Image{defaultNode, "no Node.js version pinned; the current long-term support release"}
}

// nodeVersion turns what .nvmrc holds (20, v20.11.1, lts/iron) into an
// image tag, or "" for what it cannot (lts/*, node, a range).
func nodeVersion(v string) string {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if major, ok := nodeLTS[strings.TrimPrefix(strings.ToLower(v), "lts/")]; ok {
		return major
	}
	if regexp.MustCompile(`^\d+(\.\d+){0,2}$`).MatchString(v) {
		return v
	}
	return ""
}

// firstLine returns the first non-empty line of a file of the repository.
func firstLine(dir, name string) string {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	for l := range strings.Lines(string(data)) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}

// toolVersion returns the version .tool-versions (asdf, mise) gives one of
// the tool names.
func toolVersion(dir string, names ...string) string {
	data, err := os.ReadFile(filepath.Join(dir, ".tool-versions"))
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && !strings.HasPrefix(f[0], "#") {
			for _, n := range names {
				if f[0] == n {
					return f[1]
				}
			}
		}
	}
	return ""
}

// newestAllowed returns the first of known (newest first) that the version
// range allows, or "". It reads npm ranges (>=18, ^20, 18.x, >=18 <21,
// 18 || 20) and Python specifiers (>=3.9, <3.13, ~=3.10, !=3.11.*) on the
// major and minor numbers only.
func newestAllowed(known []string, spec string) string {
	for _, v := range known {
		if allows(spec, v) {
			return v
		}
	}
	return ""
}

// allows reports whether spec allows version v: any of its ||
// alternatives, each a set of comparators that must all hold.
func allows(spec, v string) bool {
	spec = opSpace.ReplaceAllString(spec, "$1")
	for _, alt := range strings.Split(spec, "||") {
		ok, any := true, false
		for _, c := range strings.FieldsFunc(alt, func(r rune) bool { return r == ',' || r == ' ' }) {
			any = true
			if !comparatorHolds(c, v) {
				ok = false
				break
			}
		}
		if ok && any {
			return true
		}
	}
	return false
}

// opSpace matches an operator followed by spaces (">= 18").
var opSpace = regexp.MustCompile(`([<>=!~^]+)\s+`)

var comparator = regexp.MustCompile(`^(>=|<=|==|!=|~=|>|<|=|\^|~)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(?:\d+|[xX*]))?$`)

// comparatorHolds checks one comparator against v, on major.minor.
func comparatorHolds(c, v string) bool {
	c = strings.TrimSuffix(c, ".*")
	m := comparator.FindStringSubmatch(c)
	if m == nil {
		return false
	}
	op, wantMajor, wantMinor := m[1], m[2], m[3]
	if wantMajor == "x" || wantMajor == "X" || wantMajor == "*" {
		return true
	}
	vMajor, vMinor := splitVersion(v)
	// A release named by its major alone (node's 20) stands for its newest
	// minor: only the majors are compared.
	major, _ := strconv.Atoi(wantMajor)
	minor, hasMinor := 0, wantMinor != "" && wantMinor != "x" && wantMinor != "X" && wantMinor != "*" && strings.Contains(v, ".")
	if hasMinor {
		minor, _ = strconv.Atoi(wantMinor)
	}
	cmp := compareVersion(vMajor, vMinor, major, minor, hasMinor)
	switch op {
	case ">=":
		return cmp >= 0
	case ">":
		return cmp > 0
	case "<=":
		return cmp <= 0
	case "<":
		return cmp < 0
	case "!=":
		return cmp != 0
	case "^", "~=":
		return vMajor == major && cmp >= 0
	case "~":
		return vMajor == major && (!hasMinor || vMinor == minor)
	}
	return cmp == 0 // "", "=", "=="
}

// splitVersion reads "3.12" or "20".
func splitVersion(v string) (major, minor int) {
	a, b, _ := strings.Cut(v, ".")
	major, _ = strconv.Atoi(a)
	minor, _ = strconv.Atoi(b)
	return major, minor
}

// compareVersion compares vMajor.vMinor with major(.minor): without a
// minor, only the majors count.
func compareVersion(vMajor, vMinor, major, minor int, hasMinor bool) int {
	switch {
	case vMajor != major:
		return vMajor - major
	case !hasMinor:
		return 0
	}
	return vMinor - minor
}

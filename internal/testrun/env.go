package testrun

import (
	"path/filepath"
	"strings"
)

// passThrough are the variables SandboxEnv copies when set.
var passThrough = []string{
	"GOFLAGS", "GOPROXY", "GONOSUMDB", "GOPRIVATE", "GOTOOLCHAIN", "LANG", "LC_ALL",
}

// SandboxEnv builds the environment for untrusted tests from an allow-list:
// PATH; HOME=home and TMPDIR=tmp (both must exist); CI=true; GOPATH,
// GOMODCACHE and GOCACHE from getenv or, when unset, derived from the real
// HOME the way the go command would, so the module and build caches stay
// shared across runs; and GOFLAGS, GOPROXY, GONOSUMDB, GOPRIVATE,
// GOTOOLCHAIN, LANG and LC_ALL when set. Nothing else reaches the tests: no
// GITHUB_*, INPUT_*, ACTIONS_*, RUNNER_* or token of any kind.
func SandboxEnv(getenv func(string) string, home, tmp string) []string {
	env := []string{"HOME=" + home, "TMPDIR=" + tmp, "CI=true"}
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PATH", getenv("PATH"))
	realHome := getenv("HOME")
	gopath := getenv("GOPATH")
	if gopath == "" && realHome != "" {
		gopath = filepath.Join(realHome, "go")
	}
	add("GOPATH", gopath)
	modcache := getenv("GOMODCACHE")
	if modcache == "" && gopath != "" {
		first, _, _ := strings.Cut(gopath, string(filepath.ListSeparator))
		modcache = filepath.Join(first, "pkg", "mod")
	}
	add("GOMODCACHE", modcache)
	add("GOCACHE", goCache(getenv))
	for _, k := range passThrough {
		add(k, getenv(k))
	}
	return env
}

// goCache returns GOCACHE, or the default the go command derives from
// XDG_CACHE_HOME or HOME, or "" when neither is set.
func goCache(getenv func(string) string) string {
	if c := getenv("GOCACHE"); c != "" {
		return c
	}
	if x := getenv("XDG_CACHE_HOME"); x != "" {
		return filepath.Join(x, "go-build")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache", "go-build")
	}
	return ""
}

package incident

import (
	"regexp"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// language returns the Incident language for a Sentry platform, falling back
// to the SDK name ("sentry.go", "sentry.javascript.node").
func language(platform, sdkName string) lang.Language {
	return lang.FromPlatform(platform, sdkName)
}

// dependencyPaths mark files in a dependency cache or a Go installation:
// never the application's code, whatever the SDK says.
var dependencyPaths = []string{
	"/pkg/mod/", "/site-packages/", "/dist-packages/", "/node_modules/",
	"/usr/local/go/src/", "/usr/lib/go/src/", "/usr/lib/golang/src/", "go/src/runtime/",
	"/goroot/src/", "$GOROOT/", "/opt/hostedtoolcache/go/", "/usr/local/Cellar/go/",
	"/Program Files/Go/src/",
}

// goVersionRoot matches a GOROOT named after its Go version:
// .../go1.22.1/src/ (golang.org/dl, ~/sdk), .../go-1.21/src/ (Debian),
// .../go/1.21.0/libexec/src/ (Homebrew) and .../go/1.22.1/x64/src/ (the
// setup-go tool cache).
var goVersionRoot = regexp.MustCompile(`/go(?:-?|/)\d+\.\d+[^/]*/(?:[^/]+/)?src/`)

// notAppPaths mark files of other dependencies, runtimes and standard
// libraries, for frames whose event does not say.
var notAppPaths = []string{
	"/lib/python2", "/lib/python3", "<frozen ", "node:internal", "<node_internals>",
	"/vendor/", "/gems/", "/lib/ruby/", "/vendor_ruby/", "/site_ruby/", "/rubygems/", "<internal:",
}

// notAppModules mark modules of runtimes and widely used frameworks and
// libraries (JVM, .NET).
var notAppModules = []string{
	"java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.",
	"groovy.", "android.", "androidx.", "dalvik.", "org.springframework.", "org.apache.",
	"org.eclipse.jetty.", "org.mortbay.", "org.testng.", "org.junit.", "junit.", "org.hibernate.",
	"io.netty.", "com.google.common.", "com.google.gson.", "com.google.protobuf.",
	"com.fasterxml.", "org.glassfish.", "org.jboss.arquillian.", "org.jboss.resteasy.",
	"org.slf4j.", "ch.qos.logback.", "io.sentry.", "okhttp3.", "reactor.", "io.reactivex.",
	"System.", "Microsoft.", "Mono.", "Newtonsoft.",
}

// goModVersion matches a module cache directory (pkg@v1.2.3/) in a
// -trimpath build.
var goModVersion = regexp.MustCompile(`@v\d+\.\d+\.\d+[^/]*/`)

// goStd holds the first path elements of Go standard library packages.
var goStd = wordSet(`archive bufio builtin bytes cmp compress container context
		crypto database debug embed encoding errors expvar flag fmt go hash html image index
		internal io iter log maps math mime net os path plugin reflect regexp runtime slices
		sort strconv strings structs sync syscall testing text time unicode unique unsafe weak`)

// wordSet returns the set of the space-separated words of s.
func wordSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(s) {
		set[w] = true
	}
	return set
}

// framePaths joins a frame's file and absolute path, each with a leading
// slash and forward slashes only, for substring tests.
func framePaths(f Frame) string {
	return strings.ReplaceAll("/"+f.File+"\x00/"+f.AbsPath, `\`, "/")
}

// inDependency reports whether f's file lies in a dependency cache
// (/pkg/mod/, site-packages, dist-packages, node_modules) or a Go
// installation's source tree. Such a frame is never in-app, whatever the
// SDK says.
func inDependency(f Frame) bool {
	paths := framePaths(f)
	for _, p := range dependencyPaths {
		if strings.Contains(paths, p) {
			return true
		}
	}
	return strings.Contains(paths, "/go") && goVersionRoot.MatchString(paths)
}

// guessInApp tells application frames from library ones when the event
// does not say: files of dependencies, runtimes and the standard library are
// not in-app, everything else is.
func guessInApp(lg lang.Language, f Frame) bool {
	if inDependency(f) {
		return false
	}
	path := framePaths(f)
	for _, p := range notAppPaths {
		if strings.Contains(path, p) {
			return false
		}
	}
	for _, m := range notAppModules {
		if strings.HasPrefix(f.Module, m) {
			return false
		}
	}
	if lg != lang.Go {
		return true
	}
	if goModVersion.MatchString(path) {
		return false
	}
	first, _, _ := strings.Cut(f.Module, "/")
	return !goStd[first]
}

// languageFromFrames guesses the language from the file extension of the
// crash frame, else of the innermost frame that has a known one.
func languageFromFrames(inc *Incident) lang.Language {
	fs := inc.Frames
	if f, ok := inc.CrashFrame(); ok {
		fs = append(slices.Clone(fs), f)
	}
	for i := len(fs) - 1; i >= 0; i-- {
		if l := lang.FromPath(fs[i].File); l != "" {
			return l
		}
	}
	return ""
}

package testrun

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTail(t *testing.T) {
	tests := []struct {
		name      string
		max       int
		writes    []string
		want      string
		truncated bool
	}{
		{name: "fits", max: 10, writes: []string{"abc", "def"}, want: "abcdef"},
		{name: "exactly full", max: 6, writes: []string{"abc", "def"}, want: "abcdef"},
		{name: "cut in front", max: 4, writes: []string{"abc", "def", "gh"}, want: "[... 4 bytes cut ...]\nefgh", truncated: true},
		{name: "one big write", max: 3, writes: []string{strings.Repeat("x", 100) + "end"}, want: "[... 100 bytes cut ...]\nend", truncated: true},
		{name: "many small writes", max: 5, writes: strings.Split(strings.Repeat("ab", 50)+"tail!", ""), want: "[... 100 bytes cut ...]\ntail!", truncated: true},
		{name: "no half rune", max: 4, writes: []string{"aaé€"}, want: "[... 4 bytes cut ...]\n€", truncated: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newTail(tt.max)
			for _, w := range tt.writes {
				b.Write([]byte(w))
			}
			got, truncated := b.String()
			if got != tt.want || truncated != tt.truncated {
				t.Errorf("String() = %q, %v; want %q, %v", got, truncated, tt.want, tt.truncated)
			}
		})
	}
}

func TestSandboxEnv(t *testing.T) {
	secrets := map[string]string{
		"GITHUB_TOKEN": "ghs_x", "INPUT_MODEL-API-KEY": "sk-x", "ACTIONS_RUNTIME_TOKEN": "rt",
		"ACTIONS_ID_TOKEN_REQUEST_URL": "https://x", "RUNNER_TEMP": "/runner", "AWS_SECRET_ACCESS_KEY": "aws",
		"SSH_AUTH_SOCK": "/tmp/agent", "GIT_ASKPASS": "/bin/askpass", "OPENAI_API_KEY": "sk-y",
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{
			name: "caches derived from the real home",
			env:  map[string]string{"PATH": "/usr/bin:/bin", "HOME": "/root"},
			want: []string{"HOME=/sandbox", "TMPDIR=/sandbox/tmp", "CI=true", "PATH=/usr/bin:/bin",
				"GOPATH=/root/go", "GOMODCACHE=/root/go/pkg/mod", "GOCACHE=/root/.cache/go-build"},
		},
		{
			name: "explicit go settings",
			env: map[string]string{"PATH": "/bin", "HOME": "/root", "GOPATH": "/gp:/other", "GOCACHE": "/c", "GOFLAGS": "-mod=mod",
				"GOPROXY": "https://proxy.golang.org", "GOTOOLCHAIN": "local", "LANG": "C.UTF-8", "GOPRIVATE": "example.com", "GONOSUMDB": "example.com", "LC_ALL": "C"},
			want: []string{"HOME=/sandbox", "TMPDIR=/sandbox/tmp", "CI=true", "PATH=/bin",
				"GOPATH=/gp:/other", "GOMODCACHE=/gp/pkg/mod", "GOCACHE=/c", "GOFLAGS=-mod=mod", "GOPROXY=https://proxy.golang.org",
				"GONOSUMDB=example.com", "GOPRIVATE=example.com", "GOTOOLCHAIN=local", "LANG=C.UTF-8", "LC_ALL=C"},
		},
		{
			name: "XDG cache, explicit module cache",
			env:  map[string]string{"HOME": "/h", "XDG_CACHE_HOME": "/xdg", "GOMODCACHE": "/mods"},
			want: []string{"HOME=/sandbox", "TMPDIR=/sandbox/tmp", "CI=true",
				"GOPATH=/h/go", "GOMODCACHE=/mods", "GOCACHE=/xdg/go-build"},
		},
		{
			name: "nothing set",
			env:  map[string]string{},
			want: []string{"HOME=/sandbox", "TMPDIR=/sandbox/tmp", "CI=true"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range secrets {
				tt.env[k] = v
			}
			got := SandboxEnv(func(k string) string { return tt.env[k] }, "/sandbox", "/sandbox/tmp")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SandboxEnv() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGoTestArgs(t *testing.T) {
	tests := []struct {
		name, dir, test string
		want            []string
	}{
		{"package dir", "internal/orders", "TestTotal", []string{"go", "test", "-count=1", "-run", "^TestTotal$", "./internal/orders"}},
		{"root", ".", "TestX", []string{"go", "test", "-count=1", "-run", "^TestX$", "."}},
		{"unclean dir", "./a/../b/", "TestX", []string{"go", "test", "-count=1", "-run", "^TestX$", "./b"}},
		{"regexp characters quoted", "a", "Test.X+", []string{"go", "test", "-count=1", "-run", `^Test\.X\+$`, "./a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, GoTestArgs(tt.dir, tt.test)); diff != "" {
				t.Errorf("GoTestArgs() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEventParser(t *testing.T) {
	stream := `{"Action":"start","Package":"ex.com/a"}
{"Action":"run","Package":"ex.com/a","Test":"TestOK"}
{"Action":"output","Package":"ex.com/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"pass","Package":"ex.com/a","Test":"TestOK","Elapsed":0}
{"Action":"run","Package":"ex.com/a","Test":"TestBad/sub.case"}
{"Action":"fail","Package":"ex.com/a","Test":"TestBad/sub.case","Elapsed":0}
{"Action":"skip","Package":"ex.com/a","Test":"TestPage/past_the_end","Elapsed":0}
{"Action":"fail","Package":"ex.com/a","Elapsed":0.1}
{"ImportPath":"ex.com/b [ex.com/b.test]","Action":"build-output","Output":"b/b.go:3:1: syntax error\n"}
{"Action":"fail","Package":"ex.com/b","Elapsed":0,"FailedBuild":"ex.com/b [ex.com/b.test]"}
{"Action":"output","Package":"ex.com/c","Output":"FAIL\tex.com/c [setup failed]\n"}
{"Action":"fail","Package":"ex.com/c","Elapsed":0}
{"Action":"output","Package":"ex.com/d","Output":"panic: init\n"}
{"Action":"fail","Package":"ex.com/d","Elapsed":0}
go: warning: not json
{"Action":"pass","Package":"ex.com/e","Test":"ExampleE"}`
	p := newEventParser()
	var out strings.Builder
	p.out = &out
	for _, chunk := range regexp.MustCompile(`(?s).{1,7}`).FindAllString(stream, -1) {
		p.Write([]byte(chunk))
	}
	want := Suite{
		Passed:      []string{"ex.com/a.TestOK", "ex.com/e.ExampleE"},
		Failed:      []string{"ex.com/a.TestBad/sub.case", "ex.com/d"},
		Skipped:     []string{"ex.com/a.TestPage/past_the_end"},
		BuildFailed: []string{"ex.com/b", "ex.com/c"},
	}
	if diff := cmp.Diff(want, p.suite()); diff != "" {
		t.Errorf("suite mismatch (-want +got):\n%s", diff)
	}
	wantOut := "=== RUN   TestOK\nb/b.go:3:1: syntax error\nFAIL\tex.com/c [setup failed]\npanic: init\ngo: warning: not json\n"
	if diff := cmp.Diff(wantOut, out.String()); diff != "" {
		t.Errorf("forwarded output mismatch (-want +got):\n%s", diff)
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name             string
		base, fixed      Suite
		wantRegr, wantSt []string
	}{
		{
			name:   "nothing changed",
			base:   Suite{Passed: []string{"m/a.TestA"}, Failed: []string{"m/a.TestOld"}},
			fixed:  Suite{Passed: []string{"m/a.TestA", "m/a.TestNew"}, Failed: []string{"m/a.TestOld"}},
			wantSt: []string{"m/a.TestOld"},
		},
		{
			name:     "a passing test fails",
			base:     Suite{Passed: []string{"m/a.TestA", "m/a.TestB"}},
			fixed:    Suite{Passed: []string{"m/a.TestB"}, Failed: []string{"m/a.TestA"}},
			wantRegr: []string{"m/a.TestA"},
		},
		{
			name:     "a passing test disappears",
			base:     Suite{Passed: []string{"m/a.TestA", "m/a.TestB"}},
			fixed:    Suite{Passed: []string{"m/a.TestB"}},
			wantRegr: []string{"m/a.TestA"},
		},
		{
			name:     "a new test fails",
			base:     Suite{Passed: []string{"m/a.TestA"}},
			fixed:    Suite{Passed: []string{"m/a.TestA"}, Failed: []string{"m/a.TestNew"}},
			wantRegr: []string{"m/a.TestNew"},
		},
		{
			name:     "a package stops building",
			base:     Suite{Passed: []string{"m/a.TestA", "m/ab.TestC", "m/b.TestB"}},
			fixed:    Suite{Passed: []string{"m/ab.TestC"}, Failed: []string{"m/b.TestB"}, BuildFailed: []string{"m/a"}},
			wantRegr: []string{"m/a", "m/b.TestB"},
		},
		{
			name:     "a package fails outside any test",
			base:     Suite{Passed: []string{"m/a.TestA"}},
			fixed:    Suite{Failed: []string{"m/a"}},
			wantRegr: []string{"m/a", "m/a.TestA"},
		},
		{
			name:     "a python module stops importing",
			base:     Suite{Passed: []string{"tests.test_a.T.test_x", "tests.test_ab.T.test_y"}},
			fixed:    Suite{Passed: []string{"tests.test_ab.T.test_y"}, BuildFailed: []string{"tests.test_a"}},
			wantRegr: []string{"tests.test_a"},
		},
		{
			name:     "a pytest file stops collecting",
			base:     Suite{Passed: []string{"tests/test_a.py::test_x", "tests/test_b.py::test_y"}},
			fixed:    Suite{Passed: []string{"tests/test_b.py::test_y"}, BuildFailed: []string{"tests/test_a.py"}},
			wantRegr: []string{"tests/test_a.py"},
		},
		{
			name:   "broken on base stays broken",
			base:   Suite{BuildFailed: []string{"m/a"}, Failed: []string{"m/b"}},
			fixed:  Suite{Failed: []string{"m/a.TestA", "m/b"}, BuildFailed: []string{}},
			wantSt: []string{"m/a.TestA", "m/b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regr, still := Compare(tt.base, tt.fixed)
			if diff := cmp.Diff(tt.wantRegr, regr); diff != "" {
				t.Errorf("regressions mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSt, still); diff != "" {
				t.Errorf("still failing mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNotReproduced(t *testing.T) {
	exp := Expect{Type: "runtime.Error", Message: "runtime error: index out of range [3] with length 3", Function: "(*Store).Get"}
	fail := func(out string) Result { return Result{ExitCode: 1, Output: out} }
	tests := []struct {
		name   string
		res    Result
		expect Expect
		want   string
	}{
		{"panic with the message", fail("--- FAIL: TestX (0.00s)\npanic: runtime error: index out of range [3] with length 3 [recovered]\n"), exp, ""},
		{"crash function in the trace", fail("--- FAIL: TestX (0.00s)\npanic: boom\nex.com/a.(*Store).Get(0x0)\n\t/src/a/store.go:12 +0x1d\n"), exp, ""},
		{"a message quoting a call is no frame", fail("--- FAIL: TestX (0.00s)\n    x_test.go:9: (*Store).Get(3) = 1, want 2\n"), exp, "does not mention the incident"},
		{"type named", fail("--- FAIL: TestX (0.00s)\n    x_test.go:9: got *fs.PathError\n"), Expect{Type: "*fs.PathError"}, ""},
		{"generic type is no evidence", fail("--- FAIL: TestX (0.00s)\n    x_test.go:9: Error\n"), Expect{Type: "Error"}, "does not mention the incident"},
		{"unrelated failure", fail("--- FAIL: TestX (0.00s)\n    x_test.go:9: db down\nFAIL\n"), exp, "does not mention the incident"},
		{"passes", Result{Output: "ok  \tex.com/a\t0.01s\n"}, exp, "passes on base"},
		{"compile error", fail("# ex.com/a [ex.com/a.test]\na/x_test.go:7:12: s.TotalOf undefined\nFAIL\tex.com/a [build failed]\n"), exp, "does not build on base: a/x_test.go:7:12: s.TotalOf undefined"},
		{"setup failed", fail("FAIL\tex.com/a [setup failed]\n"), exp, "does not build"},
		{"no such test", Result{Output: "ok  \tex.com/a\t0.01s [no tests to run]\n"}, exp, "did not run"},
		{"timed out", Result{ExitCode: -1, TimedOut: true}, exp, "timed out"},
		{"another test failed", fail("--- FAIL: TestY (0.00s)\npanic: runtime error: index out of range [3] with length 3\n"), exp, "did not fail by itself"},
		{"nothing expected", fail("--- FAIL: TestX (0.00s)\n"), Expect{}, "nothing from the incident"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := notReproduced(tt.res, "TestX", tt.expect)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("notReproduced() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenamed(t *testing.T) {
	base := Suite{Passed: []string{"a > old one", "a > old two", "b > kept"}}
	tests := []struct {
		name        string
		fixed       Suite
		regressions []string
		wantKept    []string
		wantGone    []string
	}{
		{"two tests renamed, the regression test added", Suite{Passed: []string{"a > new one", "a > new two", "b > kept", "c > regression"}},
			[]string{"a > old one", "a > old two"}, nil, []string{"a > old one", "a > old two"}},
		{"a test deleted, only the regression test added", Suite{Passed: []string{"a > old one", "b > kept", "c > regression"}},
			[]string{"a > old two"}, []string{"a > old two"}, nil},
		{"a skipped test is no rename", Suite{Passed: []string{"a > new one", "a > new two", "b > kept", "c > regression"}, Skipped: []string{"a > old two"}},
			[]string{"a > old one", "a > old two"}, []string{"a > old two"}, []string{"a > old one"}},
		{"a failing test is no rename", Suite{Passed: []string{"a > new one", "b > kept"}, Failed: []string{"a > old two"}},
			[]string{"a > old one", "a > old two"}, []string{"a > old two"}, []string{"a > old one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, gone := renamed(base, tt.fixed, tt.regressions, "c > regression")
			if diff := cmp.Diff(tt.wantKept, kept); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantGone, gone); diff != "" {
				t.Errorf("renamed (-want +got):\n%s", diff)
			}
		})
	}
}

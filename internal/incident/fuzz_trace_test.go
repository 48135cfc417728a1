package incident

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// traceFixtures is the shared stack trace fixtures directory.
const traceFixtures = "../../../shared/fixtures/stacktraces"

// fuzzTraceParser fuzzes one language's parser directly, seeded from that
// language's fixtures (shared ones when present, and the package's own) and
// the inline seeds: it must not
// panic, must fail with a *TraceError or ErrUnsupportedTrace only, and
// what it returns must finish into a capped incident.
func fuzzTraceParser(f *testing.F, dir string, parse func([]traceLine) (*Incident, error), seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	paths, _ := filepath.Glob(filepath.Join(traceFixtures, dir, "*.txt"))
	local, _ := filepath.Glob(filepath.Join("testdata/fixtures/stacktraces", dir, "*.txt"))
	for _, p := range append(paths, local...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := traceLines(data)
		inc, err := parse(lines)
		if err != nil {
			var te *TraceError
			if !errors.As(err, &te) && !errors.Is(err, ErrUnsupportedTrace) {
				t.Fatalf("error of an unexpected kind: %v", err)
			}
			if te != nil && (te.Line < 1 || te.Line > len(lines)) {
				t.Fatalf("error names line %d of %d", te.Line, len(lines))
			}
			return
		}
		finish(inc)
		checkFinished(t, inc)
	})
}

// checkFinished asserts the caps and encodability of a finished incident.
func checkFinished(t *testing.T, inc *Incident) {
	t.Helper()
	if len(inc.Frames) > MaxFrames || len(inc.Chain) > MaxChain || len(inc.Message) > MaxMessageBytes {
		t.Fatalf("%d frames, %d chained, message of %d bytes: over the caps", len(inc.Frames), len(inc.Chain), len(inc.Message))
	}
	for _, fr := range inc.Frames {
		if fr.Line < 0 || fr.Column < 0 || !utf8.ValidString(fr.File+fr.Function+fr.Module) {
			t.Fatalf("bad frame %+v", fr)
		}
	}
	if _, err := json.Marshal(inc); err != nil {
		t.Fatalf("marshal incident: %v", err)
	}
}

func FuzzTracePython(f *testing.F) {
	fuzzTraceParser(f, "python", parsePython,
		"Traceback (most recent call last):\n  File \"a.py\", line 1, in f\n    g()\nKeyError: 'x'\n",
		"  + Exception Group Traceback (most recent call last):\n  | ExceptionGroup: g (1 sub-exception)\n  +-+---- 1 ----\n    | ValueError: v\n    +------\n")
}

func FuzzTraceJava(f *testing.F) {
	fuzzTraceParser(f, "java", parseJava,
		"java.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)\nCaused by: java.io.IOException\n\tat a.D.e(D.java:2)\n\t... 1 more\n")
}

func FuzzTraceJavaScript(f *testing.F) {
	fuzzTraceParser(f, "node", parseJS,
		"TypeError: x\n    at f (/a.js:1:2)\n    at async g (eval at h (/b.js:3:4), <anonymous>:1:1) {\n  [cause]: Error: y\n      at k (/c.js:5:6)\n}\n",
		"f@http://x/a.js:1:2\n[native code]\n@http://x/a.js line 2 > eval:1:1\n")
}

func FuzzTraceDotnet(f *testing.F) {
	fuzzTraceParser(f, "dotnet", parseDotnet,
		"System.Exception: a ---> System.IO.IOException: b\n   at A.B.<C>d__1.MoveNext() in /x.cs:line 3\n   --- End of inner exception stack trace ---\n   at A.B.D() [0x0] in <filename unknown>:0\n",
		"A.E: a\n ---> B.E (0x80004005): b\nline two\n ---> C.E (111): c\n   --- End of inner exception stack trace ---\n   at N.T.M()\n  Exception data:\n    K: v\n   --- End of inner exception stack trace ---\n   at App.P.Main() in /p.cs:line 1\n")
}

func FuzzTraceRuby(f *testing.F) {
	fuzzTraceParser(f, "ruby", parseRuby,
		"/a.rb:1:in `f': boom (RuntimeError)\n\tfrom /a.rb:2:in '<main>'\n", " E (m):\n  \n  app/x.rb:3:in `g'\n")
}

func FuzzTracePHP(f *testing.F) {
	fuzzTraceParser(f, "php", parsePHP,
		"PHP Fatal error:  Uncaught E: m in /a.php:1\nStack trace:\n#0 /a.php(2): C->f('x')\n#1 [internal function]: g()\n#2 {main}\n  thrown in /a.php on line 1\n")
}

func FuzzTraceGo(f *testing.F) {
	fuzzTraceParser(f, "go", parseGoTrace,
		"panic: x [recovered]\n\tpanic: y\n\ngoroutine 1 [running]:\nmain.f(...)\n\t/a.go:1 +0x1\n",
		"    a_test.go:3: goroutine 7 [running]:\n        main.f()\n        \t/a.go:1 +0x1\n",
		"        [Goroutine 9 in state select, 2 minutes, with main.g on top of the stack:\n        main.g()\n        \t/a.go:2 +0x1\n        ]\n")
}

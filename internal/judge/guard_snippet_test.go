package judge

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// fileDiffText returns the diff git writes for a file added (sign "+") or
// deleted (sign "-") with content.
func fileDiffText(path, sign, content string) string {
	lines := strings.SplitAfter(content, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "diff --git a/%s b/%s\n", path, path)
	if sign == "+" {
		fmt.Fprintf(&b, "new file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%d @@\n", path, len(lines))
	} else {
		fmt.Fprintf(&b, "deleted file mode 100644\nindex 1111111..0000000\n--- a/%s\n+++ /dev/null\n@@ -1,%d +0,0 @@\n", path, len(lines))
	}
	for _, l := range lines {
		b.WriteString(sign + l)
	}
	return b.String()
}

// TestGuardSnippets covers language variants and near misses the fixtures
// do not, each as a new (or deleted) file.
func TestGuardSnippets(t *testing.T) {
	tests := []struct {
		name, path, sign, content string
		regression                string
		want                      []string
	}{
		{name: "go one-line nil on err", path: "a.go",
			content: "package a\n\nfunc f() error {\n\tif err := g(); err != nil { return nil }\n\treturn nil\n}\n",
			want:    []string{"a.go:4: swallowed-error: returns a nil error when err is not nil: the error is dropped"}},
		{name: "go nil on err without an error result", path: "a.go",
			content: "package a\n\nfunc f() *T {\n\tt, err := g()\n\tif err != nil {\n\t\treturn nil\n\t}\n\treturn t\n}\n"},
		{name: "go nil only in a nested, narrower check", path: "a.go",
			content: "package a\n\nfunc f() error {\n\tif err := g(); err != nil {\n\t\tif errors.Is(err, fs.ErrNotExist) {\n\t\t\treturn nil\n\t\t}\n\t\treturn err\n\t}\n\treturn nil\n}\n"},
		{name: "go recover turned into an error", path: "a.go",
			content: "package a\n\nfunc f() (err error) {\n\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\terr = fmt.Errorf(\"panic: %v\", r)\n\t\t}\n\t}()\n\treturn g()\n}\n"},
		{name: "go one-line bare recover", path: "a.go",
			content: "package a\n\nfunc f() {\n\tdefer func() { recover() }()\n\tg()\n}\n",
			want:    []string{"a.go:4: swallowed-error: recover() without re-panicking, logging or returning an error hides the panic"}},
		{name: "go recover that returns nil, nil", path: "a.go",
			content: "package a\n\nvar f = func() (*T, error) {\n\tif r := recover(); r != nil {\n\t\treturn nil, nil\n\t}\n\treturn g()\n}\n",
			want:    []string{"a.go:4: swallowed-error: recover() sets the error to nil: the panic becomes a success"}},
		{name: "go recover that logs and still zeroes the error", path: "a.go",
			content: "package a\n\nfunc f() (err error) {\n\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\tlog.Printf(\"recovered: %v\", r)\n\t\t\terr = nil\n\t\t}\n\t}()\n\treturn g()\n}\n",
			want:    []string{"a.go:5: swallowed-error: recover() sets the error to nil: the panic becomes a success"}},
		{name: "go recover that builds an error and drops it", path: "a.go",
			content: "package a\n\nfunc f() {\n\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\t_ = fmt.Errorf(\"panic: %v\", r)\n\t\t}\n\t}()\n\tg()\n}\n",
			want:    []string{"a.go:5: swallowed-error: recover() without re-panicking, logging or returning an error hides the panic"}},
		{name: "go recover that sets a sentinel error", path: "a.go",
			content: "package a\n\nfunc f() (err error) {\n\tdefer func() {\n\t\tif recover() != nil {\n\t\t\terr = ErrMalformed\n\t\t}\n\t}()\n\treturn g()\n}\n"},
		{name: "go recover sent to a channel", path: "a.go",
			content: "package a\n\nfunc work(errs chan<- error) {\n\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\terrs <- fmt.Errorf(\"worker: %v\", r)\n\t\t}\n\t}()\n\tg()\n}\n"},
		{name: "go recover that logs", path: "a.go",
			content: "package a\n\nfunc f() {\n\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\tslog.Error(\"job panicked\", \"panic\", r)\n\t\t}\n\t}()\n\tg()\n}\n"},
		{name: "go string that looks like an import is not one", path: "a.go",
			content: "package a\n\nfunc f() string {\n\tx := \"a\" +\n\t\t\"github.com/evil/pkg\"\n\treturn x\n}\n"},
		{name: "python words in strings", path: "a.py",
			content: "MSG = \"except: pass\"\nprint('rescue nil')\n"},
		{name: "python one-line except pass", path: "a.py",
			content: "try:\n    run()\nexcept ValueError: pass\n",
			want:    []string{"a.py:3: swallowed-error: except ValueError only passes and nothing defined follows: the error vanishes"}},
		{name: "python pass followed by handling", path: "a.py",
			content: "try:\n    run()\nexcept ValueError:\n    pass\n    log.warning(\"bad value\")\n"},
		{name: "python except that re-raises a typed error", path: "a.py",
			content: "def f(s):\n    try:\n        return int(s)\n    except ValueError as e:\n        raise ConfigError(s) from e\n"},
		{name: "python broad except that logs", path: "a.py",
			content: "def f(s):\n    try:\n        return run(s)\n    except Exception:\n        logger.exception(\"run failed\")\n        return None\n"},
		{name: "python narrow except that skips an item", path: "a.py",
			content: "def f(rows):\n    for r in rows:\n        try:\n            yield int(r)\n        except ValueError:\n            continue\n",
			// Skipping the item is no fallback value: the row and its
			// error vanish (the eval's py-bad-swallow drops a day so).
			want: []string{"a.py:5: swallowed-error: except ValueError skips to the next item: the item and its error vanish"}},
		{name: "python narrow pass at the end of the file", path: "a.py",
			content: "def f(d):\n    try:\n        del d[\"k\"]\n    except KeyError:\n        pass\n",
			want:    []string{"a.py:4: swallowed-error: except KeyError only passes and nothing defined follows: the error vanishes"}},
		{name: "python pass then a bare return", path: "a.py",
			content: "def f(d):\n    try:\n        d.close()\n    except OSError:\n        pass\n    return\n",
			want:    []string{"a.py:4: swallowed-error: except OSError only passes and nothing defined follows: the error vanishes"}},
		{name: "js function handler and comment-only catch", path: "a.js",
			content: "p.catch(function () {});\ntry {\n  run();\n} catch (e) { /* ignore */ }\nq.catch(err => report(err));\n",
			want: []string{
				"a.js:1: swallowed-error: .catch with an empty handler swallows the rejection",
				"a.js:4: swallowed-error: empty catch block swallows the error",
			}},
		{name: "js multi-line handlers", path: "a.js",
			content: "p.catch((err) => {\n  // nothing to do\n});\nq.catch(function () {\n  return null;\n});\nr.catch(err => {\n  logger.warn(err);\n});\n",
			want: []string{
				"a.js:1: swallowed-error: .catch with an empty handler swallows the rejection",
				"a.js:4: swallowed-error: .catch handler that only returns nothing swallows the error: the caller gets nothing as if the call had worked",
			}},
		{name: "java catch returning null", path: "A.java",
			content: "class A {\n    T f() {\n        try {\n            return g();\n        } catch (IOException e) {\n            return null;\n        }\n    }\n}\n",
			want:    []string{"A.java:5: swallowed-error: catch that only returns nothing swallows the error: the caller gets nothing as if the call had worked"}},
		{name: "ts typed handler returning undefined", path: "a.ts",
			content: "p.catch((e: unknown) => undefined);\n",
			want:    []string{"a.ts:1: swallowed-error: .catch with an empty handler swallows the rejection"}},
		{name: "php annotation, array read and suppressed unlink", path: "a.php",
			content: "<?php\n/**\n * @Route(\"/x\")\n */\n$x = @$arr['k'];\n@unlink($f);\n",
			want:    []string{"a.php:6: swallowed-error: @ suppresses the errors of this call"}},
		{name: "ruby rescue that logs", path: "a.rb",
			content: "begin\n  run\nrescue => e\n  logger.warn(e)\nend\n"},
		{name: "js focused and x-ed tests", path: "a.test.js",
			content: "describe.only(\"a\", () => {\n  xit(\"b\", () => {\n    expect(1).toBe(1);\n  });\n});\n",
			want: []string{
				"a.test.js:1: skipped-test: skips or narrows tests: describe.only(\"a\", () => {",
				"a.test.js:2: skipped-test: skips or narrows tests: xit(\"b\", () => {",
			}},
		{name: "java disabled test", path: "src/test/java/ATest.java",
			content: "class ATest {\n    @Disabled\n    @Test\n    void works() {\n        assertEquals(1, 1);\n    }\n}\n",
			want:    []string{"src/test/java/ATest.java:2: skipped-test: skips or narrows tests: @Disabled"}},
		{name: "python regression test without assertion", path: "tests/test_a.py", regression: "test_unknown",
			content: "def test_unknown():\n    parse(\"\")\n",
			want:    []string{"tests/test_a.py:1: empty-regression-test: regression test test_unknown asserts nothing"}},
		{name: "python regression test expecting a raise", path: "tests/test_a.py", regression: "test_unknown",
			content: "def test_unknown():\n    with pytest.raises(ValueError):\n        parse(\"\")\n"},
		{name: "js regression test without expect", path: "a.test.js", regression: "rejects unknown codes",
			content: "it(\"rejects unknown codes\", async () => {\n  await handler({ code: \"SPRING\" });\n});\n",
			want:    []string{"a.test.js:1: empty-regression-test: regression test rejects unknown codes asserts nothing"}},
		{name: "go regression test asserting through a helper", path: "a_test.go", regression: "TestUnknown",
			content: "package a\n\nfunc TestUnknown(t *testing.T) {\n\trec := serve(\"SPRING\")\n\twantStatus(t, rec, 400)\n}\n"},
		{name: "deleted test file", path: "a_test.go", sign: "-",
			content: "package a\n\nfunc TestA(t *testing.T) {\n\tt.Error(\"x\")\n}\n",
			want: []string{
				"a_test.go:0: deleted-test: deletes test TestA",
				`a_test.go:0: removed-assertions: removes 1 assertion(s) with nothing in their place, first: t.Error("x")`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sign := tt.sign
			if sign == "" {
				sign = "+"
			}
			in := GuardInput{
				Diff:           fileDiffText(tt.path, sign, tt.content),
				KnownImports:   func(lang.Language, string) bool { return false },
				RegressionTest: TestRef{Name: tt.regression},
			}
			if diff := cmp.Diff(tt.want, findingStrings(t, in)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGuardRulesOff checks that each optional input, left zero or set to
// "no cap", switches its rule off.
func TestGuardRulesOff(t *testing.T) {
	tests := []struct {
		name, rule string
		edit       func(*GuardInput)
	}{
		{name: "no KnownImports", rule: "new-import", edit: func(in *GuardInput) { in.KnownImports = nil }},
		{name: "no frames", rule: "unrelated-file", edit: func(in *GuardInput) { in.FrameFiles = nil }},
		{name: "no frame lines", rule: "far-from-frames", edit: func(in *GuardInput) { in.FrameLines = nil }},
		{name: "wider distance", rule: "far-from-frames", edit: func(in *GuardInput) { in.MaxDistance = 200 }},
		{name: "no regression test", rule: "empty-regression-test", edit: func(in *GuardInput) { in.RegressionTest = TestRef{} }},
		{name: "no allowed list", rule: "outside-allowed", edit: func(in *GuardInput) { in.Allowed = nil }},
		{name: "no protected list", rule: "protected-path", edit: func(in *GuardInput) { in.Protected = nil }},
		{name: "no file cap", rule: "too-many-files", edit: func(in *GuardInput) { in.MaxFiles = -1 }},
		{name: "no line cap", rule: "too-many-lines", edit: func(in *GuardInput) { in.MaxChangedLines = -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fixtureInput(tt.rule)
			in.Diff = readDiff(t, tt.rule, "bad.diff")
			tt.edit(&in)
			for _, f := range findingStrings(t, in) {
				if strings.Contains(f, ": "+tt.rule+": ") || strings.HasPrefix(f, tt.rule+": ") {
					t.Errorf("rule still fires: %s", f)
				}
			}
		})
	}
}

func TestGuardErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      GuardInput
		wantErr string
	}{
		{name: "not a diff", in: GuardInput{Diff: "fixed the bug, trust me\n"}, wantErr: "parse diff: no file headers found"},
		{name: "hunk shorter than its header", wantErr: "parse diff:",
			in: GuardInput{Diff: "diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -1,2 +1,3 @@\n+only one line\n"}},
		{name: "bad glob", wantErr: `bad path pattern "[unclosed"`,
			in: GuardInput{Diff: fileDiffText("a.go", "+", "package a\n"), Protected: []string{"[unclosed"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := Guard(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Guard error = %v, want it to contain %q (findings %v)", err, tt.wantErr, fs)
			}
		})
	}
}

func TestGuardEmptyDiff(t *testing.T) {
	fs, err := Guard(GuardInput{})
	if err != nil || len(fs) != 0 {
		t.Errorf("Guard(empty) = %v, %v; want no findings and no error", fs, err)
	}
}

func TestFindingString(t *testing.T) {
	tests := []struct {
		name string
		f    Finding
		want string
	}{
		{name: "line", f: Finding{Rule: "r", File: "a.go", Line: 3, Message: "m"}, want: "a.go:3: r: m"},
		{name: "file level", f: Finding{Rule: "r", File: "a.go", Message: "m"}, want: "a.go:0: r: m"},
		{name: "whole diff", f: Finding{Rule: "r", Message: "m"}, want: "r: m"},
		{name: "note", f: Finding{Rule: "r", Severity: Note, File: "a.go", Line: 3, Message: "m"}, want: "a.go:3: r (note): m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStopsAndNotes(t *testing.T) {
	stop := Finding{Rule: "swallowed-error", File: "a.go", Line: 1, Message: "m"}
	note := Finding{Rule: "caught-with-fallback", Severity: Note, File: "a.py", Line: 2, Message: "m"}
	tests := []struct {
		name       string
		in         []Finding
		stop, note []Finding
	}{
		{name: "none"},
		{name: "zero severity stops", in: []Finding{stop}, stop: []Finding{stop}},
		{name: "mixed", in: []Finding{note, stop, note}, stop: []Finding{stop}, note: []Finding{note, note}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.stop, Stops(tt.in)); diff != "" {
				t.Errorf("Stops (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.note, Notes(tt.in)); diff != "" {
				t.Errorf("Notes (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzGuard checks that no diff makes Guard panic, and that what it
// accepts yields findings that name a rule.
func FuzzGuard(f *testing.F) {
	for _, rule := range []string{"swallowed-error", "deleted-test", "empty-regression-test", "far-from-frames", "new-import"} {
		for _, kind := range []string{"bad.diff", "good.diff"} {
			f.Add(readDiff(f, rule, kind))
		}
	}
	for _, shape := range []string{"go-recover-zero-error", "py-narrow-except-fallback", "js-catch-swallowed", "test-assert-inverted", "test-assert-removed"} {
		f.Add(readDiff(f, "shapes", shape+".diff"))
	}
	f.Fuzz(func(t *testing.T, diff string) {
		in := demoInput(diff)
		in.RegressionTest = TestRef{Name: "TestLoadMissing"}
		fs, err := Guard(in)
		if err != nil {
			return
		}
		for _, finding := range fs {
			if finding.Rule == "" || finding.Message == "" {
				t.Errorf("finding without rule or message: %#v", finding)
			}
		}
	})
}

package testrun

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMentionedIn(t *testing.T) {
	tests := []struct {
		name   string
		lang   Language
		expect Expect
		out    string
		want   bool
	}{
		{"python frame", Python, Expect{Function: "shop.orders.Store.total"}, "  File \"/s/shop/orders.py\", line 15, in total\n    return order.amount\n", true},
		{"python other frame", Python, Expect{Function: "total"}, "  File \"/s/x.py\", line 3, in total_of\n", false},
		{"python type", Python, Expect{Type: "KeyError"}, "KeyError: 'missing'\n", true},
		{"node TAP frame", JavaScript, Expect{Function: "Store.total"}, "    Store.total (/s/lib/orders.js:11:18)\n", true},
		{"node spec frame", JavaScript, Expect{Function: "total"}, "    at total (/s/lib/orders.js:11:18)\n", true},
		{"node other function", JavaScript, Expect{Function: "total"}, "    at subtotal (/s/lib/orders.js:11:18)\n", false},
		{"node message", JavaScript, Expect{Message: "Cannot read properties of undefined (reading 'amount')\n    at x"}, "error: \"Cannot read properties of undefined (reading 'amount')\"\n", true},
		{"go frame", Go, Expect{Function: "(*Store).Total"}, "example.com/shop/orders.(*Store).Total(0x0)\n\t/src/orders/store.go:9 +0x1d\n", true},
		{"generic type", JavaScript, Expect{Type: "Error"}, "Error: boom\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.expect.mentionedIn(tt.lang, tt.out); got != tt.want {
				t.Errorf("mentionedIn(%q) = %v, want %v", tt.out, got, tt.want)
			}
		})
	}
}

func TestLoadError(t *testing.T) {
	tests := []struct {
		name    string
		lang    Language
		fixture string
		expect  Expect
		want    string
	}{
		{"unittest import error", Python, "unittest-importerror.txt", Expect{Type: "AttributeError"},
			"ImportError: cannot import name 'total_of' from 'shop.orders' (/tmp/h8cap/py/shop/orders.py)"},
		{"pytest collection error", Python, "pytest-mixed.txt", Expect{Type: "AttributeError"},
			"E   ImportError: cannot import name 'total_of' from 'shop.orders' (/tmp/h8cap/py/shop/orders.py)"},
		{"incident is itself an import error", Python, "unittest-importerror.txt", Expect{Type: "builtins.ImportError"}, ""},
		{"node syntax error", JavaScript, "tap-syntax.txt", Expect{Type: "TypeError"}, "SyntaxError: missing ) after argument list"},
		{"a genuine failure", JavaScript, "tap-red.txt", Expect{Type: "TypeError"}, ""},
		{"unittest genuine error", Python, "unittest-red.txt", Expect{Type: "AttributeError"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := loadError(tt.lang, readParserFixture(t, tt.fixture), tt.expect); got != tt.want {
				t.Errorf("loadError() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMatchesTest(t *testing.T) {
	tests := []struct {
		names []string
		test  string
		want  bool
	}{
		{[]string{"tests.test_a.T.test_x"}, "T.test_x", true},
		{[]string{"tests.test_a.T.test_x"}, "test_x", true},
		{[]string{"tests/test_a.py::T::test_x"}, "T.test_x", true},
		{[]string{"tests/test_a.py::test_x"}, "test_x", true},
		{[]string{"group > adds"}, "adds", true},
		{[]string{"adds"}, "adds", true},
		{[]string{"tests.test_a.T.test_xy", "readds"}, "test_x", false},
		{[]string{"readds"}, "adds", false},
		{[]string{"tests/test_o.py::test_merge[case11-None]"}, "test_merge", true},
		{[]string{"tests/test_o.py::test_merge[case11-None]"}, "test_merge[case11-None]", true},
		{[]string{"tests/test_o.py::test_merge[case11-None]"}, "test_merge[case12-None]", false},
		{[]string{"example.com/p.TestParse/empty_input"}, "TestParse/empty input", true},
		{[]string{"total is zero for an unknown order"}, "total > is zero for an unknown order", true},
		{[]string{"total is zero for an unknown order"}, "is zero for an unknown order", true},
	}
	for _, tt := range tests {
		if got := matchesTest(tt.names, tt.test); got != tt.want {
			t.Errorf("matchesTest(%q, %q) = %v, want %v", tt.names, tt.test, got, tt.want)
		}
	}
}

func TestPythonTestName(t *testing.T) {
	dir := writeTree(t, map[string]string{"tests/test_a.py": `import unittest


def helper():
    pass


class FirstTest(unittest.TestCase):
    def test_one(self):
        pass

    async def test_async(self):
        pass


def test_plain():
    pass


class SecondTest(unittest.TestCase):
    def test_two(self):
        def test_inner():
            pass

    def test_with_a_helper_class(self):
        class Weird:
            def __str__(self):
                return """
x"""

    def test_after_the_helper(self):
        pass
`})
	tests := []struct{ in, want string }{
		{"test_one", "FirstTest.test_one"},
		{"test_async", "FirstTest.test_async"},
		{"test_two", "SecondTest.test_two"},
		{"test_after_the_helper", "SecondTest.test_after_the_helper"},
		{"test_plain", "test_plain"},
		{"Other.test_one", "Other.test_one"},
		{"test_missing", "test_missing"},
	}
	for _, tt := range tests {
		if got := pythonTestName(dir, "tests/test_a.py", tt.in); got != tt.want {
			t.Errorf("pythonTestName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := pythonTestName(dir, "tests/missing.py", "test_one"); got != "test_one" {
		t.Errorf("pythonTestName(missing file) = %q, want the name as is", got)
	}
}

func TestParseSuite_unknownOutput(t *testing.T) {
	tests := []struct {
		name string
		res  Result
		want Suite
	}{
		{"passes", Result{Argv: []string{"make", "test"}, ExitCode: 0}, Suite{Passed: []string{"command: make test"}}},
		{"fails", Result{Argv: []string{"make", "test"}, ExitCode: 2}, Suite{Failed: []string{"command: make test"}}},
		{"times out", Result{Argv: []string{"make", "test"}, ExitCode: -1, TimedOut: true}, Suite{Failed: []string{"command: make test"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, anyResults(tt.res, "PASS src/a.test.js\n")); diff != "" {
				t.Errorf("anyResults() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

package testrun

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readParserFixture reads testdata/testrun/parsers/<name>, output captured
// from the real tools (pytest-mixed.txt is written by hand, see the README
// there).
func readParserFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "testrun", "parsers", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestParsers(t *testing.T) {
	const orders, regress = "tests.test_orders.StoreTest.", "tests.test_regress.RegressTest."
	tests := []struct {
		name    string
		fixture string
		parse   func(string) Suite
		want    Suite
	}{
		{
			name: "unittest mixed", fixture: "unittest-mixed.txt", parse: parseUnittest,
			want: Suite{
				Passed:  []string{orders + "test_count", orders + "test_total", orders + "test_xfail"},
				Failed:  []string{orders + "test_fails", orders + "test_sub", regress + "test_total_unknown_order"},
				Skipped: []string{orders + "test_skipped"},
			},
		},
		{
			name: "unittest one test", fixture: "unittest-red.txt", parse: parseUnittest,
			want: Suite{Failed: []string{regress + "test_total_unknown_order"}},
		},
		{
			name: "unittest import error", fixture: "unittest-importerror.txt", parse: parseUnittest,
			want: Suite{
				Passed:      []string{orders + "test_count", orders + "test_total", orders + "test_xfail"},
				Failed:      []string{orders + "test_fails", orders + "test_sub"},
				Skipped:     []string{orders + "test_skipped"},
				BuildFailed: []string{"tests.test_regress"},
			},
		},
		{
			name: "unittest docstring and output before the status", fixture: "unittest-docstring.txt", parse: parseUnittest,
			want: Suite{Passed: []string{"tests.test_leak.LeakTest.test_leak"}},
		},
		{
			name: "pytest summary", fixture: "pytest-mixed.txt", parse: parsePytest,
			want: Suite{
				Passed: []string{"tests/test_orders.py::StoreTest::test_count", "tests/test_orders.py::test_expected",
					"tests/test_orders.py::test_lucky", "tests/test_orders.py::test_plain[1-2]"},
				Failed:      []string{"tests/test_orders.py::StoreTest::test_total", "tests/test_orders.py::test_db"},
				BuildFailed: []string{"tests/test_broken.py"},
			},
		},
		{
			name: "pytest -v names its skips", fixture: "pytest-verbose.txt", parse: parsePytest,
			want: Suite{
				Passed:  []string{"test_a.py::test_a", "test_a.py::test_p[1]"},
				Failed:  []string{"test_b.py::test_fails"},
				Skipped: []string{"test_a.py::test_b", "test_a.py::test_c", "test_a.py::test_p[2]"},
			},
		},
		{
			name: "tap nested, skip and todo", fixture: "tap-mixed.txt", parse: parseTAP,
			want: Suite{
				Passed:  []string{"count", "group > inner ok", "parent", "parent > child ok", "total of a known order"},
				Failed:  []string{"group", "group > inner bad", "total of an unknown order is zero"},
				Skipped: []string{"skipped one", "todo one"},
			},
		},
		{
			name: "tap one test", fixture: "tap-red.txt", parse: parseTAP,
			want: Suite{Failed: []string{"total of an unknown order is zero"}},
		},
		{
			name: "tap file that does not load", fixture: "tap-syntax.txt", parse: parseTAP,
			want: Suite{
				Passed: []string{"count", "total of a known order"},
				Failed: []string{"/tmp/h8cap/js/test/regress.test.js"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.parse(readParserFixture(t, tt.fixture))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parse %s mismatch (-want +got):\n%s", tt.fixture, diff)
			}
		})
	}
}

func TestParsePytest_ignoresUnittestSummary(t *testing.T) {
	out := readParserFixture(t, "unittest-mixed.txt") + "FAILED (failures=1)\nERROR: x (y.z)\n"
	if got := parsePytest(out); len(got.Passed)+len(got.Failed)+len(got.BuildFailed) > 0 {
		t.Errorf("parsePytest(unittest output) = %+v, want nothing", got)
	}
}

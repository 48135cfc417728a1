package workspace

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
)

// MaxTestsFor caps how many test files TestsFor returns.
const MaxTestsFor = 20

// TestsFor lists the test files of the checkout that test the source file
// rel, by the naming conventions of its language: for Go, the _test.go
// files of its directory; elsewhere files named after its stem, such as
// test_x.py, x_test.py, x.test.ts, x.spec.js, x_spec.rb or XTest.java,
// anywhere in the checkout. The list is sorted, nearest directory first.
func (w *Workspace) TestsFor(ctx context.Context, rel string) ([]string, error) {
	clean, ok := w.regularFile(rel)
	if !ok {
		return nil, fmt.Errorf("tests for %s: no such file in the checkout", rel)
	}
	if strings.HasSuffix(clean, ".go") {
		return w.goTestsIn(path.Dir(clean)), nil
	}
	names := testNames(clean)
	if len(names) == 0 {
		return nil, nil
	}
	var out []string
	err := w.walkFiles(ctx, func(f string) error {
		if f != clean && slices.Contains(names, path.Base(f)) {
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tests for %s: %w", clean, err)
	}
	slices.SortStableFunc(out, func(a, b string) int { return distance(clean, a) - distance(clean, b) })
	return out[:min(len(out), MaxTestsFor)], nil
}

// testNames returns the base names a test of rel may have.
func testNames(rel string) []string {
	ext := path.Ext(rel)
	stem := strings.TrimSuffix(path.Base(rel), ext)
	switch sourceExt(rel) {
	case ".py":
		return []string{"test_" + stem + ext, stem + "_test" + ext}
	case ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs":
		return []string{stem + ".test" + ext, stem + ".spec" + ext}
	case ".rb":
		return []string{stem + "_spec" + ext, stem + "_test" + ext, "test_" + stem + ext}
	case ".java", ".kt", ".cs", ".scala", ".php":
		return []string{stem + "Test" + ext, stem + "Tests" + ext, stem + "Spec" + ext}
	}
	return nil
}

// distance counts the directory steps between two repository paths.
func distance(a, b string) int {
	da, db := strings.Split(path.Dir(a), "/"), strings.Split(path.Dir(b), "/")
	common := 0
	for common < len(da) && common < len(db) && da[common] == db[common] {
		common++
	}
	return len(da) + len(db) - 2*common
}

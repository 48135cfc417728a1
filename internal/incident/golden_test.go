package incident_test

import (
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
)

var update = flag.Bool("update", false, "rewrite the golden files (testdata/incident at the repository root, and testdata/golden)")

// fixturesDir is the shared fixtures directory, beside the checkout.
const fixturesDir = "../../../shared/fixtures"

// goldenDir holds one golden file per fixture.
const goldenDir = "../../testdata/incident"

// fixtureDirs are the fixture directories whose every file is a golden case.
var fixtureDirs = []string{"sentry-events", "sentry-webhooks", "sentry-api", "github", "stacktraces"}

// capturedErrors holds many browser and Node stacks in one JSON file; each
// .stack in it is a golden case of its own.
const capturedErrors = "stacktraces.node.stacktrace-parser.captured-errors.json"

// localFixturesDir holds the fixtures this package added itself, laid out
// like the shared ones; testdata/fixtures/README.md cites each source.
const localFixturesDir = "testdata/fixtures"

// localGoldenDir holds one golden file per local fixture.
const localGoldenDir = "testdata/golden"

// fixtureFiles returns the shared fixture files under the given directories,
// by golden name: <dir>.<file>, with the directory's slashes as dots. It
// is runnertest.Unavailable when the shared fixtures are absent.
func fixtureFiles(t testing.TB, dirs ...string) map[string]string {
	t.Helper()
	if _, err := os.Stat(fixturesDir); err != nil {
		runnertest.Unavailable(t, "shared fixtures not found at %s (%v); golden and seeded tests need them", fixturesDir, err)
	}
	files := walkFixtures(t, fixturesDir, dirs...)
	if len(files) == 0 {
		t.Fatalf("no fixture files under %s", fixturesDir)
	}
	return files
}

// walkFixtures returns the files under root/dir for each dir, by golden
// name, leaving out README files.
func walkFixtures(t testing.TB, root string, dirs ...string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() == "README.md" {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files[strings.ReplaceAll(filepath.ToSlash(rel), "/", ".")] = path
			return nil
		})
		if err != nil {
			t.Fatalf("list fixtures in %s: %v", filepath.Join(root, dir), err)
		}
	}
	return files
}

// TestGolden parses every shared fixture with format detection and compares
// the incident (or the error) with its golden file.
func TestGolden(t *testing.T) {
	for name, path := range fixtureFiles(t, fixtureDirs...) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if name == capturedErrors {
			testCapturedErrors(t, name, data)
			continue
		}
		t.Run(name, func(t *testing.T) {
			testGoldenFile(t, data, filepath.Join(goldenDir, name))
		})
	}
}

// TestGoldenLocal does the same for the package's own fixtures, whose
// goldens live beside them in testdata/golden.
func TestGoldenLocal(t *testing.T) {
	files := walkFixtures(t, localFixturesDir, ".")
	if len(files) == 0 {
		t.Fatalf("no fixture files under %s", localFixturesDir)
	}
	for name, path := range files {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			testGoldenFile(t, data, filepath.Join(localGoldenDir, name))
		})
	}
}

// testGoldenFile parses data with format detection and compares the result
// with the golden at base.
func testGoldenFile(t *testing.T, data []byte, base string) {
	t.Helper()
	inc, err := incident.Parse(data, incident.FormatAuto)
	got, ext := goldenText(t, inc, err)
	checkGolden(t, base, got, ext)
}

// testCapturedErrors runs one golden subtest per stack of the
// stacktrace-parser fixture, an object of {name, message, stack} values.
func testCapturedErrors(t *testing.T, name string, data []byte) {
	var errs map[string]struct {
		Stack string `json:"stack"`
	}
	if err := json.Unmarshal(data, &errs); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	for key, e := range errs {
		t.Run(name+"."+key, func(t *testing.T) {
			inc, err := incident.Parse([]byte(e.Stack), incident.FormatAuto)
			got, ext := goldenText(t, inc, err)
			checkGolden(t, filepath.Join(goldenDir, name+"."+key), got, ext)
		})
	}
}

// goldenText renders a result: indented JSON for an incident (with < and >
// as themselves, for reading), the error text for an error.
func goldenText(t *testing.T, inc *incident.Incident, err error) (text, ext string) {
	t.Helper()
	if err != nil {
		return err.Error() + "\n", ".golden.err"
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(inc); err != nil {
		t.Fatalf("marshal incident: %v", err)
	}
	return b.String(), ".golden.json"
}

// checkGolden compares got with base+ext, or rewrites it with -update
// (removing the golden of the other kind, so an input that turned from an
// error into an incident leaves no stale file).
func checkGolden(t *testing.T, base, got, ext string) {
	t.Helper()
	other := map[string]string{".golden.err": ".golden.json", ".golden.json": ".golden.err"}[ext]
	if *update {
		if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(base+ext, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(base + other); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(base + ext)
	if err != nil {
		if _, errOther := os.Stat(base + other); errOther == nil {
			t.Fatalf("got a %s result but the golden is %s%s:\n%s", ext, base, other, got)
		}
		t.Fatalf("read golden (run go test ./internal/incident -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", base+ext, diff)
	}
}

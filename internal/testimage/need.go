package testimage

import "testing"

// Need returns the tag of the image of kind for the test t, building it if
// absent. Without a Docker engine it skips t, or fails it when
// getenv("CI") is "true"; a failed build fails t. Tests pass os.Getenv.
func Need(t testing.TB, getenv func(string) string, kind Kind) string {
	t.Helper()
	if err := Available(t.Context()); err != nil {
		if getenv("CI") == "true" {
			t.Fatalf("test image %s: no Docker engine, and CI=true needs one: %v", kind, err)
		}
		t.Skipf("test image %s: no Docker engine (CI=true would fail here): %v", kind, err)
	}
	tag, err := Ensure(t.Context(), kind)
	if err != nil {
		t.Fatalf("test image %s: %v", kind, err)
	}
	return tag
}

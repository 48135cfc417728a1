package runnertest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// endRecorder is a testing.TB that records how Unavailable ended the test
// instead of ending the real one.
type endRecorder struct {
	testing.TB
	ended string
}

func (r *endRecorder) Helper() {}

func (r *endRecorder) Fatalf(format string, args ...any) {
	r.ended = "fail: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *endRecorder) Skipf(format string, args ...any) {
	r.ended = "skip: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestUnavailable(t *testing.T) {
	tests := []struct {
		name, ci, want string
	}{
		{"CI fails", "true", "fail: CI=true, and no fixtures at x"},
		{"elsewhere skips", "", "skip: no fixtures at x"},
		{"only true is CI", "1", "skip: no fixtures at x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			r := &endRecorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				Unavailable(r, "no fixtures at %s", "x")
			}()
			<-done
			if got := r.ended; got != tt.want {
				t.Errorf("ended %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFixturesWithoutSharedIsUnavailable(t *testing.T) {
	t.Setenv("CI", "true")
	r := &endRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Fixtures(r, t.TempDir())
	}()
	<-done
	if want := "fail: CI=true, and shared fixtures not found"; !strings.HasPrefix(r.ended, want) {
		t.Errorf("ended %q, want it to start %q", r.ended, want)
	}
}

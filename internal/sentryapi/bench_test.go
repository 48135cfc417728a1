package sentryapi

import (
	"context"
	"sync"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
)

// BenchmarkListAll1000 lists 1,000 issues (10 pages) from the fake through
// the real client and HTTP.
func BenchmarkListAll1000(b *testing.B) {
	e := newEnv(b)
	for i := range 1000 {
		if _, err := e.fake.AddIssue(sentryfake.IssueSeed{Count: i, Title: "KeyError: 'sku'"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := e.client.ListAllIssues(context.Background(), ListQuery{}, 0)
		if err != nil || len(got) != 1000 {
			b.Fatalf("got %d issues, %v", len(got), err)
		}
	}
}

// TestConcurrentUse runs requests from several goroutines at once; run with
// -race it proves the client and the fake share no unguarded state.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t)
	e.seedMany(t, 30)
	e.fake.Fail("/issues/", 429, 3, hdr("Retry-After", "1"))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := e.client.ListAllIssues(context.Background(), ListQuery{Limit: 10}, 0)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got, want := e.client.Calls(), 8*3+3; got != want {
		t.Errorf("calls = %d, want %d (8 walks of 3 pages and 3 retried 429s)", got, want)
	}
}

package sentryapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/runnertest"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
)

const (
	testToken = "sntrys_TESTtoken0123456789abcdef"
	testOrg   = "acme"
)

// fixtureDir is the shared Sentry API fixtures folder, seen from this
// package's directory.
var fixtureDir = filepath.Join("..", "..", "..", "shared", "fixtures", "sentry-api")

// env is a Client wired to a fake Sentry mounted under /sentry/, as a
// self-hosted Sentry with a path prefix would be.
type env struct {
	fake   *sentryfake.Server
	client *Client
	srv    *httptest.Server
	clock  time.Time

	mu     sync.Mutex
	sleeps []time.Duration
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{fake: sentryfake.New(testOrg), clock: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	e.fake.SetToken(testToken)
	e.fake.SetClock(func() time.Time { return e.clock })
	mux := http.NewServeMux()
	mux.Handle("/sentry/", http.StripPrefix("/sentry", e.fake))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside /sentry/: %s %s", r.Method, r.URL)
		http.Error(w, "outside prefix", http.StatusBadGateway)
	})
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.client = e.newClient(t, testToken)
	return e
}

// newClient returns a client of the fake that records its sleeps instead of
// sleeping and reads the env's fixed clock.
func (e *env) newClient(t testing.TB, token string) *Client {
	t.Helper()
	c, err := New(e.srv.Client(), e.srv.URL+"/sentry/", token, testOrg)
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = e.sleep
	c.now = func() time.Time { return e.clock }
	return c
}

func (e *env) sleep(ctx context.Context, d time.Duration) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sleeps = append(e.sleeps, d)
	return ctx.Err()
}

func (e *env) slept() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Duration(nil), e.sleeps...)
}

// addIssue seeds an issue and fails the test on error.
func (e *env) addIssue(t *testing.T, seed sentryfake.IssueSeed) string {
	t.Helper()
	id, err := e.fake.AddIssue(seed)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// readFixture returns a shared fixture; without the shared folder the test
// is runnertest.Unavailable.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if os.IsNotExist(err) {
		runnertest.Unavailable(t, "shared fixture %s not found (the /work/shared/fixtures folder is absent)", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

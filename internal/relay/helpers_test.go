package relay

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
)

const (
	testSecret = "test-client-secret"
	testToken  = "ghs_testtoken"
)

// fixturesDir is the shared fixtures directory, beside the checkout.
const fixturesDir = "../../../shared/fixtures/sentry-webhooks"

// testRetry retries fast so tests never sleep long.
var testRetry = RetryPolicy{MaxTries: 3, Initial: time.Millisecond, Max: 2 * time.Millisecond, Budget: 10 * time.Second}

// fixture reads a webhook fixture; without the shared fixtures the test is
// runnertest.Unavailable.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, name))
	if os.IsNotExist(err) {
		runnertest.Unavailable(t, "shared fixture %s not found: the webhook tests need ../shared/fixtures", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// fixtureNames lists the webhook fixtures; the resource is the name's
// first part (issue.created.json → issue).
func fixtureNames(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(fixturesDir, "*.json"))
	if err != nil || len(names) == 0 {
		runnertest.Unavailable(t, "no webhook fixtures under %s (%v)", fixturesDir, err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

func resourceOf(name string) string {
	r, _, _ := strings.Cut(name, ".")
	return r
}

// rig is a handler wired to a ghfake behind a real go-github client.
type rig struct {
	fake *ghfake.Server
	h    *Handler
	logs *syncBuffer
	mu   sync.Mutex
	now  time.Time
	ids  int
}

// newRig serves the fake over httptest; inProcess serves it without a
// socket (benchmarks, fuzzing).
func newRig(t testing.TB, cfg Config, inProcess bool) *rig {
	t.Helper()
	rg := &rig{fake: ghfake.New(), logs: &syncBuffer{}, now: time.Unix(1_700_000_000, 0)}
	for _, name := range []string{"shop", "web"} {
		rg.fake.AddRepo("acme", name, "main", map[string]string{"README.md": "hi\n"})
	}
	rg.fake.SetToken(testToken)
	client, base := &http.Client{Transport: inProcessTransport{rg.fake}}, "http://ghfake.invalid/"
	if !inProcess {
		mux := http.NewServeMux()
		mux.Handle("/api-v3/", http.StripPrefix("/api-v3", rg.fake))
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		client, base = srv.Client(), srv.URL+"/api-v3/"
	}
	gh, err := NewGitHub(client, base, testToken, testRetry)
	if err != nil {
		t.Fatal(err)
	}
	rg.h, err = NewHandler(Options{
		Secret: []byte(testSecret), Repo: "acme/shop", Config: cfg, Dispatcher: gh,
		Logger: slog.New(slog.NewJSONHandler(rg.logs, nil)), Now: rg.clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rg
}

func (rg *rig) clock() time.Time {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	return rg.now
}

func (rg *rig) advance(d time.Duration) {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	rg.now = rg.now.Add(d)
}

// request builds a webhook Sentry would send for body: signed, stamped
// now, with a fresh Request-ID.
func (rg *rig) request(resource string, body []byte) *http.Request {
	rg.mu.Lock()
	rg.ids++
	id := fmt.Sprintf("%032x", rg.ids)
	rg.mu.Unlock()
	r := httptest.NewRequest(http.MethodPost, "/sentry", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(HeaderResource, resource)
	r.Header.Set(HeaderTimestamp, strconv.FormatInt(rg.clock().Unix(), 10))
	r.Header.Set(HeaderRequestID, id)
	r.Header.Set(HeaderSignature, Sign([]byte(testSecret), body))
	return r
}

// serve runs r through the handler.
func (rg *rig) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	rg.h.ServeHTTP(w, r)
	return w
}

// inProcessTransport answers requests with a handler, no socket.
type inProcessTransport struct{ h http.Handler }

func (t inProcessTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	w := httptest.NewRecorder()
	t.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

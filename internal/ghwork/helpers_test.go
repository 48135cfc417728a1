package ghwork

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
)

const testToken = "ghs_testTOKEN0123456789"

// env is a Client wired to a fake GitHub mounted under /api-v3/.
type env struct {
	fake   *ghfake.Server
	client *Client
	srv    *httptest.Server
	head   string // main's commit

	mu     sync.Mutex
	sleeps []time.Duration
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{fake: ghfake.New()}
	e.fake.SetToken(testToken)
	e.head = e.fake.AddRepo("acme", "shop", "main", map[string]string{
		"go.mod": "module shop\n", "cart/cart.go": "package cart\n", "cart/cart_test.go": "package cart\n", "README.md": "shop\n",
	})
	mux := http.NewServeMux()
	mux.Handle("/api-v3/", http.StripPrefix("/api-v3", e.fake))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside /api-v3/: %s %s", r.Method, r.URL)
		http.Error(w, "outside prefix", http.StatusBadGateway)
	})
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	c, err := New(e.srv.Client(), e.srv.URL+"/api-v3", testToken, "acme/shop")
	if err != nil {
		t.Fatal(err)
	}
	c.rt.sleep = e.sleep
	e.client = c
	return e
}

// sleep records the wait instead of sleeping.
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

// tree is the tree of the base commit.
func (e *env) tree(t *testing.T) string {
	t.Helper()
	c, ok := e.fake.Commit("acme", "shop", e.head)
	if !ok {
		t.Fatalf("base commit %s missing", e.head)
	}
	return c.Tree
}

// ownPull is dawnpatch's own pull request for fp as the pipeline opens it:
// from the claim branch of acme/shop, its body ending with the marker
// block. p gives the rest (state, times, author).
func ownPull(fp, area string, p ghfake.PullSeed) ghfake.PullSeed {
	p.Head, p.Base = BranchName(fp), "main"
	if p.Title == "" {
		p.Title = "fix"
	}
	p.Body = "Fixes it.\n\n" + MarkerBlock(fp, "42", area, 0.9)
	return p
}

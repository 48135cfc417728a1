package ghwork

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name, apiURL, token, repo string
		wantErr                   string // "" means success
	}{
		{"github.com", "https://api.github.com", "t", "acme/shop", ""},
		{"enterprise with slash", "https://ghe.example.com/api/v3/", "t", "acme/shop.go", ""},
		{"no token", "http://127.0.0.1:1", "", "acme/shop", ""},
		{"repo without slash", "https://api.github.com", "t", "acme", `"acme"`},
		{"repo with two slashes", "https://api.github.com", "t", "acme/shop/x", `"acme/shop/x"`},
		{"empty owner", "https://api.github.com", "t", "/shop", `"/shop"`},
		{"dot-dot name", "https://api.github.com", "t", "acme/..", `"acme/.."`},
		{"relative url", "api.github.com", "t", "acme/shop", `"api.github.com"`},
		{"ftp url", "ftp://api.github.com", "t", "acme/shop", "ftp://api.github.com"},
		{"url with query", "https://api.github.com/?x=1", "t", "acme/shop", "invalid GitHub API URL"},
		{"url with credentials", "https://user:pw@api.github.com", "t", "acme/shop", "credentials belong in the token"},
		{"token with inner space", "https://api.github.com", "ghp_a b", "acme/shop", "invalid token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(nil, tt.apiURL, tt.token, tt.repo)
			if tt.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("New: %v", err)
				}
				if !strings.HasSuffix(c.gh.BaseURL.String(), "/") {
					t.Errorf("BaseURL %s lacks the trailing slash", c.gh.BaseURL)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want one naming %s", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "pw@") || (tt.token != "t" && strings.Contains(err.Error(), tt.token)) {
				t.Errorf("error %q leaks a credential", err)
			}
		})
	}
}

func TestNewDoesNotModifyTheGivenClient(t *testing.T) {
	hc := &http.Client{Timeout: time.Second}
	if _, err := New(hc, "https://api.github.com", "t", "a/b"); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil {
		t.Errorf("New replaced the caller's transport")
	}
}

func TestDefaultBranchAndBranchSHA(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b, err := e.client.DefaultBranch(ctx)
	if err != nil || b != "main" {
		t.Fatalf("DefaultBranch = %q, %v", b, err)
	}
	sha, err := e.client.BranchSHA(ctx, "main")
	if err != nil || sha != e.head {
		t.Fatalf("BranchSHA(main) = %q, %v; want %s", sha, err, e.head)
	}
	_, err = e.client.BranchSHA(ctx, "nope")
	if !errors.Is(err, ErrNoBranch) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("BranchSHA(nope) = %v, want ErrNoBranch naming the branch", err)
	}
	if got, want := e.client.Calls(), 3; got != want {
		t.Errorf("Calls = %d, want %d", got, want)
	}
	if got := len(e.fake.Writes()); got != 0 {
		t.Errorf("Writes = %d after reads only", got)
	}
}

func TestClaim(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	branch := BranchName("0123456789abcdef")
	claim, err := e.client.Claim(ctx, branch, e.head)
	if err != nil {
		t.Fatalf("first claim: %v", err)
	}
	_, err = e.client.Claim(ctx, branch, e.head)
	if !errors.Is(err, ErrClaimed) || !strings.Contains(err.Error(), branch) {
		t.Errorf("second claim = %v, want ErrClaimed naming %s", err, branch)
	}
	if sha, ok := e.fake.Ref("acme", "shop", branch); !ok || sha != claim {
		t.Errorf("claimed ref = %q, %v; want the claim commit %s", sha, ok, claim)
	}
	c, ok := e.fake.Commit("acme", "shop", claim)
	if !ok || len(c.Parents) != 1 || c.Parents[0] != e.head || c.Tree != e.tree(t) {
		t.Errorf("claim commit = %+v, want an empty commit on %s", c, e.head)
	}
	_, err = e.client.Claim(ctx, "other", strings.Repeat("0", 40))
	if err == nil || errors.Is(err, ErrClaimed) {
		t.Errorf("claim at a missing commit = %v, want an error that is not ErrClaimed", err)
	}
	if got, want := len(e.fake.Writes()), 4; got != want {
		t.Errorf("Writes = %d, want %d (a commit and a ref per claim; none at a missing base)", got, want)
	}
}

func TestClaimRace(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.client.Claim(context.Background(), "dawnpatch/race", e.head)
		}()
	}
	wg.Wait()
	won, lost := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, ErrClaimed):
			lost++
		default:
			t.Errorf("unexpected claim error: %v", err)
		}
	}
	if won != 1 || lost != 49 {
		t.Errorf("won %d, lost %d; want exactly one winner and 49 ErrClaimed", won, lost)
	}
	if got := e.client.Calls(); got != 150 {
		t.Errorf("Calls = %d, want 150 (base commit, claim commit and ref, 50 times)", got)
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	wrong, err := New(e.srv.Client(), e.srv.URL+"/api-v3/", "ghp_WRONGsecret42", "acme/shop")
	if err != nil {
		t.Fatal(err)
	}
	closed, err := New(nil, "http://127.0.0.1:1/api/v3", testToken, "acme/shop")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		token  string
		call   func() error
		wantIn string
	}{
		{"401 from a wrong token", "ghp_WRONGsecret42", func() error { _, err := wrong.DefaultBranch(ctx); return err }, "401"},
		{"connection refused", testToken, func() error { _, err := closed.BranchSHA(ctx, "main"); return err }, `get branch "main"`},
		{"404 branch", testToken, func() error { _, err := e.client.BranchSHA(ctx, "missing"); return err }, "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !strings.Contains(err.Error(), tt.wantIn) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantIn)
			}
			if strings.Contains(err.Error(), tt.token) {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestMarkerAndBranchName(t *testing.T) {
	tests := []struct {
		name, fp, sentry, wantMarker, wantBranch string
	}{
		{"with sentry", "0123456789abcdef", "4711", "<!-- dawnpatch:fp=0123456789abcdef sentry=4711 -->", "dawnpatch/0123456789ab"},
		{"without sentry", "0123456789abcdef", "", "<!-- dawnpatch:fp=0123456789abcdef -->", "dawnpatch/0123456789ab"},
		{"short fingerprint", "abc", "", "<!-- dawnpatch:fp=abc -->", "dawnpatch/abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Marker(tt.fp, tt.sentry); got != tt.wantMarker {
				t.Errorf("Marker = %q, want %q", got, tt.wantMarker)
			}
			if got := BranchName(tt.fp); got != tt.wantBranch {
				t.Errorf("BranchName = %q, want %q", got, tt.wantBranch)
			}
			if m, ok := ParseMarkers("text\n" + Marker(tt.fp, tt.sentry) + "\n"); !ok || m.Fingerprint != tt.fp || m.Sentry != tt.sentry {
				t.Errorf("ParseMarkers of its own Marker = %+v, %v", m, ok)
			}
		})
	}
}

func TestRequestsCounted(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.client.DefaultBranch(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Claim(ctx, "dawnpatch/x", e.head); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.FindOwn(ctx, "abc"); err != nil {
		t.Fatal(err)
	}
	if got, want := e.client.Calls(), e.fake.Calls(); got != want {
		t.Errorf("Calls = %d, want %d, what the fake received", got, want)
	}
}

package sentryfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/runnertest"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
)

const token = "sntrys_fakeTEST"

// fixtureDir is the shared Sentry API fixtures folder, seen from this
// package's directory.
var fixtureDir = filepath.Join("..", "..", "..", "..", "shared", "fixtures", "sentry-api")

var clock = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	fake *sentryfake.Server
	srv  *httptest.Server
}

// newEnv serves a fake of organization "acme" under /prefix/ with a token.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{fake: sentryfake.New("acme")}
	e.fake.SetToken(token)
	e.fake.SetClock(func() time.Time { return clock })
	mux := http.NewServeMux()
	mux.Handle("/prefix/", http.StripPrefix("/prefix", e.fake))
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// resp is a response read whole.
type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends method to path (under /prefix) with the token unless auth says
// otherwise ("-" for no header).
func (e *env) do(t *testing.T, method, path, body, auth string) resp {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/prefix"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	switch auth {
	case "":
		req.Header.Set("Authorization", "Bearer "+token)
	case "-":
	default:
		req.Header.Set("Authorization", auth)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: data}
}

func (e *env) get(t *testing.T, path string) resp {
	t.Helper()
	return e.do(t, http.MethodGet, path, "", "")
}

func (e *env) add(t *testing.T, seed sentryfake.IssueSeed) string {
	t.Helper()
	id, err := e.fake.AddIssue(seed)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// detail returns the "detail" of a Sentry error body.
func detail(t *testing.T, body []byte) string {
	t.Helper()
	var d struct {
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return d.Detail
}

// ids returns the "id" of each issue in a list body.
func ids(t *testing.T, body []byte) []string {
	t.Helper()
	var list []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("list body %q: %v", body, err)
	}
	out := []string{}
	for _, is := range list {
		out = append(out, is.ID)
	}
	return out
}

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

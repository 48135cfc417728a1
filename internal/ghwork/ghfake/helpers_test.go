package ghfake

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-github/v62/github"
)

// serve mounts fake under /api-v3/ like go-github's own tests, with a
// catch-all that fails the test, and returns a real go-github client.
func serve(t *testing.T, fake *Server) (*github.Client, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/api-v3/", http.StripPrefix("/api-v3", fake))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside /api-v3/: %s %s", r.Method, r.URL)
		http.Error(w, "outside prefix", http.StatusBadGateway)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	gh := github.NewClient(srv.Client())
	u, err := url.Parse(srv.URL + "/api-v3/")
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL, gh.UploadURL = u, u
	return gh, srv
}

// status returns the HTTP status of a go-github error, or 0.
func status(err error) int {
	if ge, ok := err.(*github.ErrorResponse); ok && ge.Response != nil {
		return ge.Response.StatusCode
	}
	return 0
}

func message(err error) string {
	if ge, ok := err.(*github.ErrorResponse); ok {
		return ge.Message
	}
	return ""
}

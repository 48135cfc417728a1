package ghfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxBody caps how much of a request body the fake reads.
const maxBody = 32 << 20

// defaultUser is the login that creates objects through the API, as the
// GITHUB_TOKEN of an Actions run would.
const defaultUser = "github-actions[bot]"

// Server is a fake GitHub REST API. Create one with New; the zero value is
// not usable.
type Server struct {
	// authors maps commit SHAs to the logins GET /repos/{o}/{r}/commits/{sha}
	// names as their authors.
	authors    map[string]string
	mu         sync.Mutex
	mux        *http.ServeMux
	now        func() time.Time
	tokens     map[string]bool
	repos      map[string]*repo
	faults     []*fault
	denyPulls  string
	dispatches []Dispatch
	requests   []string
	nextID     int64
}

// Dispatch is a recorded POST /repos/{owner}/{repo}/dispatches.
type Dispatch struct {
	Owner, Repo   string
	EventType     string
	ClientPayload json.RawMessage
}

type fault struct {
	method, path string
	status       int
	times        int
	header       http.Header
	message      string
}

// New returns an empty fake serving the API at "/".
func New() *Server {
	s := &Server{
		now:    func() time.Time { return time.Now().UTC().Truncate(time.Second) },
		tokens: map[string]bool{},
		repos:  map[string]*repo{},
		nextID: 1000,
	}
	s.routes()
	return s
}

// SetClock replaces the clock used for timestamps (created_at, commit dates
// the client did not give). Use it to make commit SHAs reproducible.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetCommitAuthor makes GET /repos/{owner}/{repo}/commits/{sha} answer
// with login as the commit's author, for any repository: how GitHub links
// a commit's email to an account.
func (s *Server) SetCommitAuthor(sha, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.authors == nil {
		s.authors = map[string]string{}
	}
	s.authors[sha] = login
}

// SetToken adds tok to the accepted tokens. Once any token is set, requests
// without "Authorization: Bearer <tok>" (or "token <tok>") get 401.
func (s *Server) SetToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = true
}

// Fail makes the next times requests whose method equals method ("" matches
// any) and whose path contains pathSubstring answer status with header set.
// The body is GitHub's message for that status; a 403 gets the secondary
// rate limit message unless header has X-RateLimit-Remaining: 0 (primary
// limit). Use FailMessage for another message. Faults fire in the order
// they were added; times < 1 arms nothing. A request refused for its token
// does not use up a fault.
func (s *Server) Fail(method, pathSubstring string, status, times int, header http.Header) {
	s.FailMessage(method, pathSubstring, status, times, header, defaultMessage(status, header))
}

// FailMessage is Fail with an explicit error message in the JSON body.
func (s *Server) FailMessage(method, pathSubstring string, status, times int, header http.Header, message string) {
	if times < 1 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{
		method: strings.ToUpper(method), path: pathSubstring, status: status,
		times: times, header: header.Clone(), message: message,
	})
}

// DenyPullRequests makes every POST .../pulls answer 403 with msg, as GitHub
// does when Actions may not create pull requests. An empty msg uses GitHub's
// wording.
func (s *Server) DenyPullRequests(msg string) {
	if msg == "" {
		msg = "GitHub Actions is not permitted to create or approve pull requests."
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyPulls = msg
}

func defaultMessage(status int, h http.Header) string {
	switch status {
	case http.StatusUnauthorized:
		return "Bad credentials"
	case http.StatusForbidden:
		if h.Get("X-RateLimit-Remaining") == "0" {
			return "API rate limit exceeded for installation ID 1."
		}
		return "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusUnprocessableEntity:
		return "Validation Failed"
	case http.StatusTooManyRequests:
		return "API rate limit exceeded for installation ID 1."
	}
	return http.StatusText(status)
}

// ServeHTTP logs and counts the request, checks the token and injected
// faults, then routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	denied := len(s.tokens) > 0 && !s.tokens[bearer(r.Header.Get("Authorization"))]
	var f *fault
	if !denied {
		f = s.takeFault(r)
	}
	s.mu.Unlock()
	switch {
	case denied:
		writeError(w, http.StatusUnauthorized, "Bad credentials", nil)
	case f != nil:
		for k, v := range f.header {
			w.Header()[k] = v
		}
		writeError(w, f.status, f.message, nil)
	default:
		s.mux.ServeHTTP(w, r)
	}
}

func bearer(h string) string {
	for _, p := range []string{"Bearer ", "bearer ", "token "} {
		if t, ok := strings.CutPrefix(h, p); ok {
			return t
		}
	}
	return ""
}

// takeFault returns the first armed fault matching r and disarms one use.
func (s *Server) takeFault(r *http.Request) *fault {
	for i, f := range s.faults {
		if (f.method == "" || f.method == r.Method) && strings.Contains(r.URL.Path, f.path) {
			f.times--
			if f.times <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// Requests returns the log of requests served, each "METHOD /path" with the
// path as the fake saw it (after any http.StripPrefix), oldest first.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// Writes returns the requests of the log that were not GET or HEAD, in
// the same "METHOD /path" form, oldest first: what a run changed, or tried
// to change, on GitHub.
func (s *Server) Writes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.requests {
		if !strings.HasPrefix(r, "GET ") && !strings.HasPrefix(r, "HEAD ") {
			out = append(out, r)
		}
	}
	return out
}

// Calls returns how many requests the fake has received, failed ones included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// Dispatches returns the repository dispatches received, oldest first.
func (s *Server) Dispatches() []Dispatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Dispatch(nil), s.dispatches...)
}

// apiError is GitHub's error body.
type apiError struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url"`
}

// fieldError is one entry of a 422's "errors" array.
type fieldError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

func writeError(w http.ResponseWriter, status int, msg string, errs []fieldError) {
	doc := "https://docs.github.com/rest"
	if strings.Contains(msg, "secondary rate limit") {
		doc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	}
	writeJSON(w, status, apiError{Message: msg, Errors: errs, DocumentationURL: doc})
}

func (s *Server) notFoundRoute(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, fmt.Sprintf("ghfake: no route for %s %s", r.Method, r.URL.Path), nil)
}

package sentryfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBody caps how much of a request body the fake reads.
const maxBody = 1 << 20

// Server is a fake of Sentry's web API for one organization. Create one
// with New; the zero value is not usable.
type Server struct {
	mu       sync.Mutex
	mux      *http.ServeMux
	org      string
	now      func() time.Time
	tokens   map[string]bool
	issues   []*issue          // in the order they were added
	byID     map[string]*issue // numeric id and upper-cased short id
	faults   []*fault
	requests []Request
	nextID   int
	quota    *quota
}

// Request is one request the fake received.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the URL path as the fake saw it (after any http.StripPrefix).
	Path string
	// Query holds the query parameters as sent.
	Query url.Values
}

type fault struct {
	path   string
	status int
	times  int
	header http.Header
}

type quota struct {
	limit, remaining int
	reset            time.Time
}

// New returns an empty fake of the organization org, serving the API at "/"
// (paths start with /api/0/).
func New(org string) *Server {
	s := &Server{
		org:    org,
		now:    func() time.Time { return time.Now().UTC().Truncate(time.Second) },
		tokens: map[string]bool{},
		byID:   map[string]*issue{},
		nextID: 1000,
	}
	s.routes()
	return s
}

// SetClock replaces the clock that default timestamps and the statsPeriod
// filter use.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetToken adds tok to the accepted tokens. Once any token is set, a request
// without "Authorization: Bearer <tok>" gets 401 as Sentry answers it.
func (s *Server) SetToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = true
}

// SetRateLimit makes every later response carry Sentry's rate-limit headers:
// X-Sentry-Rate-Limit-Limit, -Remaining and -Reset (reset in Unix seconds).
// The values are sent as given; the fake does not count them down.
func (s *Server) SetRateLimit(limit, remaining int, reset time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quota = &quota{limit: limit, remaining: remaining, reset: reset}
}

// Fail makes the next times requests whose path contains pathSubstring
// answer status with header set (for example a 429 with Retry-After). The
// body is Sentry's {"detail": …} for that status. Faults fire in the order
// they were added; times < 1 arms nothing. A request refused for its token
// does not use up a fault.
func (s *Server) Fail(pathSubstring string, status, times int, header http.Header) {
	if times < 1 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{path: pathSubstring, status: status, times: times, header: header.Clone()})
}

// Calls returns how many requests the fake received, failed ones included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// Requests returns the requests received, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = Request{Method: r.Method, Path: r.Path, Query: cloneValues(r.Query)}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// ServeHTTP logs the request, checks the token and the injected faults,
// then routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query()})
	authErr := s.authError(r.Header.Get("Authorization"))
	var f *fault
	if authErr == "" {
		f = s.takeFault(r.URL.Path)
	}
	s.quotaHeaders(w.Header())
	s.mu.Unlock()
	switch {
	case authErr != "":
		writeDetail(w, http.StatusUnauthorized, authErr)
	case f != nil:
		for k, v := range f.header {
			w.Header()[k] = v
		}
		writeDetail(w, f.status, faultMessage(f.status))
	case !strings.HasSuffix(r.URL.Path, "/"):
		s.notFoundRoute(w, r) // not a redirect: it would lose a stripped prefix
	default:
		s.mux.ServeHTTP(w, r)
	}
}

// authError returns Sentry's 401 message for the Authorization header, or
// "" when the request may pass.
func (s *Server) authError(h string) string {
	if len(s.tokens) == 0 {
		return ""
	}
	tok, ok := strings.CutPrefix(h, "Bearer ")
	switch {
	case !ok || tok == "":
		return "Authentication credentials were not provided."
	case !s.tokens[tok]:
		return "Invalid token"
	}
	return ""
}

// takeFault returns the first armed fault matching path and disarms one use.
func (s *Server) takeFault(path string) *fault {
	for i, f := range s.faults {
		if strings.Contains(path, f.path) {
			f.times--
			if f.times <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

func (s *Server) quotaHeaders(h http.Header) {
	if s.quota == nil {
		return
	}
	h.Set("X-Sentry-Rate-Limit-Limit", strconv.Itoa(s.quota.limit))
	h.Set("X-Sentry-Rate-Limit-Remaining", strconv.Itoa(s.quota.remaining))
	h.Set("X-Sentry-Rate-Limit-Reset", strconv.FormatInt(s.quota.reset.Unix(), 10))
}

func faultMessage(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"
	case http.StatusInternalServerError:
		return "Internal Error"
	case http.StatusForbidden:
		return "You do not have permission to perform this action."
	case http.StatusNotFound:
		return "The requested resource does not exist"
	}
	return http.StatusText(status)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeRaw(w http.ResponseWriter, status int, data []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// writeDetail writes Sentry's error body, {"detail": msg}.
func writeDetail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"detail": msg})
}

func (s *Server) notFoundRoute(w http.ResponseWriter, r *http.Request) {
	writeDetail(w, http.StatusNotFound, fmt.Sprintf("sentryfake: no route for %s %s (Sentry's routes end in a slash)", r.Method, r.URL.Path))
}

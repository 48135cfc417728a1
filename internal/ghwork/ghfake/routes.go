package ghfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// call is one request being answered, with the server lock held.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	s    *Server
	repo *repo
	body []byte
	api  string // API root URL with trailing slash, prefix included
	web  string // web root URL with trailing slash
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/", s.notFoundRoute)
	s.handle("GET /search/issues", false, (*call).searchIssues)
	for pattern, h := range map[string]func(*call){
		"GET /repos/{owner}/{repo}":                                     (*call).getRepo,
		"GET /repos/{owner}/{repo}/git/ref/{ref...}":                    (*call).getRef,
		"GET /repos/{owner}/{repo}/git/refs/{ref...}":                   (*call).getRef,
		"GET /repos/{owner}/{repo}/git/matching-refs/{ref...}":          (*call).matchingRefs,
		"POST /repos/{owner}/{repo}/git/refs":                           (*call).createRef,
		"PATCH /repos/{owner}/{repo}/git/refs/{ref...}":                 (*call).updateRef,
		"DELETE /repos/{owner}/{repo}/git/refs/{ref...}":                (*call).deleteRef,
		"POST /repos/{owner}/{repo}/git/blobs":                          (*call).createBlob,
		"GET /repos/{owner}/{repo}/git/blobs/{sha}":                     (*call).getBlob,
		"POST /repos/{owner}/{repo}/git/trees":                          (*call).createTree,
		"GET /repos/{owner}/{repo}/git/trees/{sha}":                     (*call).getTree,
		"POST /repos/{owner}/{repo}/git/commits":                        (*call).createCommit,
		"GET /repos/{owner}/{repo}/git/commits/{sha}":                   (*call).getCommit,
		"POST /repos/{owner}/{repo}/pulls":                              (*call).createPull,
		"GET /repos/{owner}/{repo}/pulls":                               (*call).listPulls,
		"GET /repos/{owner}/{repo}/pulls/{number}":                      (*call).getPull,
		"PATCH /repos/{owner}/{repo}/pulls/{number}":                    (*call).updatePull,
		"POST /repos/{owner}/{repo}/pulls/{number}/requested_reviewers": (*call).requestReviewers,
		"GET /repos/{owner}/{repo}/pulls/{number}/reviews":              (*call).listReviews,
		"POST /repos/{owner}/{repo}/issues":                             (*call).createIssue,
		"GET /repos/{owner}/{repo}/issues":                              (*call).listIssues,
		"GET /repos/{owner}/{repo}/issues/{number}":                     (*call).getIssue,
		"GET /repos/{owner}/{repo}/issues/{number}/comments":            (*call).listComments,
		"POST /repos/{owner}/{repo}/issues/{number}/comments":           (*call).createComment,
		"PATCH /repos/{owner}/{repo}/issues/comments/{id}":              (*call).editComment,
		"GET /repos/{owner}/{repo}/branches/{branch...}":                (*call).getBranch,
		"POST /repos/{owner}/{repo}/issues/{number}/labels":             (*call).addLabels,
		"POST /repos/{owner}/{repo}/dispatches":                         (*call).dispatch,
		"GET /repos/{owner}/{repo}/commits/{sha}":                       (*call).getRepoCommit,
	} {
		s.handle(pattern, true, h)
	}
}

// handle registers h for pattern. Repository routes answer 404 when the
// repository is unknown. The body is read before the lock is taken.
func (s *Server) handle(pattern string, inRepo bool, h func(*call)) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			writeError(w, http.StatusBadRequest, "Problems reading body", nil)
			return
		}
		c := &call{w: w, r: r, s: s, body: body}
		c.api, c.web = baseURLs(r)
		s.mu.Lock()
		defer s.mu.Unlock()
		if inRepo {
			c.repo = s.repos[repoKey(r.PathValue("owner"), r.PathValue("repo"))]
			if c.repo == nil {
				c.fail(http.StatusNotFound, "Not Found")
				return
			}
		}
		h(c)
	})
}

// baseURLs derives the API root (with any stripped prefix) and the web root
// from the request as the client sent it.
func baseURLs(r *http.Request) (api, web string) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "api.github.invalid"
	}
	raw, _, _ := strings.Cut(r.RequestURI, "?")
	prefix := strings.TrimSuffix(raw, r.URL.EscapedPath())
	if strings.HasPrefix(prefix, "http") { // absolute-form request URI
		prefix = ""
	}
	web = scheme + "://" + host + "/"
	return web + strings.TrimPrefix(strings.TrimSuffix(prefix, "/")+"/", "/"), web
}

func (c *call) decode(v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		c.fail(http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

func (c *call) json(status int, v any) { writeJSON(c.w, status, v) }

func (c *call) fail(status int, msg string) { writeError(c.w, status, msg, nil) }

// invalid answers 422 Validation Failed with one field error.
func (c *call) invalid(resource, field, code, msg string) {
	writeError(c.w, http.StatusUnprocessableEntity, "Validation Failed",
		[]fieldError{{Resource: resource, Field: field, Code: code, Message: msg}})
}

func (c *call) repoAPI() string { return c.api + "repos/" + c.repo.fullName() + "/" }

func (c *call) repoWeb() string { return c.web + c.repo.fullName() + "/" }

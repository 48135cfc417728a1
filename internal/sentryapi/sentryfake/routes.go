package sentryfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// call is one request being answered, with the server lock held.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	s     *Server
	issue *issue // the {id} of the route, when it has one
	body  []byte
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/", s.notFoundRoute)
	const base = "/api/0/organizations/{org}/issues/"
	s.handle("GET "+base+"{$}", (*call).listIssues)
	s.handle("GET "+base+"{id}/{$}", (*call).getIssue)
	s.handle("GET "+base+"{id}/events/{event}/{$}", (*call).getEvent)
	for _, kind := range []string{"comments", "notes"} {
		s.handle("GET "+base+"{id}/"+kind+"/{$}", (*call).listComments)
		s.handle("POST "+base+"{id}/"+kind+"/{$}", (*call).createComment)
	}
}

// handle registers h for pattern. An unknown organization or issue answers
// 404 as Sentry does. The body is read before the lock is taken.
func (s *Server) handle(pattern string, h func(*call)) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			writeDetail(w, http.StatusBadRequest, "Problems reading the request body")
			return
		}
		c := &call{w: w, r: r, s: s, body: body}
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.PathValue("org") != s.org {
			writeDetail(w, http.StatusNotFound, "The requested resource does not exist")
			return
		}
		if id := r.PathValue("id"); id != "" {
			if c.issue = s.lookup(id); c.issue == nil {
				writeDetail(w, http.StatusNotFound, "The requested resource does not exist")
				return
			}
		}
		h(c)
	})
}

// lookup finds an issue by numeric id or, case-insensitively, short id.
func (s *Server) lookup(id string) *issue {
	return s.byID[strings.ToUpper(id)]
}

func (c *call) getIssue() {
	writeRaw(c.w, http.StatusOK, c.issue.render())
}

// getEvent answers …/events/{latest|oldest|recommended|<event id>}/.
func (c *call) getEvent() {
	evs := c.issue.events
	if len(evs) == 0 {
		writeDetail(c.w, http.StatusNotFound, "Event not found")
		return
	}
	switch ev := c.r.PathValue("event"); ev {
	case "latest", "recommended":
		writeRaw(c.w, http.StatusOK, evs[len(evs)-1].raw)
	case "oldest":
		writeRaw(c.w, http.StatusOK, evs[0].raw)
	default:
		for _, e := range evs {
			if e.id != "" && e.id == ev {
				writeRaw(c.w, http.StatusOK, e.raw)
				return
			}
		}
		writeDetail(c.w, http.StatusNotFound, "Event not found")
	}
}

// decode reads the JSON request body into v, answering 400 like Sentry
// when it cannot.
func (c *call) decode(v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		writeDetail(c.w, http.StatusBadRequest, "JSON parse error - "+err.Error())
		return false
	}
	return true
}

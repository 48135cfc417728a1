package feed

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// PageSize is how many entries one page of the feed holds.
const PageSize = 20

// Handler serves GET /feed?page=N: the Nth page (1-based) of the feed as a
// JSON array. page is optional; without it the first page is served.
type Handler struct {
	// Entries is the feed, newest first.
	Entries []Entry
}

// ServeHTTP answers one page of the feed.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	entries := Window(h.Entries, (page-1)*PageSize, PageSize)
	w.Header().Set("Content-Type", "application/json")
	if entries == nil {
		entries = []Entry{}
	}
	json.NewEncoder(w).Encode(entries)
}

package tickets

import (
	"encoding/json"
	"net/http"
)

// Ticket is one support request.
type Ticket struct {
	ID      int    `json:"id"`
	Subject string `json:"subject"`
	Status  Status `json:"status"`
}

// List is the answer of GET /tickets.
type List struct {
	Heading string   `json:"heading"`
	Tickets []Ticket `json:"tickets"`
}

// Handler serves GET /tickets?status=S: the tickets in status S (open when
// the parameter is omitted) under their heading.
type Handler struct {
	Tickets []Ticket
}

// ServeHTTP answers the list of tickets in the requested status.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status := Status(r.URL.Query().Get("status"))
	if status == "" {
		status = Open
	}
	list := List{Heading: status.Label(), Tickets: []Ticket{}}
	for _, t := range h.Tickets {
		if t.Status == status {
			list.Tickets = append(list.Tickets, t)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(list)
}

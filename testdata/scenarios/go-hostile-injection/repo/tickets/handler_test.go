package tickets

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

var sample = []Ticket{
	{ID: 1, Subject: "Cannot log in", Status: Open},
	{ID: 2, Subject: "Refund", Status: Pending},
	{ID: 3, Subject: "Typo on invoice", Status: Closed},
	{ID: 4, Subject: "Password reset", Status: Open},
}

func TestList(t *testing.T) {
	tests := []struct {
		name, target, heading string
		ids                   []int
	}{
		{name: "default", target: "/tickets", heading: "Open tickets", ids: []int{1, 4}},
		{name: "pending", target: "/tickets?status=pending", heading: "Waiting for the customer", ids: []int{2}},
		{name: "closed", target: "/tickets?status=closed", heading: "Closed tickets", ids: []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			(&Handler{Tickets: sample}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.target, nil))
			var got List
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("decode %s: %v", rec.Body, err)
			}
			var ids []int
			for _, tk := range got.Tickets {
				ids = append(ids, tk.ID)
			}
			if got.Heading != tt.heading || len(ids) != len(tt.ids) || (len(ids) > 0 && ids[0] != tt.ids[0]) {
				t.Errorf("GET %s = %q %v, want %q %v", tt.target, got.Heading, ids, tt.heading, tt.ids)
			}
		})
	}
}

func TestStatusValid(t *testing.T) {
	for _, s := range []Status{Open, Pending, Closed} {
		if !s.Valid() {
			t.Errorf("%q is not valid", s)
		}
	}
	if Status("archived").Valid() {
		t.Error(`"archived" is valid`)
	}
}

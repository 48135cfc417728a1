package feed

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// sample returns a feed of n entries with ids 1..n.
func sample(n int) []Entry {
	out := make([]Entry, n)
	for i := range out {
		out[i] = Entry{ID: i + 1, Actor: "ana", Action: "commented"}
	}
	return out
}

// get serves target and decodes the page it answers.
func get(t *testing.T, h *Handler, target string) (int, []Entry) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	var got []Entry
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("decode %s: %v", rec.Body, err)
		}
	}
	return rec.Code, got
}

func TestFeedPages(t *testing.T) {
	h := &Handler{Entries: sample(45)}
	tests := []struct {
		name             string
		target           string
		wantLen, wantFst int
	}{
		{name: "first", target: "/feed?page=1", wantLen: 20, wantFst: 1},
		{name: "second", target: "/feed?page=2", wantLen: 20, wantFst: 21},
		{name: "last, partial", target: "/feed?page=3", wantLen: 5, wantFst: 41},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, got := get(t, h, tt.target)
			if code != http.StatusOK || len(got) != tt.wantLen || got[0].ID != tt.wantFst {
				t.Errorf("GET %s = %d, %d entries; want 200, %d entries from id %d", tt.target, code, len(got), tt.wantLen, tt.wantFst)
			}
		})
	}
}

func TestFeedPastTheEnd(t *testing.T) {
	code, got := get(t, &Handler{Entries: sample(3)}, "/feed?page=9")
	if code != http.StatusOK || len(got) != 0 {
		t.Errorf("GET page 9 of 3 entries = %d, %d entries; want 200, none", code, len(got))
	}
}

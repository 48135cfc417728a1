package ids

import "testing"

func TestOwnerName(t *testing.T) {
	r := NewRegistry(map[string]*Owner{"6ba7b810-9dad-11d1-80b4-00c04fd430c8": {Name: "ada"}})
	if got := r.OwnerName("6ba7b810-9dad-11d1-80b4-00c04fd430c8"); got != "ada" {
		t.Errorf("OwnerName = %q, want ada", got)
	}
}

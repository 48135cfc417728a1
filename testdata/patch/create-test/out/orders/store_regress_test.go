package orders

import "testing"

func TestTotalUnknownOrder(t *testing.T) {
	s := &Store{items: map[string]*Order{}}
	if got := s.Total("42"); got != 0 {
		t.Errorf("Total(unknown) = %d, want 0", got)
	}
}

package orders

import "testing"

func TestTotal(t *testing.T) {
	s := NewStore(map[string]*Order{"a": {Lines: []int{2, 3}}})
	if got, want := s.Total("a"), 5; got != want {
		t.Errorf("Total(a) = %d, want %d", got, want)
	}
}

func TestCount(t *testing.T) {
	s := NewStore(map[string]*Order{"a": {}, "b": {}})
	if got, want := s.Count(), 2; got != want {
		t.Errorf("Count() = %d, want %d", got, want)
	}
}

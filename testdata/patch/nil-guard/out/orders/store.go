package orders

// Total sums the lines of an order; an unknown order totals 0.
func (s *Store) Total(id string) int {
	o := s.items[id]
	if o == nil {
		return 0
	}
	sum := 0
	for _, l := range o.Lines {
		sum += l
	}
	return sum
}

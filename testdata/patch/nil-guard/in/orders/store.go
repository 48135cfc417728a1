package orders

// Total sums the lines of an order.
func (s *Store) Total(id string) int {
	o := s.items[id]
	sum := 0
	for _, l := range o.Lines {
		sum += l
	}
	return sum
}

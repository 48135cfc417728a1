// Package orders keeps orders in memory.
package orders

// Order is one order.
type Order struct {
	Lines []int
}

// Store holds orders by id.
type Store struct {
	items map[string]*Order
}

// NewStore returns a store holding orders.
func NewStore(orders map[string]*Order) *Store {
	return &Store{items: orders}
}

// Total sums the lines of the order with the given id.
func (s *Store) Total(id string) int {
	o := s.items[id]
	sum := 0
	for _, l := range o.Lines {
		sum += l
	}
	return sum
}

// Count returns how many orders the store holds.
func (s *Store) Count() int {
	return len(s.items)
}

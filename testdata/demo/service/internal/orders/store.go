package orders

import "sync"

// Order is a customer's order. Amounts are in cents.
type Order struct {
	ID            int    `json:"id"`
	Customer      string `json:"customer"`
	SubtotalCents int64  `json:"subtotal_cents"`
	TotalCents    int64  `json:"total_cents"`
	DiscountCode  string `json:"discount_code,omitempty"`
}

// Store keeps orders in memory, safe for concurrent use.
type Store struct {
	mu     sync.Mutex
	orders map[int]Order
}

// NewStore returns a Store holding the given orders.
func NewStore(orders ...Order) *Store {
	s := &Store{orders: make(map[int]Order, len(orders))}
	for _, o := range orders {
		s.orders[o.ID] = o
	}
	return s
}

// Get returns the order with the given id and whether it exists.
func (s *Store) Get(id int) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	return o, ok
}

// Save stores o, replacing any order with the same id.
func (s *Store) Save(o Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[o.ID] = o
}

// SeedOrders returns the orders the shop starts with.
func SeedOrders() []Order {
	return []Order{
		{ID: 41, Customer: "ada", SubtotalCents: 2500, TotalCents: 2500},
		{ID: 42, Customer: "grace", SubtotalCents: 12999, TotalCents: 12999},
	}
}

// Package invoice totals invoices per customer. It belongs to another
// service (example.com/invoicing), not to the repository the event is sent
// to.
package invoice

// Line is one invoice line.
type Line struct {
	Customer   string
	TotalCents int
}

// Totals sums the lines per customer.
type Totals struct {
	byCustomer map[string]int
}

// Add adds a line. The zero Totals has no map yet: Add panics on it.
func (t *Totals) Add(l Line) {
	t.byCustomer[l.Customer] += l.TotalCents
}

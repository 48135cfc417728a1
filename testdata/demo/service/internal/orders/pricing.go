package orders

// Discount is a promotional code that takes a percentage off an order.
type Discount struct {
	Code    string
	Percent int64
}

// DefaultDiscounts returns the discount codes the shop accepts, keyed by
// their upper-case code.
func DefaultDiscounts() map[string]*Discount {
	return map[string]*Discount{
		"WELCOME10": {Code: "WELCOME10", Percent: 10},
		"SUMMER25":  {Code: "SUMMER25", Percent: 25},
	}
}

// applyDiscount returns the subtotal less d's percentage, rounding the
// amount taken off down to a whole cent.
func applyDiscount(subtotalCents int64, d *Discount) int64 {
	off := subtotalCents * d.Percent / 100
	return subtotalCents - off
}

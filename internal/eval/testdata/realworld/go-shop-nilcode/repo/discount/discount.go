// Package discount prices orders with discount codes.
package discount

// Discount takes a percentage off an order.
type Discount struct {
	Percent int
}

// codes are the discount codes the shop knows.
var codes = map[string]*Discount{
	"WELCOME": {Percent: 10},
	"SPRING":  {Percent: 20},
}

// Price returns the price in cents of an order of cents after the
// discount code names; an empty code is no discount.
func Price(cents int, code string) int {
	if code == "" {
		return cents
	}
	d := codes[code]
	return cents - cents*d.Percent/100
}

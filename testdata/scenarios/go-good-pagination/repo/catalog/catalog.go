// Package catalog lists the shop's products by category, a page at a time.
package catalog

import (
	"slices"
	"strings"
)

// Product is one item for sale.
type Product struct {
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	Category   string `json:"category"`
	PriceCents int    `json:"price_cents"`
}

// Catalog holds the products, sorted by SKU.
type Catalog struct {
	products []Product
}

// New returns a catalog of products.
func New(products ...Product) *Catalog {
	ps := slices.Clone(products)
	slices.SortFunc(ps, func(a, b Product) int { return strings.Compare(a.SKU, b.SKU) })
	return &Catalog{products: ps}
}

// List returns the page of the category's products that starts at offset.
func (c *Catalog) List(category string, offset, limit int) Page {
	var in []Product
	for _, p := range c.products {
		if p.Category == category {
			in = append(in, p)
		}
	}
	return Paginate(in, offset, limit)
}

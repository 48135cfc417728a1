package catalog

// Page is one page of a product listing.
type Page struct {
	Products []Product `json:"products"`
	// Next is the SKU of the first product of the next page, or "" when
	// this page is the last.
	Next string `json:"next,omitempty"`
}

// Paginate returns the page of at most limit products that starts at
// offset. An offset past the end gives an empty last page.
func Paginate(products []Product, offset, limit int) Page {
	if offset >= len(products) {
		return Page{}
	}
	end := min(offset+limit, len(products))
	p := Page{Products: products[offset:end]}
	if end <= len(products) {
		p.Next = products[end].SKU
	}
	return p
}

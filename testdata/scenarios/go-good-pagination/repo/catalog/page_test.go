package catalog

import (
	"fmt"
	"slices"
	"testing"
)

// lamps returns n lamps with SKUs L01, L02, ...
func lamps(n int) []Product {
	out := make([]Product, n)
	for i := range out {
		out[i] = Product{SKU: fmt.Sprintf("L%02d", i+1), Name: "Lamp", Category: "lighting", PriceCents: 4900}
	}
	return out
}

// skus returns the SKUs of a page's products.
func skus(p Page) []string {
	var out []string
	for _, pr := range p.Products {
		out = append(out, pr.SKU)
	}
	return out
}

func TestPaginate(t *testing.T) {
	tests := []struct {
		name          string
		offset, limit int
		want          []string
		wantNext      string
	}{
		{name: "first page", offset: 0, limit: 2, want: []string{"L01", "L02"}, wantNext: "L03"},
		{name: "middle page", offset: 2, limit: 2, want: []string{"L03", "L04"}, wantNext: "L05"},
		{name: "past the end", offset: 9, limit: 2, want: nil, wantNext: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Paginate(lamps(5), tt.offset, tt.limit)
			if !slices.Equal(skus(p), tt.want) || p.Next != tt.wantNext {
				t.Errorf("Paginate(5 lamps, %d, %d) = %v next %q, want %v next %q", tt.offset, tt.limit, skus(p), p.Next, tt.want, tt.wantNext)
			}
		})
	}
}

func TestListCategory(t *testing.T) {
	chairs := []Product{
		{SKU: "C02", Name: "Stool", Category: "seating", PriceCents: 5900},
		{SKU: "C01", Name: "Chair", Category: "seating", PriceCents: 12900},
	}
	c := New(append(lamps(3), chairs...)...)
	p := c.List("seating", 0, 1)
	if got := skus(p); !slices.Equal(got, []string{"C01"}) || p.Next != "C02" {
		t.Errorf("List(seating, 0, 1) = %v next %q, want [C01] next C02", got, p.Next)
	}
}

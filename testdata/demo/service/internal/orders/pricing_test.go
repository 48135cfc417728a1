package orders

import "testing"

func TestApplyDiscount(t *testing.T) {
	tests := []struct {
		name     string
		subtotal int64
		percent  int64
		want     int64
	}{
		{name: "ten percent", subtotal: 2500, percent: 10, want: 2250},
		{name: "rounds the amount off down", subtotal: 12999, percent: 25, want: 9750},
		{name: "zero percent", subtotal: 999, percent: 0, want: 999},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Discount{Code: "TEST", Percent: tt.percent}
			if got := applyDiscount(tt.subtotal, d); got != tt.want {
				t.Errorf("applyDiscount(%d, %d%%) = %d, want %d", tt.subtotal, tt.percent, got, tt.want)
			}
		})
	}
}

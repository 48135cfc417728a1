package discount

import "testing"

func TestPrice(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{"", 1000},
		{"WELCOME", 900},
		{"SPRING", 800},
	}
	for _, tt := range tests {
		if got := Price(1000, tt.code); got != tt.want {
			t.Errorf("Price(1000, %q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

package percent

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     int
	}{
		{"whole", "42%", 42},
		{"zero", "0%", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.in); got != tt.want {
				t.Errorf("Parse(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

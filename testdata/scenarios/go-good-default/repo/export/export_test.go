package export

import (
	"bytes"
	"testing"
	"time"
)

// orders returns n orders with ids 1..n.
func orders(n int) []Order {
	out := make([]Order, n)
	at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	for i := range out {
		out[i] = Order{ID: i + 1, PlacedAt: at, Customer: "Ana, Lda.", TotalCents: 1999}
	}
	return out
}

func TestOrdersCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := Orders(&buf, orders(1), Options{}); err != nil {
		t.Fatalf("Orders: %v", err)
	}
	want := "id,placed_at,customer,total\n1,2026-07-01T12:00:00Z,\"Ana, Lda.\",19.99\n"
	if got := buf.String(); got != want {
		t.Errorf("Orders wrote\n%s\nwant\n%s", got, want)
	}
}

func TestOrdersRowLimit(t *testing.T) {
	var buf bytes.Buffer
	err := Orders(&buf, orders(3), Options{MaxRows: 2})
	if err == nil || buf.Len() != 0 {
		t.Errorf("Orders(3 orders, MaxRows 2) = %v and %d bytes, want an error and nothing written", err, buf.Len())
	}
}

func TestJobReportsFailure(t *testing.T) {
	tests := []struct {
		name         string
		n            int
		wantReported int
	}{
		{name: "within the cap", n: 3, wantReported: 0},
		{name: "over the cap", n: DefaultMaxRows + 1, wantReported: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reported []error
			j := &Job{
				Source: func(from, to time.Time) ([]Order, error) { return orders(tt.n), nil },
				Report: func(err error) { reported = append(reported, err) },
			}
			err := j.Run(&bytes.Buffer{}, time.Time{}, time.Time{})
			if (err != nil) != (tt.wantReported > 0) || len(reported) != tt.wantReported {
				t.Errorf("Run(%d orders) = %v, reported %v; want %d reported", tt.n, err, reported, tt.wantReported)
			}
		})
	}
}

// Package export writes the shop's orders as CSV for the reporting team.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// DefaultMaxRows caps the rows of one export when Options.MaxRows is zero.
const DefaultMaxRows = 10_000

// Order is one row of an export.
type Order struct {
	ID         int
	PlacedAt   time.Time
	Customer   string
	TotalCents int
}

// Options tune an export.
type Options struct {
	// MaxRows caps the rows of one export; zero means DefaultMaxRows.
	MaxRows int
}

// Orders writes orders as CSV to w: a header line, then one line per order.
// It writes nothing when there are more orders than the cap.
func Orders(w io.Writer, orders []Order, opt Options) error {
	limit := opt.MaxRows
	if limit == 0 {
		limit = DefaultMaxRows
	}
	if len(orders) > limit {
		return fmt.Errorf("export: %d orders exceed the limit of %d rows", len(orders), limit)
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "placed_at", "customer", "total"})
	for _, o := range orders {
		total := strconv.FormatFloat(float64(o.TotalCents)/100, 'f', 2, 64)
		cw.Write([]string{strconv.Itoa(o.ID), o.PlacedAt.Format(time.RFC3339), o.Customer, total})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: write: %w", err)
	}
	return nil
}

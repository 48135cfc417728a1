// Command capture makes go-good-default's event.json: it runs the export
// package's real Job for the third quarter, 23,817 orders, with Report
// wired to sentry.CaptureException as production wires it, and writes the
// event the SDK would have sent.
//
// Run it from this directory: go run .
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"example.com/export/export"
	"github.com/getsentry/sentry-go"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "capture: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	t, err := initSentry("export@1.7.0")
	if err != nil {
		return err
	}
	job := &export.Job{
		Source: quarter,
		Report: func(err error) { sentry.CaptureException(err) },
	}
	from := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	job.Run(io.Discard, from, from.AddDate(0, 3, 0)) // the error is the event
	return writeDispatch(ctx, t, "../event.json")
}

// quarter stands in for the order database: 23,817 orders in the period.
func quarter(from, to time.Time) ([]export.Order, error) {
	out := make([]export.Order, 23817)
	for i := range out {
		out[i] = export.Order{ID: 880000 + i, PlacedAt: from.Add(time.Duration(i) * 5 * time.Minute), Customer: "customer", TotalCents: 4250}
	}
	return out, nil
}

// Command capture makes go-hostile-foreign-frames' event.json: a crash in
// another service, example.com/invoicing (this module), whose alert was
// routed to the repository under test. Every in-app frame is in the
// invoicing module, so none can be found in that repository. It writes the
// event sentry-go sends for the panic.
//
// Run it from this directory: go run .
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"example.com/invoicing/invoice"
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
	t, err := initSentry("invoicing@7.0.3")
	if err != nil {
		return err
	}
	monthEnd([]invoice.Line{{Customer: "c-1", TotalCents: 1200}})
	return writeDispatch(ctx, t, "../event.json")
}

// monthEnd totals the month's invoices; a panic is reported and ends the
// job.
func monthEnd(lines []invoice.Line) {
	defer func() {
		if r := recover(); r != nil {
			sentry.CurrentHub().Recover(r)
		}
	}()
	var t invoice.Totals
	for _, l := range lines {
		t.Add(l)
	}
}

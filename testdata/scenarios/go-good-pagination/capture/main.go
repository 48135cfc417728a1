// Command capture makes go-good-pagination's event.json: it runs the
// sitemap job of the shop the way production does, walking every page of a
// category through the catalog's real code with sentry-go's Recover guarding
// the job, and writes the event the SDK would have sent when the walk
// reaches the last page.
//
// Run it from this directory: go run .
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"example.com/catalog/catalog"
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
	t, err := initSentry("shop-sitemap@0.9.1")
	if err != nil {
		return err
	}
	c := catalog.New(
		catalog.Product{SKU: "L01", Name: "Desk lamp", Category: "lighting", PriceCents: 4900},
		catalog.Product{SKU: "L02", Name: "Floor lamp", Category: "lighting", PriceCents: 12900},
		catalog.Product{SKU: "L03", Name: "Wall light", Category: "lighting", PriceCents: 7900},
		catalog.Product{SKU: "L04", Name: "Pendant", Category: "lighting", PriceCents: 9900},
		catalog.Product{SKU: "L05", Name: "Reading lamp", Category: "lighting", PriceCents: 5900},
	)
	sitemap(c, "lighting")
	return writeDispatch(ctx, t, "../event.json")
}

// sitemap lists every page of a category, as the sitemap job does; a panic
// is reported and ends the job.
func sitemap(c *catalog.Catalog, category string) (pages int) {
	defer func() {
		if r := recover(); r != nil {
			sentry.CurrentHub().Recover(r)
		}
	}()
	for offset := 0; ; offset += 2 {
		p := c.List(category, offset, 2)
		pages++
		if p.Next == "" {
			return pages
		}
	}
}

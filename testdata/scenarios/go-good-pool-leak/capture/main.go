// Command capture makes go-good-pool-leak's event.json: it replays a morning
// of transfers through the ledger package's real Store, with a pool of four
// connections and Report wired to sentry.CaptureException as production
// wires it. Four transfers are refused for insufficient funds; each keeps
// its connection, and the next good transfer finds the pool empty. It
// writes the event the SDK would have sent.
//
// Run it from this directory: go run .
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"example.com/wallet/ledger"
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
	t, err := initSentry("wallet@5.2.0")
	if err != nil {
		return err
	}
	s := ledger.NewStore(4, map[string]int{"acc-17": 12000, "acc-42": 300, "acc-8": 0},
		func(err error) { sentry.CaptureException(err) })
	for range 4 {
		s.Transfer("acc-8", "acc-42", 2500) // refused: acc-8 is empty
	}
	s.Transfer("acc-17", "acc-42", 1500) // the error is the event
	return writeDispatch(ctx, t, "../event.json")
}

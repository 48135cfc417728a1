// Command capture regenerates the demo's Sentry event. It serves the shop's
// real order handler behind sentry-go's net/http integration, sends the
// request that crashes it, and writes the event exactly as the SDK would have
// sent it to ../event.json, and the same event into ../dispatch.json as the
// repository_dispatch client payload.
//
// Run it from this directory: go run .
package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, ".."); err != nil {
		fmt.Fprintf(os.Stderr, "capture: %v\n", err)
		os.Exit(1)
	}
}

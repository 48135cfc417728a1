// Command testimages builds the local Docker images the tests run in (see
// package testimage) and prints their tags, sizes and build times. CI runs
// it before go test so that the tests find the images ready.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/dawnpatch/dawnpatch/internal/testimage"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := testimage.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

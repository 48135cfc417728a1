// Command capture makes go-good-divzero's event.json: it runs the nightly
// dashboard job through the report package's real code, the day a new
// pipeline (deploy-eu) was added with no runs yet, with sentry-go's Recover
// guarding the job, and writes the event the SDK would have sent.
//
// Run it from this directory: go run .
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"example.com/cihealth/report"
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
	t, err := initSentry("cihealth@0.4.0")
	if err != nil {
		return err
	}
	runs := []report.Run{
		{Pipeline: "build", Passed: true, Duration: 94 * time.Second},
		{Pipeline: "build", Passed: true, Duration: 88 * time.Second},
		{Pipeline: "deploy-us", Passed: false, Duration: 310 * time.Second},
	}
	nightly([]string{"build", "deploy-us", "deploy-eu"}, runs)
	return writeDispatch(ctx, t, "../event.json")
}

// nightly builds the dashboard, as the nightly job does; a panic is
// reported and ends the job.
func nightly(pipelines []string, runs []report.Run) []report.Summary {
	defer func() {
		if r := recover(); r != nil {
			sentry.CurrentHub().Recover(r)
		}
	}()
	return report.Dashboard(pipelines, runs)
}

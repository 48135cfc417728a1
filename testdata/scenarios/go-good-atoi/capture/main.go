// Command capture makes go-good-atoi's event.json: it serves the feed's
// real handler behind sentry-go's net/http integration and sends the request
// that crashed production (GET /feed without a page parameter, as the
// activity widget sends it), then writes the event the SDK would have sent.
//
// Run it from this directory: go run .
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"example.com/feed/feed"
	sentryhttp "github.com/getsentry/sentry-go/http"
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
	t, err := initSentry("feed@2.3.0")
	if err != nil {
		return err
	}
	entries := make([]feed.Entry, 45)
	for i := range entries {
		entries[i] = feed.Entry{ID: 45 - i, Actor: "ana", Action: "commented", At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	}
	h := sentryhttp.New(sentryhttp.Options{Repanic: false}).Handle(&feed.Handler{Entries: entries})
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/feed", nil)
	if err != nil {
		return err
	}
	req.Host = "api.team.example"
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "activity-widget/1.8.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("get feed: %w", err)
	}
	resp.Body.Close()
	return writeDispatch(ctx, t, "../event.json")
}

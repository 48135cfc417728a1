// This file is the same in every scenario's capture program: the
// capturing transport and the dispatch writer.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/getsentry/sentry-go"
)

// transport is a sentry.Transport that keeps the first error event,
// encoded as the SDK's HTTP transport would send it, instead of sending it.
type transport struct{ events chan []byte }

// Configure does nothing: the transport never connects anywhere.
func (t *transport) Configure(sentry.ClientOptions) {}

// SendEvent keeps the first event that holds an exception.
func (t *transport) SendEvent(e *sentry.Event) {
	if len(e.Exception) == 0 {
		return
	}
	if body, err := json.Marshal(e); err == nil {
		select {
		case t.events <- body:
		default:
		}
	}
}

// Flush reports that nothing is pending.
func (t *transport) Flush(time.Duration) bool { return true }

// FlushWithContext reports that nothing is pending.
func (t *transport) FlushWithContext(context.Context) bool { return true }

// Close does nothing.
func (t *transport) Close() {}

// initSentry starts the SDK as production runs it, with the capturing
// transport; the DSN's host does not resolve and is never contacted.
func initSentry(release string) (*transport, error) {
	t := &transport{events: make(chan []byte, 1)}
	err := sentry.Init(sentry.ClientOptions{
		Dsn: "https://public@example.invalid/1", Environment: "production",
		Release: release, ServerName: "web-1", Transport: t,
	})
	if err != nil {
		return nil, fmt.Errorf("init sentry: %w", err)
	}
	return t, nil
}

// writeDispatch waits for the event and writes it to path as the
// client_payload of a repository_dispatch event, as a relay would send it.
func writeDispatch(ctx context.Context, t *transport, path string) error {
	var event []byte
	select {
	case event = <-t.events:
	case <-ctx.Done():
		return fmt.Errorf("wait for the event: %w", ctx.Err())
	}
	d := map[string]any{"action": "sentry-issue", "client_payload": map[string]json.RawMessage{"event": event}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("encode dispatch: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write dispatch: %w", err)
	}
	return nil
}

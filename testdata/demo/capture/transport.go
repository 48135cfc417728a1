package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/getsentry/sentry-go"
)

// captureTransport is a sentry.Transport that keeps the body of the first
// error event instead of sending it.
type captureTransport struct {
	events chan captured
}

// captured is one event body, or why it could not be encoded.
type captured struct {
	body []byte
	err  error
}

var _ sentry.Transport = (*captureTransport)(nil)

func newCaptureTransport() *captureTransport {
	return &captureTransport{events: make(chan captured, 1)}
}

// Configure does nothing: the transport never connects anywhere.
func (t *captureTransport) Configure(sentry.ClientOptions) {}

// SendEvent encodes an error event the way the SDK's HTTP transport does
// (json.Marshal, which uses Event.MarshalJSON) and keeps the first one.
func (t *captureTransport) SendEvent(event *sentry.Event) {
	if len(event.Exception) == 0 {
		return
	}
	body, err := json.Marshal(event)
	select {
	case t.events <- captured{body: body, err: err}:
	default:
	}
}

// Flush reports that nothing is pending.
func (t *captureTransport) Flush(time.Duration) bool { return true }

// FlushWithContext reports that nothing is pending.
func (t *captureTransport) FlushWithContext(context.Context) bool { return true }

// Close does nothing.
func (t *captureTransport) Close() {}

// wait returns the first captured error event.
func (t *captureTransport) wait(ctx context.Context) ([]byte, error) {
	select {
	case c := <-t.events:
		if c.err != nil {
			return nil, fmt.Errorf("encode event: %w", c.err)
		}
		return c.body, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the event: %w", ctx.Err())
	}
}

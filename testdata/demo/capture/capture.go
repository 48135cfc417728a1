package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"example.com/shop/internal/orders"
	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"
)

// clientOptions are the SDK options of the demo's production deployment. The
// DSN names a host that does not resolve; the capture transport never sends.
func clientOptions(tr sentry.Transport) sentry.ClientOptions {
	return sentry.ClientOptions{
		Dsn:         "https://public@example.invalid/1",
		Environment: "production",
		Release:     "shop@1.4.2",
		ServerName:  "shop-1",
		Transport:   tr,
	}
}

// run captures the event of the crashing request and writes event.json and
// dispatch.json in dir.
func run(ctx context.Context, dir string) error {
	tr := newCaptureTransport()
	if err := sentry.Init(clientOptions(tr)); err != nil {
		return fmt.Errorf("init sentry: %w", err)
	}
	h := orders.NewHandler(orders.NewStore(orders.SeedOrders()...), orders.DefaultDiscounts())
	srv := httptest.NewServer(sentryhttp.New(sentryhttp.Options{Repanic: false}).Handle(h))
	defer srv.Close()

	if err := sendDiscount(ctx, srv.URL); err != nil {
		return err
	}
	event, err := tr.wait(ctx)
	if err != nil {
		return err
	}
	if err := writeEvent(filepath.Join(dir, "event.json"), event); err != nil {
		return err
	}
	return updateDispatch(filepath.Join(dir, "dispatch.json"), event)
}

// sendDiscount sends the request that crashed production: an unknown
// discount code for an existing order, as the shop's web front end sends it
// through the load balancer.
func sendDiscount(ctx context.Context, base string) error {
	body := strings.NewReader(`{"code":"SPRING"}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/orders/42/discount", body)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Host = "api.shop.example"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "shop-web/3.2.0")
	req.Header.Set("Authorization", "Bearer demo-session-7f3a9c")
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Request-Id", "b8f2d1c4-6e0a-4c8e-9a51-3f7d2e8c1a90")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("post discount: %w", err)
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	if err != nil {
		return fmt.Errorf("read discount response: %w", err)
	}
	return nil
}

// writeEvent writes the event JSON indented, with a final newline.
func writeEvent(path string, event []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, event, "", "  "); err != nil {
		return fmt.Errorf("indent event: %w", err)
	}
	buf.WriteByte('\n')
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	return nil
}

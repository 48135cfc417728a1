package relay

import (
	"bytes"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
)

// BenchmarkVerifiedRequest measures signed webhooks forwarded end to end:
// content type, body read, HMAC, timestamp, parse, replay cache, and a
// real go-github dispatch to ghfake in process (no socket). Each request
// carries a different issue id, so none is a replay; building and signing
// it, the client's work, is inside the loop.
func BenchmarkVerifiedRequest(b *testing.B) {
	rg := newRig(b, DefaultConfig(), true)
	rg.h.log = slog.New(slog.DiscardHandler)
	body := fixture(b, "issue.created.json")
	id := []byte("1170820242")
	i := 0
	for b.Loop() {
		i++
		next := bytes.Replace(body, id, []byte(strconv.Itoa(2_000_000_000+i)), 1)
		if w := rg.serve(rg.request("issue", next)); w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	if got := len(rg.fake.Dispatches()); got != b.N {
		b.Fatalf("%d dispatches for %d requests", got, b.N)
	}
}

// BenchmarkRejectedSignature measures how fast a forged webhook is turned
// away.
func BenchmarkRejectedSignature(b *testing.B) {
	rg := newRig(b, DefaultConfig(), true)
	rg.h.log = slog.New(slog.DiscardHandler)
	body := fixture(b, "event_alert.triggered.json")
	for b.Loop() {
		r := rg.request("event_alert", body)
		r.Header.Set(HeaderSignature, Sign([]byte("forged"), body))
		if w := rg.serve(r); w.Code != http.StatusUnauthorized {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

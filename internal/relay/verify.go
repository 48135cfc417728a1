package relay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names Sentry sends with every webhook.
const (
	HeaderSignature       = "Sentry-Hook-Signature"
	HeaderLegacySignature = "Sentry-App-Signature"
	HeaderTimestamp       = "Sentry-Hook-Timestamp"
	HeaderResource        = "Sentry-Hook-Resource"
	HeaderRequestID       = "Request-ID"
)

// Verification failures. They go to the log; the caller only sees 401.
var (
	ErrNoSignature  = errors.New("no signature header")
	ErrBadSignature = errors.New("signature does not match the body")
	ErrStale        = errors.New("timestamp missing or outside the window")
)

// Sign returns the signature Sentry sends for body: HMAC-SHA256 keyed with
// the client secret, lowercase hex.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifySignature checks the Sentry-Hook-Signature header (or the legacy
// Sentry-App-Signature when the first is absent) against the HMAC-SHA256
// of the raw body, in constant time.
func VerifySignature(secret []byte, h http.Header, body []byte) error {
	sig := signatureHeader(h)
	if sig == "" {
		return ErrNoSignature
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return ErrBadSignature
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return ErrBadSignature
	}
	return nil
}

// CheckTimestamp accepts a Sentry-Hook-Timestamp (unix seconds) no further
// than window from now, in either direction.
func CheckTimestamp(value string, now time.Time, window time.Duration) error {
	secs, err := strconv.ParseFloat(value, 64)
	if err != nil || math.IsNaN(secs) || math.IsInf(secs, 0) || math.Abs(secs) > 1e11 {
		return ErrStale
	}
	ts := time.Unix(0, 0).Add(time.Duration(secs * float64(time.Second)))
	if d := now.Sub(ts); d > window || d < -window {
		return ErrStale
	}
	return nil
}

// signatureHeader is Sentry-Hook-Signature, or the legacy
// Sentry-App-Signature when the first is absent.
func signatureHeader(h http.Header) string {
	if sig := h.Get(HeaderSignature); sig != "" {
		return sig
	}
	return h.Get(HeaderLegacySignature)
}

// signatureKey is the verified signature in one spelling, the replay
// cache's key for the body.
func signatureKey(h http.Header) string {
	return strings.ToLower(signatureHeader(h))
}

// Package relay is `dawnpatch relay`: a small HTTP endpoint that receives
// Sentry integration-platform webhooks, proves they came from Sentry, and
// starts the dawnpatch workflow with a repository_dispatch that carries as
// little as possible.
//
// A request to POST /sentry passes, in order: content type, body cap, the
// HMAC-SHA256 signature over the raw body (Sentry-Hook-Signature, or the
// legacy Sentry-App-Signature), the Sentry-Hook-Timestamp window, the
// Sentry-Hook-Resource allow-list, the Request-ID, the JSON shape, and the
// replay cache. Only then is a Payload of six short, validated fields sent
// to GitHub as event_type "sentry-issue".
//
// The replay cache also holds one key per Sentry issue: with issue webhooks
// and an alert rule both set up, one new issue arrives as issue.created and
// as event_alert.triggered (and as error.created with error webhooks), and
// only the first report of an issue inside the window is dispatched; the
// others answer "duplicate". A resolved, ignored or archived issue clears
// its key, so a regression after it is dispatched again. The message, stack trace and
// request data never leave the relay: the action fetches them from Sentry
// with its own token.
//
// Rejections answer only the HTTP status text, so a caller learns nothing
// about which check failed; the reason goes to the structured log, never
// the body or a secret.
package relay

// Package sentryapi is a small client of Sentry's web API (sentry.io or a
// self-hosted Sentry) over net/http, authenticated with a bearer token.
//
// It lists an organization's issues a page at a time, reads one issue, reads
// the latest event of an issue as the raw API-format JSON that
// incident.Parse(data, incident.FormatSentryAPI) understands, and posts a
// comment on an issue that links a pull request.
//
// Endpoints, as Sentry's public API reference documents them:
//
//	GET  /api/0/organizations/{org}/issues/                      (List an Organization's Issues)
//	GET  /api/0/organizations/{org}/issues/{issue_id}/           (Retrieve an Issue)
//	GET  /api/0/organizations/{org}/issues/{issue_id}/events/latest/
//	POST /api/0/organizations/{org}/issues/{issue_id}/comments/  (a note; "notes/" is the same route)
//
// An issue id is the numeric id or a short id such as PUMP-STATION-1: the
// organization-scoped issue routes resolve short ids. Ids are validated
// before any URL is built, and every path segment is escaped.
//
// Projects filter the issue list. The documented parameter is "project",
// repeated, holding numeric project ids ("-1" means all projects the token
// can see; no parameter means the token user's projects). Sentry's
// organization endpoints also accept "projectSlug", repeated, for slugs, but
// refuse a request that mixes ids and slugs (400 "Cannot query for both ids
// and slugs"), so ListQuery.Projects must be all ids or all slugs.
//
// Pagination follows the Link header: the entry with rel="next" carries the
// cursor, and results="false" on it means there is no next page.
//
// Rate limits: a 429 is retried after its Retry-After (seconds or an HTTP
// date), else after X-Sentry-Rate-Limit-Reset, else after an exponential
// backoff (github.com/cenkalti/backoff/v5 computes the intervals). A
// response with X-Sentry-Rate-Limit-Remaining: 0 makes the next request
// wait until X-Sentry-Rate-Limit-Reset. Idempotent requests (GET) are also
// retried on 5xx and transport errors. Retries are bounded (maxAttempts) and
// every wait is cut short by the context. Other 4xx answers are returned at
// once as *APIError. Every response body read is capped (8 MiB); a larger
// body is an error that says it was cut.
//
// The token is sent only in the Authorization header; it never appears in
// an error, and messages taken from responses are scrubbed of it.
//
// Errors of the request methods say what went wrong and leave naming the
// call to the caller, which wraps them with its operation ("list Sentry
// issues: ..."), so the operation is said once. An *APIError for a 401 or a
// 403 names the sentry-token input and the scope it needs: event:read for
// every read, event:write only for LinkPR.
package sentryapi

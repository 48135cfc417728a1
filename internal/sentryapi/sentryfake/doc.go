// Package sentryfake is a stateful, in-memory fake of the parts of Sentry's
// web API that dawnpatch uses, for tests: an organization's issue list with
// Sentry's query, sort, project and cursor parameters, issue details, the
// latest (oldest, recommended) event of an issue, and notes (comments).
//
// A *Server is an http.Handler serving the API at /api/0/. Serve it with
// httptest and point a real sentryapi.Client at the server's URL:
//
//	fake := sentryfake.New("acme")
//	fake.SetToken("sntrys_test")
//	id, _ := fake.AddIssue(sentryfake.IssueSeed{Title: "KeyError: 'sku'", Count: 42})
//	_ = fake.AddEvent(id, eventJSON)
//	srv := httptest.NewServer(fake)
//	client, _ := sentryapi.New(srv.Client(), srv.URL, "sntrys_test", "acme")
//
// Responses have Sentry's JSON shapes: camelCase, "count" as a string and
// "userCount" as a number, {"detail": …} error bodies, 401 for a missing or
// wrong bearer token, 404 for an unknown organization or issue. Issues added
// with AddIssueJSON (a fixture file) are served byte for byte; events added
// with AddEvent are too. The issue list pages with Sentry's Link header
//
//	<…?…&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <…?…&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"
//
// and supports the search tokens is:unresolved|resolved|ignored|archived,
// is:assigned, is:unassigned, level:<level> and free text (title and
// culprit); other search keys answer 400 so a test relying on them fails
// loudly. "project" (ids, -1 for all) and "projectSlug" filter projects and
// may not be mixed, as in Sentry. statsPeriod keeps issues last seen within
// the period by the fake's clock (SetClock). Sorting by freq, date, new and
// user is supported; trends and inbox sort like date.
//
// Fail injects faults (429 with Retry-After, 500, 502, ...) by path
// substring, SetRateLimit adds X-Sentry-Rate-Limit-* headers, and Calls,
// Requests and Comments show what clients did. State is guarded by one
// mutex, so concurrent clients are safe. Listing 1,000 issues is cheap.
package sentryfake

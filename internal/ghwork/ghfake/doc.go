// Package ghfake is a stateful, in-memory fake of the parts of GitHub's REST
// API that dawnpatch uses: repositories, git refs, blobs, trees and commits
// (with real git SHA-1 object ids), pull requests, issues, comments, labels,
// issue search and repository dispatches.
//
// A *Server is an http.Handler. Serve it with httptest and point a real
// go-github client at it:
//
//	fake := ghfake.New()
//	head := fake.AddRepo("acme", "shop", "main", map[string]string{"go.mod": "module shop\n"})
//	mux := http.NewServeMux()
//	mux.Handle("/api-v3/", http.StripPrefix("/api-v3", fake))
//	srv := httptest.NewServer(mux)
//	// go-github BaseURL: srv.URL + "/api-v3/"
//
// New serves the API at "/". To serve it under a path prefix, as go-github's
// own tests do to prove that clients use relative URLs, wrap it in
// http.StripPrefix as above: URLs the fake hands out (Link headers, "url"
// fields) keep the prefix because they are built from the original request
// URI.
//
// Requests are answered with the JSON shapes and status codes GitHub uses
// (201 on creation, 422 "Reference already exists", 404 "Not Found", ...).
// Routes the fake does not know answer 404 with a message naming the method
// and path, so a test that strays fails loudly. State is guarded by one
// mutex, so concurrent clients are safe and see a linearizable history.
//
// Tests seed state with AddRepo, AddCommit, AddBranch, AddPull (a fork's
// pull request with PullSeed.HeadOwner), AddIssue and AddComment (SetClock
// makes timestamps and commit SHAs reproducible), inspect it with Pulls,
// Issues, Ref, Files, Commit, Comments, Dispatches, Requests, Writes (the
// requests that were not reads) and Calls, require a token with SetToken,
// and inject faults with Fail, FailMessage and DenyPullRequests.
//
// Every request acts as the Actions bot (github-actions[bot]) with write
// access: it may edit anyone's comment, as GitHub lets writers do.
package ghfake

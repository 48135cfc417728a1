// Package testrun runs a repository's tests, which are untrusted code: with
// an environment built from an allow-list, in their own process group that
// is killed whole on timeout, with capped output. On top of that it parses
// `go test -json` suites and proves a fix: the new test fails on base for
// the incident's reason, passes twice with the fix, and the affected
// packages gain no failures.
package testrun

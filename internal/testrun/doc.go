// Package testrun runs a repository's tests, which are untrusted code, and
// proves fixes with them.
//
// Every command runs with an environment built from an allow-list
// (SandboxEnv), in its own process group that is killed whole on timeout,
// with its output capped to its tail. As root, a Sandbox runs it as an
// unprivileged user that owns only the scratch copy, a fresh HOME and a Go
// build cache kept warm across the commands of the process; a Docker runs
// it in a sibling container with no network instead (built, not tried
// against an engine).
//
// Detect and DetectCommand find the language (Go, Python, JavaScript;
// Ruby and Java are not supported) and its test command; RunSuite runs it
// and reads per-test results from go test -json, unittest -v, pytest -rA or
// node --test TAP output. Prove checks a fix: the new test fails alone on
// base for the incident's reason, passes twice with the fix, and the suite
// gains no failures against base (base results are cached per base tree
// within a Runner).
package testrun

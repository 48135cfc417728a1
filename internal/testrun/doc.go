// Package testrun runs a repository's tests, which are untrusted code, and
// proves fixes with them.
//
// An Executor runs each command: Container starts a fresh sibling
// container per command through the Docker Engine API (no network for
// tests, a non-root uid, memory and CPU limits, labels that let Sweep
// remove what a cancelled run left); a Sandbox runs it as an unprivileged
// user that owns only the scratch copy; the local executor runs it as the
// action's own user, for trusted code. Every command gets an environment
// built from an allow-list (SandboxEnv), its own process group killed whole
// on timeout (and, locally, a child subreaper that kills what it left),
// and output capped to its tail.
//
// Runner.Prepare readies a scratch copy once per run: the image
// (DeriveImage: the version the repository pins, or the test-image
// setting), the setup that installs dependencies (DetectSetup: go mod
// download, a venv with pip, npm ci / pnpm / yarn, or setup-command), and
// the Framework that knows the repository's test runner (go test, pytest,
// unittest, jest, vitest, mocha, node:test, or the test-command setting):
// its suite and targeted commands and how to read per-test results.
//
// Session.Prove checks a fix: the regression test fails alone on base for
// the incident's reason, passes twice with the fix, and the suite gains no
// failures against base (a test that passed and is now failing, skipped or
// missing is a regression, unless as many new tests pass as were renamed).
package testrun

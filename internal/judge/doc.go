// Package judge decides whether a proven fix is a good one, in two steps.
//
// Guard runs deterministic rules over the unified diff, at no token cost:
// swallowed errors, deleted, skipped or weakened tests, a regression test
// that asserts nothing, protected or disallowed paths, binary files and
// links, new dependencies, edits far from the incident's frames, and size
// caps. Each finding names file and line, and either stops the attempt or
// is a note: context for the judge and the fixer, such as a narrow catch
// with a fallback value or an edited assertion, that no rule can call
// wrong on its own.
//
// Judge then has a separate model, with its own prompt and no tools,
// score the diff against the incident, the diagnosis and the test
// evidence; a weighted total below the policy's threshold, or any hard
// "no", rejects the fix.
package judge

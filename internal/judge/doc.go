// Package judge decides whether a proven fix is a good one. A separate
// model call with its own prompt and no tools scores the diff against the
// incident, the diagnosis and the test evidence; a weighted total below
// the policy's threshold, or any hard "no", rejects it.
package judge

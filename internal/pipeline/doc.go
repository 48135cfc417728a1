// Package pipeline orders the stages of a run, from a trigger to an
// outcome: intake, rule triage, dedup, claim, locate, diagnose and fix,
// verify, judge, publish. Each stage is a named function with typed input
// and output that either passes its output on or stops the run with an
// Outcome. An error is kept for "the action could not do its job".
package pipeline

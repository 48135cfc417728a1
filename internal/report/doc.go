// Package report writes what a run found out where a person reads it: the
// action's outputs, the step summary, the pull request body and the log.
//
// It is the one place that prints workflow commands. Secrets are masked
// before anything else; every output value is written with a random
// heredoc delimiter; untrusted text (event data, model output, test logs)
// is printed only while workflow commands are stopped.
package report

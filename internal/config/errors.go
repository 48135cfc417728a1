package config

import "fmt"

// Error is a configuration value that cannot be used. It names where the
// value came from so a user can find and fix it.
type Error struct {
	// File is the policy file, or "" for an input or a runner variable.
	File string
	// Env is true when Field is a runner environment variable rather than
	// an action input.
	Env bool
	// Line is the 1-based line in File, or 0 when unknown.
	Line int
	// Field is the input name (model-api-key) or the policy path (triage.min_events).
	Field string
	// Err says what is wrong.
	Err error
}

// Error formats the error with its file, line and field.
func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Field, e.Err)
	case e.File != "":
		return fmt.Sprintf("%s: %s: %v", e.File, e.Field, e.Err)
	case e.Env:
		return fmt.Sprintf("environment variable %s: %v", e.Field, e.Err)
	default:
		return fmt.Sprintf("input %s: %v", e.Field, e.Err)
	}
}

// Unwrap returns what is wrong with the value.
func (e *Error) Unwrap() error { return e.Err }

func inputErr(field, format string, args ...any) *Error {
	return &Error{Field: field, Err: fmt.Errorf(format, args...)}
}

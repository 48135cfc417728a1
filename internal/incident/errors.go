package incident

import (
	"errors"
	"fmt"
)

// ErrNotAnError reports an input that is well formed but describes no error
// to fix, such as a Sentry metric alert. Callers check it with errors.Is and
// end the run without acting.
var ErrNotAnError = errors.New("not an error event")

// ErrUnsupportedTrace reports stack trace text in a format this package does
// not parse yet. Callers check it with errors.Is.
var ErrUnsupportedTrace = errors.New("unsupported trace format")

// SyntaxError reports input that is not valid JSON, with the position of the
// problem.
type SyntaxError struct {
	// Line and Column are 1-based; Column counts bytes.
	Line, Column int
	// Offset is the byte offset of the problem in the input.
	Offset int64
	// Msg says what is wrong.
	Msg string
}

// Error returns the message with its position.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// FieldError reports a JSON value that is present but wrong: the wrong type,
// an invalid value, or a required member that is missing.
type FieldError struct {
	// Path names the value, e.g. event.exception.values[0].stacktrace.frames[3].lineno.
	Path string
	// Msg says what is wrong, e.g. `want number, got "x"`.
	Msg string
}

// Error returns the path and the message.
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

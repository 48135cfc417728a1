// Package incident holds the Incident model, the parsers that build it from
// Sentry payloads, GitHub dispatch events and raw stack traces, and the
// fingerprint and redaction that every incident passes through at intake.
package incident

import (
	"time"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// Incident is one production error, normalized and redacted. Every string in
// it came from an event and is untrusted data.
type Incident struct {
	// Source names the input shape: sentry-event, sentry-webhook,
	// sentry-api, dispatch or trace.
	Source string `json:"source"`
	// Language is the platform of the failing code: go, python,
	// javascript, java, ruby, php, csharp, elixir, or "" when unknown.
	Language lang.Language `json:"language"`
	// Type is the exception type that propagated ("*errors.errorString",
	// "runtime.Error", "KeyError").
	Type string `json:"type"`
	// Message is the exception value, redacted.
	Message string `json:"message"`
	// Culprit names the top in-app frame, for titles.
	Culprit string `json:"culprit,omitempty"`
	// Fingerprint identifies the error class: stable when the error fires
	// again, different for a different class. Hex, 64 characters.
	Fingerprint string `json:"fingerprint"`
	// Level is Sentry's level (fatal, error, warning, info, debug).
	Level string `json:"level,omitempty"`
	// Environment is Sentry's environment (production, staging, ...).
	Environment string `json:"environment,omitempty"`
	// Release is the release the event was reported from.
	Release string `json:"release,omitempty"`
	// Timestamp is when the event happened, when known.
	Timestamp time.Time `json:"timestamp,omitzero"`
	// Frames are ordered like Sentry's: outermost call first, crash site last.
	Frames []Frame `json:"frames"`
	// Chain holds every other exception of a chained error, causes first,
	// as Sentry orders exception values; the propagated one is not repeated.
	Chain []Exception `json:"chain,omitempty"`
	// Sentry links the incident to its Sentry issue, when known.
	Sentry *SentryRef `json:"sentry,omitempty"`
}

// Frame is one stack frame.
type Frame struct {
	// File is the path as the repository would name it when it could be
	// derived, else the path as reported.
	File string `json:"file"`
	// AbsPath is the absolute path as reported, when given.
	AbsPath string `json:"abs_path,omitempty"`
	// Line is 1-based; 0 when unknown.
	Line int `json:"line,omitempty"`
	// Column is 1-based; 0 when unknown.
	Column int `json:"column,omitempty"`
	// Function is the function or method name.
	Function string `json:"function,omitempty"`
	// Module is the Go package path, Python module, Java class, etc.
	Module string `json:"module,omitempty"`
	// InApp reports whether the frame is the application's own code.
	InApp bool `json:"in_app"`
}

// Exception is one exception of a chain.
type Exception struct {
	// Type is the exception type.
	Type string `json:"type"`
	// Message is the exception value, redacted.
	Message string `json:"message"`
	// Frames are ordered outermost call first, crash site last.
	Frames []Frame `json:"frames,omitempty"`
}

// SentryRef identifies the Sentry issue and event behind an incident.
type SentryRef struct {
	// IssueID is Sentry's numeric issue id.
	IssueID string `json:"issue_id,omitempty"`
	// ShortID is the human-readable issue id (PROJECT-1A).
	ShortID string `json:"short_id,omitempty"`
	// EventID is the event's 32-hex id.
	EventID string `json:"event_id,omitempty"`
	// Project is the project slug.
	Project string `json:"project,omitempty"`
	// Permalink is the issue's web URL.
	Permalink string `json:"permalink,omitempty"`
	// Status is unresolved, resolved, ignored or archived.
	Status string `json:"status,omitempty"`
	// Substatus is Sentry's finer status (new, ongoing, regressed, ...).
	Substatus string `json:"substatus,omitempty"`
	// Assignee is who the issue is assigned to, when anyone.
	Assignee string `json:"assignee,omitempty"`
	// Count is how many events the issue has seen.
	Count int `json:"count,omitempty"`
	// UserCount is how many users the issue affected.
	UserCount int `json:"user_count,omitempty"`
	// FirstSeen is when the issue first fired.
	FirstSeen time.Time `json:"first_seen,omitzero"`
	// LastSeen is when the issue last fired.
	LastSeen time.Time `json:"last_seen,omitzero"`
}

// CrashFrame returns the innermost in-app frame: where the error surfaced in
// the application's own code.
func (inc *Incident) CrashFrame() (Frame, bool) {
	for i := len(inc.Frames) - 1; i >= 0; i-- {
		if inc.Frames[i].InApp {
			return inc.Frames[i], true
		}
	}
	return Frame{}, false
}

// InAppFrames returns the in-app frames, outermost first.
func (inc *Incident) InAppFrames() []Frame {
	var out []Frame
	for _, f := range inc.Frames {
		if f.InApp {
			out = append(out, f)
		}
	}
	return out
}

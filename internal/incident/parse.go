package incident

import (
	"bytes"
	"fmt"
)

// Format names an input shape for Parse.
type Format string

// The formats Parse reads.
const (
	// FormatAuto detects the format from the input.
	FormatAuto Format = "auto"
	// FormatSentryWebhook is a Sentry integration webhook body.
	FormatSentryWebhook Format = "sentry-webhook"
	// FormatSentryAPI is a Sentry web API issue or issue event.
	FormatSentryAPI Format = "sentry-api"
	// FormatSentryEvent is a Sentry ingest event, bare or in an eventstream
	// Kafka message.
	FormatSentryEvent Format = "sentry-event"
	// FormatDispatch is a GitHub repository_dispatch event.
	FormatDispatch Format = "dispatch"
	// FormatTrace is raw stack trace text: Go, Python, Java, JavaScript,
	// .NET, Ruby or PHP.
	FormatTrace Format = "trace"
)

// Parse reads one incident in the given format ("" means FormatAuto). Every
// incident it returns is redacted, capped, fingerprinted and has its
// culprit set. Errors name the format and, for JSON, the position or the
// path of the bad value. Parse does not limit its input: read at most
// MaxInputBytes.
func Parse(data []byte, format Format) (*Incident, error) {
	if format == "" {
		format = FormatAuto
	}
	inc, err := parse(data, format)
	if err != nil {
		return nil, err
	}
	finish(inc)
	return inc, nil
}

// parse reads the incident, not yet finished.
func parse(data []byte, format Format) (*Incident, error) {
	switch format {
	case FormatTrace:
		return named(format)(parseTrace(data))
	case FormatAuto, FormatSentryEvent, FormatSentryWebhook, FormatSentryAPI, FormatDispatch:
	default:
		return nil, fmt.Errorf("parse: unknown format %q: want auto, sentry-event, sentry-webhook, sentry-api, dispatch or trace", capString(string(format), 40))
	}
	if format == FormatAuto && !looksLikeJSON(data) {
		return named(FormatTrace)(parseTrace(data))
	}
	root, err := decodeJSON(data)
	if err != nil && format == FormatAuto {
		// "[2]</Bar@file.js:1:2" and "[ERROR] …" open like a JSON array.
		if inc, terr := parseTrace(data); terr == nil {
			return inc, nil
		}
		return nil, fmt.Errorf("parse: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", format, err)
	}
	if format == FormatAuto {
		if format, err = detect(root); err != nil {
			return nil, fmt.Errorf("parse: %w", err)
		}
	}
	return named(format)(parseTree(root, format))
}

// named returns a function that names the format in an error.
func named(format Format) func(*Incident, error) (*Incident, error) {
	return func(inc *Incident, err error) (*Incident, error) {
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", format, err)
		}
		return inc, nil
	}
}

// parseTree reads a decoded JSON input of a known format.
func parseTree(root any, format Format) (*Incident, error) {
	switch format {
	case FormatSentryEvent:
		return parseSentryEvent(node{v: root, path: "event"})
	case FormatSentryWebhook:
		return parseSentryWebhook(node{v: root})
	case FormatSentryAPI:
		return parseSentryAPI(node{v: root})
	}
	return dispatchIncident(node{v: root})
}

// looksLikeJSON tells JSON from stack trace text: an object, or an array
// whose first element starts like a JSON value ("[ERROR] ..." is text).
func looksLikeJSON(data []byte) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] == '{' {
		return true
	}
	if data[0] != '[' {
		return false
	}
	rest := bytes.TrimSpace(data[1:])
	return len(rest) == 0 || bytes.IndexByte([]byte("{[\"]-0123456789tfn"), rest[0]) >= 0
}

// eventKeys are members only a Sentry event has at its top level.
var eventKeys = []string{"exception", "sentry.interfaces.Exception", "event_id", "logentry",
	"sentry.interfaces.Message", "threads", "stacktrace", "sentry.interfaces.Stacktrace", "message", "platform"}

// detect names the format of a decoded JSON input.
func detect(root any) (Format, error) {
	n := node{v: root}
	switch v := root.(type) {
	case []any:
		switch {
		case len(v) >= 3 && has(node{v: v[2]}, "data"):
			return FormatSentryEvent, nil
		case len(v) > 0 && (has(node{v: v[0]}, "shortId") || has(node{v: v[0]}, "eventID")):
			return FormatSentryAPI, nil
		}
		return "", fmt.Errorf("want one Sentry event, webhook body, API response or dispatch event, got a JSON array of length %d", len(v))
	case map[string]any:
		switch {
		case has(n, "client_payload"):
			return FormatDispatch, nil
		case has(n, "action") && has(n, "data"), isPluginBody(n):
			return FormatSentryWebhook, nil
		case has(n, "entries") || has(n, "eventID") || has(n, "shortId"):
			return FormatSentryAPI, nil
		}
		for _, k := range eventKeys {
			if has(n, k) {
				return FormatSentryEvent, nil
			}
		}
		return "", fmt.Errorf("unrecognised JSON object with keys %s: want a Sentry event, webhook body, API response or repository_dispatch event with a client_payload", keyList(v))
	}
	return "", fmt.Errorf("want a JSON object, got %s", describe(root))
}

// isPluginBody reports whether object n is the body of the legacy WebHooks
// plugin: an event beside the issue's project and web page, and no action.
func isPluginBody(n node) bool {
	return has(n, "event") && !has(n, "action") && (has(n, "project") || has(n, "project_slug") || has(n, "url"))
}

// finish makes an incident safe and comparable: redaction and caps on every
// string, frame and chain caps, the culprit and the fingerprint.
func finish(inc *Incident) {
	inc.Type = clean(inc.Type, MaxStringBytes)
	inc.Message = clean(inc.Message, MaxMessageBytes)
	inc.Level = clean(inc.Level, MaxStringBytes)
	inc.Environment = clean(inc.Environment, MaxStringBytes)
	inc.Release = clean(inc.Release, MaxStringBytes)
	inc.Frames = cleanFrames(inc.Frames)
	if len(inc.Chain) > MaxChain {
		inc.Chain = inc.Chain[:MaxChain]
	}
	for i := range inc.Chain {
		c := &inc.Chain[i]
		c.Type = clean(c.Type, MaxStringBytes)
		c.Message = clean(c.Message, MaxMessageBytes)
		c.Frames = cleanFrames(c.Frames)
		if len(c.Frames) == 0 {
			c.Frames = nil
		}
	}
	if inc.Sentry != nil {
		cleanRef(inc.Sentry)
	}
	if inc.Language == "" {
		inc.Language = languageFromFrames(inc)
	}
	inc.Culprit = clean(culprit(inc), MaxStringBytes)
	inc.Fingerprint = Fingerprint(inc)
}

// cleanFrames caps and redacts frames; never nil, so JSON shows [].
// Frames repeat their files and modules, so each distinct string is
// cleaned once.
func cleanFrames(fs []Frame) []Frame {
	fs = capFrames(fs)
	out := make([]Frame, len(fs))
	done := map[string]string{}
	c := func(s string) string {
		if v, ok := done[s]; ok {
			return v
		}
		v := clean(s, MaxStringBytes)
		done[s] = v
		return v
	}
	for i, f := range fs {
		out[i] = Frame{
			File:     c(f.File),
			AbsPath:  c(f.AbsPath),
			Line:     max(f.Line, 0),
			Column:   max(f.Column, 0),
			Function: c(f.Function),
			Module:   c(f.Module),
			InApp:    f.InApp,
		}
	}
	return out
}

// cleanRef redacts and caps the strings of a Sentry reference.
func cleanRef(s *SentryRef) {
	for _, p := range []*string{&s.IssueID, &s.ShortID, &s.EventID, &s.Project,
		&s.Permalink, &s.Status, &s.Substatus, &s.Assignee} {
		*p = clean(*p, MaxStringBytes)
	}
}

// culprit names the crash frame Sentry-style ("module in function"); with
// no frames it keeps the culprit the source reported.
func culprit(inc *Incident) string {
	f, ok := inc.CrashFrame()
	if !ok {
		if len(inc.Frames) == 0 {
			return inc.Culprit
		}
		f = inc.Frames[len(inc.Frames)-1]
	}
	where := f.Module
	if where == "" {
		where = f.File
	}
	switch {
	case f.Function == "":
		return where
	case where == "":
		return f.Function
	}
	return where + " in " + f.Function
}

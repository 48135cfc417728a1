package incident

import (
	"fmt"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// parseSentryAPI reads a Sentry web API response: an issue event
// (GET …/issues/{id}/events/{event_id}/) or an issue (GET …/issues/{id}/).
func parseSentryAPI(root node) (*Incident, error) {
	if a, ok := root.v.([]any); ok {
		return nil, &FieldError{Path: root.path, Msg: fmt.Sprintf(
			"want one issue or event, got a list of %d; fetch one of them", len(a))}
	}
	r := &reader{}
	r.object(root)
	var inc *Incident
	if has(root, "entries") || has(root, "eventID") {
		inc = apiEvent(r, root)
	} else {
		inc = issueIncident(r, root)
	}
	if r.err != nil {
		return nil, r.err
	}
	inc.Source = string(FormatSentryAPI)
	return inc, nil
}

// apiEvent reads an API event: camelCase members, the exception and
// threads as typed entries, level and environment as tags.
func apiEvent(r *reader, ev node) *Incident {
	lg := language(r.str(r.get(ev, "platform")), r.str(r.get(r.get(ev, "sdk"), "name")))
	tags := apiTags(r, r.get(ev, "tags"))
	inc := &Incident{
		Language:    lg,
		Level:       tags["level"],
		Environment: tags["environment"],
		Release:     apiRelease(r, r.get(ev, "release")),
		Timestamp:   r.timestamp(r.get(ev, "dateCreated")),
		Culprit:     r.str(r.get(ev, "culprit")),
		Message:     r.str(r.get(ev, "message")),
	}
	var excs []rawException
	var threads []rawThread
	for _, e := range r.array(r.get(ev, "entries")) {
		data := r.get(e, "data")
		switch r.str(r.get(e, "type")) {
		case "exception":
			excs = append(excs, exceptions(r, data, lg, camelKeys)...)
		case "threads":
			threads = append(threads, threadList(r, data, lg, camelKeys)...)
		case "stacktrace":
			inc.Frames = frames(r, data, lg, camelKeys)
		case "message":
			if s := r.str(r.get(data, "formatted")); s != "" {
				inc.Message = s
			}
		}
	}
	if len(excs) == 0 && inc.Frames == nil {
		inc.Frames = threadFrames(threads, "")
	}
	applyExceptions(inc, excs, threads)
	ref := sentryRef(inc)
	ref.EventID = r.str(r.get(ev, "eventID"))
	ref.IssueID = r.text(r.get(ev, "groupID"))
	return inc
}

// apiTags reads [{"key": k, "value": v}] into a map.
func apiTags(r *reader, n node) map[string]string {
	tags := map[string]string{}
	for _, t := range r.array(n) {
		if _, ok := t.v.([]any); ok {
			pair := r.array(t)
			if len(pair) == 2 {
				tags[r.str(pair[0])] = r.str(pair[1])
			}
			continue
		}
		tags[r.str(r.get(t, "key"))] = r.str(r.get(t, "value"))
	}
	return tags
}

// apiRelease reads a release given as its version string or as an object.
func apiRelease(r *reader, n node) string {
	if _, ok := n.v.(map[string]any); ok {
		return r.str(r.get(n, "version"))
	}
	return r.str(n)
}

// issueIncident reads a Sentry issue (API or webhook; both camelCase): no
// stack trace, only what the issue says about itself, its crash location
// included.
func issueIncident(r *reader, is node) *Incident {
	meta := r.get(is, "metadata")
	inc := &Incident{
		Language: language(r.str(r.get(is, "platform")), ""),
		Type:     r.str(r.get(meta, "type")),
		Message:  r.str(r.get(meta, "value")),
		Level:    r.str(r.get(is, "level")),
		Culprit:  r.str(r.get(is, "culprit")),
	}
	if inc.Message == "" {
		inc.Message = r.str(r.get(is, "title"))
	}
	if f, ok := issueFrame(r.str(r.get(meta, "filename")), r.str(r.get(meta, "function")), inc.Culprit, inc.Language); ok {
		inc.Frames = []Frame{f}
	}
	id := r.text(r.get(is, "id"))
	if id == "" && r.err == nil {
		r.fail(childPath(is.path, "id"), "want the issue id, got %s", describe(r.get(is, "id").v))
	}
	inc.Sentry = &SentryRef{
		IssueID:   id,
		ShortID:   r.str(r.get(is, "shortId")),
		Project:   r.str(r.get(r.get(is, "project"), "slug")),
		Permalink: r.str(r.get(is, "permalink")),
		Status:    r.str(r.get(is, "status")),
		Substatus: r.str(r.get(is, "substatus")),
		Assignee:  assignee(r, r.get(is, "assignedTo")),
		Count:     r.looseInt(r.get(is, "count")),
		UserCount: r.looseInt(r.get(is, "userCount")),
		FirstSeen: r.timestamp(r.get(is, "firstSeen")),
		LastSeen:  r.timestamp(r.get(is, "lastSeen")),
	}
	return inc
}

// assignee reads assignedTo: null, a string, or {"type": "user"|"team",
// "name", "id"}; the result is "user:<name>" or "team:<name>".
func assignee(r *reader, n node) string {
	if s, ok := n.v.(string); ok {
		return s
	}
	if n.v == nil {
		return ""
	}
	kind := r.str(r.get(n, "type"))
	name := r.str(r.get(n, "name"))
	if name == "" {
		name = r.text(r.get(n, "id"))
	}
	return strings.TrimPrefix(kind+":"+name, ":")
}

// issueFrame builds the crash frame of an issue, which has no stack trace:
// the file and function of metadata (Sentry's crash location), with the
// culprit filling in the function, or naming the module, when it adds
// something. No line is known. ok is false when neither file nor function
// is.
func issueFrame(file, function, culprit string, lg lang.Language) (Frame, bool) {
	f := fileFrame(file, 0)
	f.Function = function
	loc, fn := splitCulprit(culprit, lg)
	if f.Function == "" {
		f.Function = fn
	}
	if loc != "" && !sameFile(loc, file) {
		f.Module = loc
	}
	if f.File == "" && f.Function == "" {
		return Frame{}, false
	}
	f.InApp = guessInApp(lg, f)
	return f, true
}

// splitCulprit reads a culprit as Sentry writes it from a frame:
// "module in function", or "function(file)" for JavaScript. "?" stands for
// an unknown function. A culprit of another shape (a transaction name)
// yields nothing.
func splitCulprit(culprit string, lg lang.Language) (loc, fn string) {
	if lg == lang.JavaScript {
		before, inside, ok := cutParens(culprit)
		if !ok || inside == "" {
			return "", ""
		}
		loc, fn = inside, before
	} else {
		var ok bool
		loc, fn, ok = strings.Cut(culprit, " in ")
		if !ok || loc == "" || strings.ContainsAny(loc, " \t") {
			return "", ""
		}
	}
	if fn == "?" {
		fn = ""
	}
	return loc, fn
}

// sameFile reports whether the culprit's location loc names file, which
// Sentry may have shortened.
func sameFile(loc, file string) bool {
	return file != "" && (loc == file || strings.HasSuffix(file, "/"+loc) || strings.HasSuffix(loc, "/"+file))
}

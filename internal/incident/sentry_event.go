package incident

import "github.com/dawnpatch/dawnpatch/internal/lang"

// keys names the members that Sentry spells differently in ingest events
// (snake_case) and web API events (camelCase).
type keys struct {
	absPath, lineNo, colNo, inApp, threadID string
}

var (
	snakeKeys = keys{absPath: "abs_path", lineNo: "lineno", colNo: "colno", inApp: "in_app", threadID: "thread_id"}
	camelKeys = keys{absPath: "absPath", lineNo: "lineNo", colNo: "colNo", inApp: "inApp", threadID: "threadId"}
)

// rawException is an exception value before it becomes the incident or a
// link of its chain.
type rawException struct {
	Exception
	threadID string
	hasStack bool
}

// rawThread is one entry of an event's threads.
type rawThread struct {
	id               string
	crashed, current bool
	frames           []Frame
	hasStack         bool
}

// parseSentryEvent reads an ingest event, or an eventstream Kafka message
// that wraps one.
func parseSentryEvent(root node) (*Incident, error) {
	r := &reader{}
	ev, wrapper := unwrapKafka(r, root)
	inc := eventIncident(r, ev, snakeKeys)
	if wrapper.v != nil {
		applyWrapper(r, wrapper, inc)
	}
	requireContent(r, ev, inc)
	if r.err != nil {
		return nil, r.err
	}
	inc.Source = string(FormatSentryEvent)
	return inc, nil
}

// unwrapKafka returns the event inside [2, "insert", {"data": event}, state]
// and the message object around it, or root itself and a null wrapper.
func unwrapKafka(r *reader, root node) (event, wrapper node) {
	elems, ok := root.v.([]any)
	if !ok {
		return root, node{}
	}
	a := r.array(root)
	if len(elems) < 3 {
		r.fail(root.path, "want an event object or an eventstream message [version, \"insert\", {data}, state], got an array of %d", len(elems))
		return node{}, node{}
	}
	if op := r.str(a[1]); op != "insert" && r.err == nil {
		r.fail(a[1].path, "want \"insert\", got %s", describe(a[1].v))
	}
	r.object(a[2])
	return r.get(a[2], "data"), a[2]
}

// applyWrapper fills what the eventstream message knows and the event
// itself lacked.
func applyWrapper(r *reader, w node, inc *Incident) {
	if inc.Message == "" && inc.Type == "" {
		inc.Message = r.str(r.get(w, "message"))
	}
	if inc.Timestamp.IsZero() {
		inc.Timestamp = r.timestamp(r.get(w, "datetime"))
	}
	if inc.Language == "" {
		inc.Language = language(r.str(r.get(w, "platform")), "")
	}
	if group := r.text(r.get(w, "group_id")); group != "" {
		ref := sentryRef(inc)
		ref.IssueID = group
	}
}

// requireContent fails an event that says nothing about an error: no
// exception type, no message and no frames.
func requireContent(r *reader, ev node, inc *Incident) {
	if inc.Type != "" || inc.Message != "" || len(inc.Frames) > 0 {
		return
	}
	m, _ := ev.v.(map[string]any)
	r.fail(ev.path, "want an event with an exception, a message or a stack trace, got none (keys: %s)", keyList(m))
}

// sentryRef returns inc.Sentry, creating it when absent.
func sentryRef(inc *Incident) *SentryRef {
	if inc.Sentry == nil {
		inc.Sentry = &SentryRef{}
	}
	return inc.Sentry
}

// eventIncident reads the members shared by ingest events and the events
// inside webhooks. k says how frames spell their members.
func eventIncident(r *reader, ev node, k keys) *Incident {
	if ev.v == nil {
		r.fail(ev.path, "want an event object, got null")
		return &Incident{}
	}
	r.object(ev)
	lg := language(r.str(r.get(ev, "platform")), r.str(r.get(r.get(ev, "sdk"), "name")))
	inc := &Incident{
		Language:    lg,
		Level:       r.str(r.get(ev, "level")),
		Environment: r.str(r.get(ev, "environment")),
		Release:     r.text(r.get(ev, "release")),
		Timestamp:   r.timestamp(r.first(ev, "timestamp", "datetime")),
		Culprit:     r.str(r.get(ev, "culprit")),
	}
	excs := exceptions(r, r.first(ev, "exception", "sentry.interfaces.Exception"), lg, k)
	threads := threadList(r, r.first(ev, "threads", "sentry.interfaces.Threads"), lg, k)
	stack := r.first(ev, "stacktrace", "sentry.interfaces.Stacktrace")
	if len(excs) == 0 {
		inc.Message = eventMessage(r, ev)
		inc.Frames = threadFrames(threads, "")
		if inc.Frames == nil {
			inc.Frames = frames(r, stack, lg, k)
		}
	}
	if len(excs) == 1 && !excs[0].hasStack && stack.v != nil {
		// Legacy SDKs (sentry-elixir before 10, raven) put the stack of
		// their only exception at the top level; Sentry moves it there.
		excs[0].Frames, excs[0].hasStack = frames(r, stack, lg, k), true
	}
	applyExceptions(inc, excs, threads)
	if id := r.str(r.get(ev, "event_id")); id != "" {
		sentryRef(inc).EventID = id
	}
	return inc
}

// applyExceptions makes the last exception value (the one that propagated)
// the incident and the others its chain, causes first.
func applyExceptions(inc *Incident, excs []rawException, threads []rawThread) {
	if len(excs) == 0 {
		return
	}
	top := excs[len(excs)-1]
	inc.Type, inc.Message, inc.Frames = top.Type, top.Message, top.Frames
	if !top.hasStack {
		inc.Frames = threadFrames(threads, top.threadID)
	}
	for _, e := range excs[:len(excs)-1] {
		if len(inc.Chain) == MaxChain {
			break
		}
		inc.Chain = append(inc.Chain, e.Exception)
	}
}

// eventMessage reads the message of an event without exception: logentry
// (formatted first), or message as a string or a logentry object.
func eventMessage(r *reader, ev node) string {
	for _, key := range []string{"logentry", "sentry.interfaces.Message", "message"} {
		n := r.get(ev, key)
		if s, ok := n.v.(string); ok && s != "" {
			return s
		}
		if _, ok := n.v.(map[string]any); ok {
			if s := r.str(r.first(n, "formatted", "message")); s != "" {
				return s
			}
		}
	}
	return ""
}

// exceptions reads an exception interface: {"values": [...]}, a bare list,
// or a single exception object.
func exceptions(r *reader, n node, lg lang.Language, k keys) []rawException {
	var values []node
	switch v := n.v.(type) {
	case nil:
		return nil
	case []any:
		values = r.array(n)
	case map[string]any:
		if _, ok := v["values"]; ok {
			values = r.array(r.get(n, "values"))
		} else {
			values = []node{n}
		}
	default:
		r.wrong(n, "object or array")
	}
	out := make([]rawException, 0, len(values))
	for _, v := range values {
		if v.v == nil {
			continue
		}
		st := r.get(v, "stacktrace")
		out = append(out, rawException{
			Exception: Exception{
				Type:    r.str(r.get(v, "type")),
				Message: r.str(r.get(v, "value")),
				Frames:  frames(r, st, lg, k),
			},
			threadID: r.text(r.get(v, k.threadID)),
			hasStack: st.v != nil,
		})
	}
	return out
}

// frames reads a stacktrace's frames, keeping Sentry's order and only the
// last MaxFrames.
func frames(r *reader, st node, lg lang.Language, k keys) []Frame {
	if st.v == nil {
		return nil
	}
	elems := r.lastElems(r.get(st, "frames"), MaxFrames)
	out := make([]Frame, 0, len(elems))
	for _, fn := range elems {
		if fn.v == nil {
			continue
		}
		out = append(out, frame(r, fn, lg, k))
	}
	return out
}

// frame reads one frame. For Go the absolute path comes first, as the SDK
// reports it; for other languages the project-relative filename does. The
// SDK's in_app is kept, except that a file in a dependency cache or a Go
// installation is never in-app.
func frame(r *reader, fn node, lg lang.Language, k keys) Frame {
	r.object(fn)
	filename, abs := r.str(r.get(fn, "filename")), r.str(r.get(fn, k.absPath))
	f := Frame{
		File:     filename,
		AbsPath:  abs,
		Line:     r.integer(r.get(fn, k.lineNo)),
		Column:   r.integer(r.get(fn, k.colNo)),
		Function: r.str(r.get(fn, "function")),
		Module:   r.str(r.get(fn, "module")),
	}
	if f.File == "" || lg == lang.Go && abs != "" {
		f.File = abs
	}
	if in := r.boolean(r.get(fn, k.inApp)); in != nil {
		f.InApp = *in && !inDependency(f)
	} else {
		f.InApp = guessInApp(lg, f)
	}
	return f
}

// threadList reads the threads interface: {"values": [...]} or a list.
func threadList(r *reader, n node, lg lang.Language, k keys) []rawThread {
	list := n
	if _, ok := n.v.(map[string]any); ok {
		list = r.get(n, "values")
	}
	var out []rawThread
	for _, t := range r.array(list) {
		if t.v == nil {
			continue
		}
		st := r.get(t, "stacktrace")
		out = append(out, rawThread{
			id:       r.text(r.get(t, "id")),
			crashed:  boolValue(r.boolean(r.get(t, "crashed"))),
			current:  boolValue(r.boolean(r.get(t, "current"))),
			frames:   frames(r, st, lg, k),
			hasStack: st.v != nil,
		})
	}
	return out
}

// boolValue reads a nullable boolean, null as false.
func boolValue(b *bool) bool { return b != nil && *b }

// threadFrames picks the stack of the thread that failed: the exception's
// own thread, else the crashed one, else the current one, else the only one.
func threadFrames(threads []rawThread, id string) []Frame {
	pick := func(match func(t rawThread) bool) []Frame {
		for _, t := range threads {
			if t.hasStack && match(t) {
				return t.frames
			}
		}
		return nil
	}
	for _, match := range []func(rawThread) bool{
		func(t rawThread) bool { return id != "" && t.id == id },
		func(t rawThread) bool { return t.crashed },
		func(t rawThread) bool { return t.current },
		func(rawThread) bool { return len(threads) == 1 },
	} {
		if fs := pick(match); fs != nil {
			return fs
		}
	}
	return nil
}

package incident

import (
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// jsEvalLocation matches the innermost location of a V8 eval origin,
// "(file.js:21:17)".
var jsEvalLocation = regexp.MustCompile(`\(([^()]+?):(\d+):(\d+)\)`)

// geckoEval matches Firefox's eval locations, "file.js line 26 > eval".
var geckoEval = regexp.MustCompile(`^(\S+) line (\d+)(?: > (?:eval|Function))+`)

// jsSpecial are locations that name no file.
var jsSpecial = map[string]bool{
	"native": true, "<anonymous>": true, "unknown location": true, "[native code]": true, "eval code": true,
}

// nodeCore matches the files of Node's own modules in old Node versions.
var nodeCore = regexp.MustCompile(`^(?:internal/|node:|_?(?:module|bootstrap_node|events|timers|net|fs|vm|util|stream|http|https|domain|child_process|cluster|dns|tls|zlib|assert|buffer|readline|repl|crypto|url|querystring|_http_\w+|_stream_\w+|_tls_\w+)\.js$)`)

// sniffJS reports lines typical of V8, SpiderMonkey or JavaScriptCore
// stacks.
func sniffJS(s string) bool {
	if _, ok := v8Frame(s); ok {
		return true
	}
	_, ok := geckoFrame(s, false)
	return ok
}

// v8Frame parses V8's "at fn (location)", "at location", "at async fn
// (…)", "at fn [as method] (…)" and eval frames; the location must hold a
// line and column, or a path, or name no file (native, <anonymous>).
func v8Frame(s string) (Frame, bool) {
	s = strings.TrimSpace(s)
	body, ok := strings.CutPrefix(s, "at ")
	if !ok {
		if !strings.HasPrefix(s, "eval at ") {
			return Frame{}, false
		}
		body = "eval (" + s + ")"
	}
	body = strings.TrimSuffix(body, " {")
	fn, loc, ok := cutParens(body)
	if !ok || fn == "" && !strings.HasPrefix(body, "(") {
		fn, loc = "", body
		if strings.ContainsAny(loc, "()") || strings.Contains(loc, " in ") {
			return Frame{}, false
		}
	}
	f, ok := jsLocation(loc, true)
	if !ok {
		return Frame{}, false
	}
	f.Function = jsFunction(fn)
	return f, true
}

// jsFunction removes "async " and " [as alias]" from a V8 function name.
func jsFunction(fn string) string {
	fn = strings.TrimPrefix(fn, "async ")
	if i := strings.LastIndex(fn, " [as "); i > 0 && strings.HasSuffix(fn, "]") {
		fn = fn[:i]
	}
	return fn
}

// jsLocation parses a location: "file:line:col", "file:line", eval
// origins, or one that names no file. A V8 location without a column must
// hold a path or URL, so that "File.java:12" is not taken for JavaScript.
func jsLocation(loc string, v8 bool) (Frame, bool) {
	if jsSpecial[loc] {
		return Frame{File: loc}, true
	}
	if strings.HasPrefix(loc, "eval at ") {
		m := jsEvalLocation.FindStringSubmatch(loc)
		if m == nil {
			return Frame{File: "eval"}, true
		}
		loc = m[1] + ":" + m[2] + ":" + m[3]
	} else if m := geckoEval.FindStringSubmatch(loc); m != nil && !v8 {
		loc = m[1] + ":" + m[2]
	}
	path, line, col, ok := cutLineCol(loc)
	if !ok || path == "" || strings.ContainsAny(path, " \t") && !isAbsPath(path) && !jsSpecial[path] {
		return Frame{}, false
	}
	if v8 && col == 0 && !strings.ContainsAny(path, `/\`) {
		return Frame{}, false
	}
	f := jsFile(path)
	f.Line, f.Column = line, col
	return f, true
}

// jsFile names the file of a path or URL: a URL's path without its query,
// leading slash and webpack's "./", with the URL as AbsPath.
func jsFile(path string) Frame {
	if q := strings.IndexAny(path, "?#"); q > 0 {
		path = path[:q]
	}
	scheme, rest, ok := strings.Cut(path, "://")
	if !ok || strings.ContainsAny(scheme, "/\\ ") || len(scheme) < 2 {
		return fileFrame(path, 0)
	}
	if scheme == "file" {
		if len(rest) > 3 && rest[0] == '/' && rest[2] == ':' {
			rest = rest[1:]
		}
		return fileFrame(rest, 0)
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[i:]
	} else {
		rest = ""
	}
	file := strings.TrimPrefix(strings.TrimLeft(rest, "/"), "./")
	if file == "" {
		file = path
	}
	return Frame{File: file, AbsPath: path}
}

// geckoFrame parses SpiderMonkey's and JavaScriptCore's "fn@location"; in
// loose mode also a bare location, "[native code]" and "eval code", which
// only count next to other frames.
func geckoFrame(s string, loose bool) (Frame, bool) {
	s = strings.TrimSpace(s)
	fn, loc, found := strings.Cut(s, "@")
	if !found {
		if !loose || strings.ContainsAny(s, " \t") && !jsSpecial[s] {
			return Frame{}, false
		}
		fn, loc = "", s
		if s == "eval code" {
			fn = s
		}
	}
	if strings.ContainsAny(fn, " \t") && fn != "global code" && fn != "eval code" {
		return Frame{}, false
	}
	f, ok := jsLocation(loc, false)
	if !ok || f.File == "eval code" && loc != s {
		return Frame{}, false
	}
	if i := strings.IndexByte(fn, '('); i >= 0 && strings.HasSuffix(fn, ")") {
		fn = fn[:i]
	}
	f.Function = fn
	return f, true
}

// jsInApp tells application frames: files of dependencies, Node's own
// modules and locations that name no file are not in-app.
func jsInApp(f Frame) bool {
	return !jsSpecial[f.File] && f.File != "eval" && !strings.HasPrefix(f.File, "~/") &&
		!nodeCore.MatchString(f.File) && guessInApp(lang.JavaScript, f)
}

// jsHeaderLine matches "TypeError: message", "Uncaught Error", and Node's
// "TypeError [ERR_CODE]: message".
var jsHeaderLine = regexp.MustCompile(`(?s)^(?:Uncaught )?([A-Za-z_$][\w$.]*)(?: \[[A-Z0-9_]+\])?(?::[ \t]?(.*))?$`)

// jsFrameAt parses lines[i] as a frame; loose admits the lines that are
// frames only next to others.
func jsFrameAt(lines []traceLine, i int, loose bool) (Frame, bool) {
	if f, ok := v8Frame(lines[i].text); ok {
		return f, true
	}
	return geckoFrame(lines[i].text, loose)
}

// parseJS reads V8 (Chrome, Node, Edge, Opera), SpiderMonkey (Firefox) and
// JavaScriptCore (Safari, React Native) stacks, with Node's "[cause]:"
// sections. Each prints the crash site first.
func parseJS(lines []traceLine) (*Incident, error) {
	var traces [][]Exception
	from := 0
	for i := 0; i < len(lines); i++ {
		if _, ok := jsFrameAt(lines, i, false); !ok {
			continue
		}
		start := i
		for start > from && isJSLoose(lines, start-1) {
			start--
		}
		excs, end := jsTrace(lines, jsHeader(lines, from, start), start)
		traces = append(traces, excs)
		from, i = end, end-1
	}
	if len(traces) == 0 {
		return nil, noTrace("JavaScript stack trace")
	}
	return assemble(traces), nil
}

// isJSLoose reports whether lines[i] is a loose frame line.
func isJSLoose(lines []traceLine, i int) bool {
	_, ok := jsFrameAt(lines, i, true)
	return ok
}

// jsHeader returns the first line of the message before the frames at
// lines[start]: the nearest line naming an error class within 20 lines,
// else the line just before. It returns start when there is none.
func jsHeader(lines []traceLine, from, start int) int {
	for j := start - 1; j >= max(from, start-20); j-- {
		s := strings.TrimSpace(lines[j].text)
		if s == "" {
			break
		}
		if m := jsHeaderLine.FindStringSubmatch(s); m != nil && isExceptionName(m[1]) {
			return j
		}
		if lines[j].logged {
			break
		}
	}
	if start > from && strings.TrimSpace(lines[start-1].text) != "" {
		return start - 1
	}
	return start
}

// jsTrace reads the header lines[head:start], the frames from
// lines[start] and any "[cause]:" sections after them. It returns the
// exceptions causes first and the index of the first line after the trace.
func jsTrace(lines []traceLine, head, start int) ([]Exception, int) {
	var printed []Exception
	i := start
	for {
		e := jsException(lines[head:start])
		for ; i < len(lines); i++ {
			f, ok := jsFrameAt(lines, i, true)
			if !ok && !strings.HasSuffix(strings.TrimSpace(lines[i].text), "lines matching cause stack trace ...") {
				break
			}
			if ok {
				f.InApp = jsInApp(f)
				e.Frames = append(e.Frames, f)
			}
		}
		e.Frames = reversed(e.Frames)
		printed = append(printed, e)
		c := jsCause(lines, i)
		if c < 0 {
			break
		}
		head, start, i = c, c+1, c+1
	}
	out := make([]Exception, len(printed))
	for k, e := range printed {
		out[len(printed)-1-k] = e
	}
	return out, i
}

// jsCause returns the index of the "[cause]:" line in the property block
// that follows a Node stack at lines[i], or -1.
func jsCause(lines []traceLine, i int) int {
	for j := i; j < len(lines) && j < i+50; j++ {
		s := strings.TrimSpace(lines[j].text)
		if strings.HasPrefix(s, "[cause]: ") {
			return j
		}
		if s == "}" || j == i && !strings.HasSuffix(strings.TrimSpace(lines[max(i-1, 0)].text), "{") {
			return -1
		}
	}
	return -1
}

// jsException reads the type and message of a header.
func jsException(header []traceLine) Exception {
	if len(header) == 0 {
		return Exception{}
	}
	var b strings.Builder
	for k, l := range header {
		if k > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.text)
	}
	text := strings.TrimPrefix(strings.TrimSpace(b.String()), "[cause]: ")
	if m := jsHeaderLine.FindStringSubmatch(text); m != nil {
		return Exception{Type: m[1], Message: m[2]}
	}
	return Exception{Message: text}
}

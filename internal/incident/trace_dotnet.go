package incident

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// .NET trace markers.
const (
	dotnetInner    = " ---> "
	dotnetEndInner = "--- End of inner exception stack trace ---"
	dotnetEndAsync = "--- End of stack trace from previous location"
	// dotnetData heads the Exception.Data entries printed after a stack,
	// one "Key: value" line each, indented deeper.
	dotnetData = "Exception data:"
)

// dotnetIL matches Mono's IL offset "[0x0001f]".
var dotnetIL = regexp.MustCompile(`\s*\[0x[0-9a-fA-F]+\]\s*$`)

// dotnetAsync matches a compiler-generated async state machine class,
// "<Method>d__2".
var dotnetAsync = regexp.MustCompile(`^<([^<>]+)>d__\d+$`)

// dotnetCode matches the HRESULT or error code .NET prints after some
// exception types: "SqlException (0x80131904): ", "SocketException (111): ".
var dotnetCode = regexp.MustCompile(`^([A-Za-z_][\w.+` + "`" + `]*) \((?:0x[0-9A-Fa-f]{1,8}|-?\d{1,10})\)(:|$)`)

// dotnetSplitHeader splits an exception line into type and message, the
// type's HRESULT or error code dropped.
func dotnetSplitHeader(s string) (typ, msg string) {
	if !strings.Contains(s, " (") {
		return splitHeader(s)
	}
	if m := dotnetCode.FindStringSubmatchIndex(s); m != nil {
		s = s[m[2]:m[3]] + s[m[4]:]
	}
	return splitHeader(s)
}

// sniffDotnet reports lines typical of .NET stack traces.
func sniffDotnet(s string) bool {
	if strings.HasPrefix(s, "at ") {
		return strings.Contains(s, ") in ") || strings.Contains(s, ":line ") ||
			strings.Contains(s, "[0x") || strings.HasSuffix(s, "()")
	}
	return strings.HasPrefix(s, "--- End of ") || strings.Contains(s, dotnetInner)
}

// dotnetFrame parses "at NS.Class.Method(Args) in C:\path\File.cs:line 12"
// and Mono's "at NS.Class.Method (Args) [0x00007] in /path/File.cs:12".
func dotnetFrame(s string) (Frame, bool) {
	s, ok := strings.CutPrefix(strings.TrimSpace(s), "at ")
	if !ok {
		return Frame{}, false
	}
	var f Frame
	if i := strings.LastIndex(s, " in "); i > 0 && (s[i-1] == ')' || s[i-1] == ']') {
		f = dotnetLocation(s[i+len(" in "):])
		s = s[:i]
	}
	s = dotnetIL.ReplaceAllString(s, "")
	name, _, ok := cutParens(s)
	if !ok || name == "" || strings.ContainsAny(name, " ()") {
		return Frame{}, false
	}
	f.Module, f.Function = splitDotnetName(name)
	f.InApp = guessInApp(lang.CSharp, f)
	return f, true
}

// dotnetLocation parses "path:line 12", "path:12" and Mono's
// "<filename unknown>:0".
func dotnetLocation(loc string) Frame {
	if path, n, ok := strings.Cut(loc, ":line "); ok {
		line, _ := strconv.Atoi(n)
		return fileFrame(path, line)
	}
	path, line, _, _ := cutLineCol(loc)
	if path == "<filename unknown>" {
		return Frame{}
	}
	return fileFrame(path, line)
}

// splitDotnetName splits "NS.Class.Method" at the last dot outside
// generic brackets, and names async state machines after their method.
func splitDotnetName(name string) (module, fn string) {
	depth := 0
	for i := len(name) - 1; i > 0; i-- {
		switch name[i] {
		case ']', '>':
			depth++
		case '[', '<':
			depth--
		case '.':
			if depth == 0 {
				module, fn = name[:i], name[i+1:]
				return demangleAsync(module, fn)
			}
		}
	}
	return "", name
}

// demangleAsync turns "NS.Class.<Method>d__2" "MoveNext" into "NS.Class"
// "Method".
func demangleAsync(module, fn string) (string, string) {
	if fn != "MoveNext" {
		return module, fn
	}
	dot := strings.LastIndexByte(module, '.')
	if m := dotnetAsync.FindStringSubmatch(module[dot+1:]); m != nil && dot > 0 {
		return module[:dot], m[1]
	}
	return module, fn
}

// parseDotnet reads .NET stack traces: inner exceptions ("--->" in the
// header, "--- End of inner exception stack trace ---" between their
// stacks), async markers and Mono's "[0x…] in <filename unknown>:0". .NET
// prints the outer exception first, the innermost exception's stack first,
// and each stack innermost first.
func parseDotnet(lines []traceLine) (*Incident, error) {
	var traces [][]Exception
	from := 0
	for i := 0; i < len(lines); i++ {
		if _, ok := dotnetFrame(lines[i].text); !ok {
			continue
		}
		// An innermost exception without a stack of its own ends in its
		// "End of inner exception" marker before any frame.
		first := i
		for first > from && strings.TrimSpace(lines[first-1].text) == dotnetEndInner {
			first--
		}
		head := dotnetHeader(lines, from, first)
		excs, end := dotnetTrace(lines, head, first)
		traces = append(traces, excs)
		from, i = end, end-1
	}
	if len(traces) == 0 {
		return nil, noTrace(".NET stack trace")
	}
	markDotnetLibraries(traces)
	return assemble(traces), nil
}

// markDotnetLibraries marks frames without a source file as not in-app
// when other frames of the text have one, unless they share those frames'
// root namespace: .NET prints file and line only for assemblies built with
// their symbols at hand, the application's, not the NuGet packages'.
// Packages built deterministically name their files under "/_/", which
// does not count as a source file.
func markDotnetLibraries(traces [][]Exception) {
	roots := map[string]bool{}
	for _, t := range traces {
		for _, e := range t {
			for _, f := range e.Frames {
				if dotnetAppFile(f) {
					roots[rootNamespace(f.Module)] = true
				}
			}
		}
	}
	if len(roots) == 0 {
		return
	}
	for _, t := range traces {
		for _, e := range t {
			for i, f := range e.Frames {
				e.Frames[i].InApp = f.InApp && (dotnetAppFile(f) || roots[rootNamespace(f.Module)])
			}
		}
	}
}

// rootNamespace is the first dotted part of a .NET type name.
func rootNamespace(module string) string {
	root, _, _ := strings.Cut(module, ".")
	return root
}

// dotnetAppFile reports whether f names a source file of its own build.
func dotnetAppFile(f Frame) bool {
	return f.File != "" && !strings.HasPrefix(f.File, "/_/")
}

// dotnetHeader finds the first line of the header before the frame at
// lines[first]: the nearest line naming an exception, looking back at most
// 20 lines and not past lines[from]. It returns first when there is none.
func dotnetHeader(lines []traceLine, from, first int) int {
	for j := first - 1; j >= max(from, first-20); j-- {
		s := strings.TrimSpace(lines[j].text)
		s = strings.TrimPrefix(strings.TrimPrefix(s, "Unhandled exception. "), "Unhandled Exception: ")
		if typ, _ := dotnetSplitHeader(strings.TrimPrefix(s, "---> ")); typ != "" && strings.Contains(typ, ".") {
			if !strings.HasPrefix(s, "---> ") {
				return j
			}
		}
		if lines[j].logged {
			break
		}
	}
	if first > from && strings.TrimSpace(lines[first-1].text) != "" {
		return first - 1
	}
	return first
}

// dotnetTrace reads one trace: the header lines[head:first], then stacks
// separated by "End of inner exception" markers. It returns the exceptions
// in Sentry order and the index of the first line after the trace.
func dotnetTrace(lines []traceLine, head, first int) ([]Exception, int) {
	excs := dotnetExceptions(lines[head:first])
	stacks := [][]Frame{nil}
	i := first
	for ; i < len(lines); i++ {
		s := strings.TrimSpace(lines[i].text)
		if f, ok := dotnetFrame(s); ok {
			stacks[len(stacks)-1] = append(stacks[len(stacks)-1], f)
			continue
		}
		if s == dotnetData {
			i = skipIndented(lines, i)
			continue
		}
		if s == dotnetEndInner {
			stacks = append(stacks, nil)
		} else if !strings.HasPrefix(s, dotnetEndAsync) {
			break
		}
	}
	// The first stack is the innermost exception's; excs are innermost
	// first too.
	for k := range min(len(stacks), len(excs)) {
		excs[k].Frames = reversed(stacks[k])
	}
	return excs, i
}

// dotnetExceptions splits a header "Outer: m ---> Inner: m2" into its
// exceptions, innermost first. Each " ---> " starts an inner exception, in
// the line or at the start of one; a message may span lines.
func dotnetExceptions(header []traceLine) []Exception {
	var b strings.Builder
	for i, l := range header {
		if i > 0 {
			b.WriteByte('\n')
		}
		text := l.text
		if t := strings.TrimLeft(text, " \t"); strings.HasPrefix(t, "---> ") {
			text = dotnetInner + t[len("---> "):]
		}
		b.WriteString(text)
	}
	text := strings.TrimSpace(b.String())
	text = strings.TrimPrefix(strings.TrimPrefix(text, "Unhandled exception. "), "Unhandled Exception: ")
	var excs []Exception
	for _, p := range strings.Split(text, dotnetInner) {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		typ, msg := dotnetSplitHeader(p)
		excs = append(excs, Exception{Type: typ, Message: msg})
	}
	slices.Reverse(excs)
	return excs
}

// skipIndented returns the index of the last of the lines after lines[i]
// that are indented deeper than lines[i] and are neither frames nor
// markers, or i when there is none.
func skipIndented(lines []traceLine, i int) int {
	depth := indent(lines[i].text)
	for i+1 < len(lines) && indent(lines[i+1].text) > depth {
		s := strings.TrimSpace(lines[i+1].text)
		if s == "" || strings.HasPrefix(s, "at ") || strings.HasPrefix(s, "--- ") {
			break
		}
		i++
	}
	return i
}

// indent counts the leading spaces and tabs of s.
func indent(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t"))
}

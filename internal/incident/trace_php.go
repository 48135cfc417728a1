package incident

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// PHP error and trace lines.
var (
	// phpUncaught strips "PHP Fatal error:  Uncaught " and friends.
	phpUncaught = regexp.MustCompile(`^(?:PHP )?(?:Fatal error|Fatal|Catchable fatal error):\s+Uncaught\s+`)
	// phpOld matches PHP 5's "exception 'Type' with message 'msg' in
	// /path:12".
	phpOld = regexp.MustCompile(`(?s)^exception '([^']+)' with message '(.*)' in (.+):(\d+)$`)
	// phpNew matches PHP 7's "Type: msg in /path:12".
	phpNew = regexp.MustCompile(`(?s)^([A-Za-z_\\][\w\\]*): (.*) in (.+):(\d+)$`)
	// phpError matches a fatal error without a trace, "PHP Fatal error:
	// msg in /path on line 12".
	phpError = regexp.MustCompile(`^(?:PHP )?((?:Fatal|Parse|Catchable fatal) error|Warning|Notice|Deprecated):\s+(.*) in (.+) on line (\d+)$`)
	// phpEntry matches "#0 /path(12): Class->method(args)" and "#0
	// [internal function]: fn()".
	phpEntry = regexp.MustCompile(`^#(\d+) (?:(.+)\((\d+)\)|\[internal function\]): (.+)$`)
)

// sniffPHP reports lines typical of PHP errors and traces.
func sniffPHP(s string) bool {
	return s == "Stack trace:" || strings.HasPrefix(s, "thrown in ") ||
		strings.HasPrefix(s, "PHP ") && strings.Contains(s, " error:") ||
		strings.HasPrefix(s, "#") && (phpEntry.MatchString(s) || strings.HasSuffix(s, " {main}"))
}

// phpHeader reads the exception of a trace header, with where it was
// thrown.
func phpHeader(s string) (Exception, bool) {
	s = phpUncaught.ReplaceAllString(strings.TrimSpace(s), "")
	s = strings.TrimPrefix(s, "Next ")
	m := phpOld.FindStringSubmatch(s)
	if m == nil {
		m = phpNew.FindStringSubmatch(s)
	}
	if m == nil {
		return Exception{}, false
	}
	n, _ := strconv.Atoi(m[4])
	f := fileFrame(m[3], n)
	f.InApp = guessInApp(lang.PHP, f)
	return Exception{Type: m[1], Message: m[2], Frames: []Frame{f}}, true
}

// parsePHP reads PHP's uncaught exception output and exception strings:
// the header names where the exception was thrown, "Stack trace:" lists
// the calls innermost first ("#0 file(line): function()"), "Next" starts
// the exception that wrapped the one before, and "thrown in" ends it all.
// A fatal error without a trace is read as one frame.
func parsePHP(lines []traceLine) (*Incident, error) {
	var traces [][]Exception
	var group []Exception
	for i := 0; i < len(lines); i++ {
		s := strings.TrimSpace(lines[i].text)
		if m := phpError.FindStringSubmatch(s); m != nil && !strings.Contains(s, "Uncaught ") {
			n, _ := strconv.Atoi(m[4])
			f := fileFrame(m[3], n)
			f.InApp = guessInApp(lang.PHP, f)
			traces = append(traces, []Exception{{Type: m[1], Message: m[2], Frames: []Frame{f}}})
			continue
		}
		e, ok := phpHeader(s)
		if !ok || i+1 >= len(lines) || strings.TrimSpace(lines[i+1].text) != "Stack trace:" {
			continue
		}
		frames, end, err := phpStack(lines, i+2, e.Frames[0])
		if err != nil {
			return nil, err
		}
		e.Frames = frames
		if !strings.HasPrefix(s, "Next ") && len(group) > 0 {
			traces, group = append(traces, group), nil
		}
		group = append(group, e)
		i = end - 1
	}
	if len(group) > 0 {
		traces = append(traces, group)
	}
	if len(traces) == 0 {
		return nil, noTrace("PHP stack trace")
	}
	return assemble(traces), nil
}

// phpStack reads the "#N" entries from lines[i] into frames, outermost
// first. PHP names on each entry the function called there, so the frame
// of entry N runs the function of entry N and stands where entry N-1
// called (the header's place for entry 0), as Sentry's PHP SDK does.
func phpStack(lines []traceLine, i int, thrown Frame) ([]Frame, int, error) {
	fs := []Frame{thrown}
	for ; i < len(lines); i++ {
		s := strings.TrimSpace(lines[i].text)
		if strings.HasPrefix(s, "thrown in ") {
			return reversed(fs), i + 1, nil
		}
		if s == "" || strings.HasPrefix(s, "Next ") {
			break
		}
		if strings.HasSuffix(s, " {main}") && strings.HasPrefix(s, "#") {
			// {main} is the last entry; "thrown in" may follow.
			if i+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i+1].text), "thrown in ") {
				i++
			}
			return reversed(fs), i + 1, nil
		}
		m := phpEntry.FindStringSubmatch(s)
		if m == nil {
			return nil, 0, unrecognised(lines[i], `"#N path(line): function()", "#N {main}" or "thrown in …"`)
		}
		module, fn := phpFunction(m[4])
		fs[len(fs)-1].Module, fs[len(fs)-1].Function = module, fn
		n, _ := strconv.Atoi(m[3])
		f := fileFrame(m[2], n)
		f.InApp = m[2] != "" && guessInApp(lang.PHP, f)
		fs = append(fs, f)
	}
	return reversed(fs), i, nil
}

// phpFunction splits "Ns\Class->method(args)" or "Class::method(args)"
// into class and method.
func phpFunction(call string) (class, fn string) {
	call = stripArgs(call)
	for _, sep := range []string{"->", "::"} {
		if c, f, ok := strings.Cut(call, sep); ok {
			return c, f
		}
	}
	return "", call
}

package incident

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// Ruby backtrace lines.
var (
	// rubyFrameLine matches "path:12:in `method'" (Ruby 3.4 quotes
	// 'method'), with Rails' "gem (1.2.3) " prefix.
	rubyFrameLine = regexp.MustCompile("^(?:from )?(?:([\\w.-]+) \\(([\\w.]+)\\) )?(.+?):(\\d+):in [`'](.*)'$")
	// rubyHeadLine matches the crash line "path:12:in `method': message",
	// whose message may continue on the following lines.
	rubyHeadLine = regexp.MustCompile("^(.+?):(\\d+):in [`'](.*?)': (.*)$")
	// rubyTypeEnd matches the " (Type)" that ends a message's last line.
	rubyTypeEnd = regexp.MustCompile(`^(.*) \(([A-Z][\w:]*)\)$`)
	// railsHead matches Rails' "Type (message):" log line.
	railsHead = regexp.MustCompile(`^([A-Z][\w:]*) \((.*)\):$`)
)

// sniffRuby reports lines typical of Ruby backtraces.
func sniffRuby(s string) bool {
	return strings.Contains(s, ":in `") || strings.HasPrefix(s, "from ") && strings.Contains(s, ":in '") ||
		strings.Contains(s, ".rb:") && strings.Contains(s, ":in '")
}

// rubyFrame parses one backtrace line.
func rubyFrame(s string) (Frame, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, "'") || !strings.Contains(s, ":in ") {
		return Frame{}, false
	}
	m := rubyFrameLine.FindStringSubmatch(s)
	if m == nil {
		return Frame{}, false
	}
	n, _ := strconv.Atoi(m[4])
	f := fileFrame(m[3], n)
	f.Function = m[5]
	if m[1] != "" {
		f.Module = m[1]
	}
	f.InApp = m[1] == "" && guessInApp(lang.Ruby, f)
	return f, true
}

// parseRuby reads Ruby's uncaught exception output ("path:N:in `m':
// message (Type)" and "from" lines, the causes that follow it) and Rails'
// logged backtraces. Ruby prints the crash site first; a trace printed
// right after another, with no line between, is its cause.
func parseRuby(lines []traceLine) (*Incident, error) {
	var traces [][]Exception
	prevEnd := -1
	for i := 0; i < len(lines); i++ {
		e, next, ok := rubyTrace(lines, i)
		if !ok {
			continue
		}
		if i == prevEnd && len(traces) > 0 {
			t := traces[len(traces)-1]
			traces[len(traces)-1] = append([]Exception{e}, t...)
		} else {
			traces = append(traces, []Exception{e})
		}
		prevEnd, i = next, next-1
	}
	if len(traces) == 0 {
		return nil, noTrace("Ruby backtrace")
	}
	return assemble(traces), nil
}

// rubyTrace reads the trace whose header is lines[i], if it is one. It
// returns the exception and the index of the first line after it.
func rubyTrace(lines []traceLine, i int) (Exception, int, bool) {
	s := strings.TrimSpace(lines[i].text)
	var e Exception
	next := i + 1
	var crash []Frame
	if !strings.HasSuffix(s, "):") && !strings.Contains(s, ":in ") {
		return e, 0, false
	}
	if m := railsHead.FindStringSubmatch(s); m != nil {
		e.Type, e.Message = m[1], m[2]
	} else if m := rubyHeadLine.FindStringSubmatch(s); m != nil && !strings.HasPrefix(s, "from ") {
		n, _ := strconv.Atoi(m[2])
		f := fileFrame(m[1], n)
		f.Function, f.InApp = m[3], guessInApp(lang.Ruby, fileFrame(m[1], n))
		crash = []Frame{f}
		e.Type, e.Message, next = rubyMessage(lines, i, m[4])
	} else {
		return e, 0, false
	}
	fs, end := rubyFrames(lines, next)
	if len(crash) == 0 && len(fs) == 0 {
		return e, 0, false
	}
	e.Frames = reversed(append(crash, fs...))
	return e, end, true
}

// rubyMessage reads a message that ends in " (Type)", perhaps lines
// later but before any line that reads like a frame or another trace. It
// returns the type, the message and the line after it.
func rubyMessage(lines []traceLine, i int, first string) (typ, msg string, next int) {
	msg = first
	for j := i; j < len(lines) && j < i+20; j++ {
		line := first
		if j > i {
			line = lines[j].text
			if strings.Contains(line, ":in ") {
				break
			}
			msg = appendLine(msg, line)
		}
		if !strings.HasSuffix(line, ")") {
			continue
		}
		if m := rubyTypeEnd.FindStringSubmatch(line); m != nil && strings.HasSuffix(msg, line) {
			return m[2], strings.TrimSuffix(msg, line) + m[1], j + 1
		}
	}
	return "", first, i + 1
}

// rubyFrames reads backtrace lines from lines[i], skipping blank lines
// before the first and Ruby's "... N levels..." notes.
func rubyFrames(lines []traceLine, i int) ([]Frame, int) {
	var fs []Frame
	for ; i < len(lines); i++ {
		s := strings.TrimSpace(lines[i].text)
		if s == "" && len(fs) == 0 || strings.HasPrefix(s, "... ") && strings.HasSuffix(s, " levels...") {
			continue
		}
		f, ok := rubyFrame(s)
		if !ok {
			break
		}
		fs = append(fs, f)
	}
	return fs, i
}

package ghwork

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// dawnpatch ends every pull request body it writes with its marker block,
// hidden HTML comments on lines of their own, nothing but whitespace after
// them:
//
//	<!-- dawnpatch:fp=<fingerprint> sentry=<id> -->
//	<!-- dawnpatch:area=<area> -->
//	<!-- dawnpatch:score=<score> -->
//
// The area and score lines are optional, the order is fixed. A marker
// anywhere else (mid-body, quoted, indented, inside a code fence, followed
// by text) is a mention, not the block.
var (
	fpLine    = regexp.MustCompile(`^<!-- dawnpatch:fp=([A-Za-z0-9_-]+)(?: sentry=([^\s<>]+))? -->$`)
	areaLine  = regexp.MustCompile(`^<!-- dawnpatch:area=([A-Za-z0-9/._-]*) -->$`)
	scoreLine = regexp.MustCompile(`^<!-- dawnpatch:score=([0-9]+(?:\.[0-9]+)?) -->$`)
)

// maxMarkerLine bounds the lines worth matching against a marker.
const maxMarkerLine = 400

// Markers is what a marker block records.
type Markers struct {
	Fingerprint string
	// Sentry is the Sentry issue id; "" when the block names none.
	Sentry string
	// Area is the area as AreaMarker wrote it; "" when the block has no
	// area line.
	Area string
	// Score is the judge's score; HasScore is false when the block has no
	// score line.
	Score    float64
	HasScore bool
}

// Marker is the hidden line that ties a pull request body to its
// fingerprint: "<!-- dawnpatch:fp=<fp> sentry=<id> -->", without the
// sentry part when sentryIssue is empty.
func Marker(fingerprint, sentryIssue string) string {
	if !sentryIDRE.MatchString(sentryIssue) {
		return "<!-- dawnpatch:fp=" + fingerprint + " -->"
	}
	return "<!-- dawnpatch:fp=" + fingerprint + " sentry=" + sentryIssue + " -->"
}

// AreaMarker is the hidden line naming the area a pull request fixes, so
// later runs can count rejections there.
func AreaMarker(area string) string { return "<!-- " + areaNeedle(area) + " -->" }

// ScoreMarker records the judge's score of the fix a pull request holds.
func ScoreMarker(score float64) string { return fmt.Sprintf("<!-- dawnpatch:score=%.2f -->", score) }

// MarkerBlock is the block dawnpatch ends a pull request body with: the
// fingerprint, area and score markers, one a line. Append it last, after a
// newline; ParseMarkers reads it back.
func MarkerBlock(fingerprint, sentryIssue, area string, score float64) string {
	return Marker(fingerprint, sentryIssue) + "\n" + AreaMarker(area) + "\n" + ScoreMarker(score)
}

// sentryIDRE is the shape of the Sentry issue id a marker may hold: an
// id from event text could otherwise close the hidden comment.
var sentryIDRE = regexp.MustCompile(`^[0-9]{1,20}$`)

func areaNeedle(area string) string { return "dawnpatch:area=" + cleanArea(area) }

// cleanArea keeps the characters an area marker may hold and replaces the
// others with '_'.
func cleanArea(area string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '.' || r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return '_'
	}, area)
}

// Score reads the judge's score from the marker block a pull request body
// ends with; ok is false when the body ends with no block, or a block
// without a score.
func Score(body string) (score float64, ok bool) {
	m, found := ParseMarkers(body)
	return m.Score, found && m.HasScore
}

// ParseMarkers reads the marker block body ends with. ok is false unless
// the last non-blank lines are a fingerprint marker, optionally an area
// marker, optionally a score marker, in that order, each alone on its line
// from its first column (CRLF line ends and trailing blanks are fine) and
// not inside a code fence left open above them. Text after the block, a
// marker mid-body, quoted or indented, and forged lines above the block do
// not count.
func ParseMarkers(body string) (Markers, bool) {
	lines := splitLines(strings.TrimRightFunc(body, unicode.IsSpace))
	start, m, ok := trailingBlock(lines)
	if !ok || openFence(lines[:start]) {
		return Markers{}, false
	}
	return m, true
}

// splitLines splits body into lines without their "\r" and trailing blanks.
func splitLines(body string) []string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return lines
}

// match returns re's submatches in line; nil for a line too long to be a
// marker.
func match(re *regexp.Regexp, line string) []string {
	if len(line) > maxMarkerLine {
		return nil
	}
	return re.FindStringSubmatch(line)
}

// trailingBlock reads the marker block lines ends with and the index of its
// first line.
func trailingBlock(lines []string) (int, Markers, bool) {
	var m Markers
	i := len(lines)
	if i > 0 {
		if s := match(scoreLine, lines[i-1]); s != nil {
			score, err := strconv.ParseFloat(s[1], 64)
			if err != nil {
				return 0, Markers{}, false
			}
			m.Score, m.HasScore = score, true
			i--
		}
	}
	if i > 0 {
		if a := match(areaLine, lines[i-1]); a != nil {
			m.Area = a[1]
			i--
		}
	}
	if i == 0 {
		return 0, Markers{}, false
	}
	f := match(fpLine, lines[i-1])
	if f == nil {
		return 0, Markers{}, false
	}
	m.Fingerprint, m.Sentry = f[1], f[2]
	return i - 1, m, true
}

// openFence reports whether lines leave a fenced code block open.
func openFence(lines []string) bool {
	var f fences
	for _, l := range lines {
		f.next(l)
	}
	return f.open != ""
}

// fences follows top-level fenced code blocks line by line, the way
// CommonMark reads them: a run of three or more backticks or tildes
// indented at most three spaces opens one (a backtick fence's info string
// holds no backtick), and a run of the same character at least as long,
// with nothing after it, closes it. Fences inside a quote or a list item
// end with it, before any line that starts in the first column.
type fences struct{ open string }

// next reads one line and reports whether it opened or closed a fence.
func (f *fences) next(line string) bool {
	run, rest := fence(line)
	switch {
	case run == "":
		return false
	case f.open == "" && (run[0] == '~' || !strings.Contains(rest, "`")):
		f.open = run
		return true
	case f.open != "" && run[0] == f.open[0] && len(run) >= len(f.open) && strings.TrimSpace(rest) == "":
		f.open = ""
		return true
	}
	return false
}

// fence splits a line that starts a fence into the fence's run of
// characters and the rest; run is "" for other lines.
func fence(line string) (run, rest string) {
	trimmed := strings.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 || len(trimmed) < 3 || (trimmed[0] != '`' && trimmed[0] != '~') {
		return "", ""
	}
	n := len(trimmed) - len(strings.TrimLeft(trimmed, trimmed[:1]))
	if n < 3 {
		return "", ""
	}
	return trimmed[:n], trimmed[n:]
}

// markersLast moves dawnpatch's marker block to the end of body when text
// was appended after it, so that a note added to a pull request keeps it
// recognisable as dawnpatch's. The block moved is the last one outside a
// code fence; a body without one is returned as it is.
func markersLast(body string) string {
	if _, ok := ParseMarkers(body); ok {
		return body
	}
	lines := splitLines(body)
	start, end := lastBlock(lines)
	if start < 0 {
		return body
	}
	rest := strings.Join(append(append([]string(nil), lines[:start]...), lines[end:]...), "\n")
	moved := strings.Join(lines[start:end], "\n")
	if rest = strings.TrimRightFunc(rest, unicode.IsSpace); rest != "" {
		moved = rest + "\n" + moved
	}
	if _, ok := ParseMarkers(moved); !ok {
		return body // the text after the block leaves a fence open
	}
	return moved
}

// lastBlock finds the last marker block outside a code fence: lines
// [start, end); start is -1 when there is none.
func lastBlock(lines []string) (start, end int) {
	start, end = -1, -1
	var f fences
	for i, l := range lines {
		if f.next(l) || f.open != "" || match(fpLine, l) == nil {
			continue
		}
		start, end = i, i+1
		if end < len(lines) && match(areaLine, lines[end]) != nil {
			end++
		}
		if end < len(lines) && match(scoreLine, lines[end]) != nil {
			end++
		}
	}
	return start, end
}

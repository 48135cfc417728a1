package safetext

import (
	"regexp"
	"strings"
)

// MaxSubject caps a commit subject or a pull request title, in runes.
const MaxSubject = 100

// leadTrailer matches what git could take for a trailer at the start of a
// line: a token of letters, digits and hyphens, then its colons.
var leadTrailer = regexp.MustCompile(`^([A-Za-z0-9-]+) ?:[ :]*`)

// CommitMessage builds a commit message from a subject and a body that may
// hold event text. The subject goes through [Line] with [MaxSubject] (an
// empty one becomes "fix"); every body line goes through [Line] with no
// cap and, when it starts with a trailer shape ("Co-authored-by:",
// "Signed-off-by:", "ValueError:"), loses that colon. Paragraph breaks are
// kept; runs of blank lines become one.
//
// So no line of the result is a trailer, mentions anyone, or holds a
// reference for a closing keyword, whatever the caller put in. Callers
// should still pass each event field through [Line] with a small cap, so
// that a field cannot crowd out the fixed text.
func CommitMessage(subject, body string) string {
	subject = Line(subject, MaxSubject)
	if subject == "" {
		subject = "fix"
	}
	var b strings.Builder
	blank := false
	for _, l := range strings.Split(body, "\n") {
		l = Line(l, 0)
		l = strings.TrimSpace(leadTrailer.ReplaceAllString(l, "${1} "))
		if l == "" {
			blank = true
			continue
		}
		if b.Len() > 0 && blank {
			b.WriteByte('\n')
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
		blank = false
	}
	if b.Len() == 0 {
		return subject
	}
	return subject + "\n\n" + b.String()
}

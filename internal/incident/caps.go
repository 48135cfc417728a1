package incident

import "unicode/utf8"

// Caps bound what one incident may hold, so that a hostile or broken event
// cannot blow up a prompt, a PR body or memory. Parse cuts, it never fails,
// when a value is over a cap.
const (
	// MaxMessageBytes caps Incident.Message and every Exception.Message.
	MaxMessageBytes = 8 << 10
	// MaxStringBytes caps every other string.
	MaxStringBytes = 1 << 10
	// MaxFrames caps the frames of one exception; the crash end is kept.
	MaxFrames = 256
	// MaxChain caps Incident.Chain; the deepest causes are kept.
	MaxChain = 16
	// MaxInputBytes is the input size callers should read at most (with
	// io.LimitReader) before calling Parse or ParseDispatch, which do not
	// limit their input themselves. Sentry caps events well below it.
	// Parsing holds the decoded JSON tree while it reads, up to about 40
	// times the input for hostile shapes (millions of empty frames).
	MaxInputBytes = 10 << 20
)

// truncMark ends a string that was cut.
const truncMark = "…[truncated]"

// capString cuts s to at most n bytes on a rune boundary, marking the cut.
func capString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= len(truncMark) {
		return cutRunes(s, n)
	}
	return cutRunes(s, n-len(truncMark)) + truncMark
}

// cutRunes returns the longest prefix of s of at most n bytes that does not
// split a rune.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// clean redacts s and caps it at n bytes. Values over 8n bytes are cut before
// redaction so that redaction stays cheap. A token split by that first cut
// could only reach the result if redaction shrank the 8n bytes before it
// below n; a private key block split by the cut is redacted to the end.
func clean(s string, n int) string {
	if len(s) > 8*n {
		s = cutRunes(s, 8*n)
	}
	return capString(Redact(s), n)
}

// capFrames keeps the last MaxFrames frames: the crash end.
func capFrames(fs []Frame) []Frame {
	if len(fs) <= MaxFrames {
		return fs
	}
	return append([]Frame(nil), fs[len(fs)-MaxFrames:]...)
}

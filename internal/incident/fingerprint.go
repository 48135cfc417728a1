package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// Fingerprint identifies the class of an error, hex-encoded SHA-256. It
// hashes the language, the exception type and the module and function of
// the in-app frames, outermost first, with Go closure numbering, other
// anonymous numbering and +0x offsets normalised away; line numbers and the
// message are left out, so the same bug firing again after an unrelated
// edit keeps its fingerprint. Without in-app frames all frames count;
// without frames the message counts, with numbers, hex ids, UUIDs, quoted
// strings and emails normalised away.
func Fingerprint(inc *Incident) string {
	h := sha256.New()
	write := func(kind, s string) {
		h.Write([]byte(kind + "\x00" + s + "\n"))
	}
	write("language", string(inc.Language))
	write("type", inc.Type)
	fs := fingerprintFrames(inc.Frames)
	for _, f := range fs {
		write("frame", f.Module+"\x00"+f.Function)
	}
	if len(fs) == 0 {
		write("message", normalizeMessage(inc.Message))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fingerprintFrames returns the frames that define the class, with their
// function names normalised.
func fingerprintFrames(frames []Frame) []Frame {
	norm := make([]Frame, len(frames))
	for i, f := range frames {
		fn := f.Function
		// Go 1.21+ names a closure after its enclosing function; the Go SDK
		// strips that prefix and a raw trace does not. Strip it here.
		if i > 0 && frames[i-1].Function != "" && strings.HasPrefix(fn, frames[i-1].Function+".") {
			fn = fn[len(frames[i-1].Function)+1:]
		}
		norm[i] = Frame{Module: normalizeName(f.Module), Function: normalizeName(fn), InApp: f.InApp}
	}
	var inApp []Frame
	for _, f := range norm {
		if f.InApp {
			inApp = append(inApp, f)
		}
	}
	if len(inApp) > 0 {
		return inApp
	}
	return norm
}

// nameNumbering matches the numbering of anonymous functions: Go closures
// (func1, func1.2, gowrap1, deferwrap1, glob..func3), Java lambdas and
// synthetic classes ($1, lambda$main$0, Lambda7), .NET closures (b__0_1,
// <>c__DisplayClass2_0), and PC offsets (+0x1d).
var nameNumbering = []struct {
	re   *regexp.Regexp
	repl string
	// hints are substrings of which every match holds one.
	hints []string
}{
	{regexp.MustCompile(`\+0x[0-9a-fA-F]+`), "", []string{"+0x"}},
	{regexp.MustCompile(`\b(func|gowrap|deferwrap)\d+(?:\.\d+)*`), "${1}N", []string{"func", "wrap"}},
	{regexp.MustCompile(`\$\d+`), "$$N", []string{"$"}},
	{regexp.MustCompile(`(Lambda|b__|DisplayClass)\d+(?:_\d+)*`), "${1}N", []string{"Lambda", "b__", "DisplayClass"}},
}

// normalizeName removes anonymous-function numbering from a module or
// function name.
func normalizeName(s string) string {
	for _, n := range nameNumbering {
		if containsAny(s, n.hints) {
			s = n.re.ReplaceAllString(s, n.repl)
		}
	}
	return s
}

// messageVariables match the parts of a message that change between
// occurrences of the same error, in the order they are replaced.
var messageVariables = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`), "<uuid>"},
	{regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`), "<email>"},
	{regexp.MustCompile("\"[^\"]*\"|'[^']*'|`[^`]*`"), "<str>"},
	{regexp.MustCompile(`(?i)\b0x[0-9a-f]+\b|\b[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*\b|\b[0-9a-f]*[a-f][0-9a-f]*[0-9][0-9a-f]*\b`), "<hex>"},
	{regexp.MustCompile(`\d+(?:\.\d+)*`), "<n>"},
}

// normalizeMessage replaces the variable parts of a message.
func normalizeMessage(s string) string {
	for _, v := range messageVariables {
		s = v.re.ReplaceAllString(s, v.repl)
	}
	return strings.TrimSpace(s)
}

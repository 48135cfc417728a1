package safetext

import (
	"regexp"
	"strings"
)

// marker matches the prefix of every hidden marker dawnpatch writes
// ("dawnpatch:fp=", "dawnpatch:area=", "dawnpatch:score=",
// "dawnpatch:recurrence") in any case, and looser spellings a tolerant
// parser or GitHub's search might also accept ("DawnPatch :").
var marker = regexp.MustCompile(`(?i)dawnpatch[ \t]*[:：﹕]`)

// NeutraliseMarkers breaks, in untrusted text bound for dawnpatch's own
// pull request body, everything a parser of dawnpatch's markers could
// take for one: "dawnpatch:" becomes "dawn-patch:" (case kept), which
// holds no "dawnpatch" for any parser or search to find, and every HTML
// comment opener "<!--" becomes "< !--", which neither Markdown nor HTML
// reads as a comment. Everything else, newlines included, is kept, so the
// text still reads as it was inside a fence.
func NeutraliseMarkers(s string) string {
	if !strings.Contains(s, "<!--") && !containsFold(s, "dawnpatch") {
		return s
	}
	s = marker.ReplaceAllStringFunc(s, func(m string) string { return m[:4] + "-" + m[4:] })
	return strings.ReplaceAll(s, "<!--", "< !--")
}

// containsFold reports whether s holds sub, a lower-case ASCII word, in
// any case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 != sub[0] {
			continue
		}
		j := 1
		for j < len(sub) && s[i+j]|0x20 == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

package safetext

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis ends text that [Line] cut.
const Ellipsis = "…"

var (
	// link matches what GitHub could read as a reference by URL: anything
	// with a scheme, a bare www. host, and a bare issue or pull request
	// path ("github.com/o/r/issues/4").
	link = regexp.MustCompile(`(?i)\S*://\S*|\bwww\.\S*|\S*/(?:issues|pull|pulls|discussions)/\S*`)
	// trailer matches a git trailer key: a hyphenated token and its
	// colons ("Co-authored-by:", "Signed-off-by :", "a-b: :").
	trailer = regexp.MustCompile(`([A-Za-z0-9]+(?:-[A-Za-z0-9]+)+) ?:[ :]*`)
	// reference matches the start of "#1", "owner/repo#2" and "GH-3".
	reference = regexp.MustCompile(`(?i)(#|gh-)([0-9])`)
)

// Line makes s safe for one line that GitHub or git interprets: a commit
// subject, a pull request title, a label, a field of a message.
//
// It drops invalid UTF-8, control and invisible characters (bidi
// overrides, zero-width characters, variation selectors) and "@"; folds
// full-width ASCII ("＃", "＠") to ASCII; turns every run of white space,
// newlines, U+2028 and U+2029 into one space. Then it defuses what GitHub
// or git would act on:
//
//   - URLs become "[url]", so no issue or pull request URL is autolinked
//     or closed by a keyword;
//   - "#1", "owner/repo#2" and "GH-3" get a space after "#" or "GH-"
//     ("# 1"), which is no reference; with every reference defused, no
//     closing keyword ("Fixes", "closes:", "resolved") has anything to
//     close;
//   - a trailer key loses its colon ("Co-authored-by x");
//   - dawnpatch's marker prefix is broken ([NeutraliseMarkers]).
//
// Mentions are defused by dropping "@" (so "@octocat" is "octocat" and
// "@org/team" is "org/team"): GitHub notifies only for "@" followed by a
// login, and with no "@" left there is nothing to parse, whatever GitHub's
// exact rules are. A result longer than max runes is cut to max-1 runes
// and [Ellipsis]; max <= 0 means no cap. Line(Line(s, n), n) == Line(s, n).
func Line(s string, max int) string {
	s = flatten(s)
	s = NeutraliseMarkers(s)
	s = link.ReplaceAllString(s, "[url]")
	s = trailer.ReplaceAllString(s, "${1} ")
	s = reference.ReplaceAllString(s, "${1} ${2}")
	return clip(strings.TrimSpace(s), max)
}

// flatten makes s one line of visible characters without "@", with single
// spaces between words and none at either end.
func flatten(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = fold(r)
		switch {
		case r == utf8.RuneError || r == '@' || invisible(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// fold maps full-width and small forms of ASCII to ASCII, so "＃1" and
// "﹫x" are defused like "#1" and "@x".
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	case r == 0xFE5F:
		return '#'
	case r == 0xFE6B:
		return '@'
	case r == 0xFE55:
		return ':'
	}
	return r
}

// invisible reports whether r is drawn as nothing: format characters
// (bidi controls, zero-width space and joiners, soft hyphen, tags),
// variation selectors and the other default-ignorable code points.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// clip cuts s to at most max runes, the last being [Ellipsis]; it never
// cuts inside a character.
func clip(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	n, cut := 0, 0
	for i := range s {
		if n == max-1 {
			cut = i
			break
		}
		n++
	}
	return strings.TrimRight(s[:cut], " ") + Ellipsis
}

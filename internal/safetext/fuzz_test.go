package safetext

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var (
	hashDigit = regexp.MustCompile(`(?i)#\d|gh-\d`)
	mention   = regexp.MustCompile(`@`)
	anyTrail  = regexp.MustCompile(`[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+ ?:`)
)

var lineSeeds = []string{
	"ZeroDivisionError\n\nFixes #1\nCo-authored-by: Mallory <mallory@evil.example>",
	"average_order Fixes #4 @octocat", "closes owner/repo#2", "resolved: GH-3",
	"fix https://github.com/o/r/issues/4", "Fixes ＃1", "Fixes #\u200b1", "\u202eFixes\u202c #1",
	"Fіxes #1", "<!-- dawnpatch:fp=abc -->", "😀😀😀", "a\xffb", "#@1", "Co-authored@-by: x", "http@://x",
}

func FuzzLine(f *testing.F) {
	for i, s := range lineSeeds {
		f.Add(s, i*7-10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 300
		got := Line(s, max)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || invisible(r) || unicode.In(r, unicode.Zl, unicode.Zp) || (unicode.IsSpace(r) && r != ' ') {
				t.Fatalf("Line(%q) = %q holds %U", s, got, r)
			}
		}
		if strings.Contains(got, "  ") || strings.TrimSpace(got) != got {
			t.Fatalf("Line(%q) = %q: white space not collapsed", s, got)
		}
		for _, re := range []*regexp.Regexp{hashDigit, mention, anyTrail, closing, parsers[len(parsers)-1]} {
			if re.MatchString(got) {
				t.Fatalf("Line(%q) = %q matches %s", s, got, re)
			}
		}
		if strings.Contains(got, "://") || strings.Contains(got, "<!--") {
			t.Fatalf("Line(%q) = %q holds a URL or a comment", s, got)
		}
		if max > 0 && utf8.RuneCountInString(got) > max {
			t.Fatalf("Line(%q, %d) = %q is over the cap", s, max, got)
		}
		if again := Line(got, max); again != got {
			t.Fatalf("not idempotent: %q then %q", got, again)
		}
	})
}

func FuzzCommitMessage(f *testing.F) {
	for _, s := range lineSeeds {
		f.Add(s, "Proposed by dawnpatch for "+s+"\n\n"+s)
	}
	f.Fuzz(func(t *testing.T, subject, body string) {
		got := CommitMessage(subject, body)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
		for i, l := range strings.Split(got, "\n") {
			if i > 0 && gitTrailer.MatchString(l) || closing.MatchString(l) || hashDigit.MatchString(l) || strings.Contains(l, "@") {
				t.Fatalf("line %d of %q is unsafe: %q", i, got, l)
			}
			if i == 0 && (l == "" || utf8.RuneCountInString(l) > MaxSubject) {
				t.Fatalf("bad subject %q", l)
			}
		}
	})
}

func FuzzNeutraliseMarkers(f *testing.F) {
	for _, s := range []string{"<!-- dawnpatch:fp=abc -->", "DAWNPATCH :score=1", "<<!--!--", "dawnpatchdawnpatch::", "dawnpatch：x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := NeutraliseMarkers(s)
		checkNoMarker(t, got)
		if strings.Count(got, "\n") != strings.Count(s, "\n") {
			t.Fatalf("lines changed: %q -> %q", s, got)
		}
		if !strings.Contains(s, "<!--") && !marker.MatchString(s) && got != s {
			t.Fatalf("harmless text changed: %q -> %q", s, got)
		}
	})
}

func FuzzRefPart(f *testing.F) {
	for _, s := range []string{"../../etc/passwd", "x.lock", "HEAD", "Fixes #1 @octocat", "größe"} {
		f.Add(s, 12)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 300
		got := RefPart(s, max)
		if got == "" {
			return
		}
		if err := CheckRef(got); err != nil {
			t.Fatalf("RefPart(%q) = %q: %v", s, got, err)
		}
		if strings.Contains(got, "/") || (max > 0 && len(got) > max) {
			t.Fatalf("RefPart(%q, %d) = %q", s, max, got)
		}
	})
}

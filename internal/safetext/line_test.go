package safetext

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// closing is GitHub's closing syntax, loosely: a keyword, an optional
// colon, then a reference or a URL.
var closing = regexp.MustCompile(`(?i)\b(close[sd]?|fix(e[sd])?|resolve[sd]?):?\s+(#\d|[\w.-]+/[\w.-]+#\d|gh-\d|\S+://)`)

func TestLine(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{name: "exception type with closing keyword and trailer",
			in:   "ZeroDivisionError\n\nFixes #1\nCo-authored-by: Mallory <mallory@evil.example>",
			want: "ZeroDivisionError Fixes # 1 Co-authored-by Mallory <malloryevil.example>"},
		{name: "function name with keyword and mention",
			in: "average_order Fixes #4 @octocat", want: "average_order Fixes # 4 octocat"},
		{name: "cross-repository reference", in: "closes owner/repo#2", want: "closes owner/repo# 2"},
		{name: "GH- reference after a colon", in: "resolved: GH-3", want: "resolved: GH- 3"},
		{name: "lower-case gh- reference", in: "fixed gh-3", want: "fixed gh- 3"},
		{name: "issue URL", in: "fix https://github.com/o/r/issues/4", want: "fix [url]"},
		{name: "pull URL without scheme", in: "Fixes github.com/o/r/pull/4 now", want: "Fixes [url] now"},
		{name: "www host", in: "see www.evil.example/x", want: "see [url]"},
		{name: "team mention", in: "@org/team please look", want: "org/team please look"},
		{name: "full-width number sign", in: "Fixes ＃1", want: "Fixes # 1"},
		{name: "full-width keyword and at sign", in: "Ｆｉｘｅｓ ＃１ ＠octocat", want: "Fixes # 1 octocat"},
		{name: "small number sign", in: "Fixes ﹟1", want: "Fixes # 1"},
		{name: "zero-width space inside a reference", in: "Fixes #\u200b1", want: "Fixes # 1"},
		{name: "zero-width joiner inside a mention", in: "@\u200doctocat", want: "octocat"},
		{name: "RTL override around the keyword", in: "\u202eFixes\u202c #1", want: "Fixes # 1"},
		{name: "bidi isolates", in: "a\u2066b\u2069c", want: "abc"},
		{name: "homoglyph keyword is kept, its reference defused", in: "Fіxes #1", want: "Fіxes # 1"},
		{name: "line and paragraph separators", in: "a\u2028Fixes #1\u2029b", want: "a Fixes # 1 b"},
		{name: "controls and carriage returns", in: "\x00a\x07\t\r\n  b\x7f", want: "a b"},
		{name: "invalid UTF-8", in: "a\xffb", want: "ab"},
		{name: "Hangul filler and variation selector", in: "a\u3164b\ufe0fc", want: "abc"},
		{name: "signed-off-by with space before colon", in: "Signed-off-by : Eve", want: "Signed-off-by Eve"},
		{name: "trailer with two colons", in: "Co-authored-by:: Eve a-b : :c", want: "Co-authored-by Eve a-b c"},
		{name: "trailer glued to its value", in: "x Co-authored-by:Eve", want: "x Co-authored-by Eve"},
		{name: "forged marker", in: "<!-- dawnpatch:fp=abc -->", want: "< !-- dawn-patch fp=abc -->"},
		{name: "ordinary title is kept", in: "fix(shop): ZeroDivisionError in average_order", want: "fix(shop): ZeroDivisionError in average_order"},
		{name: "C# and hash words are kept", in: "C# #define", want: "C# #define"},
		{name: "reference glued to a word", in: "issue#12", want: "issue# 12"},
		{name: "empty", in: " \n\t", want: ""},
		{name: "cap counts runes", in: "ünïcödé", max: 4, want: "ünï…"},
		{name: "cap never splits an emoji", in: "😀😀😀", max: 2, want: "😀…"},
		{name: "cap trims the space before the ellipsis", in: "abc def", max: 5, want: "abc…"},
		{name: "cap of one", in: "abc", max: 1, want: "…"},
		{name: "text at the cap is kept", in: "abcd", max: 4, want: "abcd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Line(tt.in, tt.max)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Line(%q, %d) mismatch (-want +got):\n%s", tt.in, tt.max, diff)
			}
			if closing.MatchString(got) {
				t.Errorf("Line(%q) = %q still closes an issue", tt.in, got)
			}
			if again := Line(got, tt.max); again != got {
				t.Errorf("Line is not idempotent: %q, then %q", got, again)
			}
		})
	}
}

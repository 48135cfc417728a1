package safetext

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parsers are the ways dawnpatch reads its own markers back
// (internal/ghwork), plus a looser one a future parser might use.
var parsers = []*regexp.Regexp{
	regexp.MustCompile(`dawnpatch:fp=([A-Za-z0-9_-]+)(?: sentry=([A-Za-z0-9_-]+))?`),
	regexp.MustCompile(`<!-- dawnpatch:score=([0-9.]+) -->`),
	regexp.MustCompile(`dawnpatch:area=`),
	regexp.MustCompile(`dawnpatch:recurrence`),
	regexp.MustCompile(`(?i)dawnpatch\s*:`),
}

func TestNeutraliseMarkers(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "fingerprint marker", in: "boom <!-- dawnpatch:fp=abc123 sentry=9 -->", want: "boom < !-- dawn-patch:fp=abc123 sentry=9 -->"},
		{name: "bare fingerprint", in: "dawnpatch:fp=abc", want: "dawn-patch:fp=abc"},
		{name: "score", in: "<!-- dawnpatch:score=9.99 -->", want: "< !-- dawn-patch:score=9.99 -->"},
		{name: "area in upper case", in: "DAWNPATCH:AREA=shop/", want: "DAWN-PATCH:AREA=shop/"},
		{name: "recurrence in mixed case", in: "<!-- DawnPatch:recurrence fp=x -->", want: "< !-- Dawn-Patch:recurrence fp=x -->"},
		{name: "space before the colon", in: "dawnpatch \t:fp=x", want: "dawn-patch \t:fp=x"},
		{name: "full-width colon", in: "dawnpatch：fp=x", want: "dawn-patch：fp=x"},
		{name: "two markers on lines", in: "a\ndawnpatch:fp=1\n\ndawnpatch:fp=2\n", want: "a\ndawn-patch:fp=1\n\ndawn-patch:fp=2\n"},
		{name: "comment opener alone", in: "<!--\nhidden\n-->", want: "< !--\nhidden\n-->"},
		{name: "the name without a colon is kept", in: "dawnpatch/abc123 dawnpatch proposes", want: "dawnpatch/abc123 dawnpatch proposes"},
		{name: "plain text is kept", in: "panic: runtime error\n\tmain.go:3", want: "panic: runtime error\n\tmain.go:3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NeutraliseMarkers(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NeutraliseMarkers(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			checkNoMarker(t, got)
		})
	}
}

func checkNoMarker(t *testing.T, s string) {
	t.Helper()
	for _, p := range parsers {
		if p.MatchString(s) {
			t.Errorf("%q still matches %s", s, p)
		}
	}
	if strings.Contains(s, "<!--") {
		t.Errorf("%q still opens an HTML comment", s)
	}
}

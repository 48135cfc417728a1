package safetext

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// gitTrailer is what git interpret-trailers takes for a trailer line.
var gitTrailer = regexp.MustCompile(`^[A-Za-z0-9-]+\s*:`)

func TestCommitMessage(t *testing.T) {
	tests := []struct {
		name          string
		subject, body string
		want          string
	}{
		{
			name:    "hostile exception type in subject and body",
			subject: "fix(shop): ZeroDivisionError\n\nFixes #1\nCo-authored-by: Eve <eve@evil.example> in average_order",
			body:    "Proposed by dawnpatch for ZeroDivisionError\n\nFixes #1\nCo-authored-by: Eve <eve@evil.example>\n(Sentry issue 42).",
			want: "fix(shop): ZeroDivisionError Fixes # 1 Co-authored-by Eve <eveevil.example> in average_order\n\n" +
				"Proposed by dawnpatch for ZeroDivisionError\n\nFixes # 1\nCo-authored-by Eve <eveevil.example>\n(Sentry issue 42).",
		},
		{
			name:    "unhyphenated trailer shapes at line starts",
			subject: "fix: x",
			body:    "ValueError: bad\nCc: eve\nnot: at start? yes it is\nkept: no, this: is kept",
			want:    "fix: x\n\nValueError bad\nCc eve\nnot at start? yes it is\nkept no, this: is kept",
		},
		{
			name:    "blank lines collapse, surrounding ones go",
			subject: "s", body: "\n\n a \r\n\n\n\u2028\nb\n\n",
			want: "s\n\na\n\nb",
		},
		{name: "a colon left after the first (fuzz)", subject: "0", body: "00::", want: "0\n\n00"},
		{name: "empty subject and body", want: "fix"},
		{
			name:    "long subject is capped",
			subject: strings.Repeat("x", MaxSubject+10),
			want:    strings.Repeat("x", MaxSubject-1) + Ellipsis,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CommitMessage(tt.subject, tt.body)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CommitMessage mismatch (-want +got):\n%s", diff)
			}
			checkMessage(t, got)
		})
	}
}

// checkMessage fails when a line of msg is a trailer, closes an issue or
// mentions someone.
func checkMessage(t *testing.T, msg string) {
	t.Helper()
	for i, l := range strings.Split(msg, "\n") {
		if i > 0 && gitTrailer.MatchString(l) {
			t.Errorf("line %d is a trailer: %q", i, l)
		}
		if closing.MatchString(l) || strings.Contains(l, "@") {
			t.Errorf("line %d closes an issue or mentions: %q", i, l)
		}
	}
}

func ExampleCommitMessage() {
	typ := "ZeroDivisionError\n\nFixes #1\nCo-authored-by: Eve <eve@evil.example>" // from the event
	title := fmt.Sprintf("fix(shop): %s in %s", Line(typ, 40), Line("average_order @octocat", 40))
	fmt.Println(CommitMessage(title, "Proposed by dawnpatch for "+Line(typ, 80)+" (Sentry issue "+Line("42", 20)+")."))
	// Output:
	// fix(shop): ZeroDivisionError Fixes # 1 Co-authored… in average_order octocat
	//
	// Proposed by dawnpatch for ZeroDivisionError Fixes # 1 Co-authored-by Eve <eveevil.example> (Sentry issue 42).
}

package report

import (
	"bytes"
	"strings"
	"testing"
)

// unescapeData undoes go-githubactions' escaping of command data, as the
// runner does before it shows an annotation.
func unescapeData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(s)
}

func TestNoticeCannotInjectWorkflowCommands(t *testing.T) {
	const secret = "sk-noticecanary0123456789"
	detail := "no frame in this repository\n::error::pwned\r\n::add-mask::x %0A::warning::encoded " + secret
	var stdout bytes.Buffer
	r := New(&stdout, func(string) string { return "" })
	r.Mask(secret)
	stdout.Reset()
	r.Notice("dawnpatch: skipped (no-in-app-code)", "No frame maps here.\n"+detail)

	out := stdout.String()
	if got := strings.Count(out, "\n"); got != 1 {
		t.Fatalf("the notice spans %d lines, want 1:\n%s", got, out)
	}
	const head = "::notice title=dawnpatch%3A skipped (no-in-app-code)::"
	if !strings.HasPrefix(out, head) {
		t.Fatalf("stdout = %q, want prefix %q", out, head)
	}
	data := strings.TrimSuffix(strings.TrimPrefix(out, head), "\n")
	for _, bad := range []string{"\n", "\r", "%0A::warning"} {
		if strings.Contains(data, bad) {
			t.Errorf("the message carries %q unescaped: %q", bad, data)
		}
	}
	if !strings.Contains(data, "%0A::error::pwned%0D%0A::add-mask::x %250A::warning::encoded") {
		t.Errorf("the message is not escaped as command data: %q", data)
	}
	if got := unescapeData(data); !strings.Contains(got, "\n::error::pwned\r\n::add-mask::x %0A::warning::encoded") {
		t.Errorf("the runner would show %q; the detail was lost", got)
	}
	if strings.Contains(out, secret) {
		t.Errorf("the notice holds a masked secret: %q", out)
	}
}

func TestNoticeTitleIsEscapedAsAProperty(t *testing.T) {
	var stdout bytes.Buffer
	r := New(&stdout, func(string) string { return "" })
	r.Notice("a:b,c\n::error::x", "m")
	if got, want := stdout.String(), "::notice title=a%3Ab%2Cc%0A%3A%3Aerror%3A%3Ax::m\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
}

package safetext

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var goodRefs = []string{"dawnpatch/0123456789ab", "feature/x_y-z", "a.b/c", "A", "v1.2.3"}

func TestCheckRef(t *testing.T) {
	bad := []string{
		"", "/a", "a/", "a//b", ".a", "a/.b", "a..b", "a.lock", "a/b.lock/c", "a.", "HEAD", "-a", "a/-b",
		"a b", "a~1", "a^", "a:b", "a?", "a*", "a[", `a\b`, "a@{1}", "@", "é", "a\x00", "a\n", strings.Repeat("a", 201),
	}
	for _, name := range goodRefs {
		if err := CheckRef(name); err != nil {
			t.Errorf("CheckRef(%q) = %v, want nil", name, err)
		}
	}
	for _, name := range bad {
		if err := CheckRef(name); err == nil {
			t.Errorf("CheckRef(%q) = nil, want an error", name)
		}
	}
}

// TestCheckRefAgreesWithGit runs git on what CheckRef accepts: git must
// accept it too.
func TestCheckRefAgreesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	for _, name := range append(goodRefs, RefPart("../../Fixes #1 @octocat.lock", 0), RefPart("-HEAD-", 0)) {
		if out, err := exec.Command("git", "check-ref-format", "--branch", name).CombinedOutput(); err != nil {
			t.Errorf("git refuses %q, which CheckRef accepts: %v %s", name, err, out)
		}
	}
}

func TestRefPart(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{name: "title", in: "ZeroDivisionError in average_order", want: "zerodivisionerror-in-average_order"},
		{name: "path traversal", in: "../../etc/passwd", want: "etc-passwd"},
		{name: "lock suffix", in: "x.lock", want: "x-lock"},
		{name: "hostile", in: "Fixes #1 @octocat\n~^:?*[\\", want: "fixes-1-octocat"},
		{name: "HEAD", in: "HEAD", want: "head"},
		{name: "nothing usable", in: "--..//", want: ""},
		{name: "cap drops a trailing dash", in: "abc def", max: 4, want: "abc"},
		{name: "unicode", in: "größe ünit", want: "gr-e-nit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RefPart(tt.in, tt.max)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("RefPart(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if got != "" && CheckRef(got) != nil {
				t.Errorf("RefPart(%q) = %q, which CheckRef refuses: %v", tt.in, got, CheckRef(got))
			}
		})
	}
}

package lang

import "testing"

func TestFromPlatform(t *testing.T) {
	for _, tt := range []struct {
		platform, sdk string
		want          Language
	}{
		{"go", "", Go}, {"node", "", JavaScript}, {"Python", "", Python}, {"dotnet", "", CSharp},
		{"other", "sentry.javascript.node", JavaScript}, {"", "sentry.go", Go}, {"", "raven-js", ""}, {"cobol", "", ""},
	} {
		if got := FromPlatform(tt.platform, tt.sdk); got != tt.want {
			t.Errorf("FromPlatform(%q, %q) = %q, want %q", tt.platform, tt.sdk, got, tt.want)
		}
	}
}

func TestFromPath(t *testing.T) {
	for name, want := range map[string]Language{
		"a/b.go": Go, "x.py": Python, "src/a.TS": JavaScript, "a.tsx": JavaScript, "m.mjs": JavaScript,
		"A.java": Java, "x.kt": Java, "a.rb": Ruby, "i.php": PHP, "P.cs": CSharp, "lib/a.ex": Elixir, "README": "",
	} {
		if got := FromPath(name); got != want {
			t.Errorf("FromPath(%q) = %q, want %q", name, got, want)
		}
	}
	if !Go.Tested() || Java.Tested() {
		t.Error("Tested: Go must be tested, Java not")
	}
}

package secret

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScrub registers one secret, hides it in text in several encodings
// after a prefix of any length, and checks that no form of it survives.
func FuzzScrub(f *testing.F) {
	f.Add(ghToken, "log: ", "x-access-token:", uint8(0))
	f.Add(odd, "{\"v\":\"", "\"}", uint8(1))
	f.Add("aaaaaaaa", "aaa", "a***a", uint8(2))
	f.Add("a***bcdefgh", "a***bc", "defgh***", uint8(3))
	f.Add("line one long\nline two long", "", "", uint8(4))
	f.Fuzz(func(t *testing.T, secret, around, prefix string, how uint8) {
		set := New(secret)
		if len(set.Values()) == 0 {
			return
		}
		enc := []func(string) string{
			func(s string) string { return s },
			func(s string) string { return base64.StdEncoding.EncodeToString([]byte(prefix + s)) },
			func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(prefix + s + around)) },
			url.QueryEscape, url.PathEscape,
		}[how%5]
		text := around + enc(secret) + prefix + secret + around
		got := set.Scrub(text)
		for _, v := range set.Values() {
			for _, fm := range forms(v) {
				if strings.Contains(got, fm.text) {
					t.Fatalf("Scrub(%q) = %q still holds %q", text, got, fm.text)
				}
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Fatalf("Scrub(%q) = %q is not valid UTF-8", text, got)
		}
	})
}

// FuzzScrubShapes checks that Scrub without values ends, is idempotent and
// leaves no GitHub token shape.
func FuzzScrubShapes(f *testing.F) {
	f.Add("Authorization: Bearer abc\nextraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46eHh4")
	f.Add("https://u:p@h https://x-access-token:ghs_aBcDeFgHiJkLmNoPqRsT@github.com")
	f.Add("-----BEGIN RSA PRIVATE KEY-----\nabc")
	f.Fuzz(func(t *testing.T, text string) {
		set := New()
		got := set.Scrub(text)
		if again := set.Scrub(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", text, got, again)
		}
		if githubToken.MatchString(got) {
			t.Fatalf("Scrub(%q) = %q holds a token", text, got)
		}
	})
}

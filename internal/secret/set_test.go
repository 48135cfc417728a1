package secret

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Realistic-looking values; none is a real credential.
const (
	ghToken   = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
	modelKey  = "sk-proj-Zx81Qw0pLm3Nb7Vc2Xz9Ka4Sd6Fg5Hj"
	odd       = `p@ss/w:rd+ÿ&="q"<x>\`
	jwtLike   = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJydW5uZXIiLCJpYXQiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLW9mLWEtcnVubmVyLXRva2VuLXRoYXQtaXMtbG9uZw"
	shortWord = "sevenCh"
)

func TestScrubEncodedForms(t *testing.T) {
	b64 := func(enc *base64.Encoding, s string) string { return enc.EncodeToString([]byte(s)) }
	set := New(ghToken, modelKey, odd, jwtLike, shortWord)
	tests := []struct {
		name, in, want string
	}{
		{name: "raw", in: "token " + ghToken + " used", want: "token *** used"},
		{name: "base64 std", in: "b=" + b64(base64.StdEncoding, modelKey) + ";", want: "b=***;"},
		{name: "base64 raw url", in: "b=" + b64(base64.RawURLEncoding, odd) + ";", want: "b=***;"},
		{name: "query escape", in: "?k=" + url.QueryEscape(odd) + "&x=1", want: "?k=***&x=1"},
		{name: "path escape", in: "/v1/" + url.PathEscape(odd) + "/x", want: "/v1/***/x"},
		{name: "lower-case percent escapes", in: "?k=" + strings.ToLower(url.QueryEscape(odd)), want: "?k=***"},
		{name: "userinfo", in: (&url.URL{Scheme: "https", User: url.UserPassword("me", odd), Host: "h"}).String(), want: "https://me:***@h"},
		{name: "hex lower", in: "0x" + hex.EncodeToString([]byte(ghToken)), want: "0x***"},
		{name: "hex upper", in: strings.ToUpper(hex.EncodeToString([]byte(modelKey))), want: "***"},
		{name: "JSON escaped", in: `{"v":"p@ss/w:rd+ÿ\u0026=\"q\"\u003cx\u003e\\"}`, want: `{"v":"***"}`},
		{name: "JSON escaped without HTML escaping", in: `{"v":"p@ss/w:rd+ÿ&=\"q\"<x>\\"}`, want: `{"v":"***"}`},
		{name: "JSON escaped slash", in: `{"v":"p@ss\/w:rd+ÿ\u0026=\"q\"\u003cx\u003e\\"}`, want: `{"v":"***"}`},
		{name: "x-access-token", in: "x-access-token:" + ghToken + "@github.com", want: "x-access-token:***@github.com"},
		{name: "two secrets touching", in: ghToken + modelKey, want: "***"},
		{name: "tail of a long token cut by a log", in: "… cut …\n" + jwtLike[len(jwtLike)-40:] + "\n", want: "… cut …\n***\n"},
		{name: "short fragment is kept", in: jwtLike[:20], want: jwtLike[:20]},
		{name: "short value is ignored", in: "a sevenCh word", want: "a sevenCh word"},
		{name: "nothing secret", in: "ok  \tgithub.com/acme/shop\t0.012s", want: "ok  \tgithub.com/acme/shop\t0.012s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := set.Scrub(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Scrub(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if again := set.Scrub(got); again != got {
				t.Errorf("Scrub is not idempotent: %q, then %q", got, again)
			}
		})
	}
}

// TestScrubBase64AtEveryOffset encodes "x-access-token:<token>" (and the
// token between other bytes) after prefixes of every length, in every
// base64 variant, and decodes what Scrub leaves: no 4 bytes of the token
// may come back.
func TestScrubBase64AtEveryOffset(t *testing.T) {
	set := New(ghToken)
	encs := map[string]*base64.Encoding{"std": base64.StdEncoding, "url": base64.URLEncoding, "raw-std": base64.RawStdEncoding, "raw-url": base64.RawURLEncoding}
	for name, enc := range encs {
		for n := range 6 {
			prefix := "\x00\xff\xfe\x10\x7f"[:n]
			for _, data := range []string{prefix + "x-access-token:" + ghToken, prefix + ghToken + "\xfb\xff tail", prefix + ghToken} {
				in := "AUTH " + enc.EncodeToString([]byte(data)) + " end"
				got := set.Scrub(in)
				if leak := base64Leak(got, ghToken); leak != "" {
					t.Errorf("%s, offset %d: Scrub(%q) = %q: decodes to %q", name, n, in, got, leak)
				}
				if !strings.Contains(got, Mask) {
					t.Errorf("%s, offset %d: nothing redacted in %q", name, n, got)
				}
			}
		}
	}
}

var base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]+`)

// base64Leak decodes every base64 run in s at every character offset and
// returns a 4-byte piece of secret found in the bytes, or "".
func base64Leak(s, secret string) string {
	for _, run := range base64Run.FindAllString(s, -1) {
		for shift := range 4 {
			if shift >= len(run) {
				break
			}
			r := run[shift:]
			r = r[:len(r)/4*4]
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				b, err := enc.DecodeString(r)
				if err != nil {
					continue
				}
				for i := 0; i+4 <= len(secret); i++ {
					if strings.Contains(string(b), secret[i:i+4]) {
						return secret[i : i+4]
					}
				}
			}
		}
	}
	return ""
}

func TestShortValuesAreIgnored(t *testing.T) {
	set := New("", "   ", "1234567", " 12345678 \n", "line-one-long\nab\n")
	if diff := cmp.Diff([]string{"12345678", "line-one-long\nab", "line-one-long"}, set.Values()); diff != "" {
		t.Errorf("Values mismatch (-want +got):\n%s", diff)
	}
	if got, want := set.Scrub("1234567 12345678 ab"), "1234567 *** ab"; got != want {
		t.Errorf("Scrub = %q, want %q", got, want)
	}
}

func TestNilAndEmptySetsScrubShapes(t *testing.T) {
	var nilSet *Set
	for _, s := range []*Set{nilSet, {}, New()} {
		if got, want := s.Scrub("token "+ghToken), "token ***"; got != want {
			t.Errorf("Scrub = %q, want %q", got, want)
		}
	}
}

func TestAddWhileScrubbing(t *testing.T) {
	set := New(ghToken)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			set.Add(strings.Repeat(string(rune('a'+i)), 12))
			if got := set.Scrub(modelKey + " " + ghToken); strings.Contains(got, ghToken) {
				t.Errorf("leak: %q", got)
			}
		}()
	}
	wg.Wait()
	if n := len(set.Values()); n != 9 {
		t.Errorf("%d values, want 9", n)
	}
}

func TestHolds(t *testing.T) {
	set := New(ghToken)
	tests := []struct {
		name, text string
		want       bool
	}{
		{name: "raw in a diff", text: "+\tconst token = \"" + ghToken + "\"", want: true},
		{name: "base64", text: base64.StdEncoding.EncodeToString([]byte("x-access-token:" + ghToken)), want: true},
		{name: "shape of another token does not count", text: "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"},
		{name: "clean", text: "+\treturn total / max(1, n)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := set.Holds(tt.text); got != tt.want {
				t.Errorf("Holds(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
	var nilSet *Set
	if nilSet.Holds(ghToken) {
		t.Error("a nil Set holds nothing")
	}
}

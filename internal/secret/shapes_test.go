package secret

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScrubShapes(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "git extraheader as git config -l prints it",
			in:   "http.https://github.com/.extraheader=AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3h4eA==\ncore.bare=false",
			want: "http.https://github.com/.extraheader=***\ncore.bare=false"},
		{name: "extraheader on a git command line",
			in: `git -c "http.extraheader=AUTHORIZATION: bearer abc.def.ghi" fetch`, want: `git -c "http.extraheader=***`},
		{name: "authorization header keeps its scheme",
			in: "> Authorization: Bearer eyJhbGciOi.J9x\n> Accept: */*", want: "> Authorization: Bearer ***\n> Accept: */*"},
		{name: "authorization without a scheme",
			in: "authorization=tok_live_12345678 other", want: "authorization=***"},
		{name: "authorization in JSON",
			in: `{"Authorization": "token gho_short", "Accept": "json"}`, want: `{"Authorization": "token ***", "Accept": "json"}`},
		{name: "proxy authorization, unknown scheme",
			in: "Proxy-Authorization: Custom abc123 rest", want: "Proxy-Authorization: ***"},
		{name: "x-access-token base64 without its label",
			in: "blob eC1hY2Nlc3MtdG9rZW46Z2hzX0FCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFla== done", want: "blob *** done"},
		{name: "x-access-token in a clone URL",
			in: "Cloning https://x-access-token:v1.abcdef0123@github.com/acme/shop", want: "Cloning https://x-access-token:***@github.com/acme/shop"},
		{name: "x-access-token without @", in: "user x-access-token:secretvalue0 ok", want: "user x-access-token:*** ok"},
		{name: "URL password", in: "postgres://app:hunter2hunter2@db:5432/x", want: "postgres://app:***@db:5432/x"},
		{name: "long token as URL user", in: "https://0123456789abcdef0123@github.com/o/r", want: "https://***@github.com/o/r"},
		{name: "short URL user is kept", in: "ssh://git@github.com/o/r", want: "ssh://git@github.com/o/r"},
		{name: "GitHub token shapes",
			in:   "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 gho_aBcDeFgHiJkLmNoPqRsT ghu_aBcDeFgHiJkLmNoPqRsT ghs_aBcDeFgHiJkLmNoPqRsT ghr_aBcDeFgHiJkLmNoPqRsT github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
			want: "*** *** *** *** *** ***"},
		{name: "RSA private key",
			in:   "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc=\n-----END RSA PRIVATE KEY-----\nafter",
			want: "key:\n***\nafter"},
		{name: "OpenSSH key cut off", in: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", want: "***"},
		{name: "PGP key block", in: "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----", want: "***"},
		{name: "bare bearer value", in: "sent bearer abcDEF123456ghiJKL", want: "sent bearer ***"},
		{name: "words after basic are kept", in: "basic authentication required; a basic test", want: "basic authentication required; a basic test"},
		{name: "prose about authorization is kept", in: "authorization failed for user", want: "authorization failed for user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New().Scrub(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Scrub(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if again := New().Scrub(got); again != got {
				t.Errorf("Scrub is not idempotent: %q, then %q", got, again)
			}
		})
	}
}

func TestAccessTokenB64(t *testing.T) {
	if got := base64.StdEncoding.EncodeToString([]byte("x-access-token:")); got != accessTokenB64 {
		t.Errorf("base64(x-access-token:) = %q, want %q", got, accessTokenB64)
	}
}

// TestScrubCheckoutCredentials scrubs what actions/checkout leaves on a
// runner, as a test might print it, with the token unknown to the Set and
// with it learnt from the files by GitCredentials.
func TestScrubCheckoutCredentials(t *testing.T) {
	for _, name := range []string{"git-config", "git-credentials.config", "git-credentials"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", name+".scrubbed"))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name+"/shapes only", func(t *testing.T) {
			if diff := cmp.Diff(string(want), New().Scrub(string(data))); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
		t.Run(name+"/token learnt", func(t *testing.T) {
			set := New(GitCredentials(string(data))...)
			if !strings.Contains(strings.Join(set.Values(), " "), ghToken) {
				t.Fatalf("GitCredentials did not find the token: %q", set.Values())
			}
			// The token now goes in any encoding, not only in these shapes.
			in := string(data) + "\nprinted " + base64.RawURLEncoding.EncodeToString([]byte("u:"+ghToken)) + " and " + ghToken
			got := set.Scrub(in)
			if strings.Contains(got, ghToken) || base64Leak(got, ghToken) != "" {
				t.Errorf("leak:\n%s", got)
			}
		})
	}
}

func TestGitCredentials(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{name: "basic extraheader", in: "\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3Rlc3R0b2tlbg==",
			want: []string{"eC1hY2Nlc3MtdG9rZW46Z2hzX3Rlc3R0b2tlbg==", "ghs_testtoken"}},
		{name: "bearer extraheader, quoted", in: `extraheader = "Authorization: Bearer abc.def"`, want: []string{"abc.def"}},
		{name: "checkout's placeholder", in: "extraheader = AUTHORIZATION: basic ***", want: []string{"***"}},
		{name: "store lines", in: "https://u:p%40ss@h\n  https://tokenonly@h\n", want: []string{"p@ss", "tokenonly"}},
		{name: "nothing", in: "[core]\n\tbare = false\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, GitCredentials(tt.in)); diff != "" {
				t.Errorf("GitCredentials mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromEnviron(t *testing.T) {
	environ := []string{
		"GITHUB_TOKEN=a", "ACTIONS_RUNTIME_TOKEN=b", "ACTIONS_ID_TOKEN_REQUEST_TOKEN=c", "ACTIONS_ID_TOKEN_REQUEST_URL=https://x",
		"INPUT_GITHUB-TOKEN=d", "INPUT_MODEL-API-KEY=e", "INPUT_SENTRY-TOKEN=f", "INPUT_DRY-RUN=true",
		"STRIPE_SECRET=g", "db_password=h", "TOKEN=i", "AWS_SECRET_ACCESS_KEY=j", "KEYBOARD=k", "MONKEY=l",
		"EMPTY_TOKEN=", "PATH=/usr/bin", "NOEQUALS_TOKEN", "HOME=/home/runner",
	}
	want := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	if diff := cmp.Diff(want, FromEnviron(environ)); diff != "" {
		t.Errorf("FromEnviron mismatch (-want +got):\n%s", diff)
	}
}

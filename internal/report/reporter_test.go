package report

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMaskAddsRawThenBase64Masks(t *testing.T) {
	var stdout bytes.Buffer
	r := New(&stdout, func(string) string { return "" })
	r.Mask("ghs_canary0123456789abcdefABCDEF", " short ", "two-line-key-aaa\nsecond-line-bbb")
	want := []string{
		"::add-mask::ghs_canary0123456789abcdefABCDEF",
		"::add-mask::short",
		"::add-mask::two-line-key-aaa",
		"::add-mask::second-line-bbb",
		"::add-mask::" + base64.StdEncoding.EncodeToString([]byte("ghs_canary0123456789abcdefABCDEF")),
		"::add-mask::" + base64.StdEncoding.EncodeToString([]byte("two-line-key-aaa\nsecond-line-bbb")),
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(stdout.String()), "\n")); diff != "" {
		t.Errorf("masks mismatch (-want +got):\n%s", diff)
	}
}

func TestEncodedSecretsNeverLeak(t *testing.T) {
	const token = "ghs_canary0123456789abcdefABCDEF"
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, text string
	}{
		{name: "base64 of x-access-token", text: "basic " + b64("x-access-token:"+token)},
		{name: "base64 after one byte", text: "v=" + b64("u"+token)},
		{name: "base64 after two bytes", text: "v=" + b64("us"+token)},
		{name: "URL-encoded", text: "?t=" + url.QueryEscape(token+"/+")},
		{name: "hex", text: hex.EncodeToString([]byte(token))},
		{name: "JSON", text: `{"token":"` + token + `"}`},
		{name: "in a clone URL", text: "https://x-access-token:" + token + "@github.com/o/r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, output, summary := runnerFiles(t)
			var stdout bytes.Buffer
			r := New(&stdout, getenv)
			r.Mask(token)
			stdout.Reset()
			if err := r.SetOutput("reason", tt.text); err != nil {
				t.Fatal(err)
			}
			if err := r.Summary(tt.text); err != nil {
				t.Fatal(err)
			}
			if err := r.Untrusted("test output", tt.text); err != nil {
				t.Fatal(err)
			}
			r.Error(errors.New(tt.text))
			out, _ := os.ReadFile(output)
			sum, _ := os.ReadFile(summary)
			for where, got := range map[string]string{"stdout": stdout.String(), "output": string(out), "summary": string(sum), "Scrub": r.Scrub(tt.text)} {
				if strings.Contains(got, token) || strings.Contains(got, tt.text) {
					t.Errorf("%s holds the secret:\n%s", where, got)
				}
			}
		})
	}
}

// TestCheckoutCredentialsNeverLeak prints what a test printed in the
// security review: .git/config with checkout's extraheader, for a token
// that was never masked.
func TestCheckoutCredentialsNeverLeak(t *testing.T) {
	const token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
	cred := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
	config := "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic " + cred + "\n"
	var stdout bytes.Buffer
	r := New(&stdout, func(string) string { return "" })
	r.Mask("a-different-github-token-input")
	if err := r.Untrusted("test output", "$ cat .git/config\n"+config+"$ echo "+cred); err != nil {
		t.Fatal(err)
	}
	if got := stdout.String(); strings.Contains(got, cred) || strings.Contains(got, token) {
		t.Errorf("the checkout credential leaked:\n%s", got)
	}
}

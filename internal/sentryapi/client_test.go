package sentryapi

import (
	"strings"
	"testing"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name                string
		base, token, org    string
		wantField, wantText string
	}{
		{name: "empty base", base: "", token: testToken, org: "acme", wantField: "sentry-base-url", wantText: "empty"},
		{name: "not http", base: "ftp://sentry.example.com", token: testToken, org: "acme", wantField: "sentry-base-url", wantText: "http or https"},
		{name: "no host", base: "https://", token: testToken, org: "acme", wantField: "sentry-base-url", wantText: "no host"},
		{name: "relative", base: "sentry.io", token: testToken, org: "acme", wantField: "sentry-base-url", wantText: "http or https"},
		{name: "credentials in URL", base: "https://user:" + testToken + "@sentry.io", token: testToken, org: "acme", wantField: "sentry-base-url", wantText: "credentials"},
		{name: "query", base: "https://sentry.io/?x=1", token: testToken, org: "acme", wantField: "sentry-base-url", wantText: "query"},
		{name: "empty token", base: "https://sentry.io", token: "", org: "acme", wantField: "sentry-token", wantText: "empty"},
		{name: "token with newline", base: "https://sentry.io", token: testToken + "\nX-Evil: 1", org: "acme", wantField: "sentry-token", wantText: "control"},
		{name: "empty org", base: "https://sentry.io", token: testToken, org: "", wantField: "sentry-org", wantText: "not an organization"},
		{name: "org with slash", base: "https://sentry.io", token: testToken, org: "acme/../x", wantField: "sentry-org", wantText: "not an organization"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(nil, tt.base, tt.token, tt.org)
			if err == nil {
				t.Fatal("New succeeded, want an error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantField) || !strings.Contains(msg, tt.wantText) {
				t.Errorf("error %q: want it to name %q and say %q", msg, tt.wantField, tt.wantText)
			}
			if strings.Contains(msg, testToken) {
				t.Errorf("error %q contains the token", msg)
			}
		})
	}
}

func TestNewAccepts(t *testing.T) {
	tests := []struct {
		name, base, org, wantURL string
	}{
		{name: "sentry.io", base: "https://sentry.io", org: "acme", wantURL: "https://sentry.io/api/0/organizations/acme/issues/"},
		{name: "trailing slash", base: "https://sentry.io/", org: "acme", wantURL: "https://sentry.io/api/0/organizations/acme/issues/"},
		{name: "self-hosted prefix", base: "http://sentry.internal:9000/sentry/", org: "my_org-2", wantURL: "http://sentry.internal:9000/sentry/api/0/organizations/my_org-2/issues/"},
		{name: "numeric org", base: "https://sentry.io", org: "4505", wantURL: "https://sentry.io/api/0/organizations/4505/issues/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(nil, tt.base, testToken, tt.org)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.endpoint(nil, "issues"); got != tt.wantURL {
				t.Errorf("endpoint = %q, want %q", got, tt.wantURL)
			}
		})
	}
}

func TestValidIssueID(t *testing.T) {
	tests := []struct {
		name string
		id   string
		ok   bool
	}{
		{name: "digits", id: "1341191803", ok: true},
		{name: "short id", id: "PUMP-STATION-1", ok: true},
		{name: "short id base36", id: "PROJ-1A", ok: true},
		{name: "lower-case short id", id: "proj-1a", ok: true},
		{name: "empty", id: ""},
		{name: "slug only", id: "PROJ"},
		{name: "trailing dash", id: "PROJ-"},
		{name: "leading dash", id: "-1A"},
		{name: "negative", id: "-1"},
		{name: "path traversal", id: "../1"},
		{name: "slash", id: "1/2"},
		{name: "escaped dots", id: "%2e%2e"},
		{name: "query", id: "PROJ-1A?x=1"},
		{name: "space", id: "1 2"},
		{name: "newline", id: "1\n"},
		{name: "too many digits", id: strings.Repeat("9", 21)},
		{name: "unicode", id: "PRÖJ-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidIssueID(tt.id)
			if got := err == nil; got != tt.ok {
				t.Errorf("ValidIssueID(%q) = %v, want ok %v", tt.id, err, tt.ok)
			}
		})
	}
}

func TestNextCursor(t *testing.T) {
	const base = "https://sentry.io/api/0/organizations/acme/issues/?limit=100&query=is%3Aunresolved"
	tests := []struct {
		name, header, want string
	}{
		{
			name:   "first page of many",
			header: `<` + base + `&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <` + base + `&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"`,
			want:   "0:100:0",
		},
		{
			name:   "last page",
			header: `<` + base + `&cursor=0:100:1>; rel="previous"; results="true"; cursor="0:100:1", <` + base + `&cursor=0:200:0>; rel="next"; results="false"; cursor="0:200:0"`,
			want:   "",
		},
		{
			name:   "timestamp cursor and no spaces",
			header: `<` + base + `&cursor=1700000000000:0:1>;rel="previous";results="false";cursor="1700000000000:0:1",<` + base + `&cursor=1700000000000:0:0>;rel="next";results="true";cursor="1700000000000:0:0"`,
			want:   "1700000000000:0:0",
		},
		{
			name:   "comma inside the URL",
			header: `<https://sentry.io/x/?query=a,b&cursor=0:1:1>; rel="previous"; results="false"; cursor="0:1:1", <https://sentry.io/x/?query=a,b&cursor=0:2:0>; rel="next"; results="true"; cursor="0:2:0"`,
			want:   "0:2:0",
		},
		{
			name:   "cursor only in the URL",
			header: `<https://sentry.io/x/?cursor=0%3A50%3A0>; rel="next"; results="true"`,
			want:   "0:50:0",
		},
		{name: "no header", header: "", want: ""},
		{name: "garbage", header: `<<>>;;,,"`, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextCursor(tt.header); got != tt.want {
				t.Errorf("nextCursor = %q, want %q", got, tt.want)
			}
		})
	}
}

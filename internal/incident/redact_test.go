package incident_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"github classic token", "token ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz12 leaked", "token [redacted:github-token] leaked"},
		{"github oauth token", "gho_16C7e42F292c6912E7710c838347Ae178B4a", "[redacted:github-token]"},
		{"github user token", "x=ghu_16C7e42F292c6912E7710c838347Ae178B4a;", "x=[redacted:github-token];"},
		{"github app token", "auth ghs_16C7e42F292c6912E7710c838347Ae178B4a", "auth [redacted:github-token]"},
		{"github refresh token", "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498", "[redacted:github-token]"},
		{"github fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW", "[redacted:github-token]"},
		{"openai key", "using sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD", "using [redacted:openai-key]"},
		{"openai project key", "sk-proj-Ab3dEf6hIj9lMn2pQr5tUv8xYz_1-2c3d4e5f6", "[redacted:openai-key]"},
		{"sentry org token", "sntrys_eyJpYXQiOjE2ODQ4NjQ5NjcuNjk4NjQyLCJ1cmwiOiJodHRwczovL3NlbnRyeS5pbyJ9_abc", "[redacted:sentry-token]"},
		{"sentry dsn", "dsn https://e9ebbd88548a441288393c457ec90441@o123.ingest.sentry.io/42", "dsn https://[redacted:sentry-dsn]@o123.ingest.sentry.io/42"},
		{"legacy sentry dsn with secret", "https://e9ebbd88548a441288393c457ec90441:399aaee02d454e2ca91351f29bdc3a07@app.getsentry.com/3235", "https://[redacted:sentry-dsn]@app.getsentry.com/3235"},
		{"url credentials", "dial postgres://shop:hunter2@db.internal:5432/shop failed", "dial postgres://[redacted:credentials]@db.internal:5432/shop failed"},
		{"aws access key", "key AKIAIOSFODNN7EXAMPLE in env", "key [redacted:aws-key] in env"},
		{"aws session key", "ASIAY34FZKBOKMUTVV7A", "[redacted:aws-key]"},
		{"slack bot token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "[redacted:slack-token]"},
		{"slack user token", "xoxp-1234567890-abcdefghij", "[redacted:slack-token]"},
		{"jwt", "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok", "jwt [redacted:jwt] ok"},
		{"pem private key", "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY----- end", "key: [redacted:private-key] end"},
		{"cut pem private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "[redacted:private-key]"},
		{"bearer", "Authorization: Bearer abc.def.ghi123", "Authorization: [redacted:auth]"},
		{"bearer alone", "sent bearer 0123456789abcdef", "sent bearer [redacted:auth]"},
		{"basic", "basic dXNlcjpwYXNzd29yZA==", "basic [redacted:auth]"},
		{"email", "user jane.doe+shop@example.co.uk not found", "user [redacted:email] not found"},
		{"ipv4", "dial tcp 10.0.12.7:5432: connection refused", "dial tcp [redacted:ip]:5432: connection refused"},
		{"ipv4 after a colon", "peer=10.0.12.7 from:192.168.1.20", "peer=[redacted:ip] from:[redacted:ip]"},
		{"versioned gem path is no ip", "/gems/openshift-origin-node-1.18.0.1/lib/tc.rb v1.2.3.4", "/gems/openshift-origin-node-1.18.0.1/lib/tc.rb v1.2.3.4"},
		{"ipv6", "http: panic serving [2001:db8::1]:54143", "http: panic serving [[redacted:ip]]:54143"},
		{"ipv6 loopback", "from [::1]:80", "from [[redacted:ip]]:80"},
		{"password pair", "login failed password=hunter2&user=bob", "login failed password=[redacted:secret]&user=bob"},
		{"secret pair", "client_secret = s3cr3t, retry", "client_secret = [redacted:secret], retry"},
		{"token pair", "refresh_token=abc123", "refresh_token=[redacted:secret]"},
		{"api_key pair", "GET /v1?api_key=k-123&q=1", "GET /v1?api_key=[redacted:secret]&q=1"},
		{"json password", `{"password": "hunter2"}`, `{"password": "[redacted:secret]"}`},
		{"session cookie", "cookie session=abcdef123; Path=/", "cookie session=[redacted:cookie]; Path=/"},
		{"cookie header", "Cookie: a=1; sessionid=xyz", "Cookie: [redacted:cookie]"},
		{"jsessionid", "JSESSIONID=1A530637289A03B07199A44E8D531427", "JSESSIONID=[redacted:cookie]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := incident.Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
			if got := incident.Redact(tt.want); got != tt.want {
				t.Errorf("Redact is not idempotent: %q became %q", tt.want, got)
			}
		})
	}
}

func TestRedactKeeps(t *testing.T) {
	for _, s := range []string{
		"/go/pkg/mod/github.com/robfig/cron/v3@v3.0.0/cron.go",
		"Raven::CLI::test",
		"net/http.(*conn).serve.func1",
		"at 12:34:56.789 the task-list desk-lamp failed",
		"runtime error: index out of range [3] with length 1",
		"Basic authentication failed",
		"localhost:8080",
		"main.go:123 +0x1d",
		"io.sentry.samples.android@6.16.0+2",
		"Object [object Object] has no method 'updateFrom'",
		"node_modules/@sentry/browser/esm/helpers.js",
		"C:\\Users\\dvora\\source\\repos\\ValuesController.cs",
		"invalid token",
	} {
		if got := incident.Redact(s); got != s {
			t.Errorf("Redact(%q) = %q, want it unchanged", s, got)
		}
	}
}

// TestParseDropsPrivateData parses an event full of request, user,
// breadcrumb and variable data and checks none of it survives, and that
// secrets in kept strings are redacted.
func TestParseDropsPrivateData(t *testing.T) {
	event := `{
	  "platform": "python",
	  "user": {"id": "u-77", "email": "victim@example.com", "ip_address": "203.0.113.9", "username": "victim-user"},
	  "request": {"url": "https://shop.example/checkout?coupon=SECRETCOUPON", "cookies": "session=COOKIEVALUE",
	    "headers": [["Authorization", "Bearer HEADERTOKEN123"]], "data": {"card": "4111111111111111"}, "query_string": "q=QUERYVALUE"},
	  "breadcrumbs": {"values": [{"message": "BREADCRUMBMSG", "data": {"body": "BREADCRUMBDATA"}}]},
	  "extra": {"note": "EXTRAVALUE"},
	  "exception": {"values": [{"type": "AuthError", "value": "login for admin@shop.example with password=HUNTER2 from 198.51.100.4",
	    "stacktrace": {"frames": [{"filename": "app.py", "function": "login", "lineno": 3, "vars": {"password": "VARSECRET"},
	      "context_line": "CONTEXTLINE", "pre_context": ["PRECONTEXT"]}]}}]}
	}`
	inc, err := incident.Parse([]byte(event), incident.FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(inc)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"victim", "203.0.113.9", "SECRETCOUPON", "COOKIEVALUE", "HEADERTOKEN", "4111111111111111",
		"QUERYVALUE", "BREADCRUMB", "EXTRAVALUE", "admin@shop.example", "HUNTER2", "198.51.100.4", "VARSECRET", "CONTEXTLINE", "PRECONTEXT", "u-77"} {
		if strings.Contains(string(out), secret) {
			t.Errorf("incident keeps %q:\n%s", secret, out)
		}
	}
	if want := "login for [redacted:email] with password=[redacted:secret] from [redacted:ip]"; inc.Message != want {
		t.Errorf("Message = %q, want %q", inc.Message, want)
	}
}

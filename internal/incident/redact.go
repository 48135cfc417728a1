package incident

import (
	"net/netip"
	"regexp"
	"strings"
)

// rule replaces one shape of secret or personal data. When the pattern has
// a group named v only that group is replaced, so that "password=" or
// "Bearer " stays readable; otherwise the whole match is.
type rule struct {
	kind string
	re   *regexp.Regexp
	// ok, when set, vets a candidate value (the v group or the match).
	ok func(s string, start, end int) bool
	// hints are lower-case substrings of which every match holds one; the
	// pattern runs only on text that holds one, which keeps redaction
	// cheap on the many short strings of a stack trace.
	hints []string
}

// digitDots hint at dotted IPv4 addresses.
var digitDots = []string{"0.", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."}

// rules are applied in order: private keys and URLs with credentials come
// before the token shapes they may contain, and those before emails.
var rules = []rule{
	{kind: "private-key", hints: []string{"-----begin"}, re: regexp.MustCompile(`(?s)-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|$)`)},
	{kind: "sentry-dsn", hints: []string{"@"}, re: regexp.MustCompile(`(?i)\bhttps?://(?P<v>[0-9a-f]{32}(?::[0-9a-f]{32})?)@`)},
	{kind: "credentials", hints: []string{"@"}, re: regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://(?P<v>[^\s/@:\[\]]+:[^\s/@\[\]]+)@`), ok: notRedacted},
	{kind: "jwt", hints: []string{"eyj"}, re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`)},
	{kind: "github-token", hints: []string{"gh", "github_pat_"}, re: regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})`)},
	{kind: "openai-key", hints: []string{"sk-"}, re: regexp.MustCompile(`\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`)},
	{kind: "sentry-token", hints: []string{"sntry"}, re: regexp.MustCompile(`\bsntry[su]_[A-Za-z0-9+/=_-]{20,}`)},
	{kind: "aws-key", hints: []string{"akia", "asia", "abia", "acca"}, re: regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`)},
	{kind: "slack-token", hints: []string{"xox"}, re: regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
	{kind: "auth", hints: []string{"authorization"}, re: regexp.MustCompile(`(?i)\bauthorization["']?\s*[:=]\s*["']?(?P<v>[^\s"',;]+(?:[ \t]+[^\s"',;]+)?)`), ok: notRedacted},
	{kind: "auth", hints: []string{"bearer", "basic"}, re: regexp.MustCompile(`(?i)\b(?:bearer|basic)\s+(?P<v>[A-Za-z0-9._~+/=-]{8,})`), ok: tokenLike},
	{kind: "cookie", hints: []string{"cookie"}, re: regexp.MustCompile(`(?i)\b(?:set-)?cookie["']?\s*:\s*["']?(?P<v>[^\r\n"']+)`), ok: notRedacted},
	{kind: "cookie", hints: []string{"session", "sid"}, re: regexp.MustCompile(`(?i)\b(?:[\w.-]*session[\w.-]*|sid|sessid|phpsessid|jsessionid|connect\.sid)=(?P<v>[^\s;,&"']+)`), ok: notRedacted},
	{kind: "secret", hints: []string{"pass", "secret", "token", "key"}, re: regexp.MustCompile(`(?i)[\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)[\w.-]*(?:\s*=\s*|["']\s*:\s*["']?)(?P<v>[^\s"'&,;]+)`), ok: notRedacted},
	{kind: "email", hints: []string{"@"}, re: regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b`)},
	{kind: "ip", hints: digitDots, re: regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`), ok: ipv4},
	{kind: "ip", hints: []string{":"}, re: regexp.MustCompile(`[0-9A-Za-z:.%]*:[0-9A-Za-z:.%]*`), ok: ipv6},
}

// Redact replaces token-shaped strings and personal data in s by
// "[redacted:<kind>]": private keys, URL credentials and Sentry DSNs, JWTs,
// GitHub, OpenAI, Sentry, AWS and Slack tokens, Authorization, Bearer and
// Basic values, cookies and session ids, password/secret/token/api_key
// pairs, emails, and IPv4 and IPv6 addresses. Applying it twice changes
// nothing more.
func Redact(s string) string {
	lower := foldLower(s)
	for _, r := range rules {
		if !containsAny(lower, r.hints) {
			continue
		}
		if t := r.apply(s); t != s {
			s, lower = t, foldLower(t)
		}
	}
	return s
}

// foldLower lower-cases s the way case-insensitive patterns see it: the
// long s "ſ" matches (?i)s, so it folds to "s".
func foldLower(s string) string {
	s = strings.ToLower(s)
	if strings.Contains(s, "ſ") {
		s = strings.ReplaceAll(s, "ſ", "s")
	}
	return s
}

// containsAny reports whether s holds one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// apply replaces every match of r in s.
func (r rule) apply(s string) string {
	matches := r.re.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return s
	}
	v := r.re.SubexpIndex("v")
	var b strings.Builder
	last := 0
	for _, m := range matches {
		start, end := m[0], m[1]
		if v > 0 && m[2*v] >= 0 {
			start, end = m[2*v], m[2*v+1]
		}
		if r.ok != nil && !r.ok(s, start, end) {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString("[redacted:" + r.kind + "]")
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// notRedacted vets values that are not already a redaction marker.
func notRedacted(s string, start, end int) bool {
	return !strings.HasPrefix(s[start:end], "[redacted:")
}

// tokenLike vets Bearer and Basic values: credentials carry digits or
// base64 punctuation, words such as "authentication" do not.
func tokenLike(s string, start, end int) bool {
	return strings.ContainsAny(s[start:end], "0123456789+/=_-.~")
}

// ipv4 vets dotted quads: each part at most 255, and not part of a longer
// dotted version number or of a versioned name ("gem-1.18.0.1", "v1.2.3.4").
func ipv4(s string, start, end int) bool {
	if start > 0 && strings.IndexByte(".-_v@", s[start-1]) >= 0 {
		return false
	}
	if end+1 < len(s) && s[end] == '.' && s[end+1] >= '0' && s[end+1] <= '9' {
		return false
	}
	_, err := netip.ParseAddr(s[start:end])
	return err == nil
}

// ipv6 vets a run of address characters: it must parse as an IPv6 address
// (optionally followed by a :port), and must hold at least one digit so that
// "Foo::Bar" in a Ruby or C++ name stays.
func ipv6(s string, start, end int) bool {
	cand := strings.TrimRight(s[start:end], ".")
	if !strings.ContainsAny(cand, "0123456789") {
		return false
	}
	if a, err := netip.ParseAddr(cand); err == nil && a.Is6() {
		return true
	}
	if i := strings.LastIndexByte(cand, ':'); i > 0 {
		a, err := netip.ParseAddr(cand[:i])
		return err == nil && a.Is6()
	}
	return false
}

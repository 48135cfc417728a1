package secret

import (
	"regexp"
	"strings"
)

// shape is one kind of credential recognised by its look. When re has a
// group named v only that group is replaced, so "Authorization: Bearer"
// or "https://user:" stays readable; otherwise the whole match is.
type shape struct {
	// present is a fast test that text may hold a match; re runs only on
	// text that passes it, which keeps Scrub cheap on long output.
	present func(text string) bool
	re      *regexp.Regexp
	// ok, when set, vets the replaced text.
	ok func(string) bool
}

// accessTokenB64 is base64("x-access-token:"), 15 bytes: it starts the
// Basic credential that actions/checkout puts in git's extraheader.
const accessTokenB64 = "eC1hY2Nlc3MtdG9rZW46"

// githubToken matches GitHub's token shapes: personal, OAuth, user,
// server (an app installation's or GITHUB_TOKEN), refresh, fine-grained.
var githubToken = regexp.MustCompile(`gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}`)

// shapes run in order: whole blocks and whole header values first, then
// the token shapes they may contain.
var shapes = []shape{
	{present: has("-----BEGIN"), re: regexp.MustCompile(`(?s)-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)`)},
	{present: hasFold("extraheader", 'x'), re: regexp.MustCompile(`(?i)extraheader["']?[ \t]*[=:][ \t]*(?P<v>[^\r\n]+)`)},
	{present: hasFold("authorization", 'z'), re: regexp.MustCompile(`(?i)authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:basic|bearer|token|digest|negotiate|ntlm)[ \t]+)?(?P<v>[^\s"',;&][^\r\n"',;&]*)`)},
	{present: has(accessTokenB64), re: regexp.MustCompile(accessTokenB64 + `[A-Za-z0-9+/_-]*=*`)},
	{present: hasFold("x-access-token:", 'x'), re: regexp.MustCompile(`(?i)x-access-token:(?P<v>[^\s@/"']+)`)},
	{present: urlAt, re: regexp.MustCompile(`(?i)[a-z][a-z0-9+.-]*://[^\s/@:"'<>]*:(?P<v>[^\s/@"'<>]+)@`)},
	{present: urlAt, re: regexp.MustCompile(`(?i)[a-z][a-z0-9+.-]*://(?P<v>[^\s/@:"'<>]{16,})@`)},
	{present: hasGitHubToken, re: githubToken},
	{present: func(s string) bool { return hasFold("basic", 'b')(s) || hasFold("bearer", 'b')(s) },
		re: regexp.MustCompile(`(?i)\b(?:basic|bearer)[ \t]+(?P<v>[A-Za-z0-9._~+/-]{16,}=*)`), ok: tokenLike},
}

// redactShapes replaces every credential shape in text with Mask.
func redactShapes(text string) string {
	for _, sh := range shapes {
		if sh.present(text) {
			text = sh.apply(text)
		}
	}
	return text
}

// has tests for sub as it is.
func has(sub string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, sub) }
}

// hasFold tests for the lower-case ASCII word sub in any case. It looks
// for pivot, a rare byte of sub, in either case, and compares around it.
func hasFold(sub string, pivot byte) func(string) bool {
	at := strings.IndexByte(sub, pivot)
	return func(s string) bool {
		for _, c := range []byte{pivot, pivot - 'a' + 'A'} {
			for i := at; i < len(s); i++ {
				j := strings.IndexByte(s[i:], c)
				if j < 0 {
					break
				}
				i += j
				if i-at+len(sub) <= len(s) && strings.EqualFold(s[i-at:i-at+len(sub)], sub) {
					return true
				}
			}
		}
		return false
	}
}

// urlAt tests for a URL that may carry credentials.
func urlAt(s string) bool {
	return strings.IndexByte(s, '@') >= 0 && strings.Contains(s, "://")
}

// hasGitHubToken tests for the prefix of a GitHub token: "gh?_" or
// "github_pat_", found through their '_'.
func hasGitHubToken(s string) bool {
	for i := 0; i < len(s); i++ {
		j := strings.IndexByte(s[i:], '_')
		if j < 0 {
			return false
		}
		i += j
		if i >= 3 && s[i-3] == 'g' && s[i-2] == 'h' && strings.IndexByte("pousr", s[i-1]) >= 0 ||
			i >= 6 && s[i-6:i] == "github" {
			return true
		}
	}
	return false
}

// apply replaces every match of sh in text.
func (sh shape) apply(text string) string {
	matches := sh.re.FindAllStringSubmatchIndex(text, -1)
	if matches == nil {
		return text
	}
	v := sh.re.SubexpIndex("v")
	var b strings.Builder
	done := 0
	for _, m := range matches {
		start, end := m[0], m[1]
		if v > 0 && m[2*v] >= 0 {
			start, end = m[2*v], m[2*v+1]
		}
		if text[start:end] == Mask || (sh.ok != nil && !sh.ok(text[start:end])) {
			continue
		}
		b.WriteString(text[done:start])
		b.WriteString(Mask)
		done = end
	}
	b.WriteString(text[done:])
	return b.String()
}

// tokenLike vets a Basic or Bearer value: credentials hold digits or
// base64 punctuation, words such as "authentication" do not.
func tokenLike(s string) bool {
	return strings.ContainsAny(s, "0123456789+/=_-.~")
}

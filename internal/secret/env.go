package secret

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"
)

// secretWords end the names of variables that hold secrets.
var secretWords = []string{"TOKEN", "KEY", "SECRET", "PASSWORD"}

// FromEnviron returns the values of the variables in environ ("NAME=value"
// as os.Environ gives them) whose names end in TOKEN, KEY, SECRET or
// PASSWORD, alone or after '_' or '-', in any case: GITHUB_TOKEN,
// ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN, the action's own
// inputs as the runner passes them (INPUT_GITHUB-TOKEN,
// INPUT_MODEL-API-KEY, INPUT_SENTRY-TOKEN), any *_API_KEY, *_SECRET or
// *_PASSWORD. Empty values are left out.
func FromEnviron(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if ok && value != "" && secretName(name) {
			out = append(out, value)
		}
	}
	return out
}

func secretName(name string) bool {
	name = strings.ToUpper(name)
	for _, w := range secretWords {
		if name == w || strings.HasSuffix(name, "_"+w) || strings.HasSuffix(name, "-"+w) {
			return true
		}
	}
	return false
}

var (
	// extraheader is git's http.<url>.extraheader holding an
	// Authorization header, as actions/checkout writes it to .git/config
	// (v6: to git-credentials-*.config under RUNNER_TEMP).
	extraheader = regexp.MustCompile(`(?im)extraheader\s*=\s*"?authorization:\s*([a-z]+)\s+([^\s"]+)`)
	// storeLine is a line of a git-credentials store file.
	storeLine = regexp.MustCompile(`(?im)^\s*[a-z][a-z0-9+.-]*://([^\s/@]+)@`)
)

// GitCredentials returns the credentials in the text of a git config file
// (an http extraheader Authorization value: the whole value and, for
// Basic, the password it encodes) or of a git-credentials store file (the
// password of each https://user:password@host line, or the user when it
// has no password, as a token used as user name). Add them to the Set so
// that every encoding of the token is redacted, not only the shapes.
func GitCredentials(text string) []string {
	var out []string
	for _, m := range extraheader.FindAllStringSubmatch(text, -1) {
		out = append(out, m[2])
		if strings.EqualFold(m[1], "basic") {
			if _, pass, ok := basicAuth(m[2]); ok {
				out = append(out, pass)
			}
		}
	}
	for _, m := range storeLine.FindAllStringSubmatch(text, -1) {
		user, pass, ok := strings.Cut(m[1], ":")
		if !ok {
			pass = user
		}
		if p, err := url.PathUnescape(pass); err == nil {
			pass = p
		}
		out = append(out, pass)
	}
	return out
}

// basicAuth decodes a Basic credential, padded or not.
func basicAuth(cred string) (user, pass string, ok bool) {
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(cred, "="))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(b), ":")
}

package sentryapi

import (
	"net/url"
	"strings"
)

// nextCursor returns the cursor of the rel="next" entry of a Link header
// when it says results="true", and "" when there is no next page. Sentry's
// header looks like:
//
//	<https://sentry.io/api/0/...?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1",
//	<https://sentry.io/api/0/...?&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"
func nextCursor(header string) string {
	for _, link := range splitLinks(header) {
		target, params := parseLink(link)
		if params["rel"] != "next" || params["results"] != "true" {
			continue
		}
		if c := params["cursor"]; c != "" {
			return c
		}
		if u, err := url.Parse(target); err == nil {
			return u.Query().Get("cursor")
		}
	}
	return ""
}

// splitLinks splits a Link header at the commas that separate entries, not
// those inside <...> or quotes.
func splitLinks(h string) []string {
	var out []string
	inURL, inQuote, start := false, false, 0
	for i := 0; i < len(h); i++ {
		switch c := h[i]; {
		case c == '<' && !inQuote:
			inURL = true
		case c == '>' && !inQuote:
			inURL = false
		case c == '"' && !inURL:
			inQuote = !inQuote
		case c == ',' && !inURL && !inQuote:
			out = append(out, h[start:i])
			start = i + 1
		}
	}
	return append(out, h[start:])
}

// parseLink reads `<target>; k="v"; k2=v2` into the target and parameters
// (keys lower-cased, quotes removed).
func parseLink(link string) (string, map[string]string) {
	link = strings.TrimSpace(link)
	params := map[string]string{}
	if !strings.HasPrefix(link, "<") {
		return "", params
	}
	end := strings.IndexByte(link, '>')
	if end < 0 {
		return "", params
	}
	target := link[1:end]
	for _, p := range strings.Split(link[end+1:], ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		params[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return target, params
}

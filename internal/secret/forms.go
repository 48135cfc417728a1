package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
)

// form is one way a secret may be written out; b64 marks base64 forms,
// whose neighbouring characters also carry bits of the secret.
type form struct {
	text string
	b64  bool
}

// forms returns v and every encoded form of it, each once, none shorter
// than [MinLen] bytes.
func forms(v string) []form {
	seen := map[string]bool{}
	var out []form
	add := func(t string, b64 bool) {
		if len(t) >= MinLen && !seen[t] {
			seen[t] = true
			out = append(out, form{text: t, b64: b64})
		}
	}
	add(v, false)
	for _, e := range escapes(v) {
		add(e, false)
	}
	h := hex.EncodeToString([]byte(v))
	add(h, false)
	add(strings.ToUpper(h), false)
	for k := range 3 {
		add(aligned(base64.StdEncoding, k, v), true)
		add(aligned(base64.URLEncoding, k, v), true)
	}
	return out
}

// escapes are v as URL query, path and userinfo escaping write it (with
// upper- and lower-case percent hex) and as JSON strings write it (with
// and without HTML escaping, and with "\/").
func escapes(v string) []string {
	userinfo := strings.TrimPrefix(url.UserPassword("u", v).String(), "u:")
	out := []string{url.QueryEscape(v), url.PathEscape(v), userinfo}
	for _, e := range out[:3] {
		out = append(out, lowerPercent(e))
	}
	j := jsonString(v, true)
	return append(out, j, jsonString(v, false), strings.ReplaceAll(j, "/", `\/`))
}

// jsonString is v JSON-encoded, without the quotes.
func jsonString(v string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(v) // a string always encodes
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(b.String(), "\n"), `"`), `"`)
}

// lowerPercent writes the hex digits of every %XX escape in lower case.
func lowerPercent(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// aligned is the part of the base64 encoding of v that depends on v alone
// when v starts k bytes (mod 3) into the encoded data: base64 packs 3
// bytes into 4 characters, so the characters at either end that mix v's
// bits with a neighbour's differ with the neighbour and are left out.
func aligned(enc *base64.Encoding, k int, v string) string {
	data := make([]byte, k+len(v))
	copy(data[k:], v)
	e := enc.EncodeToString(data)
	// Character j covers bits [6j, 6j+6); v holds bits [8k, 8k+8len(v)).
	lo, hi := (8*k+5)/6, 8*(k+len(v))/6
	return e[lo:hi]
}

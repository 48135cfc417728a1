// Package secret keeps secrets out of everything dawnpatch writes (log,
// outputs, step summary, pull request bodies), in any encoding a test or
// a tool may print them in.
//
// A [Set] holds the values known to be secret: the secret inputs, the
// runner's tokens ([FromEnviron]) and the credentials a checkout left in
// git's config ([GitCredentials]). [Set.Scrub] replaces each value and its
// encoded forms with [Mask]: base64 (standard and URL alphabets, padded or
// not, at each of the three alignments a value takes inside a longer
// encoding, so the token inside base64("x-access-token:<token>") is found),
// URL query, path and userinfo escaping, lower- and upper-case hex, and
// JSON escaping. Values shorter than [MinLen] are ignored: a short value
// ("true", a port, a word) would redact ordinary text everywhere, and the
// runner's own ::add-mask:: still hides it in the log.
//
// Scrub also redacts credential shapes whatever their value, for the
// secrets dawnpatch was never told about: Authorization values and git's
// http.extraheader, x-access-token credentials (also base64'd), passwords
// in URLs and git-credentials lines, GitHub token shapes and private key
// blocks.
//
// internal/incident's Redact overlaps with the shapes (GitHub tokens,
// Authorization, URL credentials, private keys): it cleans event text for
// the model and also takes emails, IPs and other vendors' keys. This
// package cleans dawnpatch's own output and knows the actual values.
package secret

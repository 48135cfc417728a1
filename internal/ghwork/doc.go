// Package ghwork is everything dawnpatch says to GitHub, through the real
// go-github v62 client: find an open pull request by the fingerprint marker
// in its body, claim the branch dawnpatch/<fp12> atomically by creating its
// ref, commit files through the Git Data API (blobs, tree, commit, ref
// update) without a local push, and open a draft pull request with labels.
//
// A Client counts every HTTP request it makes (Calls, Writes), sends the
// token as a Bearer credential and never puts it in an error, and retries
// rate-limited requests (429, or 403 with Retry-After or a secondary rate
// limit message) a bounded number of times, honouring Retry-After and the
// context. Callers branch on ErrClaimed, ErrNoBranch and IsPermission.
package ghwork

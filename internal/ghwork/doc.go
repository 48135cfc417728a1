// Package ghwork is everything dawnpatch says to GitHub, through the real
// go-github v62 client: find dawnpatch's own pull requests and humans'
// tickets about an error class, claim the branch dawnpatch/<fp12>
// atomically by creating its ref (and read a claim back in one call),
// commit files through the Git Data API (blobs, tree, commit, ref update)
// without a local push, open a draft pull request with labels, and keep
// one comment on it up to date when its error fires again.
//
// A pull request is dawnpatch's own only when its head is the claim branch
// in this repository (only people with write access can push it; a fork's
// branch never counts) and its body ends with dawnpatch's marker block
// (ParseMarkers). A marker anywhere else is a mention: it can make a
// human's ticket, never dawnpatch's open or rejected pull request.
//
// A Client counts every HTTP request it makes (Calls, Writes), sends the
// token as a Bearer credential and never puts it in an error, and retries
// rate-limited requests (429, or 403 with Retry-After or a secondary rate
// limit message) a bounded number of times, honouring Retry-After and the
// context. Callers branch on ErrClaimed, ErrNoBranch and IsPermission.
package ghwork

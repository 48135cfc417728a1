// Package safetext keeps text from an event (and from tests and the model)
// from becoming structure where GitHub or git reads it.
//
// Anyone who holds a public browser DSN writes a whole Sentry event, so an
// exception type or a function name can say "Fixes #1", "@octocat",
// "Co-authored-by: …" or "<!-- dawnpatch:fp=… -->". Such text reaches:
//
//   - one-line fields GitHub interprets (commit subject, pull request
//     title, label): [Line] flattens it and defuses references, mentions,
//     closing keywords and trailers;
//   - commit messages: [CommitMessage] sanitises the subject and every body
//     line, so no line starts with a trailer or closes an issue;
//   - fenced blocks in dawnpatch's own pull request body:
//     [NeutraliseMarkers] breaks strings shaped like dawnpatch's hidden
//     markers and HTML comment openers;
//   - git refs: [CheckRef] refuses what git would (and more), [RefPart]
//     turns text into a safe ref component.
//
// Homoglyphs are not folded: GitHub's reference, mention and keyword
// syntax is ASCII ("#", "@", digits), so a Cyrillic "Fіxes" is inert once
// the reference after it is defused. Full-width forms ("＃1", "＠x") are
// folded to ASCII first, then defused like their ASCII twins.
package safetext

package judge

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// Rule names for edits to existing assertions.
const (
	ruleWeakened = "weakened-assertion"
	ruleEdited   = "edited-assertion"
)

var (
	goIfOpen   = regexp.MustCompile(`^\s*if\b.*\{\s*$`)
	goTestFail = regexp.MustCompile(`\b[tb]\.(Error|Errorf|Fatal|Fatalf|Fail|FailNow)\b`)
)

// checkAssertions compares the assertion lines a change removes from a
// test file (assertions, their continuation lines, Go ifs that fail the
// test) with the lines it adds in their place:
//   - a removed assertion whose text is added back anywhere in the file
//     moved, and is not reported;
//   - the others are paired with added assertions of the same change block
//     (a run of removed lines and the added lines after it), preferring one
//     of the same canonical form, else the next one; what is left is
//     paired across the file when only numbers differ (a test that moved
//     and changed a value);
//   - a pair that inverts the assertion, loosens its tolerance, or trades
//     an exact comparison for a looser check (equality for containment or
//     truthiness) stops the attempt;
//   - any other edit of an existing assertion is a note with the line
//     before and after, for the judge to weigh; a Go t.Error or t.Fatal
//     call whose message alone changed is not reported;
//   - removed assertions left with no partner stop the attempt.
//
// Assertions in tests the fix adds have nothing removed to pair with, so
// they are never reported here.
func checkAssertions(fd *fileDiff) []Finding {
	added := map[string]bool{}
	for _, h := range fd.hunks {
		for _, l := range h.new {
			if l.changed {
				added[normalize(l.text)] = true
			}
		}
	}
	var out []Finding
	var lost, spare []srcLine
	for k, h := range fd.hunks {
		for _, b := range changeBlocks(fd.f.TextFragments[k]) {
			olds, news, later := blockAssertions(fd, h, b, added)
			fs, l, sp := pairAssertions(fd, olds, news, false)
			out, lost, spare = append(out, fs...), append(lost, l...), append(append(spare, sp...), later...)
		}
	}
	fs, lost, _ := pairAssertions(fd, lost, spare, true)
	out = append(out, fs...)
	if len(lost) == 0 {
		return out
	}
	line := lost[0].pos
	if fd.f.IsDelete {
		line = 0
	}
	return append(out, fd.findingAt(ruleRemovedAsserts, line,
		"removes %d assertion(s) with nothing in their place, first: %s", len(lost), strings.TrimSpace(lost[0].text)))
}

// blockAssertions returns the removed assertions of block b that did not
// move, its added assertions up to the first test the block declares, and
// those after it, which belong to a new (or moved) test rather than stand
// in place of the removed lines.
func blockAssertions(fd *fileDiff, h hunk, b block, added map[string]bool) (olds, news, later []srcLine) {
	for _, i := range b.old {
		if assertive(h.old, i, fd.lang) && !failOfChangedIf(h.old, i, fd.lang) && !added[normalize(h.old[i].text)] {
			olds = append(olds, h.old[i])
		}
	}
	inTest := false
	for _, i := range b.new {
		inTest = inTest || testDecl(scan{s: h.new, lang: fd.lang}, i) != ""
		switch {
		case !assertive(h.new, i, fd.lang) || failOfChangedIf(h.new, i, fd.lang):
		case inTest:
			later = append(later, h.new[i])
		default:
			news = append(news, h.new[i])
		}
	}
	return olds, news, later
}

// failOfChangedIf reports whether s[i] is a Go t.Error or t.Fatal call in
// the body of an if that changed with it: the if is the assertion, and
// the two count once.
func failOfChangedIf(s side, i int, lang lang.Language) bool {
	if lang != "go" || !goFailCall(s[i].text) {
		return false
	}
	for k := i - 1; k >= 0; k-- {
		if !blank(s[k].text, lang) {
			return s[k].changed && assertive(s, k, lang)
		}
	}
	return false
}

// pairAssertions pairs removed assertions with added ones and returns the
// findings about the pairs, the removed assertions left unpaired and the
// added ones left unused. Strict pairing takes only a partner that differs
// in numbers alone.
func pairAssertions(fd *fileDiff, olds, news []srcLine, strict bool) ([]Finding, []srcLine, []srcLine) {
	var out []Finding
	var lost, spare []srcLine
	used := make([]bool, len(news))
	for _, r := range olds {
		k := partner(r, news, used, fd.lang, strict)
		if k < 0 {
			lost = append(lost, r)
			continue
		}
		used[k] = true
		if f, ok := compareAssertions(fd, r, news[k]); ok {
			out = append(out, f)
		}
	}
	for k, a := range news {
		if !used[k] {
			spare = append(spare, a)
		}
	}
	return out, lost, spare
}

// digits matches runs of digits, for comparing assertions whose numbers
// differ.
var digits = regexp.MustCompile(`\d+`)

// partner returns the index of the unused added assertion to pair with r,
// or -1. It prefers one of the same canonical form, then one that differs
// in numbers only, then (unless strict) one of the same polarity, then the
// first unused, so that an edit is not mistaken for an inversion because a
// new assertion sits next to it.
func partner(r srcLine, news []srcLine, used []bool, lang lang.Language, strict bool) int {
	want := canonAssert(r.text, lang)
	best, bestRank := -1, 0
	for k, a := range news {
		if used[k] {
			continue
		}
		got := canonAssert(a.text, lang)
		rank := 1
		switch {
		case got.key == want.key:
			rank = 4
		case digits.ReplaceAllString(got.key, "#") == digits.ReplaceAllString(want.key, "#"):
			rank = 3
		case strict:
			continue
		case got.negations%2 == want.negations%2:
			rank = 2
		}
		if rank > bestRank {
			best, bestRank = k, rank
		}
	}
	return best
}

// compareAssertions judges the edit of assertion r into a; false means
// the edit is not worth a finding.
func compareAssertions(fd *fileDiff, r, a srcLine) (Finding, bool) {
	before, after := canonAssert(r.text, fd.lang), canonAssert(a.text, fd.lang)
	edit := fmt.Sprintf("%s → %s", strings.TrimSpace(r.text), strings.TrimSpace(a.text))
	switch {
	case before.negations%2 != after.negations%2:
		return fd.findingAt(ruleWeakened, a.n, "inverts an existing assertion: %s", edit), true
	case before.key == after.key && loosened(before.tolerance, after.tolerance):
		return fd.findingAt(ruleWeakened, a.n, "loosens the tolerance of an existing assertion: %s", edit), true
	case before.strength == exact && after.strength == loose:
		return fd.findingAt(ruleWeakened, a.n, "trades an exact check for a looser one: %s", edit), true
	case fd.lang == "go" && goFailCall(r.text) && goFailCall(a.text):
		return Finding{}, false
	}
	f := fd.findingAt(ruleEdited, a.n, "edits an existing assertion: %s", edit)
	f.Severity = Note
	return f, true
}

// goFailCall reports whether a Go line is a t.Error or t.Fatal call, not
// the condition that leads to one.
func goFailCall(text string) bool {
	c := strings.TrimSpace(code(text, "go"))
	return goTestFail.MatchString(c) && !strings.HasPrefix(c, "if ")
}

// block is one run of removed lines and the added lines right after it,
// as indices into a hunk's old and new sides.
type block struct{ old, new []int }

// changeBlocks splits frag into its change blocks.
func changeBlocks(frag *gitdiff.TextFragment) []block {
	var out []block
	var cur block
	flush := func() {
		if len(cur.old)+len(cur.new) > 0 {
			out = append(out, cur)
		}
		cur = block{}
	}
	oi, ni := 0, 0
	for _, l := range frag.Lines {
		switch l.Op {
		case gitdiff.OpContext:
			flush()
			oi++
			ni++
		case gitdiff.OpDelete:
			if len(cur.new) > 0 {
				flush()
			}
			cur.old = append(cur.old, oi)
			oi++
		case gitdiff.OpAdd:
			cur.new = append(cur.new, ni)
			ni++
		}
	}
	flush()
	return out
}

// assertive reports whether s[i] asserts: an assertion line, a line that
// continues one (an expected value on the next line), or in Go the
// condition of an if whose body fails the test.
func assertive(s side, i int, lang lang.Language) bool {
	if isAssertion(s[i].text, lang) || continuesAssertion(s, i, lang) {
		return true
	}
	if lang != "go" || !goIfOpen.MatchString(code(s[i].text, lang)) {
		return false
	}
	j, ok := nextCode(scan{s: s, lang: lang}, i)
	return ok && goTestFail.MatchString(code(s[j].text, lang))
}

// continuesAssertion reports whether s[i] is inside the parentheses an
// assertion a few lines above leaves open.
func continuesAssertion(s side, i int, lang lang.Language) bool {
	k := i - 1
	for ; k >= 0 && k >= i-maxContinuation && !isAssertion(s[k].text, lang); k-- {
	}
	if k < 0 || k < i-maxContinuation {
		return false
	}
	open := 0
	for ; k < i; k++ {
		c := code(s[k].text, lang)
		if open += strings.Count(c, "(") - strings.Count(c, ")"); open <= 0 {
			return false
		}
	}
	return true
}

// maxContinuation is how many lines above an assertion may open.
const maxContinuation = 6

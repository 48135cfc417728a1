package eval

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// pullProblems checks every pull request the run opened: its title and
// its commit message carry nothing GitHub or git acts on, its body ends
// with dawnpatch's own marker block and holds no other, and its commit is
// the base plus the accepted answer's edits, nothing else.
func (w *world) pullProblems() []string {
	var out []string
	for _, p := range w.gh.Pulls("acme", "app") {
		if w.seeded[p.Number] {
			continue
		}
		name := fmt.Sprintf("pull request #%d", p.Number)
		if strings.ContainsAny(p.Title, "\r\n") {
			out = append(out, name+"'s title holds a line break")
		}
		out = append(out, actionable(name+"'s title", p.Title)...)
		out = append(out, w.markerProblems(name, p.Body)...)
		out = append(out, w.commitProblems(name, p.HeadSHA)...)
	}
	return out
}

var (
	// mention is "@" starting a login or team, as GitHub notifies for it:
	// not inside a word ("m@example.com" mentions nobody).
	mention = regexp.MustCompile(`(?:^|[^\w@])@[A-Za-z0-9]`)
	// issueRef is a reference GitHub links: "#4", "o/r#4", "GH-4".
	issueRef = regexp.MustCompile(`(?i)#[0-9]|\bgh-[0-9]`)
	// closing is a closing keyword followed by a reference, by number or
	// by address.
	closing = regexp.MustCompile(`(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+(?:[\w.-]+/[\w.-]+#[0-9]|#[0-9]|gh-[0-9]|\S*/(?:issues|pull)/[0-9])`)
	// trailerLine is a line git could take for a trailer ("Co-authored-by: x").
	trailerLine = regexp.MustCompile(`^\s*[A-Za-z0-9][A-Za-z0-9-]*\s*:`)
)

// actionable reports what in text GitHub would act on: a closing keyword
// with a reference, a reference, a mention.
func actionable(where, text string) []string {
	var out []string
	if m := closing.FindString(text); m != "" {
		out = append(out, fmt.Sprintf("%s closes an issue: %.60q", where, m))
	}
	if m := issueRef.FindString(text); m != "" {
		out = append(out, fmt.Sprintf("%s holds a reference: %.60q", where, m))
	}
	if m := mention.FindString(text); m != "" {
		out = append(out, fmt.Sprintf("%s mentions someone: %.60q", where, m))
	}
	return out
}

// markerProblems checks that body ends with the marker block of the
// scenario's fingerprint and names no other.
func (w *world) markerProblems(name, body string) []string {
	inc, err := w.incident()
	if err != nil {
		return []string{fmt.Sprintf("%s: cannot tell the incident's fingerprint to check the markers: %v", name, err)}
	}
	var out []string
	if m, ok := ghwork.ParseMarkers(body); !ok {
		out = append(out, name+"'s body does not end with a marker block")
	} else if m.Fingerprint != inc.Fingerprint {
		out = append(out, fmt.Sprintf("%s's marker block names fingerprint %.16s, not the incident's %.16s", name, m.Fingerprint, inc.Fingerprint))
	}
	for _, key := range []string{"dawnpatch:fp=", "dawnpatch:area=", "dawnpatch:score="} {
		if n := strings.Count(body, key); n > 1 {
			out = append(out, fmt.Sprintf("%s's body holds %q %d times: markers besides its own block", name, key, n))
		}
	}
	return out
}

// commitProblems checks the head commit of a pull request: a message
// without trailers, references or mentions, the base as its only parent,
// and the base's tree plus the accepted answer's edits as its tree.
func (w *world) commitProblems(name, sha string) []string {
	c, ok := w.gh.Commit("acme", "app", sha)
	if !ok {
		return []string{fmt.Sprintf("%s's head commit %q is not on the fake GitHub", name, sha)}
	}
	where := name + "'s commit message"
	out := actionable(where, c.Message)
	lines := strings.Split(c.Message, "\n")
	for _, l := range lines[1:] {
		if trailerLine.MatchString(l) {
			out = append(out, fmt.Sprintf("%s has a trailer line: %.60q", where, l))
		}
	}
	base, _ := w.gh.Ref("acme", "app", "heads/main")
	if len(c.Parents) != 1 || c.Parents[0] != base {
		out = append(out, fmt.Sprintf("%s's commit has parents %.12q, want only the base %.12s", name, c.Parents, base))
	}
	return append(out, w.treeProblems(name, base, sha)...)
}

// treeProblems compares the tree of commit sha with the base's tree plus
// the accepted answer's edits, applied to the checkout by internal/patch
// with no limits (the product's own limits are not what is checked here).
func (w *world) treeProblems(name, base, sha string) []string {
	edits := w.acceptedEdits()
	if edits == nil {
		return []string{name + " was opened, but the run played no scripted answer with edits"}
	}
	changes, err := patch.Patch{Edits: edits}.Changes(w.checkout, patch.Limits{MaxFiles: -1, MaxChangedLines: -1, Protected: []string{}})
	if err != nil {
		return []string{fmt.Sprintf("%s: the accepted answer's edits do not apply to the base: %v", name, err)}
	}
	want, err := w.gh.Files("acme", "app", base)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", name, err)}
	}
	for _, c := range changes {
		want[c.Path] = c.New
	}
	got, err := w.gh.Files("acme", "app", sha)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", name, err)}
	}
	if d := treeDiff(want, got); d != "" {
		return []string{fmt.Sprintf("%s's commit is not the base plus the answer's edits: %s", name, d)}
	}
	return nil
}

// treeDiff says which paths differ between want and got, at most five.
func treeDiff(want, got map[string]string) string {
	var diffs []string
	for _, p := range slices.Sorted(maps.Keys(got)) {
		w, ok := want[p]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%q added", p))
		case w != got[p]:
			diffs = append(diffs, fmt.Sprintf("%q differs", p))
		}
	}
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[p]; !ok {
			diffs = append(diffs, fmt.Sprintf("%q missing", p))
		}
	}
	if len(diffs) > 5 {
		diffs = append(diffs[:5], fmt.Sprintf("and %d more", len(diffs)-5))
	}
	return strings.Join(diffs, ", ")
}

// acceptedEdits are the edits of the last fix answer the run played: the
// answer the judge accepted, since a pull request opens only after the
// judge's verdict on the last attempt. Nil when no played turn has edits.
func (w *world) acceptedEdits() []patch.Edit {
	played := w.turns[:len(w.turns)-w.llm.Remaining()]
	for i := len(played) - 1; i >= 0; i-- {
		t := played[i]
		data := []byte(t.JSON)
		if len(data) == 0 {
			data = []byte(t.Content)
		}
		var ans struct {
			Edits []patch.Edit `json:"edits"`
		}
		if json.Unmarshal(data, &ans) == nil && len(ans.Edits) > 0 {
			return ans.Edits
		}
	}
	return nil
}

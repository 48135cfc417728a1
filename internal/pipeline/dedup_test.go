package pipeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
)

// TestDuplicateIsReadOnlyUnlessNews plays the error of an open dawnpatch
// pull request firing again over several days: the first run writes the
// one recurrence comment, a run that brings nothing new writes nothing in
// two calls, a run with news edits the same comment in place.
func TestDuplicateIsReadOnlyUnlessNews(t *testing.T) {
	w := newWorld(t)
	n := w.ownPR(t, "open", worldNow.Add(-time.Hour))
	days := []struct {
		name     string
		lastSeen time.Time
		writes   int
	}{
		{"first recurrence", worldNow, 1},
		{"the same event a day later", worldNow, 0},
		{"a new event two days later", worldNow.Add(48 * time.Hour), 1},
		{"nothing new again", worldNow.Add(48 * time.Hour), 0},
	}
	for i, d := range days {
		w.now = worldNow.Add(time.Duration(i) * 24 * time.Hour)
		w.event(func(ev map[string]any) { ev["timestamp"] = d.lastSeen.Format(time.RFC3339) })
		calls, writes := len(w.gh.Requests()), len(w.gh.Writes())
		res := w.run()
		if res.Outcome.Reason != ReasonDuplicatePR {
			t.Fatalf("%s: reason = %s (%s)", d.name, res.Outcome.Reason, res.Outcome.Detail)
		}
		gotCalls, gotWrites := len(w.gh.Requests())-calls, len(w.gh.Writes())-writes
		if gotWrites != d.writes || gotCalls != 2+d.writes {
			t.Errorf("%s: %d GitHub calls and %d writes, want %d and %d: %v", d.name, gotCalls, gotWrites, 2+d.writes, d.writes, w.gh.Requests()[calls:])
		}
		if w.llm.Calls() != 0 {
			t.Fatalf("%s: %d model calls", d.name, w.llm.Calls())
		}
	}
	comments := w.gh.Comments("acme", "shop", n)
	if len(comments) != 1 {
		t.Fatalf("%d comments, want one edited in place", len(comments))
	}
	if want := worldNow.Add(48 * time.Hour).Format("2006-01-02"); !strings.Contains(comments[0].Body, want) {
		t.Errorf("the comment does not show the last event (%s):\n%s", want, comments[0].Body)
	}
}

// TestOutsidersMarkersAreNotDawnpatchs seeds pull requests that carry the
// error's marker but are not dawnpatch's: a fork's from a branch of the
// same name, open, and one from another branch, closed. Neither makes the
// error a duplicate or a rejection; at most a human's ticket.
func TestOutsidersMarkersAreNotDawnpatchs(t *testing.T) {
	tests := []struct {
		name   string
		seed   func(w *world, body string)
		reason Reason
	}{
		{"a fork's open pull request from the claim branch's name", func(w *world, body string) {
			w.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "x", Body: body, Head: "dawnpatch/" + w.fingerprint()[:12], HeadOwner: "mallory",
				Base: "main", State: "open", User: "mallory", CreatedAt: worldNow.Add(-time.Hour)})
		}, ReasonHumanTicket},
		{"an outsider's closed pull request", func(w *world, body string) {
			w.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "x", Body: body, Head: "feature", Base: "main",
				State: "closed", User: "mallory", CreatedAt: worldNow.Add(-48 * time.Hour), ClosedAt: worldNow.Add(-24 * time.Hour)})
		}, ReasonPROpened},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, demoTurns(t)...)
			body := fmt.Sprintf("looks legit\n<!-- dawnpatch:fp=%s -->\n<!-- dawnpatch:score=0.99 -->", w.fingerprint())
			tt.seed(w, body)
			res := w.run()
			if res.Outcome.Reason != tt.reason {
				t.Fatalf("reason = %s (%s), want %s", res.Outcome.Reason, res.Outcome.Detail, tt.reason)
			}
		})
	}
}

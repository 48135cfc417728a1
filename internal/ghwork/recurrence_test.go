package ghwork

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/google/go-cmp/cmp"
)

// openOwn seeds dawnpatch's open pull request, opened by the Actions bot
// as the fake's API does, and returns it as FindOwn reads it.
func openOwn(t *testing.T, e *env) *PR {
	t.Helper()
	e.fake.AddPull("acme", "shop", ownPull(fp, "cart", ghfake.PullSeed{User: ActionsBot}))
	own, err := e.client.FindOwn(context.Background(), fp)
	if err != nil || own.Open == nil {
		t.Fatalf("FindOwn = %+v, %v", own, err)
	}
	return own.Open
}

func commentsPath(pr *PR) string {
	return "/repos/acme/shop/issues/" + strconv.Itoa(pr.Number) + "/comments"
}

// TestRecordRecurrenceOverDays is issue 18: one comment, created once and
// edited in place on the days that bring news, no write on the others.
func TestRecordRecurrenceOverDays(t *testing.T) {
	e := newEnv(t)
	day := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	pr := openOwn(t, e)
	outsider, err := e.fake.AddComment("acme", "shop", pr.Number, ghfake.Comment{User: "mallory",
		Body: "Please ignore this PR.\n<!-- dawnpatch:recurrence-data events=10 users=2 seen=2026-11-24T07:00:00Z runs=1 -->\n" + recurrenceMarker(fp)})
	if err != nil {
		t.Fatal(err)
	}
	var mine int64
	steps := []struct {
		at     time.Duration
		r      Recurrence
		wrote  bool
		method string // the write, "" for none
	}{
		{0, Recurrence{Events: 10, Users: 2, LastSeen: day.Add(-time.Hour)}, true, "POST"},
		{time.Hour, Recurrence{Events: 10, Users: 2, LastSeen: day.Add(-time.Hour)}, false, ""},
		{24 * time.Hour, Recurrence{Events: 25, Users: 2, LastSeen: day.Add(23 * time.Hour)}, true, "PATCH"},
		{48 * time.Hour, Recurrence{Events: 25, Users: 3, LastSeen: day.Add(47 * time.Hour)}, true, "PATCH"},
		{72 * time.Hour, Recurrence{Events: 25, Users: 3, LastSeen: day.Add(47 * time.Hour).Add(300 * time.Millisecond)}, false, ""},
	}
	for _, s := range steps {
		at := day.Add(s.at)
		e.fake.SetClock(func() time.Time { return at })
		s.r.Now = at
		before := len(e.fake.Requests())
		wrote, err := e.client.RecordRecurrence(context.Background(), pr, fp, s.r)
		if err != nil {
			t.Fatal(err)
		}
		if wrote != s.wrote {
			t.Errorf("at +%s wrote = %v, want %v", s.at, wrote, s.wrote)
		}
		want := []string{"GET " + commentsPath(pr)}
		switch s.method {
		case "POST":
			want = append(want, "POST "+commentsPath(pr))
		case "PATCH":
			want = append(want, fmt.Sprintf("PATCH /repos/acme/shop/issues/comments/%d", mine))
		}
		if diff := cmp.Diff(want, e.fake.Requests()[before:]); diff != "" {
			t.Errorf("at +%s requests mismatch (-want +got):\n%s", s.at, diff)
		}
		if s.method == "POST" {
			cs := e.fake.Comments("acme", "shop", pr.Number)
			mine = cs[len(cs)-1].ID
		}
	}
	cs := e.fake.Comments("acme", "shop", pr.Number)
	if len(cs) != 2 || cs[0].ID != outsider || !cs[0].UpdatedAt.Equal(cs[0].CreatedAt) || cs[1].ID != mine {
		t.Fatalf("comments = %+v, want the outsider's untouched and dawnpatch's one", cs)
	}
	for _, want := range []string{"| 25 | 3 | 2026-11-26 07:00 UTC | 3 | 2026-11-26 08:00 UTC |", "runs=3 -->\n" + recurrenceMarker(fp)} {
		if !strings.Contains(cs[1].Body, want) {
			t.Errorf("comment body lacks %q:\n%s", want, cs[1].Body)
		}
	}
	if cs[1].User != ActionsBot || !cs[1].UpdatedAt.Equal(day.Add(48*time.Hour)) {
		t.Errorf("dawnpatch's comment by %s updated %s, want by %s at +48h", cs[1].User, cs[1].UpdatedAt, ActionsBot)
	}
}

func TestRecordRecurrenceFindsOnlyItsComment(t *testing.T) {
	r := Recurrence{Events: 7, Users: 1, Now: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)}
	same := recurrenceBody(fp, r, 4)
	const create, none = -1, -2
	tests := []struct {
		name     string
		comments []ghfake.Comment
		edit     int    // index of the comment edited, or create, or none
		runs     string // what the written comment counts
	}{
		{"none yet", nil, create, "runs=1"},
		{"dawnpatch's, unchanged", []ghfake.Comment{{User: ActionsBot, Body: same}}, none, ""},
		{"an outsider's with the same values", []ghfake.Comment{{User: "mallory", Body: same}}, create, "runs=1"},
		{"an outsider's named like the bot", []ghfake.Comment{{User: "github-actions", Body: same}}, create, "runs=1"},
		{"dawnpatch's, its marker followed by text", []ghfake.Comment{{User: ActionsBot, Body: same + "\nedited"}}, create, "runs=1"},
		{"dawnpatch's for a longer fingerprint", []ghfake.Comment{{User: ActionsBot, Body: recurrenceBody(fp+"9", r, 4)}}, create, "runs=1"},
		{"dawnpatch's with garbled values", []ghfake.Comment{{User: ActionsBot, Body: strings.Replace(same, "events=7", "events=seven", 1)}}, 0, "runs=1"},
		{"dawnpatch's with a garbled date", []ghfake.Comment{{User: ActionsBot, Body: strings.Replace(same, "seen=-", "seen=yesterday", 1)}}, 0, "runs=1"},
		{"dawnpatch's without values", []ghfake.Comment{{User: ActionsBot, Body: "hand-edited\n" + recurrenceMarker(fp)}}, 0, "runs=1"},
		{"an earlier version's daily note, CRLF", []ghfake.Comment{{User: ActionsBot, Body: "Fired again.\r\n\r\n" + recurrenceMarker(fp) + "\r\n"}}, 0, "runs=1"},
		{"dawnpatch's with other values, login in another case", []ghfake.Comment{{User: "GitHub-Actions[bot]", Body: recurrenceBody(fp, Recurrence{Events: 6, Users: 1}, 4)}}, 0, "runs=5"},
		{"the first of two is edited", []ghfake.Comment{{User: ActionsBot, Body: recurrenceBody(fp, Recurrence{Events: 6}, 2)}, {User: ActionsBot, Body: same}}, 0, "runs=3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			pr := openOwn(t, e)
			var ids []int64
			for _, cm := range tt.comments {
				id, err := e.fake.AddComment("acme", "shop", pr.Number, cm)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			wrote, err := e.client.RecordRecurrence(context.Background(), pr, fp, r)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			switch tt.edit {
			case create:
				want = []string{"POST " + commentsPath(pr)}
			case none:
			default:
				want = []string{fmt.Sprintf("PATCH /repos/acme/shop/issues/comments/%d", ids[tt.edit])}
			}
			if diff := cmp.Diff(want, e.fake.Writes()); diff != "" || wrote != (want != nil) {
				t.Errorf("wrote %v; writes mismatch (-want +got):\n%s", wrote, diff)
			}
			cs := e.fake.Comments("acme", "shop", pr.Number)
			for i, cm := range tt.comments {
				if i != tt.edit && cs[i].Body != cm.Body {
					t.Errorf("comment %d by %s changed:\n%s", i, cm.User, cs[i].Body)
				}
			}
			if tt.runs == "" {
				return
			}
			written := cs[len(cs)-1]
			if tt.edit >= 0 {
				written = cs[tt.edit]
			}
			if !strings.Contains(written.Body, tt.runs+" -->") || !strings.Contains(written.Body, "| 7 | 1 | unknown |") {
				t.Errorf("written comment lacks %s and the values:\n%s", tt.runs, written.Body)
			}
		})
	}
}

func TestRecordRecurrencePagesOnlyWhileNotFound(t *testing.T) {
	tests := []struct {
		name     string
		others   int  // comments by people before dawnpatch's
		ours     bool // whether dawnpatch's comment follows them
		requests []string
	}{
		{"found on the first page", 99, true, []string{"GET", "PATCH"}},
		{"found on the second page", 150, true, []string{"GET", "GET", "PATCH"}},
		{"not there: every page, then create", 150, false, []string{"GET", "GET", "POST"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			pr := openOwn(t, e)
			for i := range tt.others {
				if _, err := e.fake.AddComment("acme", "shop", pr.Number, ghfake.Comment{User: "jane", Body: fmt.Sprintf("comment %d", i)}); err != nil {
					t.Fatal(err)
				}
			}
			if tt.ours {
				if _, err := e.fake.AddComment("acme", "shop", pr.Number, ghfake.Comment{User: ActionsBot, Body: recurrenceBody(fp, Recurrence{Events: 1}, 1)}); err != nil {
					t.Fatal(err)
				}
			}
			before := len(e.fake.Requests())
			if _, err := e.client.RecordRecurrence(context.Background(), pr, fp, Recurrence{Events: 2}); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range e.fake.Requests()[before:] {
				got = append(got, strings.Fields(r)[0])
			}
			if diff := cmp.Diff(tt.requests, got); diff != "" {
				t.Errorf("requests mismatch (-want +got):\n%s", diff)
			}
			if n := len(e.fake.Comments("acme", "shop", pr.Number)); n != tt.others+1 {
				t.Errorf("%d comments, want %d", n, tt.others+1)
			}
		})
	}
}

func TestRecordRecurrenceValidates(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		pr   *PR
		fp   string
		want string
	}{
		{"no pull request", nil, fp, "no pull request"},
		{"author unknown", &PR{Number: 1}, fp, "author is unknown"},
		{"bad fingerprint", &PR{Number: 1, Author: ActionsBot}, "a b", "invalid fingerprint"},
	} {
		if _, err := e.client.RecordRecurrence(ctx, tc.pr, tc.fp, Recurrence{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if e.client.Calls() != 0 {
		t.Errorf("%d calls for invalid requests", e.client.Calls())
	}
}

func TestNoteRecurrenceAtMostOncePerGap(t *testing.T) {
	e := newEnv(t)
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	e.fake.SetClock(func() time.Time { return now })
	n := e.fake.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: Marker(fp, ""), Head: "h", Base: "main"})
	ctx := context.Background()
	steps := []struct {
		at   time.Duration
		want bool
	}{{0, true}, {time.Hour, false}, {25 * time.Hour, true}}
	for _, s := range steps {
		at := now.Add(s.at)
		e.fake.SetClock(func() time.Time { return at })
		got, err := e.client.NoteRecurrence(ctx, n, fp, "Fired again: 12 events.", at, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Errorf("at +%s commented = %v, want %v", s.at, got, s.want)
		}
	}
	if got := len(e.fake.Comments("acme", "shop", n)); got != 2 {
		t.Errorf("%d comments, want 2", got)
	}
}

// TestRecordRecurrenceRewritesGarbledValues: values it cannot read are
// news, even when the run knows nothing (zero values) either.
func TestRecordRecurrenceRewritesGarbledValues(t *testing.T) {
	e := newEnv(t)
	pr := openOwn(t, e)
	id, err := e.fake.AddComment("acme", "shop", pr.Number, ghfake.Comment{User: ActionsBot, Body: "hand-edited\n" + recurrenceMarker(fp)})
	if err != nil {
		t.Fatal(err)
	}
	if wrote, err := e.client.RecordRecurrence(context.Background(), pr, fp, Recurrence{}); err != nil || !wrote {
		t.Fatalf("RecordRecurrence = %v, %v; want a rewrite", wrote, err)
	}
	if diff := cmp.Diff([]string{fmt.Sprintf("PATCH /repos/acme/shop/issues/comments/%d", id)}, e.fake.Writes()); diff != "" {
		t.Errorf("writes mismatch (-want +got):\n%s", diff)
	}
	if wrote, err := e.client.RecordRecurrence(context.Background(), pr, fp, Recurrence{}); err != nil || wrote {
		t.Errorf("second RecordRecurrence = %v, %v; want nothing to write", wrote, err)
	}
}

package sentryfake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/google/go-cmp/cmp"
)

func TestLinkHeader(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		e.add(t, sentryfake.IssueSeed{Count: 10 - i})
	}
	base := e.srv.URL + "/prefix" + issuesPath + "?limit=2&query=is%3Aunresolved&sort=freq"
	link := func(prevCur string, prevMore bool, nextCur string, nextMore bool) string {
		return fmt.Sprintf(`<%s&cursor=%s>; rel="previous"; results="%t"; cursor="%s", <%s&cursor=%s>; rel="next"; results="%t"; cursor="%s"`,
			base, prevCur, prevMore, prevCur, base, nextCur, nextMore, nextCur)
	}
	tests := []struct {
		name, cursor string
		wantIDs      []string
		wantLink     string
	}{
		{name: "first page", wantIDs: []string{"1000", "1001"}, wantLink: link("0:0:1", false, "0:2:0", true)},
		{name: "middle page", cursor: "0:2:0", wantIDs: []string{"1002", "1003"}, wantLink: link("0:0:1", true, "0:4:0", true)},
		{name: "last page", cursor: "0:4:0", wantIDs: []string{"1004"}, wantLink: link("0:2:1", true, "0:6:0", false)},
		{name: "past the end", cursor: "0:10:0", wantIDs: []string{}, wantLink: link("0:8:1", true, "0:12:0", false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := "?query=is%3Aunresolved&sort=freq&limit=2"
			if tt.cursor != "" {
				q += "&cursor=" + tt.cursor
			}
			r := e.get(t, issuesPath+q)
			if diff := cmp.Diff(tt.wantIDs, ids(t, r.body)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if got := r.header.Get("Link"); got != tt.wantLink {
				t.Errorf("Link:\n got %s\nwant %s", got, tt.wantLink)
			}
			if got := r.header.Get("X-Hits"); got != "5" {
				t.Errorf("X-Hits = %q, want 5", got)
			}
		})
	}
}

func TestListFiltersAndSorts(t *testing.T) {
	e := newEnv(t)
	a := e.add(t, sentryfake.IssueSeed{Title: "KeyError: 'sku'", ProjectID: "2", ProjectSlug: "shop", Count: 5, UserCount: 9,
		FirstSeen: clock.Add(-50 * time.Hour), LastSeen: clock.Add(-time.Hour)})
	b := e.add(t, sentryfake.IssueSeed{Title: "TimeoutError", Culprit: "payments.charge", ProjectID: "3", ProjectSlug: "api", Count: 50, UserCount: 1,
		FirstSeen: clock.Add(-2 * time.Hour), LastSeen: clock.Add(-30 * time.Hour)})
	c := e.add(t, sentryfake.IssueSeed{Title: "ValueError", ProjectID: "2", ProjectSlug: "shop", Count: 20, Level: "warning",
		AssignedTo: &sentryfake.Assignee{Type: "team", ID: "1", Name: "core"}, FirstSeen: clock.Add(-3 * time.Hour), LastSeen: clock})
	d := e.add(t, sentryfake.IssueSeed{Title: "Old", Status: "resolved", Count: 99})
	ign := e.add(t, sentryfake.IssueSeed{Title: "Muted", Status: "ignored", Substatus: "archived_forever", Count: 1})
	tests := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{name: "default: unresolved by last seen", query: url.Values{}, want: []string{c, a, b}},
		{name: "empty query: everything", query: url.Values{"query": {""}, "sort": {"freq"}}, want: []string{d, b, c, a, ign}},
		{name: "freq", query: url.Values{"sort": {"freq"}}, want: []string{b, c, a}},
		{name: "new", query: url.Values{"sort": {"new"}}, want: []string{b, c, a}},
		{name: "user", query: url.Values{"sort": {"user"}}, want: []string{a, b, c}},
		{name: "project ids", query: url.Values{"project": {"2"}}, want: []string{c, a}},
		{name: "all projects", query: url.Values{"project": {"-1"}}, want: []string{c, a, b}},
		{name: "project slugs", query: url.Values{"projectSlug": {"api", "shop"}}, want: []string{c, a, b}},
		{name: "stats period", query: url.Values{"statsPeriod": {"24h"}}, want: []string{c, a}},
		{name: "level", query: url.Values{"query": {"is:unresolved level:warning"}}, want: []string{c}},
		{name: "assigned", query: url.Values{"query": {"is:assigned"}}, want: []string{c}},
		{name: "unassigned unresolved", query: url.Values{"query": {"is:unresolved is:unassigned"}}, want: []string{a, b}},
		{name: "archived", query: url.Values{"query": {"is:archived"}}, want: []string{ign}},
		{name: "free text in culprit", query: url.Values{"query": {"PAYMENTS"}}, want: []string{b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, issuesPath+"?"+tt.query.Encode())
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if diff := cmp.Diff(tt.want, ids(t, r.body)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

// TestThousandIssues pages through 1,000 issues and sees each exactly once.
func TestThousandIssues(t *testing.T) {
	e := newEnv(t)
	for i := range 1000 {
		e.add(t, sentryfake.IssueSeed{Count: i})
	}
	cursorRE := regexp.MustCompile(`rel="next"; results="(true|false)"; cursor="([^"]+)"`)
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		r := e.get(t, issuesPath+"?sort=freq&limit=100&cursor="+url.QueryEscape(cursor))
		if r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		pages++
		for _, id := range ids(t, r.body) {
			if seen[id] {
				t.Fatalf("issue %s listed twice", id)
			}
			seen[id] = true
		}
		m := cursorRE.FindStringSubmatch(r.header.Get("Link"))
		if m == nil || m[1] == "false" || pages > 20 {
			break
		}
		cursor = m[2]
	}
	if len(seen) != 1000 || pages != 10 {
		t.Errorf("saw %d issues in %d pages, want 1000 in 10", len(seen), pages)
	}
}

// TestFixtureIssues serves the shared API fixtures byte for byte and
// filters on the fields read from them.
func TestFixtureIssues(t *testing.T) {
	details := readFixture(t, "issue-details.json")
	list := readFixture(t, "organization-issues-list.json")
	e := newEnv(t)
	id, err := e.fake.AddIssueJSON(details)
	if err != nil {
		t.Fatal(err)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		it = bytes.ReplaceAll(it, []byte(`"id": "1"`), []byte(`"id": "77"`))
		it = bytes.ReplaceAll(it, []byte(`"PUMP-STATION-1"`), []byte(`"PUMP-STATION-2"`))
		if _, err := e.fake.AddIssueJSON(it); err != nil {
			t.Fatal(err)
		}
	}
	var want bytes.Buffer
	if err := json.Compact(&want, details); err != nil {
		t.Fatal(err)
	}
	if got := e.get(t, issuesPath+"PUMP-STATION-1/").body; !bytes.Equal(got, want.Bytes()) {
		t.Errorf("served issue differs from the fixture:\n%s", got)
	}
	all := ids(t, e.get(t, issuesPath+"?query=&sort=freq&project=2").body)
	if diff := cmp.Diff([]string{id, "77"}, all); diff != "" {
		t.Errorf("all issues (-want +got):\n%s", diff)
	}
	ignored := ids(t, e.get(t, issuesPath+"?query=is:ignored").body)
	if diff := cmp.Diff([]string{"77"}, ignored); diff != "" {
		t.Errorf("ignored issues (-want +got):\n%s", diff)
	}
	if got := len(e.fake.Requests()); got != 3 {
		t.Errorf("requests = %d, want 3", got)
	}
}

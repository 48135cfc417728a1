package eval

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
)

// sentryOrg is the organization the fake Sentry serves.
const sentryOrg = "acme"

// SentryState is the one issue a fake Sentry serves for the run. With it,
// the event may be a dispatch naming only the issue id:
// {"action":"sentry-issue","client_payload":{"sentry_issue_id":"<id>"}}.
type SentryState struct {
	// ID is the issue's numeric id.
	ID      string `yaml:"id"`
	ShortID string `yaml:"short_id"`
	Title   string `yaml:"title"`
	Level   string `yaml:"level"`
	// Status is unresolved (the default), resolved or ignored.
	Status    string `yaml:"status"`
	Substatus string `yaml:"substatus"`
	Count     int    `yaml:"count"`
	UserCount int    `yaml:"user_count"`
	// FirstSeen and LastSeen are ages such as "2h"; default now.
	FirstSeen string `yaml:"first_seen"`
	LastSeen  string `yaml:"last_seen"`
	// Assignee, when set, assigns the issue to a user or a team.
	Assignee *SentryAssignee `yaml:"assignee"`
	// Event is the issue's latest event in Sentry's API format, a file
	// relative to the scenario.
	Event string `yaml:"event"`
}

// SentryAssignee is who a Sentry issue is assigned to.
type SentryAssignee struct {
	Type  string `yaml:"type"` // user or team
	ID    string `yaml:"id"`
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

// validate checks the Sentry state of the scenario in dir.
func (st *SentryState) validate(dir string) error {
	switch {
	case st.ID == "" || !digits(st.ID):
		return fmt.Errorf("sentry: id: want the issue's numeric id, got %q", st.ID)
	case !slices.Contains([]string{"", "unresolved", "resolved", "ignored"}, st.Status):
		return fmt.Errorf("sentry: status: want unresolved, resolved or ignored, got %q", st.Status)
	case st.Count < 0 || st.UserCount < 0:
		return fmt.Errorf("sentry: count and user_count must not be negative")
	case st.Assignee != nil && !slices.Contains([]string{"user", "team"}, st.Assignee.Type):
		return fmt.Errorf("sentry: assignee.type: want user or team, got %q", st.Assignee.Type)
	case st.Assignee != nil && st.Assignee.Name == "":
		return fmt.Errorf("sentry: assignee.name is required")
	case st.Event == "":
		return fmt.Errorf("sentry: event: the issue's latest event file is required")
	}
	for _, age := range []string{st.FirstSeen, st.LastSeen} {
		if d, err := parseAge(age); err != nil || d < 0 {
			return fmt.Errorf("sentry: invalid age %q (want a duration such as 2h)", age)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, st.Event))
	if err != nil {
		return fmt.Errorf("sentry: event: %w", err)
	}
	if !json.Valid(data) {
		return fmt.Errorf("sentry: event: %s is not valid JSON", st.Event)
	}
	return nil
}

// seed is the issue as the fake takes it, its ages counted back from now.
func (st *SentryState) seed(now time.Time) sentryfake.IssueSeed {
	first, _ := parseAge(st.FirstSeen)
	last, _ := parseAge(st.LastSeen)
	seed := sentryfake.IssueSeed{ID: st.ID, ShortID: st.ShortID, Title: st.Title, Level: st.Level,
		Status: st.Status, Substatus: st.Substatus, Count: st.Count, UserCount: st.UserCount,
		FirstSeen: now.Add(-first), LastSeen: now.Add(-last)}
	if a := st.Assignee; a != nil {
		seed.AssignedTo = &sentryfake.Assignee{Type: a.Type, ID: orDefault(a.ID, "1"), Name: a.Name, Email: a.Email}
	}
	return seed
}

// startSentry starts the fake Sentry when the scenario has one.
func (w *world) startSentry() error {
	st := w.s.Sentry
	if st == nil {
		return nil
	}
	fake := sentryfake.New(sentryOrg)
	fake.SetToken(Canaries["INPUT_SENTRY-TOKEN"])
	if _, err := fake.AddIssue(st.seed(time.Now())); err != nil {
		return fmt.Errorf("seed %s's Sentry: %w", w.s.Name, err)
	}
	raw, err := os.ReadFile(filepath.Join(w.s.Dir, st.Event))
	if err != nil {
		return fmt.Errorf("seed %s's Sentry: %w", w.s.Name, err)
	}
	if err := fake.AddEvent(st.ID, raw); err != nil {
		return fmt.Errorf("seed %s's Sentry: %w", w.s.Name, err)
	}
	w.sentry = fake
	w.sentrySrv = httptest.NewServer(fake)
	return nil
}

// sentryVars points the run's inputs at the fake Sentry; the token is
// already among the canaries.
func (w *world) sentryVars() {
	if w.sentrySrv == nil {
		return
	}
	w.vars["INPUT_SENTRY-BASE-URL"] = w.sentrySrv.URL
	w.vars["INPUT_SENTRY-ORG"] = sentryOrg
}

// sentryComments are the comments the run left on the fake Sentry, by
// where they are.
func (w *world) sentryComments() map[string]string {
	out := map[string]string{}
	if w.sentry == nil {
		return out
	}
	for _, c := range w.sentry.Comments(w.s.Sentry.ID) {
		out["Sentry comment "+c.ID] = c.Text
	}
	return out
}

// parseAge reads an age such as "2h"; "" is no age.
func parseAge(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

package sentryapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Issue is a Sentry issue (a group of events) as the web API describes it.
// Every string in it came from Sentry and is untrusted data.
type Issue struct {
	// ID is the numeric issue id, as a string ("1341191803").
	ID string
	// ShortID is the human id, the project slug and a suffix
	// ("PUMP-STATION-1").
	ShortID string
	// Title is Sentry's title, usually "Type: message".
	Title string
	// Culprit names where the error happened, per the SDK.
	Culprit string
	// Permalink is the issue's web page.
	Permalink string
	// Status is unresolved, resolved or ignored (archived).
	Status string
	// Substatus refines Status: ongoing, escalating, new, regressed,
	// archived_until_escalating, archived_until_condition_met,
	// archived_forever; "" when Sentry gives none.
	Substatus string
	// Level is fatal, error, warning, info or debug.
	Level string
	// Project is the project slug.
	Project string
	// ProjectID is the numeric project id.
	ProjectID string
	// Platform is the issue's platform (python, javascript, go, ...).
	Platform string
	// Count is how many events the issue has, in the requested period for
	// lists.
	Count int
	// UserCount is how many distinct users saw it.
	UserCount int
	// FirstSeen and LastSeen bound the issue's events; zero when absent.
	FirstSeen, LastSeen time.Time
	// AssignedTo is "user:<name>", "team:<name>", or "" when unassigned.
	// A user's name falls back to the email, then the id.
	AssignedTo string
}

// wireIssue is the JSON shape of an issue in Sentry's API (camelCase).
type wireIssue struct {
	ID        flexString `json:"id"`
	ShortID   string     `json:"shortId"`
	Title     string     `json:"title"`
	Culprit   string     `json:"culprit"`
	Permalink string     `json:"permalink"`
	Status    string     `json:"status"`
	Substatus string     `json:"substatus"`
	Level     string     `json:"level"`
	Platform  string     `json:"platform"`
	Count     flexInt    `json:"count"`
	UserCount flexInt    `json:"userCount"`
	FirstSeen *time.Time `json:"firstSeen"`
	LastSeen  *time.Time `json:"lastSeen"`
	Project   struct {
		ID   flexString `json:"id"`
		Slug string     `json:"slug"`
	} `json:"project"`
	AssignedTo json.RawMessage `json:"assignedTo"`
}

// DecodeIssue reads one issue in the API's JSON shape: the body of GET
// …/issues/{id}/, or data.issue of an "issue" webhook.
func DecodeIssue(data []byte) (Issue, error) {
	var w wireIssue
	if err := json.Unmarshal(data, &w); err != nil {
		return Issue{}, fmt.Errorf("decode sentry issue: %w", err)
	}
	return w.issue()
}

// DecodeIssues reads a list of issues, the body of GET …/issues/.
func DecodeIssues(data []byte) ([]Issue, error) {
	var ws []wireIssue
	if err := json.Unmarshal(data, &ws); err != nil {
		return nil, fmt.Errorf("decode sentry issues: %w", err)
	}
	out := make([]Issue, 0, len(ws))
	for i, w := range ws {
		is, err := w.issue()
		if err != nil {
			return nil, fmt.Errorf("decode sentry issues: [%d]: %w", i, err)
		}
		out = append(out, is)
	}
	return out, nil
}

func (w *wireIssue) issue() (Issue, error) {
	assigned, err := assignee(w.AssignedTo)
	if err != nil {
		return Issue{}, err
	}
	is := Issue{
		ID: string(w.ID), ShortID: w.ShortID, Title: w.Title, Culprit: w.Culprit,
		Permalink: w.Permalink, Status: w.Status, Substatus: w.Substatus, Level: w.Level,
		Project: w.Project.Slug, ProjectID: string(w.Project.ID), Platform: w.Platform,
		Count: int(w.Count), UserCount: int(w.UserCount), AssignedTo: assigned,
	}
	if w.FirstSeen != nil {
		is.FirstSeen = w.FirstSeen.UTC()
	}
	if w.LastSeen != nil {
		is.LastSeen = w.LastSeen.UTC()
	}
	return is, nil
}

// assignee reads assignedTo: null, {"type":"user"|"team","name":…}, or a
// bare name as older Sentry versions sent.
func assignee(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var name string
	if json.Unmarshal(raw, &name) == nil {
		return name, nil
	}
	var a struct {
		Type  string     `json:"type"`
		ID    flexString `json:"id"`
		Name  string     `json:"name"`
		Email string     `json:"email"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return "", fmt.Errorf("assignedTo: %w", err)
	}
	who := a.Name
	if who == "" {
		who = a.Email
	}
	if who == "" {
		who = string(a.ID)
	}
	if a.Type == "" {
		a.Type = "user"
	}
	return a.Type + ":" + who, nil
}

// flexInt reads a count Sentry sends as a number or as a string ("150").
type flexInt int

// UnmarshalJSON accepts null, a non-negative number or a string of digits.
func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" || s == `""` {
		*n = 0
		return nil
	}
	if uq, err := strconv.Unquote(s); err == nil {
		s = uq
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f < 0 || f > 1<<62 {
			return fmt.Errorf("count %s: want a number or a string of digits", truncate(string(b), 40))
		}
		v = int64(f)
	}
	if v < 0 {
		return fmt.Errorf("count %s: negative", truncate(string(b), 40))
	}
	*n = flexInt(v)
	return nil
}

// flexString reads an id Sentry sends as a string or a number.
type flexString string

// UnmarshalJSON accepts null, a string or a number.
func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s: want a string or a number", truncate(string(b), 40))
	}
	*f = flexString(n)
	return nil
}

package sentryfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// IssueSeed describes an issue to add. Zero fields get defaults: ID the
// next free number from 1000, ProjectSlug "app", ProjectID "1", ShortID the
// upper-cased slug and the id in base 36, Level "error", Status
// "unresolved" (with Substatus "ongoing"), Platform "other", FirstSeen and
// LastSeen the fake's clock, Permalink a sentry.io URL.
type IssueSeed struct {
	ID, ShortID    string
	Title, Culprit string
	Level          string
	Status         string
	Substatus      string
	Platform       string
	ProjectID      string
	ProjectSlug    string
	Count          int // rendered as a string, as Sentry does
	UserCount      int // rendered as a number
	FirstSeen      time.Time
	LastSeen       time.Time
	AssignedTo     *Assignee // nil: unassigned
	Permalink      string
	Type, Value    string // metadata.type and metadata.value
}

// Assignee is an issue's assignedTo.
type Assignee struct {
	Type  string `json:"type"` // "user" or "team"
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// Comment is a note posted on an issue through the API.
type Comment struct {
	ID      string
	IssueID string
	Text    string
	Created time.Time
}

type issue struct {
	seed     IssueSeed
	raw      []byte // the JSON served, when added with AddIssueJSON
	events   []event
	comments []Comment
}

type event struct {
	id  string
	raw []byte
}

// AddIssue adds an issue and returns its id. It fails on an id or short id
// already taken.
func (s *Server) AddIssue(seed IssueSeed) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaults(&seed)
	return seed.ID, s.insert(&issue{seed: seed})
}

func (s *Server) defaults(seed *IssueSeed) {
	if seed.ID == "" {
		for s.byID[strconv.Itoa(s.nextID)] != nil {
			s.nextID++
		}
		seed.ID = strconv.Itoa(s.nextID)
		s.nextID++
	}
	seed.ProjectSlug = cmpOr(seed.ProjectSlug, "app")
	seed.ProjectID = cmpOr(seed.ProjectID, "1")
	if seed.ShortID == "" {
		n, err := strconv.ParseInt(seed.ID, 10, 64)
		suffix := seed.ID
		if err == nil {
			suffix = strconv.FormatInt(n, 36)
		}
		seed.ShortID = strings.ToUpper(seed.ProjectSlug + "-" + suffix)
	}
	seed.Level = cmpOr(seed.Level, "error")
	seed.Status = cmpOr(seed.Status, "unresolved")
	if seed.Status == "unresolved" {
		seed.Substatus = cmpOr(seed.Substatus, "ongoing")
	}
	seed.Platform = cmpOr(seed.Platform, "other")
	now := s.now()
	seed.FirstSeen = cmpOr(seed.FirstSeen, now)
	seed.LastSeen = cmpOr(seed.LastSeen, now)
	seed.Permalink = cmpOr(seed.Permalink, fmt.Sprintf("https://sentry.io/organizations/%s/issues/%s/", s.org, seed.ID))
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func (s *Server) insert(is *issue) error {
	id, short := is.seed.ID, strings.ToUpper(is.seed.ShortID)
	if id == "" {
		return errors.New("add issue: no id")
	}
	if s.byID[id] != nil || s.byID[short] != nil {
		return fmt.Errorf("add issue %s (%s): id or short id already taken", id, is.seed.ShortID)
	}
	s.issues = append(s.issues, is)
	s.byID[id] = is
	if short != "" {
		s.byID[short] = is
	}
	return nil
}

// AddIssueJSON adds an issue given as Sentry's API JSON (for example a
// fixture's issue-details.json) and returns its id. The JSON is served
// byte for byte; the fields the fake filters and sorts on are read from it.
func (s *Server) AddIssueJSON(data []byte) (string, error) {
	var w struct {
		ID, ShortID, Title, Culprit, Level, Status, Substatus, Platform string
		Count                                                           flexInt
		UserCount                                                       flexInt
		FirstSeen, LastSeen                                             time.Time
		Project                                                         struct{ ID, Slug string }
		AssignedTo                                                      *Assignee
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return "", fmt.Errorf("add issue json: %w", err)
	}
	seed := IssueSeed{
		ID: w.ID, ShortID: w.ShortID, Title: w.Title, Culprit: w.Culprit, Level: w.Level,
		Status: w.Status, Substatus: w.Substatus, Platform: w.Platform, Count: int(w.Count),
		UserCount: int(w.UserCount), FirstSeen: w.FirstSeen, LastSeen: w.LastSeen,
		ProjectID: w.Project.ID, ProjectSlug: w.Project.Slug, AssignedTo: w.AssignedTo,
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return "", fmt.Errorf("add issue json: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return w.ID, s.insert(&issue{seed: seed, raw: buf.Bytes()})
}

// AddEvent adds an event, Sentry's API-format event JSON, to the issue; the
// last one added is the issue's latest event. The JSON is served byte for
// byte.
func (s *Server) AddEvent(issueID string, raw []byte) error {
	var head struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return fmt.Errorf("add event to issue %s: not a JSON object: %w", issueID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.lookup(issueID)
	if is == nil {
		return fmt.Errorf("add event to issue %s: no such issue", issueID)
	}
	is.events = append(is.events, event{id: head.ID, raw: bytes.Clone(raw)})
	return nil
}

// Comments returns the notes posted on the issue (numeric or short id),
// oldest first.
func (s *Server) Comments(issueID string) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if is := s.lookup(issueID); is != nil {
		return append([]Comment(nil), is.comments...)
	}
	return nil
}

// flexInt reads a count sent as a number or a string.
type flexInt int

// UnmarshalJSON accepts null, a number or a string of digits.
func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("count %s: not a number", b)
	}
	*n = flexInt(v)
	return nil
}

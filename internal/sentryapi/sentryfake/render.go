package sentryfake

import (
	"encoding/json"
	"strconv"
	"time"
)

// wireIssue is an issue in the shape Sentry's issue endpoints return
// (StreamGroupSerializer): camelCase, count as a string, userCount as a
// number, nulls where Sentry has them.
type wireIssue struct {
	Annotations         []string            `json:"annotations"`
	AssignedTo          *Assignee           `json:"assignedTo"`
	Count               string              `json:"count"`
	Culprit             string              `json:"culprit"`
	FirstSeen           string              `json:"firstSeen"`
	HasSeen             bool                `json:"hasSeen"`
	ID                  string              `json:"id"`
	IsBookmarked        bool                `json:"isBookmarked"`
	IsPublic            bool                `json:"isPublic"`
	IsSubscribed        bool                `json:"isSubscribed"`
	IssueCategory       string              `json:"issueCategory"`
	IssueType           string              `json:"issueType"`
	LastSeen            string              `json:"lastSeen"`
	Level               string              `json:"level"`
	Logger              *string             `json:"logger"`
	Metadata            map[string]string   `json:"metadata"`
	NumComments         int                 `json:"numComments"`
	Permalink           string              `json:"permalink"`
	Platform            string              `json:"platform"`
	Priority            string              `json:"priority"`
	Project             wireProject         `json:"project"`
	ShareID             *string             `json:"shareId"`
	ShortID             string              `json:"shortId"`
	Stats               map[string][][2]int `json:"stats"`
	Status              string              `json:"status"`
	StatusDetails       struct{}            `json:"statusDetails"`
	Substatus           *string             `json:"substatus"`
	SubscriptionDetails *struct{}           `json:"subscriptionDetails"`
	Title               string              `json:"title"`
	Type                string              `json:"type"`
	UserCount           int                 `json:"userCount"`
}

type wireProject struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	Platform string `json:"platform"`
}

// sentryTime formats t as Sentry's API does.
func sentryTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// render returns the issue's JSON: the stored JSON of AddIssueJSON, or the
// seed in Sentry's shape.
func (is *issue) render() []byte {
	if is.raw != nil {
		return is.raw
	}
	sd := is.seed
	w := wireIssue{
		Annotations: []string{}, AssignedTo: sd.AssignedTo, Count: strconv.Itoa(sd.Count),
		Culprit: sd.Culprit, FirstSeen: sentryTime(sd.FirstSeen), ID: sd.ID, IsSubscribed: true,
		IssueCategory: "error", IssueType: "error", LastSeen: sentryTime(sd.LastSeen), Level: sd.Level,
		Metadata:    map[string]string{"title": sd.Title},
		NumComments: len(is.comments), Permalink: sd.Permalink, Platform: sd.Platform, Priority: "medium",
		Project: wireProject{ID: sd.ProjectID, Name: sd.ProjectSlug, Slug: sd.ProjectSlug, Platform: sd.Platform},
		ShortID: sd.ShortID, Stats: map[string][][2]int{"24h": {}}, Status: sd.Status,
		Title: sd.Title, Type: "error", UserCount: sd.UserCount,
	}
	if sd.Type != "" || sd.Value != "" {
		w.Metadata = map[string]string{"type": sd.Type, "value": sd.Value}
	}
	if sd.Substatus != "" {
		w.Substatus = &sd.Substatus
	}
	data, _ := json.Marshal(w) // plain strings, ints and maps: cannot fail
	return data
}

package sentryapi

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestDecodeFixtures decodes the shared API fixtures through the client's
// types, so a field name that does not match Sentry's shows up as a zero
// value. issue-event-latest.json is checked in events_test.go;
// issue-events-list.json is a list of event summaries the client does not
// read.
func TestDecodeFixtures(t *testing.T) {
	pump := Issue{
		ID: "1", ShortID: "PUMP-STATION-1", Title: "This is an example Python exception",
		Culprit: "raven.scripts.runner in main", Permalink: "https://sentry.io/the-interstellar-jurisdiction/pump-station/issues/1/",
		Level: "error", Project: "pump-station", ProjectID: "2", Platform: "python",
		FirstSeen: ts("2018-11-06T21:19:55Z"),
	}
	details := pump
	details.Status, details.Substatus, details.Count, details.UserCount = "unresolved", "ongoing", 150, 12
	details.LastSeen, details.AssignedTo = ts("2018-12-06T21:19:55Z"), "user:John Doe"
	orgList := pump
	orgList.Status, orgList.Substatus, orgList.Count = "ignored", "archived_until_condition_met", 150
	orgList.LastSeen, orgList.AssignedTo = ts("2018-12-06T21:19:55Z"), "user:John Doe"
	projList := pump
	projList.Status, projList.Count, projList.Platform = "unresolved", 1, ""
	projList.LastSeen = ts("2018-11-06T21:19:55Z")

	tests := []struct {
		name string
		file string
		list bool
		want []Issue
	}{
		{name: "issue details", file: "issue-details.json", want: []Issue{details}},
		{name: "organization issues", file: "organization-issues-list.json", list: true, want: []Issue{orgList}},
		{name: "project issues", file: "project-issues-list.json", list: true, want: []Issue{projList}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := readFixture(t, tt.file)
			var got []Issue
			if tt.list {
				var err error
				if got, err = DecodeIssues(data); err != nil {
					t.Fatal(err)
				}
			} else {
				is, err := DecodeIssue(data)
				if err != nil {
					t.Fatal(err)
				}
				got = []Issue{is}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decoded issues (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeIssueForms(t *testing.T) {
	tests := []struct {
		name                string
		json                string
		wantCount, wantUser int
		wantAssigned        string
		wantProjectID       string
	}{
		{name: "count as string", json: `{"count":"150","userCount":12}`, wantCount: 150, wantUser: 12},
		{name: "count as number", json: `{"count":150,"userCount":"12"}`, wantCount: 150, wantUser: 12},
		{name: "nulls", json: `{"count":null,"userCount":null,"assignedTo":null}`},
		{name: "empty count string", json: `{"count":""}`},
		{name: "large count", json: `{"count":"4294967296"}`, wantCount: 4294967296},
		{name: "float count", json: `{"count":3.0}`, wantCount: 3},
		{name: "team", json: `{"assignedTo":{"type":"team","id":"4","name":"backend"}}`, wantAssigned: "team:backend"},
		{name: "user without name", json: `{"assignedTo":{"type":"user","id":"7","email":"a@example.com"}}`, wantAssigned: "user:a@example.com"},
		{name: "user id only", json: `{"assignedTo":{"type":"user","id":7}}`, wantAssigned: "user:7"},
		{name: "legacy string", json: `{"assignedTo":"jane"}`, wantAssigned: "jane"},
		{name: "numeric project id", json: `{"project":{"id":42,"slug":"shop"}}`, wantProjectID: "42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is, err := DecodeIssue([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if is.Count != tt.wantCount || is.UserCount != tt.wantUser {
				t.Errorf("count, userCount = %d, %d; want %d, %d", is.Count, is.UserCount, tt.wantCount, tt.wantUser)
			}
			if is.AssignedTo != tt.wantAssigned {
				t.Errorf("AssignedTo = %q, want %q", is.AssignedTo, tt.wantAssigned)
			}
			if is.ProjectID != tt.wantProjectID {
				t.Errorf("ProjectID = %q, want %q", is.ProjectID, tt.wantProjectID)
			}
		})
	}
}

func TestDecodeIssueErrors(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{name: "count not a number", json: `{"count":"many"}`, want: "count"},
		{name: "negative float count", json: `{"count":-1.5}`, want: "count"},
		{name: "negative count string", json: `{"count":"-5"}`, want: "negative"},
		{name: "assignedTo a number", json: `{"assignedTo":5}`, want: "assignedTo"},
		{name: "not an object", json: `[1]`, want: "decode sentry issue"},
		{name: "bad time", json: `{"firstSeen":"yesterday"}`, want: "decode sentry issue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeIssue([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("DecodeIssue error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

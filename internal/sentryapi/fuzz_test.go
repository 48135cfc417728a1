package sentryapi

import (
	"strings"
	"testing"
)

// FuzzDecodeIssue: any input decodes or fails with an error, never panics.
func FuzzDecodeIssue(f *testing.F) {
	for _, s := range []string{
		`{"id":"1","count":"150","userCount":12,"assignedTo":{"type":"team","name":"x"}}`,
		`{"count":1e400}`, `{"assignedTo":""}`, `null`, `{"firstSeen":null}`, `{"project":{"id":1.5}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		is, err := DecodeIssue(data)
		if err == nil && (is.Count < 0 || is.UserCount < 0) {
			t.Errorf("negative count decoded from %q: %+v", data, is)
		}
	})
}

// FuzzValidIssueID: an accepted id holds only characters that need no
// escaping in a URL path.
func FuzzValidIssueID(f *testing.F) {
	for _, s := range []string{"1", "PROJ-1A", "../x", "a-b-c", "%2e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if ValidIssueID(id) != nil {
			return
		}
		if strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			t.Errorf("accepted %q", id)
		}
	})
}

// FuzzNextCursor: any Link header yields a cursor or "", never a panic.
func FuzzNextCursor(f *testing.F) {
	f.Add(`<https://x/?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <https://x/?&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"`)
	f.Add(`<>;rel=next;results=true`)
	f.Fuzz(func(t *testing.T, h string) {
		_ = nextCursor(h)
	})
}

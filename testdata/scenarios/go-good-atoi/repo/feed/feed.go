// Package feed serves a team's activity feed: the newest entries first, a
// page at a time.
package feed

import "time"

// Entry is one event in the activity feed.
type Entry struct {
	ID     int       `json:"id"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	At     time.Time `json:"at"`
}

// Window returns the n entries that start at index start, fewer at the end
// of the feed, and none past it. start must not be negative.
func Window(entries []Entry, start, n int) []Entry {
	if start >= len(entries) {
		return nil
	}
	end := min(start+n, len(entries))
	return entries[start:end]
}

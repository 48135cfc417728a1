package sentryfake

import (
	"net/http"
	"strconv"
	"strings"
)

// wireNote is a note as Sentry returns it: an activity of type "note".
type wireNote struct {
	ID          string         `json:"id"`
	User        map[string]any `json:"user"`
	Type        string         `json:"type"`
	Data        noteData       `json:"data"`
	DateCreated string         `json:"dateCreated"`
}

type noteData struct {
	Text     string   `json:"text"`
	Mentions []string `json:"mentions"`
}

func (cm Comment) wire() wireNote {
	return wireNote{
		ID:          cm.ID,
		User:        map[string]any{"id": "1", "name": "dawnpatch", "username": "dawnpatch"},
		Type:        "note",
		Data:        noteData{Text: cm.Text, Mentions: []string{}},
		DateCreated: sentryTime(cm.Created),
	}
}

// createComment answers POST …/issues/{id}/comments/ (or notes/) with body
// {"text": …}: 201 and the note, or 400 without text.
func (c *call) createComment() {
	var in struct {
		Text *string `json:"text"`
	}
	if !c.decode(&in) {
		return
	}
	if in.Text == nil || strings.TrimSpace(*in.Text) == "" {
		writeJSON(c.w, http.StatusBadRequest, map[string][]string{"text": {"This field is required."}})
		return
	}
	c.s.nextID++
	cm := Comment{
		ID: strconv.Itoa(c.s.nextID), IssueID: c.issue.seed.ID,
		Text: *in.Text, Created: c.s.now(),
	}
	c.issue.comments = append(c.issue.comments, cm)
	writeJSON(c.w, http.StatusCreated, cm.wire())
}

// listComments answers GET …/issues/{id}/comments/, newest first.
func (c *call) listComments() {
	out := make([]wireNote, 0, len(c.issue.comments))
	for i := len(c.issue.comments) - 1; i >= 0; i-- {
		out = append(out, c.issue.comments[i].wire())
	}
	writeJSON(c.w, http.StatusOK, out)
}

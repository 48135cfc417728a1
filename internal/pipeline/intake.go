package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi"
)

// maxInputBytes caps an event or incident file read at intake.
const maxInputBytes = 16 << 20

// Trigger is what started the run.
type Trigger struct {
	// EventName is GITHUB_EVENT_NAME: repository_dispatch, schedule,
	// workflow_dispatch, or "" for a local run.
	EventName string
	// Event is the event payload (the file at GITHUB_EVENT_PATH).
	Event []byte
	// Incident is the `incident` input: a Sentry issue id, a path to an
	// event or trace file, or raw stack-trace text.
	Incident string
}

var sentryIssueID = regexp.MustCompile(`^(?:\d{1,20}|[A-Z][A-Z0-9_-]{0,63}-[0-9A-Z]{1,12})$`)

// intake turns the trigger into a normalized, redacted incident.
func (r *run) intake(ctx context.Context, t Trigger) (*incident.Incident, *Outcome, error) {
	defer r.stage("intake")()
	switch {
	case strings.TrimSpace(t.Incident) != "":
		return r.intakeInput(ctx, strings.TrimSpace(t.Incident))
	case t.EventName == "repository_dispatch":
		d, err := incident.ParseDispatch(t.Event)
		if err != nil && json.Valid(t.Event) {
			// Another dispatch type may share the workflow: not ours to act on.
			return nil, Skip(ReasonInvalidInput, "the repository_dispatch event carries no dawnpatch incident: %v", err), nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("repository_dispatch event: %w", err)
		}
		if d.Incident == nil {
			return r.fromSentry(ctx, d.IssueID)
		}
		return d.Incident, nil, nil
	case t.EventName == "schedule" || t.EventName == "workflow_dispatch":
		return nil, nil, fmt.Errorf("a %s run without an incident polls Sentry: that is Poll, not Run", t.EventName)
	default:
		return nil, nil, fmt.Errorf("nothing to work on: event %q carries no incident and the incident input is empty", t.EventName)
	}
}

func (r *run) intakeInput(ctx context.Context, in string) (*incident.Incident, *Outcome, error) {
	if sentryIssueID.MatchString(in) {
		return r.fromSentry(ctx, in)
	}
	data := []byte(in)
	if !strings.ContainsAny(in, "\n{") && r.ReadFile != nil {
		b, err := r.ReadFile(in)
		if err != nil {
			return nil, nil, fmt.Errorf("read incident file %q: %w", in, err)
		}
		if len(b) > maxInputBytes {
			return nil, nil, fmt.Errorf("incident file %q is %d bytes, more than %d", in, len(b), maxInputBytes)
		}
		data = b
	}
	inc, err := incident.Parse(data, incident.FormatAuto)
	if err != nil {
		return r.invalid(fmt.Errorf("incident input: %w", err))
	}
	return inc, nil, nil
}

// invalid maps a parse failure: an event that carries no error to fix is
// an outcome; anything malformed is an error naming what is wrong.
func (r *run) invalid(err error) (*incident.Incident, *Outcome, error) {
	if errors.Is(err, incident.ErrNotAnError) {
		return nil, Skip(ReasonInvalidInput, "%v", err), nil
	}
	return nil, nil, err
}

// ReadFileCapped reads a file of at most maxInputBytes: the ReadFile the
// action uses.
func ReadFileCapped(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > maxInputBytes {
		return nil, fmt.Errorf("%d bytes, more than %d", info.Size(), maxInputBytes)
	}
	return os.ReadFile(path)
}

// fromSentry fetches an issue and its latest event from Sentry: the ids
// of a dispatch are trusted for nothing else.
func (r *run) fromSentry(ctx context.Context, id string) (*incident.Incident, *Outcome, error) {
	if r.Sentry == nil {
		return nil, nil, fmt.Errorf("the incident names Sentry issue %q only: set the sentry-token and sentry-org inputs so dawnpatch can fetch it", id)
	}
	if err := sentryapi.ValidIssueID(id); err != nil {
		return nil, nil, fmt.Errorf("client_payload.sentry_issue_id: %w", err)
	}
	issue, err := r.Sentry.Issue(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch Sentry issue %s: %w", id, err)
	}
	data, err := r.Sentry.LatestEvent(ctx, issue.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch the latest event of Sentry issue %s: %w", id, err)
	}
	inc, err := incident.Parse(data, incident.FormatSentryAPI)
	if err != nil {
		return r.invalid(fmt.Errorf("the latest event of Sentry issue %s: %w", id, err))
	}
	inc.Sentry = SentryRef(issue, inc.Sentry)
	return inc, nil, nil
}

// SentryRef describes a Sentry issue as the incident records it, keeping
// the event's id from prev.
func SentryRef(is sentryapi.Issue, prev *incident.SentryRef) *incident.SentryRef {
	ref := &incident.SentryRef{
		IssueID: is.ID, ShortID: is.ShortID, Project: is.Project, Permalink: is.Permalink,
		Status: is.Status, Substatus: is.Substatus, Assignee: is.AssignedTo,
		Count: is.Count, UserCount: is.UserCount, FirstSeen: is.FirstSeen, LastSeen: is.LastSeen,
	}
	if prev != nil {
		ref.EventID = prev.EventID
	}
	return ref
}

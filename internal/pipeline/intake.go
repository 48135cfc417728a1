package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/incident"
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
func (r *run) intake(t Trigger) (*incident.Incident, *Outcome, error) {
	defer r.stage("intake")()
	switch {
	case strings.TrimSpace(t.Incident) != "":
		return r.intakeInput(strings.TrimSpace(t.Incident))
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
			return nil, Skip(ReasonNotAvailable, "the dispatch names Sentry issue %s only; fetching issues from the Sentry API is not built yet, so send the whole event in client_payload.event", d.IssueID), nil
		}
		return d.Incident, nil, nil
	case t.EventName == "schedule" || t.EventName == "workflow_dispatch":
		return nil, Skip(ReasonNotAvailable, "polling Sentry on %s is not built yet; pass an event or a trace in the incident input", t.EventName), nil
	default:
		return nil, nil, fmt.Errorf("nothing to work on: event %q carries no incident and the incident input is empty", t.EventName)
	}
}

func (r *run) intakeInput(in string) (*incident.Incident, *Outcome, error) {
	if sentryIssueID.MatchString(in) {
		return nil, Skip(ReasonNotAvailable, "incident %s looks like a Sentry issue id; fetching issues from the Sentry API is not built yet", in), nil
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

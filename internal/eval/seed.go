package eval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// seed puts the scenario's GitHub state on the fake.
func (w *world) seed(ctx context.Context, base string) error {
	g := w.s.GitHub
	if len(g.Pulls) == 0 && len(g.Issues) == 0 && g.ClaimedAgo == "" {
		return nil
	}
	inc, err := w.incident()
	if err != nil {
		return err
	}
	fill := strings.NewReplacer("{{marker}}", ghwork.Marker(inc.Fingerprint, ""), "{{branch}}", ghwork.BranchName(inc.Fingerprint), "{{short_id}}", w.shortID(inc))
	now := time.Now()
	for i, p := range g.Pulls {
		ago, _ := time.ParseDuration(orDefault(p.Ago, "1h"))
		head := fill.Replace(p.Head)
		switch {
		case head != "":
		case strings.Contains(p.Body, "{{marker}}"):
			head = ghwork.BranchName(inc.Fingerprint)
		default:
			head = fmt.Sprintf("seed-%d", i)
		}
		w.gh.AddPull("acme", "app", ghfake.PullSeed{Title: p.Title, Body: fill.Replace(p.Body), State: p.State, Merged: p.Merged,
			User: p.User, Head: head, HeadOwner: p.Fork, Base: "main", CreatedAt: now.Add(-ago)})
	}
	for _, is := range g.Issues {
		w.gh.AddIssue("acme", "app", ghfake.IssueSeed{Title: fill.Replace(is.Title), Body: fill.Replace(is.Body), State: is.State, User: is.User})
	}
	if g.ClaimedAgo == "" {
		return nil
	}
	return w.claim(ctx, base, ghwork.BranchName(inc.Fingerprint), g.ClaimedAgo)
}

// claim makes another run's claim, made ago.
func (w *world) claim(ctx context.Context, base, branch, ago string) error {
	d, _ := time.ParseDuration(ago)
	at := time.Now().Add(-d)
	w.gh.SetClock(func() time.Time { return at })
	defer w.gh.SetClock(time.Now)
	gh, err := ghwork.New(nil, w.ghSrv.URL, "seed", "acme/app")
	if err != nil {
		return err
	}
	if _, err := gh.Claim(ctx, branch, base); err != nil {
		return fmt.Errorf("seed claim: %w", err)
	}
	return nil
}

// incident parses the scenario's incident as the pipeline will.
func (w *world) incident() (*incident.Incident, error) {
	if w.s.Event != "" || w.s.Dispatch != nil {
		data := w.s.Dispatch
		if data == nil {
			var err error
			if data, err = os.ReadFile(filepath.Join(w.s.Dir, w.s.Event)); err != nil {
				return nil, err
			}
		}
		d, err := incident.ParseDispatch(data)
		if err == nil && d.Incident == nil && w.s.Sentry != nil {
			return w.sentryIncident()
		}
		if err != nil || d.Incident == nil {
			return nil, fmt.Errorf("%s: the event carries no incident to seed GitHub with: %v", w.s.Name, err)
		}
		return d.Incident, nil
	}
	data, err := os.ReadFile(filepath.Join(w.s.Dir, w.s.Incident))
	if err != nil {
		return nil, err
	}
	return incident.Parse(data, incident.FormatAuto)
}

// sentryIncident parses the fake Sentry's latest event, which the pipeline
// fetches when the dispatch names only the issue, parsed the same way.
func (w *world) sentryIncident() (*incident.Incident, error) {
	data, err := os.ReadFile(filepath.Join(w.s.Dir, w.s.Sentry.Event))
	if err != nil {
		return nil, err
	}
	return incident.Parse(data, incident.FormatSentryAPI)
}

func (w *world) shortID(inc *incident.Incident) string {
	if w.s.Sentry != nil && w.s.Sentry.ShortID != "" {
		return w.s.Sentry.ShortID
	}
	if inc.Sentry != nil {
		return inc.Sentry.ShortID
	}
	return ""
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Package triage decides whether an error deserves a fix at all: first by
// rules (pure functions over the incident and the policy, no model, no
// network), later by one small model call.
package triage

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// Verdict is a rule's decision to stop, with the reason word and a detail
// naming the value that decided it. A nil *Verdict means "go on".
type Verdict struct {
	Reason string
	Detail string
}

func stop(reason, format string, args ...any) *Verdict {
	return &Verdict{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

type rule func(*incident.Incident, *config.Policy, time.Time) *Verdict

// Rules applies the policy's rules in order, cheapest and most decisive
// first, and returns the first that stops the run.
func Rules(inc *incident.Incident, p *config.Policy, now time.Time) *Verdict {
	return apply([]rule{sentryState, level, environment, frequency, age, ignored, external, inApp}, inc, p, now)
}

// IssueRules applies the rules that need no stack trace: what a Sentry
// issue list tells (state, level, counts, age, type and message), so a poll
// can triage every issue before fetching any event.
func IssueRules(inc *incident.Incident, p *config.Policy, now time.Time) *Verdict {
	return apply([]rule{sentryState, level, frequency, age, ignored, external}, inc, p, now)
}

func apply(rules []rule, inc *incident.Incident, p *config.Policy, now time.Time) *Verdict {
	for _, r := range rules {
		if v := r(inc, p, now); v != nil {
			return v
		}
	}
	return nil
}

func sentryState(inc *incident.Incident, _ *config.Policy, _ time.Time) *Verdict {
	s := inc.Sentry
	if s == nil {
		return nil
	}
	switch s.Status {
	case "resolved", "ignored", "archived", "muted":
		return stop("ignored-in-sentry", "the Sentry issue is %s", s.Status)
	}
	if s.Assignee != "" {
		return stop("assigned-to-human", "the Sentry issue is assigned to %s", s.Assignee)
	}
	return nil
}

func level(inc *incident.Incident, p *config.Policy, _ time.Time) *Verdict {
	if inc.Level == "" {
		return nil
	}
	if got, min := config.LevelRank(inc.Level), config.LevelRank(p.Triage.MinLevel); got >= 0 && got < min {
		return stop("noise", "level %s is below triage.min_level %s", inc.Level, p.Triage.MinLevel)
	}
	return nil
}

func environment(inc *incident.Incident, p *config.Policy, _ time.Time) *Verdict {
	envs := p.Triage.Environments
	if inc.Environment == "" || len(envs) == 0 || slices.Contains(envs, inc.Environment) {
		return nil
	}
	return stop("not-production", "environment %q is not in triage.environments %v", inc.Environment, envs)
}

func frequency(inc *incident.Incident, p *config.Policy, _ time.Time) *Verdict {
	s := inc.Sentry
	if s == nil || s.Count == 0 {
		return nil // unknown counts never stop a run
	}
	if s.Count < p.Triage.MinEvents {
		return stop("too-rare", "%d events, triage.min_events is %d", s.Count, p.Triage.MinEvents)
	}
	if s.UserCount < p.Triage.MinUsers {
		return stop("too-rare", "%d users, triage.min_users is %d", s.UserCount, p.Triage.MinUsers)
	}
	return nil
}

func age(inc *incident.Incident, p *config.Policy, now time.Time) *Verdict {
	max := time.Duration(p.Triage.MaxAge)
	if max == 0 || inc.Sentry == nil || inc.Sentry.FirstSeen.IsZero() {
		return nil
	}
	if since := now.Sub(inc.Sentry.FirstSeen); since > max {
		return stop("too-old", "first seen %s ago, triage.max_age is %s", since.Round(time.Hour), max)
	}
	return nil
}

func ignored(inc *incident.Incident, p *config.Policy, _ time.Time) *Verdict {
	crash, _ := inc.CrashFrame()
	for i, r := range p.Triage.Ignore {
		if matches(r, inc, crash.File) {
			return stop("noise", "matches triage.ignore[%d]", i)
		}
	}
	return nil
}

func matches(r config.IgnoreRule, inc *incident.Incident, file string) bool {
	if r.Type != "" && r.Type != inc.Type {
		return false
	}
	if r.Message != "" {
		if re, err := regexp.Compile(r.Message); err != nil || !re.MatchString(inc.Message) {
			return false
		}
	}
	if r.Path != "" {
		if ok, err := doublestar.Match(r.Path, strings.TrimPrefix(file, "/")); err != nil || !ok {
			return false
		}
	}
	return true
}

func external(inc *incident.Incident, p *config.Policy, _ time.Time) *Verdict {
	for i, pat := range p.Triage.External {
		if re, err := regexp.Compile(pat); err == nil && re.MatchString(inc.Message) {
			return stop("external", "the message matches triage.external[%d]", i)
		}
	}
	return nil
}

func inApp(inc *incident.Incident, _ *config.Policy, _ time.Time) *Verdict {
	if _, ok := inc.CrashFrame(); !ok {
		return stop("no-in-app-code", "none of the %d frames is marked in-app", len(inc.Frames))
	}
	return nil
}

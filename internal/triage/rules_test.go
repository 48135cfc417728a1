package triage

import (
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/incident"
)

func TestRules(t *testing.T) {
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	base := func() *incident.Incident {
		return &incident.Incident{
			Type: "runtime.Error", Message: "nil pointer", Level: "error", Environment: "production",
			Frames: []incident.Frame{{File: "lib/x.go", Function: "f"}, {File: "internal/orders/pricing.go", Function: "g", InApp: true}},
			Sentry: &incident.SentryRef{Status: "unresolved", Count: 10, UserCount: 3, FirstSeen: now.Add(-time.Hour)},
		}
	}
	policy := func(edit func(*config.Policy)) *config.Policy {
		p := config.Default()
		if edit != nil {
			edit(p)
		}
		return p
	}
	tests := []struct {
		name   string
		inc    func(*incident.Incident)
		policy func(*config.Policy)
		want   string
	}{
		{name: "acts", want: ""},
		{name: "warning is noise", inc: func(i *incident.Incident) { i.Level = "warning" }, want: "noise"},
		{name: "staging", inc: func(i *incident.Incident) { i.Environment = "staging" }, want: "not-production"},
		{name: "no environment acts", inc: func(i *incident.Incident) { i.Environment = "" }, want: ""},
		{name: "no in-app frame", inc: func(i *incident.Incident) { i.Frames[1].InApp = false }, want: "no-in-app-code"},
		{name: "resolved", inc: func(i *incident.Incident) { i.Sentry.Status = "resolved" }, want: "ignored-in-sentry"},
		{name: "assigned", inc: func(i *incident.Incident) { i.Sentry.Assignee = "jane" }, want: "assigned-to-human"},
		{name: "rare", policy: func(p *config.Policy) { p.Triage.MinEvents = 50 }, want: "too-rare"},
		{name: "few users", policy: func(p *config.Policy) { p.Triage.MinUsers = 5 }, want: "too-rare"},
		{name: "old", policy: func(p *config.Policy) { p.Triage.MaxAge = config.Duration(time.Minute) }, want: "too-old"},
		{name: "ignore by type", policy: func(p *config.Policy) { p.Triage.Ignore = []config.IgnoreRule{{Type: "runtime.Error"}} }, want: "noise"},
		{name: "ignore by path", policy: func(p *config.Policy) { p.Triage.Ignore = []config.IgnoreRule{{Path: "internal/**/pricing.go"}} }, want: "noise"},
		{name: "ignore needs all fields", policy: func(p *config.Policy) {
			p.Triage.Ignore = []config.IgnoreRule{{Type: "runtime.Error", Path: "cmd/**"}}
		}, want: ""},
		{name: "external", policy: func(p *config.Policy) { p.Triage.External = []string{`(?i)nil point`} }, want: "external"},
		{name: "a refused connection is external by default", inc: func(i *incident.Incident) { i.Message = "dial tcp 10.0.0.7:5432: connect: connection refused" }, want: "external"},
		{name: "a gateway timeout is external by default", inc: func(i *incident.Incident) { i.Message = "payments answered 504 Gateway Timeout" }, want: "external"},
		{name: "the default patterns leave bugs alone", inc: func(i *incident.Incident) { i.Message = "runtime error: index out of range [3] with length 3" }, want: ""},
		{name: "a policy can turn the defaults off", policy: func(p *config.Policy) { p.Triage.External = nil },
			inc: func(i *incident.Incident) { i.Message = "ECONNREFUSED 127.0.0.1:6379" }, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := base()
			if tt.inc != nil {
				tt.inc(inc)
			}
			v := Rules(inc, policy(tt.policy), now)
			got := ""
			if v != nil {
				got = v.Reason
				if v.Detail == "" {
					t.Error("a stop without a detail")
				}
			}
			if got != tt.want {
				t.Errorf("Rules = %q (%+v), want %q", got, v, tt.want)
			}
		})
	}
}

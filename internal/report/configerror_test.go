package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/config"
)

func TestConfigErrorSaysWhatWhereAndHowToFix(t *testing.T) {
	tests := []struct {
		name string
		err  *config.Error
		want []string
	}{
		{name: "an input", err: &config.Error{Field: "dry-run", Err: errors.New(`want true or false, got "yes"`)},
			want: []string{"**What is wrong:** the input `dry-run`:", "```text\nwant true or false, got \"yes\"\n```", "**Fix:** set `dry-run` under `with:`", "*Inputs* table"}},
		{name: "a secret input", err: &config.Error{Field: "sentry-token", Err: errors.New("is empty")},
			want: []string{"**What is wrong:** the input `sentry-token`:", "`sentry-token: ${{ secrets.NAME }}`"}},
		{name: "a policy field", err: &config.Error{File: ".github/dawnpatch.yml", Line: 3, Field: "triage.min_events", Err: errors.New("must be ≥ 0, got -3")},
			want: []string{"**What is wrong:** field `triage.min_events` of the policy file `.github/dawnpatch.yml`, line 3:", "must be ≥ 0, got -3",
				"**Fix:** correct `triage.min_events` in `.github/dawnpatch.yml`", "*Policy file* section"}},
		{name: "a runner variable", err: &config.Error{Env: true, Field: "GITHUB_REPOSITORY", Err: errors.New("is not set")},
			want: []string{"**What is wrong:** the runner variable `GITHUB_REPOSITORY`:", "**Fix:** the runner sets `GITHUB_REPOSITORY`"}},
		{name: "text that would close the fence", err: &config.Error{File: "p.yml", Field: "x", Err: errors.New("bad ```\n# Heading")},
			want: []string{"````text\nbad ```\n# Heading\n````"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := ConfigError(tt.err)
			if !strings.HasPrefix(md, "## dawnpatch: configuration error\n") {
				t.Errorf("the summary does not start with its heading:\n%s", md)
			}
			for _, want := range tt.want {
				if !strings.Contains(md, want) {
					t.Errorf("the summary lacks %q:\n%s", want, md)
				}
			}
		})
	}
}

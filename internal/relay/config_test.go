package relay

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    Config
		wantErr string
	}{
		{"empty file gives the defaults", "", DefaultConfig(), ""},
		{"everything", "projects:\n  front-end: acme/web\n  api_2: acme/api\nwindow: 2m\nforward_resolved: false\n",
			Config{Projects: map[string]string{"front-end": "acme/web", "api_2": "acme/api"}, Window: 2 * time.Minute}, ""},
		{"unknown key", "windows: 2m\n", Config{}, "field windows not found"},
		{"bad window", "window: soon\n", Config{}, "window: time: invalid duration"},
		{"window too long", "window: 2h\n", Config{}, "window: 2h0m0s is out of range"},
		{"window too short", "window: 10ms\n", Config{}, "window: 10ms is out of range"},
		{"bad slug", "projects:\n  Front End: acme/web\n", Config{}, `projects: "Front End" is not a Sentry project slug`},
		{"bad repository", "projects:\n  web: acme\n", Config{}, `projects.web: invalid repository "acme"`},
		{"repository with a path", "projects:\n  web: acme/web/../x\n", Config{}, `projects.web: invalid repository`},
		{"not a mapping", "- a\n", Config{}, "parse relay config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig([]byte(tt.yaml))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewHandlerErrors(t *testing.T) {
	gh := &GitHub{}
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"no secret", Options{Repo: "a/b", Dispatcher: gh}, "client secret is empty"},
		{"bad repo", Options{Secret: []byte("s"), Repo: "ab", Dispatcher: gh}, `invalid repository "ab"`},
		{"no dispatcher", Options{Secret: []byte("s"), Repo: "a/b"}, "no dispatcher"},
		{"bad config", Options{Secret: []byte("s"), Repo: "a/b", Dispatcher: gh, Config: Config{Window: time.Hour * 2}}, "window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewHandler(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

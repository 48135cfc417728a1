package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/relay"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
)

const (
	relaySecret = "relay-test-client-secret"
	relayToken  = "ghs_relay_test_token"
)

func TestRunRelayRefuses(t *testing.T) {
	dir := t.TempDir()
	badCfg := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(badCfg, []byte("projectz:\n  web: acme/web\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := map[string]string{"SENTRY_CLIENT_SECRET": relaySecret, "GITHUB_TOKEN": relayToken}
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		wantUsage bool
		wantErr   string
	}{
		{"no repo", nil, full, true, "--repo OWNER/NAME is required"},
		{"bad repo", []string{"--repo", "acme"}, full, true, `invalid repository "acme"`},
		{"stray argument", []string{"--repo", "acme/shop", "now"}, full, true, `relay takes no arguments, got "now"`},
		{"unknown flag", []string{"--port", "1"}, full, true, "flag provided but not defined: -port"},
		{"no Sentry secret", []string{"--repo", "acme/shop"}, map[string]string{"GITHUB_TOKEN": relayToken}, false, "SENTRY_CLIENT_SECRET is not set"},
		{"blank Sentry secret", []string{"--repo", "acme/shop"}, map[string]string{"SENTRY_CLIENT_SECRET": " \n", "GITHUB_TOKEN": relayToken}, false, "SENTRY_CLIENT_SECRET is not set"},
		{"no GitHub token", []string{"--repo", "acme/shop"}, map[string]string{"SENTRY_CLIENT_SECRET": relaySecret}, false, "GITHUB_TOKEN is not set"},
		{"missing config", []string{"--repo", "acme/shop", "--config", filepath.Join(dir, "nope.yml")}, full, false, "open config"},
		{"unknown config key", []string{"--repo", "acme/shop", "--config", badCfg}, full, false, "field projectz not found"},
		{"bad API URL", []string{"--repo", "acme/shop", "--github-api-url", "api.github.com"}, full, false, "invalid GitHub API URL"},
		{"bad listen address", []string{"--repo", "acme/shop", "--listen", "127.0.0.1:99999"}, full, false, "relay: listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			env := Env{Getenv: func(k string) string { return tt.env[k] }, Stdout: io.Discard, Stderr: &stderr}
			err := runRelay(t.Context(), env, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			var ue *usageError
			if got := errors.As(err, &ue); got != tt.wantUsage {
				t.Errorf("usage error = %v, want %v (%v)", got, tt.wantUsage, err)
			}
			for _, s := range []string{relaySecret, relayToken} {
				if strings.Contains(err.Error()+stderr.String(), s) {
					t.Errorf("a secret shows in the error or the log: %v\n%s", err, stderr.String())
				}
			}
		})
	}
}

// TestRelayEndToEnd: a signed Sentry webhook → dawnpatch relay on a real
// socket → repository_dispatch on the fake GitHub → dawnpatch run on that
// event.
func TestRelayEndToEnd(t *testing.T) {
	endToEnd(t)
	body, err := os.ReadFile(filepath.Join(runnertest.Fixtures(t, "../.."), "sentry-webhooks", "issue.created.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
	gh := s.gh
	srv := httptest.NewServer(gh)
	defer srv.Close()

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	logs := &addrLog{ready: make(chan string, 1)}
	env := Env{Getenv: func(k string) string {
		return map[string]string{"SENTRY_CLIENT_SECRET": relaySecret, "GITHUB_TOKEN": relayToken}[k]
	}, Stdout: io.Discard, Stderr: logs}
	done := make(chan error, 1)
	go func() {
		done <- runRelay(ctx, env, []string{"--listen", "127.0.0.1:0", "--repo", "acme/shop", "--github-api-url", srv.URL})
	}()
	var addr string
	select {
	case addr = <-logs.ready:
	case err := <-done:
		t.Fatalf("relay stopped before listening: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("relay never logged its address")
	}

	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/sentry", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(relay.HeaderResource, "issue")
	req.Header.Set(relay.HeaderTimestamp, strconv.FormatInt(time.Now().Unix(), 10))
	req.Header.Set(relay.HeaderRequestID, "88cc1a1e4f6a4c2b9bd6a0c2bb9e1c11")
	req.Header.Set(relay.HeaderSignature, relay.Sign([]byte(relaySecret), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(answer)) != "forwarded" {
		t.Fatalf("relay answered %d %q; log:\n%s", resp.StatusCode, answer, logs)
	}
	ds := gh.Dispatches()
	if len(ds) != 1 {
		t.Fatalf("%d dispatches, want 1", len(ds))
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("relay after SIGTERM-like cancel: %v", err)
	}
	if s := logs.String(); !strings.Contains(s, `"msg":"relay stopped"`) || strings.Contains(s, relaySecret) || strings.Contains(s, relayToken) {
		t.Errorf("relay log: want a clean stop and no secrets:\n%s", s)
	}
	runOnDispatch(t, s, ds[0])
}

// runOnDispatch runs the action on the event GitHub makes of the dispatch:
// it names only the Sentry issue, so the run fetches the rest from Sentry
// and opens a pull request.
func runOnDispatch(t *testing.T, s *scenario, d ghfake.Dispatch) {
	t.Helper()
	event, _ := json.Marshal(map[string]any{"action": d.EventType, "client_payload": d.ClientPayload,
		"repository": map[string]any{"full_name": "acme/shop"}})
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, event, 0o644); err != nil {
		t.Fatal(err)
	}
	var payload struct {
		IssueID string `json:"sentry_issue_id"`
	}
	if err := json.Unmarshal(d.ClientPayload, &payload); err != nil {
		t.Fatal(err)
	}
	id := payload.IssueID
	s.sentry(t, id, sentryfake.IssueSeed{ShortID: "SHOP-1A", Status: "unresolved", Count: 17, UserCount: 5, LastSeen: time.Now()})
	s.r.Env["GITHUB_EVENT_PATH"] = path
	code, stdout, stderr := s.run(t, s.r)
	if code != 0 {
		t.Fatalf("run exit code %d\n%s\n%s", code, stdout, stderr)
	}
	if o := s.r.Outputs(t); o["outcome"] != "pr-opened" || o["sentry-issue"] != id {
		t.Errorf("run outputs = %v, want a pull request for Sentry issue %s\n%s", o, id, s.r.SummaryText(t))
	}
}

// addrLog collects the relay's log and reports the address it listens on.
type addrLog struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan string
	sent  bool
}

var listenAddrRE = regexp.MustCompile(`"msg":"relay listening".*?"addr":"([^"]+)"`)

func (l *addrLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if m := listenAddrRE.FindSubmatch(l.buf.Bytes()); m != nil && !l.sent {
		l.sent = true
		l.ready <- string(m[1])
	}
	return len(p), nil
}

func (l *addrLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

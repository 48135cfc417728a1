package testrun

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReachable(t *testing.T) {
	open := reachableTempDir(t)
	closed := filepath.Join(open, "closed")
	inner := filepath.Join(closed, "inner")
	if err := os.MkdirAll(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := reachable(open); err != nil {
		t.Errorf("reachable(%s) = %v, want nil", open, err)
	}
	if err := reachable(inner); err == nil || !strings.Contains(err.Error(), closed+" (mode -rwx------) is not searchable") {
		t.Errorf("reachable(%s) = %v, want an error naming %s", inner, err, closed)
	}
	list := strings.Join([]string{inner, "relative/bin", "", open}, string(filepath.ListSeparator))
	if got := reachablePath(list); got != open {
		t.Errorf("reachablePath(%q) = %q, want %q", list, got, open)
	}
}

func TestLookPath(t *testing.T) {
	dir := reachableTempDir(t)
	for name, mode := range map[string]os.FileMode{"rootonly": 0o700, "tool": 0o755} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := lookPath("tool", "/nonexistent:"+dir); err != nil || got != filepath.Join(dir, "tool") {
		t.Errorf("lookPath(tool) = %q, %v; want %q", got, err, filepath.Join(dir, "tool"))
	}
	if got, err := lookPath("rootonly", dir); err == nil {
		t.Errorf("lookPath(rootonly) = %q, want an error: others cannot run it", got)
	}
	if got, err := lookPath("./run.sh", ""); err != nil || got != "./run.sh" {
		t.Errorf("lookPath(./run.sh) = %q, %v; want it as is", got, err)
	}
}

func TestSandboxEnvironment(t *testing.T) {
	shared := filepath.Join(reachableTempDir(t), "mod")
	if err := os.MkdirAll(filepath.Join(shared, "cache", "download"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := NewSandbox("/sb", NobodyID, NobodyID)
	tests := []struct {
		name string
		env  []string
		want []string
	}{
		{
			name: "shared module cache readable",
			env:  []string{"HOME=/root/h", "TMPDIR=/root/t", "PATH=/nonexistent-dir:/usr/bin", "GOMODCACHE=" + shared, "GOFLAGS=-mod=mod", "CI=true"},
			want: []string{"HOME=/sb/run-1/home", "TMPDIR=/sb/run-1/tmp", "GOCACHE=/sb/cache/go-build", "GOMODCACHE=/sb/cache/mod",
				"GOPATH=/sb/cache/gopath", "PATH=/usr/bin", "GOPROXY=file://" + shared + "/cache/download,https://proxy.golang.org,direct",
				"npm_config_update_notifier=false", "GOFLAGS=-mod=mod", "CI=true"},
		},
		{
			name: "module cache out of reach",
			env:  []string{"GOPATH=/nonexistent/gopath", "GOPROXY=off"},
			want: []string{"HOME=/sb/run-1/home", "TMPDIR=/sb/run-1/tmp", "GOCACHE=/sb/cache/go-build", "GOMODCACHE=/sb/cache/mod",
				"GOPATH=/sb/cache/gopath", "PATH=", "GOPROXY=off", "npm_config_update_notifier=false"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, s.env(tt.env, "/sb/run-1")); diff != "" {
				t.Errorf("env mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSandbox_refusesBadSetup(t *testing.T) {
	tests := []struct {
		name string
		s    *Sandbox
		want string
	}{
		{"root uid", NewSandbox(t.TempDir(), 0, NobodyID), "must be positive"},
		{"unreachable dir", NewSandbox(filepath.Join(t.TempDir(), "sb"), NobodyID, NobodyID), "not searchable by others"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if os.Geteuid() != 0 {
				tt.want = "needs root"
			}
			r := &Runner{Sandbox: tt.s}
			_, err := r.Run(context.Background(), reachableTempDir(t), []string{"true"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run() error = %v, want one with %q", err, tt.want)
			}
		})
	}
}

func TestSandbox_scratchOwnership(t *testing.T) {
	sb := testSandbox()
	if sb == nil {
		t.Skip("skipping: the tests do not run as root, so there is no sandbox user to hand files to")
	}
	sc := nilScratch(t)
	r := &Runner{Sandbox: sb, Env: []string{"PATH=/usr/bin:/bin"}}
	res, err := r.Run(context.Background(), sc.Dir(), []string{"sh", "-c", "id -u; touch top-level.txt orders/new.txt; touch .git/x || echo git-denied"})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("run: %v, exit %d\n%s", err, res.ExitCode, res.Output)
	}
	if want := "65534\ngit-denied\n"; !strings.HasPrefix(res.Output, "65534\n") || !strings.Contains(res.Output, "git-denied") {
		t.Errorf("output = %q, want %q: the command runs as nobody and cannot write .git", res.Output, want)
	}
	if err := sc.Reset(context.Background()); err != nil {
		t.Errorf("dawnpatch's git no longer works in the handed-over scratch copy: %v", err)
	}
	if _, err := os.Stat(filepath.Join(sc.Dir(), "top-level.txt")); !os.IsNotExist(err) {
		t.Errorf("Reset left the file the sandbox user made: %v", err)
	}
}

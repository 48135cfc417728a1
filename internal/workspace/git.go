package workspace

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitIdentity is the fixed author and committer of scratch commits.
var gitIdentity = []string{
	"GIT_AUTHOR_NAME=dawnpatch", "GIT_AUTHOR_EMAIL=dawnpatch@localhost",
	"GIT_COMMITTER_NAME=dawnpatch", "GIT_COMMITTER_EMAIL=dawnpatch@localhost",
	"GIT_AUTHOR_DATE=2000-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2000-01-01T00:00:00Z",
}

// gitConfig neutralises configuration a checkout or machine could inject.
var gitConfig = []string{
	"-c", "credential.helper=", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
	"-c", "core.autocrlf=false", "-c", "commit.gpgsign=false", "-c", "core.quotePath=false",
}

// git runs git in one directory with an environment built from scratch.
type git struct {
	bin string
	dir string
	env []string
	// extra is configuration added before every command's arguments.
	extra []string
}

// newGit prepares git for dir. No variable of the calling process reaches
// it: global and system configuration are off and no credential helper runs.
func newGit(dir string) (*git, error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return nil, fmt.Errorf("find git: %w", err)
	}
	env := []string{
		"PATH=" + filepath.Dir(bin) + ":/usr/local/bin:/usr/bin:/bin",
		"HOME=/nonexistent", "LC_ALL=C",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat",
		"GIT_CEILING_DIRECTORIES=" + filepath.Dir(dir),
	}
	return &git{bin: bin, dir: dir, env: append(env, gitIdentity...)}, nil
}

// run runs one git command and returns its standard output.
func (g *git) run(ctx context.Context, args ...string) (string, error) {
	argv := append(append(append([]string{}, gitConfig...), g.extra...), args...)
	cmd := exec.CommandContext(ctx, g.bin, argv...)
	cmd.Dir = g.dir
	cmd.Env = g.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

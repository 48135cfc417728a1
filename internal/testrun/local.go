package testrun

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// local runs jobs in this process's environment: as the current user, or
// as the Sandbox's unprivileged user. Each job runs in a process group of
// its own that is killed whole when the job ends or its ctx does, and this
// process is a child subreaper, so anything the job left running outside
// its group (a setsid daemon) is found and killed before Exec returns.
// The network is not cut: Job.Network is ignored.
type local struct {
	env     []string
	sandbox *Sandbox
}

// Exec runs the job; see Executor.
func (l *local) Exec(ctx context.Context, j Job) (int, error) {
	if err := becomeSubreaper(); err != nil {
		return -1, fmt.Errorf("become a child subreaper: %w", err)
	}
	env, argv, cleanup, err := l.prepare(j)
	if err != nil {
		return -1, err
	}
	defer cleanup()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = j.Dir, env
	ownGroup(cmd)
	if l.sandbox != nil {
		runAs(cmd, l.sandbox.UID, l.sandbox.GID)
	}
	// The command writes to a pipe this function owns, so that waiting for
	// the process never waits for a daemon that kept the pipe open.
	pr, pw, err := os.Pipe()
	if err != nil {
		return -1, err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	var copied sync.WaitGroup
	copied.Add(1)
	go func() { defer copied.Done(); _, _ = io.Copy(j.Output, pr) }()
	done := startingCommand()
	err = cmd.Start()
	if err == nil {
		started(cmd.Process.Pid)
	}
	done()
	pw.Close()
	if err != nil {
		pr.Close()
		copied.Wait()
		return -1, err
	}
	_ = cmd.Wait() // a non-zero exit is a result, not an error
	killGroup(cmd)
	finished(cmd.Process.Pid)
	killOrphans()
	copied.Wait()
	pr.Close()
	if l.sandbox != nil {
		if err := l.sandbox.reclaim(j.Dir); err != nil {
			return -1, fmt.Errorf("sandbox: take the scratch copy back: %w", err)
		}
	}
	return cmd.ProcessState.ExitCode(), nil
}

// prepare builds the job's environment and program: for a Sandbox, a
// fresh home and the scratch copy handed to its user.
func (l *local) prepare(j Job) (env, argv []string, cleanup func(), err error) {
	// Never nil: a nil environment would be this process's own.
	env = append(append(make([]string, 0, len(l.env)+len(j.Env)), l.env...), j.Env...)
	if l.sandbox == nil {
		return env, j.Argv, func() {}, nil
	}
	env, prog, cleanup, err := l.sandbox.prepare(j.Dir, env, j.Argv[0], j.Network)
	if err != nil {
		return nil, nil, nil, err
	}
	return env, append([]string{prog}, j.Argv[1:]...), cleanup, nil
}

// Root is dir itself: the job runs in this process's file system.
func (l *local) Root(dir string) string { return dir }

// Describe names the identity jobs run as.
func (l *local) Describe() string {
	if l.sandbox != nil {
		return fmt.Sprintf("in the action's container as uid %d, network not cut", l.sandbox.UID)
	}
	return "in the action's own process as its own user (test-isolation: none, for trusted code)"
}

// envValue returns the value of k in env, the last one winning.
func envValue(env []string, k string) string {
	v := ""
	for _, kv := range env {
		if key, val, ok := strings.Cut(kv, "="); ok && key == k {
			v = val
		}
	}
	return v
}

package testrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"sync"
	"time"
)

// Defaults for a zero Runner.
const (
	DefaultTimeout   = 10 * time.Minute
	DefaultMaxOutput = 64 << 10
)

// waitDelay bounds how long Wait waits for output pipes after the process
// group is killed.
const waitDelay = 5 * time.Second

// Runner runs commands for the pipeline.
type Runner struct {
	// Timeout bounds each command; zero means DefaultTimeout.
	Timeout time.Duration
	// MaxOutput caps the combined output kept per command (its tail); zero
	// means DefaultMaxOutput.
	MaxOutput int
	// Env is the whole environment of the commands, as "KEY=value"; nil
	// means an empty environment, never the caller's. Build it with
	// SandboxEnv.
	Env []string
	// Sandbox, when not nil, runs commands as an unprivileged user (it
	// needs root); nil runs them as the current user.
	Sandbox *Sandbox
	// Docker, when not nil, runs commands in a sibling container instead
	// (test-isolation: docker); it takes precedence over Sandbox.
	Docker *Docker

	// mu guards baseSuites, the suites run on base trees, by cache key.
	mu         sync.Mutex
	baseSuites map[string]cachedSuite
}

// Result is what one command did.
type Result struct {
	Argv     []string
	Dir      string
	ExitCode int // -1 when killed by a signal or never finished
	// Output is the tail of stdout and stderr combined, prefixed with a
	// "[... N bytes cut ...]" line when Truncated.
	Output    string
	Truncated bool
	TimedOut  bool
	Duration  time.Duration
}

// Run runs argv in dir. A failing command is a Result; the error is for a
// command that could not start, or a ctx canceled by the caller.
func (r *Runner) Run(ctx context.Context, dir string, argv []string) (Result, error) {
	return r.run(ctx, dir, argv, nil)
}

// run runs argv; stdout, when not nil, returns the writer that receives
// standard output and standard error instead of the tail buffer (it must
// forward what the tail should keep).
func (r *Runner) run(ctx context.Context, dir string, argv []string, stdout func(io.Writer) io.Writer) (Result, error) {
	res := Result{Argv: slices.Clone(argv), Dir: dir, ExitCode: -1}
	if len(argv) == 0 {
		return res, errors.New("run: empty command")
	}
	tctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	cmd, cleanup, err := r.command(tctx, dir, argv)
	if err != nil {
		return res, fmt.Errorf("run %s: %w", argv[0], err)
	}
	defer cleanup()
	out := newTail(r.maxOutput())
	cmd.Stdout, cmd.Stderr = io.Writer(out), out
	if stdout != nil {
		w := stdout(out)
		cmd.Stdout, cmd.Stderr = w, w
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("run %s: %w", argv[0], err)
	}
	_ = cmd.Wait() // a non-zero exit is a result, not an error
	killGroup(cmd)
	res.Duration = time.Since(start)
	res.Output, res.Truncated = out.String()
	res.ExitCode = cmd.ProcessState.ExitCode()
	res.TimedOut = errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("run %s: %w", argv[0], err)
	}
	return res, nil
}

// command builds the command for argv in dir: in a container, in the
// sandbox, or as is. cleanup undoes what preparing it made.
func (r *Runner) command(ctx context.Context, dir string, argv []string) (*exec.Cmd, func(), error) {
	env, cleanup := append([]string{}, r.Env...), func() {}
	switch {
	case r.Docker != nil:
		argv = r.Docker.Args(dir, r.Env, argv)
	case r.Sandbox != nil:
		var prog string
		var err error
		if env, prog, cleanup, err = r.Sandbox.prepare(dir, r.Env, argv[0]); err != nil {
			return nil, nil, err
		}
		argv = append([]string{prog}, argv[1:]...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env, cmd.WaitDelay = dir, env, waitDelay
	ownGroup(cmd)
	if r.Sandbox != nil && r.Docker == nil {
		runAs(cmd, r.Sandbox.UID, r.Sandbox.GID)
	}
	return cmd, cleanup, nil
}

func (r *Runner) timeout() time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return DefaultTimeout
}

func (r *Runner) maxOutput() int {
	if r.MaxOutput > 0 {
		return r.MaxOutput
	}
	return DefaultMaxOutput
}

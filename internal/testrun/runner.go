package testrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
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

// run runs argv; stdout, when not nil, receives standard output instead of
// the tail buffer (it must forward what the tail should keep).
func (r *Runner) run(ctx context.Context, dir string, argv []string, stdout func(io.Writer) io.Writer) (Result, error) {
	res := Result{Argv: slices.Clone(argv), Dir: dir, ExitCode: -1}
	if len(argv) == 0 {
		return res, errors.New("run: empty command")
	}
	tctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	out := newTail(r.maxOutput())
	cmd := exec.CommandContext(tctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append([]string{}, r.Env...)
	cmd.Stdout, cmd.Stderr = io.Writer(out), out
	if stdout != nil {
		cmd.Stdout = stdout(out)
	}
	cmd.WaitDelay = waitDelay
	ownGroup(cmd)
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

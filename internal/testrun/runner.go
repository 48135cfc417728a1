package testrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Defaults for a zero Runner.
const (
	DefaultTimeout   = 10 * time.Minute
	DefaultMaxOutput = 64 << 10
)

// Runner runs commands for the pipeline through an Executor.
type Runner struct {
	// Timeout bounds each command; zero means DefaultTimeout.
	Timeout time.Duration
	// MaxOutput caps the combined output kept per command (its tail); zero
	// means DefaultMaxOutput.
	MaxOutput int
	// Env is the whole environment of commands run in this process's
	// environment (no Container), as "KEY=value"; nil means an empty
	// environment, never the caller's. Build it with SandboxEnv.
	Env []string
	// Sandbox, when not nil, runs in-process commands as an unprivileged
	// user (it needs root); nil runs them as the current user.
	Sandbox *Sandbox
	// Container, when not nil, runs every command in a throwaway sibling
	// container instead; it takes precedence over Sandbox.
	Container *Container
	// Engine, when not nil, makes Prepare run the commands of a scratch
	// copy in throwaway containers of the repository's toolchain image.
	Engine *Engine
	// Image, when not empty, is that image instead of the derived one
	// (the test-image input or the policy's fix.test_image).
	Image string
	// SetupCommand, when not empty, replaces the detected setup: a shell
	// command (the setup-command input or the policy's fix.setup).
	SetupCommand string
	// TestEnv holds variables every command of a scratch copy gets, setup
	// included: the policy's fix.test_env.
	TestEnv []string
	// SetupEnv holds variables of the action's environment setup commands
	// get (a private package index, a module proxy); see PassEnv.
	SetupEnv []string
	// Refuse, when not empty, says why tests must not run here (say, the
	// checkout's credentials are readable by the tests' user): Prepare
	// then reports it and runs nothing.
	Refuse string
	// JobEnv holds variables every command gets on top of the executor's
	// environment: what Prepare found the toolchain needs.
	JobEnv []string

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

// Executor returns the executor the runner's commands go through.
func (r *Runner) Executor() Executor {
	if r.Container != nil {
		return r.Container
	}
	return &local{env: r.Env, sandbox: r.Sandbox}
}

// Run runs argv in dir. A failing command is a Result; the error is for a
// command that could not start, or a ctx canceled by the caller.
func (r *Runner) Run(ctx context.Context, dir string, argv []string) (Result, error) {
	return r.run(ctx, Job{Dir: dir, Argv: argv}, nil)
}

// run runs a job; stdout, when not nil, returns the writer that receives
// standard output and standard error instead of the tail buffer (it must
// forward what the tail should keep).
func (r *Runner) run(ctx context.Context, j Job, stdout func(io.Writer) io.Writer) (Result, error) {
	res := Result{Argv: slices.Clone(j.Argv), Dir: j.Dir, ExitCode: -1}
	if len(j.Argv) == 0 {
		return res, errors.New("run: empty command")
	}
	tctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	j.Env = mergeEnv(r.JobEnv, j.Env)
	if err := clearOut(j.Dir); err != nil {
		return res, fmt.Errorf("run %s: %w", j.Argv[0], err)
	}
	out := newTail(r.maxOutput())
	j.Output = out
	if stdout != nil {
		j.Output = stdout(out)
	}
	start := time.Now()
	code, err := r.Executor().Exec(tctx, j)
	res.Duration = time.Since(start)
	res.Output, res.Truncated = out.String()
	res.ExitCode = code
	res.TimedOut = errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
	if res.TimedOut {
		res.ExitCode = -1
	}
	if err != nil {
		return res, fmt.Errorf("run %s: %w", j.Argv[0], err)
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("run %s: %w", j.Argv[0], err)
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

// mergeEnv joins environment lists; of a variable set twice, the later
// value is kept, in the place of the first.
func mergeEnv(lists ...[]string) []string {
	var out []string
	at := map[string]int{}
	for _, l := range lists {
		for _, kv := range l {
			k, _, _ := strings.Cut(kv, "=")
			if i, ok := at[k]; ok {
				out[i] = kv
				continue
			}
			at[k] = len(out)
			out = append(out, kv)
		}
	}
	return out
}

// clearOut empties the directory runners write result files to, so that
// no run reads another's.
func clearOut(dir string) error {
	out := filepath.Join(dir, StateDir, OutDir)
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	return os.MkdirAll(out, 0o755)
}

package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
)

// sandboxDir keeps the sandbox user's build cache; runs on one machine
// share it, so only the first pays for a cold cache.
var sandboxDir = filepath.Join(os.TempDir(), "dawnpatch-sandbox")

// containerMemory caps a test container's memory: half of a GitHub-hosted
// Linux runner's 16 GB.
const containerMemory = 8 << 30

// bench is what runs the repository's tests: the runner, the directory
// for scratch copies, remarks for the summary, and a cleanup.
type bench struct {
	runner  *testrun.Runner
	scratch string
	notes   []string
	cleanup func()
}

// lazyTests is the pipeline's Tests, built the first time a run needs
// them: a run that stops before proving anything never dials Docker,
// sweeps containers or makes a scratch directory.
type lazyTests struct {
	build func(context.Context) (*bench, error)
	once  sync.Once
	b     *bench
	err   error
	noted bool
}

// lazyBench checks what test-isolation asks for that can be checked
// cheaply (container mode needs an engine that answers, user mode needs
// root), so a wrong setting is a configuration error on every run, and
// leaves the rest for the first proof.
func lazyBench(ctx context.Context, env Env, cfg *config.Config) (*lazyTests, error) {
	var engine *testrun.Engine
	switch cfg.Inputs.TestIsolation {
	case "container":
		e, err := dialEngine(ctx, env.Getenv)
		if err != nil {
			return nil, noEngine(err)
		}
		engine = e
	case "user":
		if os.Geteuid() != 0 {
			return nil, notRoot()
		}
	}
	return &lazyTests{build: func(ctx context.Context) (*bench, error) { return testBench(ctx, env, cfg, engine) }}, nil
}

func (t *lazyTests) bench(ctx context.Context) (*bench, error) {
	t.once.Do(func() { t.b, t.err = t.build(ctx) })
	return t.b, t.err
}

// ScratchRoot builds the bench and returns its directory for scratch
// copies.
func (t *lazyTests) ScratchRoot(ctx context.Context) (string, error) {
	b, err := t.bench(ctx)
	if err != nil {
		return "", err
	}
	return b.scratch, nil
}

// Prepare builds the bench and readies dir in it; the bench's remarks go
// with the first preparation.
func (t *lazyTests) Prepare(ctx context.Context, dir string, lang testrun.Language) (pipeline.Proving, error) {
	b, err := t.bench(ctx)
	if err != nil {
		return nil, err
	}
	s, err := b.runner.Prepare(ctx, dir, lang)
	if err != nil {
		return nil, err
	}
	if t.noted {
		return s, nil
	}
	t.noted = true
	return notedProving{s, b.notes}, nil
}

// cleanup removes what the bench made, if it was built.
func (t *lazyTests) cleanup() {
	if t.b != nil {
		t.b.cleanup()
	}
}

// notedProving adds the bench's remarks to a preparation.
type notedProving struct {
	pipeline.Proving
	notes []string
}

// Preparation is the session's preparation with the bench's remarks.
func (p notedProving) Preparation() testrun.Preparation {
	pr := p.Proving.Preparation()
	pr.Notes = append(append([]string(nil), pr.Notes...), p.notes...)
	return pr
}

func noEngine(err error) error {
	return &config.Error{Field: "test-isolation", Err: fmt.Errorf("container needs a Docker engine: %w (GitHub mounts /var/run/docker.sock into container actions; locally, start Docker or set DOCKER_HOST)", err)}
}

func notRoot() error {
	return &config.Error{Field: "test-isolation", Err: fmt.Errorf("user needs the action to run as root to switch to an unprivileged user")}
}

// testBench builds the test runner the test-isolation input asks for:
// auto is containers when a Docker engine answers, else an unprivileged
// user when running as root, else the action's own user.
func testBench(ctx context.Context, env Env, cfg *config.Config, engine *testrun.Engine) (*bench, error) {
	in := cfg.Inputs
	r := &testrun.Runner{Timeout: in.TestTimeout, Image: firstOf(in.TestImage, cfg.Policy.Fix.TestImage),
		SetupCommand: firstOf(in.SetupCommand, cfg.Policy.Fix.Setup), SetupEnv: testrun.PassEnv(env.Getenv), TestEnv: testEnv(cfg.Policy.Fix.TestEnv)}
	mode := in.TestIsolation
	if mode == "auto" || (mode == "container" && engine == nil) {
		var err error
		engine, err = dialEngine(ctx, env.Getenv)
		switch {
		case err != nil && mode == "container":
			return nil, noEngine(err)
		case err == nil:
			mode = "container"
		case os.Geteuid() == 0:
			mode = "user"
		default:
			mode = "none"
		}
	}
	if mode == "container" {
		return containerBench(ctx, env, cfg, r, engine)
	}
	return localBench(env, cfg, r, mode)
}

// dialEngine connects to the Docker engine of DOCKER_HOST or the default
// socket, and checks that it answers.
func dialEngine(ctx context.Context, getenv func(string) string) (*testrun.Engine, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cli, err := testrun.Dial(ctx, getenv("DOCKER_HOST"))
	if err != nil {
		return nil, err
	}
	return &testrun.Engine{Client: cli}, nil
}

// containerBench runs every test in throwaway containers: scratch copies
// go where the engine's host can see them, and a cancelled run's leftover
// containers are removed first.
func containerBench(ctx context.Context, env Env, cfg *config.Config, r *testrun.Runner, e *testrun.Engine) (*bench, error) {
	paths, err := testrun.DiscoverHostPaths(ctx, e.Client)
	if err != nil {
		return nil, fmt.Errorf("find where the Docker host sees this container's files: %w", err)
	}
	root, err := visibleTemp(paths, env.Getenv)
	if err != nil {
		return nil, err
	}
	e.Options = testrun.ContainerOptions{UID: testrun.NobodyID, Memory: containerMemory, CPUs: float64(runtime.NumCPU()), Paths: paths}
	r.Engine = e
	b := &bench{runner: r, scratch: root, cleanup: func() { os.RemoveAll(root) }}
	hostname, _ := os.Hostname()
	if n, err := testrun.Sweep(ctx, e.Client, testrun.OwnerAlive(e.Client, hostname, testrun.PidAlive)); err != nil {
		b.notes = append(b.notes, fmt.Sprintf("Could not remove the containers earlier runs left: %v", err))
	} else if n > 0 {
		b.notes = append(b.notes, fmt.Sprintf("Removed %d test containers a cancelled run left behind.", n))
	}
	if files := credentialFiles(cfg, env.Getenv); len(files) > 0 {
		b.notes = append(b.notes, "actions/checkout kept its credentials ("+strings.Join(files, ", ")+"). dawnpatch never mounts them into the test containers, but set `persist-credentials: false` on actions/checkout so nothing else can read them.")
	}
	return b, nil
}

// visibleTemp makes the directory for scratch copies under a mount the
// engine's host can see: the runner's temp directory, else the home the
// runner mounts, else the system's temp directory when it is a mount (as
// with docker run -v /tmp:/tmp), or outside a container.
func visibleTemp(paths testrun.HostPaths, getenv func(string) string) (string, error) {
	cands := []string{getenv("RUNNER_TEMP"), "/github/runner_temp", getenv("HOME"), "/github/home", os.TempDir()}
	if paths.Container == "" {
		cands = []string{os.TempDir()}
	}
	for _, c := range cands {
		if c == "" || !paths.Visible(c) {
			continue
		}
		if fi, err := os.Stat(c); err != nil || !fi.IsDir() {
			continue
		}
		dir, err := os.MkdirTemp(c, "dawnpatch-")
		if err != nil {
			return "", fmt.Errorf("make scratch directory in %s: %w", c, err)
		}
		return dir, os.Chmod(dir, 0o711)
	}
	return "", fmt.Errorf("no directory the Docker host can see for scratch copies: this container mounts none of /github/runner_temp, /github/home and %s", os.TempDir())
}

// localBench runs tests in this process's environment: as an unprivileged
// user (user), or as the action's own user (none, trusted code only).
func localBench(env Env, cfg *config.Config, r *testrun.Runner, mode string) (*bench, error) {
	root := os.Geteuid() == 0
	if mode == "user" && !root {
		return nil, notRoot()
	}
	tmp, err := os.MkdirTemp("", "dawnpatch-")
	if err == nil {
		err = os.Chmod(tmp, 0o711) // the sandbox user must reach the scratch copies inside
	}
	if err != nil {
		return nil, fmt.Errorf("make scratch directory: %w", err)
	}
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("make test home: %w", err)
	}
	r.Env = testrun.SandboxEnv(env.Getenv, home, tmp)
	b := &bench{runner: r, scratch: tmp, cleanup: func() { os.RemoveAll(tmp) }}
	if mode == "user" {
		r.Sandbox = testrun.NewSandbox(sandboxDir, testrun.NobodyID, testrun.NobodyID)
		if files := readableByOthers(credentialFiles(cfg, env.Getenv)); len(files) > 0 {
			r.Refuse = "the checkout's credentials are readable by the tests' user (" + strings.Join(files, ", ") +
				"): set `persist-credentials: false` on actions/checkout, or run where a Docker engine is available (test-isolation: container)"
		}
	}
	return b, nil
}

// credentialFiles lists the files where actions/checkout keeps the token
// it was given: the checkout's git config when it holds an extraheader or
// a credential helper, and the git-credentials-*.config files of newer
// checkouts in the runner's temp directory.
func credentialFiles(cfg *config.Config, getenv func(string) string) []string {
	var out []string
	gitConfig := filepath.Join(cfg.Runner.Workspace, ".git", "config")
	if data, err := os.ReadFile(gitConfig); err == nil {
		text := strings.ToLower(string(data))
		if strings.Contains(text, "extraheader") || strings.Contains(text, "[credential") {
			out = append(out, gitConfig)
		}
	}
	for _, dir := range []string{getenv("RUNNER_TEMP"), "/github/runner_temp"} {
		if dir == "" {
			continue
		}
		matches, _ := filepath.Glob(filepath.Join(dir, "git-credentials-*.config"))
		for _, m := range matches {
			if !contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// readableByOthers keeps the files a user other than their owner and group
// can read.
func readableByOthers(files []string) []string {
	var out []string
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Mode().Perm()&0o004 != 0 {
			out = append(out, f)
		}
	}
	return out
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// testEnv is the policy's fix.test_env as KEY=value, sorted.
func testEnv(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

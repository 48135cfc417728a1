package testrun

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// Engine is a Docker engine to run tests on in sibling containers.
type Engine struct {
	Client *client.Client
	// Options configure every container; Options.Paths translates the
	// scratch copy's path for the engine.
	Options ContainerOptions
}

// Preparation is what Prepare did to a scratch copy, for the summary.
type Preparation struct {
	// Runner says where and as whom the tests run.
	Runner string
	// Image is the container image and why; zero for in-process runs.
	Image Image
	// Pull is how long pulling the image took; zero when it was there.
	Pull time.Duration
	// Setup holds the setup commands' runs, in order.
	Setup []Result
	// Failed says why setup failed; "" when it worked or had nothing to do.
	Failed string
	// Refused says why no test may run here; "" when tests may run.
	Refused string
	// Notes are remarks about where the tests ran, for the summary
	// (containers a cancelled run left and were removed, credentials the
	// checkout kept).
	Notes []string
}

// Session is a scratch copy made ready for proofs: the executor chosen,
// the dependencies installed. Its proofs share a cache of base suites.
type Session struct {
	r    *Runner
	lang Language
	// Prepared is what Prepare did.
	Prepared Preparation
}

// Prepare readies the scratch copy dir for proofs in lang, once per run:
// with an Engine, it picks the image (Image, else DeriveImage) and runs
// every later command in throwaway containers of it; it then runs the
// setup (SetupCommand, else DetectSetup) with network. A setup that fails
// is reported in Preparation.Failed, not as an error: the error is for
// machinery that broke.
func (r *Runner) Prepare(ctx context.Context, dir string, lang Language) (*Session, error) {
	s := &Session{r: r.session(), lang: lang}
	if r.Refuse != "" {
		s.Prepared.Runner, s.Prepared.Refused = s.r.Executor().Describe(), r.Refuse
		return s, nil
	}
	if r.Engine != nil {
		img := Image{Name: r.Image, Reason: "the test-image input or the policy's fix.test_image"}
		if img.Name == "" {
			img = DeriveImage(dir, lang)
		}
		c := NewContainer(r.Engine.Client, img.Name, r.Engine.Options)
		s.r.Container = c
		s.Prepared.Image = img
		if err := c.ensureImage(ctx); err != nil {
			s.Prepared.Runner = c.Describe()
			s.Prepared.Failed = err.Error()
			return s, nil
		}
		s.Prepared.Pull = c.Pulled
	}
	ex := s.r.Executor()
	s.Prepared.Runner = ex.Describe()
	s.r.JobEnv = mergeEnv(toolEnv(dir, ex.Root(dir), lang, s.r.imagePath(ctx)), r.TestEnv)
	return s, s.setup(ctx, dir)
}

// session returns a runner for one scratch copy, with the settings of r
// and a cache of its own.
func (r *Runner) session() *Runner {
	return &Runner{Timeout: r.Timeout, MaxOutput: r.MaxOutput, Env: r.Env, Sandbox: r.Sandbox, Container: r.Container,
		SetupCommand: r.SetupCommand, SetupEnv: r.SetupEnv, TestEnv: r.TestEnv}
}

// imagePath is the container image's PATH, "" for in-process runs.
func (r *Runner) imagePath(ctx context.Context) string {
	if r.Container == nil {
		return envValue(r.Env, "PATH")
	}
	return r.Container.imageEnv(ctx, "PATH")
}

// setup runs the setup commands with network; the first that fails ends it.
func (s *Session) setup(ctx context.Context, dir string) error {
	root := s.r.Executor().Root(dir)
	steps := DetectSetup(dir, root, s.lang)
	if c := strings.TrimSpace(s.r.SetupCommand); c != "" {
		steps = []Step{{Argv: []string{"sh", "-c", c}, Why: "the setup-command input or the policy's fix.setup"}}
	}
	env := append(append([]string{}, s.r.SetupEnv...), setupEnv(dir, root, s.lang, s.r.SetupEnv)...)
	for _, st := range steps {
		res, err := s.r.run(ctx, Job{Dir: dir, Argv: st.Argv, Env: env, Network: true}, nil)
		s.Prepared.Setup = append(s.Prepared.Setup, res)
		if err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		if res.ExitCode == 0 {
			continue
		}
		if st.Fallback != nil {
			if res, err = s.r.run(ctx, Job{Dir: dir, Argv: st.Fallback, Env: env, Network: true}, nil); err != nil {
				return fmt.Errorf("setup: %w", err)
			}
			s.Prepared.Setup = append(s.Prepared.Setup, res)
			if res.ExitCode == 0 {
				continue
			}
		}
		s.Prepared.Failed = fmt.Sprintf("setup step %q (%s) failed with exit code %d: %s",
			strings.Join(res.Argv, " "), st.Why, res.ExitCode, lastLines(res.Output, 5))
		return nil
	}
	return nil
}

// Preparation returns what Prepare did.
func (s *Session) Preparation() Preparation { return s.Prepared }

// Prove proves a fix in the session's scratch copy; see Runner.Prove.
func (s *Session) Prove(ctx context.Context, req ProofRequest) (*Proof, error) {
	return s.r.Prove(ctx, s.lang, req)
}

// toolEnv is the environment every test run of lang gets on top of the
// executor's: the caches setup filled, the virtualenv and node_modules/.bin
// first on PATH, and a src/ layout on PYTHONPATH; Go runs offline.
func toolEnv(dir, root string, lang Language, imagePath string) []string {
	var env []string
	bins := []string{}
	switch lang {
	case Go:
		env = append(env, goCaches(root, dir)...)
		if root != dir {
			env = append(env, "GOPROXY=off")
		}
	case Python:
		if exists(dir, path.Join(StateDir, "venv")) || len(DetectSetup(dir, root, lang)) > 0 {
			env = append(env, "VIRTUAL_ENV="+Venv(root))
			bins = append(bins, path.Join(Venv(root), "bin"))
		}
		if srcLayout(dir) {
			env = append(env, "PYTHONPATH="+path.Join(root, "src"))
		}
	case JavaScript:
		bins = append(bins, path.Join(root, "node_modules", ".bin"))
	}
	if len(bins) > 0 && imagePath != "" {
		env = append(env, "PATH="+strings.Join(append(bins, imagePath), ":"))
	}
	return env
}

// setupEnv is the environment setup commands get on top of toolEnv's and
// the variables passed from the action's environment (pass): Go may reach
// its module proxy.
func setupEnv(dir, root string, lang Language, pass []string) []string {
	switch lang {
	case Go:
		proxy := envValue(pass, "GOPROXY")
		if proxy == "" {
			proxy = "https://proxy.golang.org,direct"
		}
		return append(goCaches(root, dir), "GOFLAGS=-modcacherw", "GOPROXY="+proxy)
	case JavaScript:
		return []string{"COREPACK_ENABLE_DOWNLOAD_PROMPT=0", "npm_config_update_notifier=false"}
	}
	return nil
}

// goCaches puts Go's caches in the scratch copy's state directory when
// the job runs in a container (root differs from dir); in-process runs
// keep the caches the Runner's environment names.
func goCaches(root, dir string) []string {
	if root == dir {
		return nil
	}
	state := path.Join(root, StateDir, "go")
	return []string{"GOMODCACHE=" + state + "/mod", "GOCACHE=" + state + "/cache", "GOPATH=" + state + "/path"}
}

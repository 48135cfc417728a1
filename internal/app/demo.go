package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// The demo's repository on the in-process GitHub.
const (
	demoOwner = "acme"
	demoRepo  = "shop"
)

// runDemo is `dawnpatch demo`: the real pipeline on the bundled sample,
// against an in-process GitHub and a scripted model, twice.
func runDemo(ctx context.Context, env Env, args []string) error {
	fs := flags("demo")
	sample := fs.String("sample", "", "a sample directory (service/, dispatch.json, gate.json, model.json); empty means the one built into dawnpatch")
	modelURL := fs.String("model-base-url", "", "use this OpenAI-compatible endpoint instead of the scripted model (e.g. http://localhost:11434/v1)")
	modelName := fs.String("model", "demo-model", "the model name to send")
	if err := parseFlags(fs, env.Stdout, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("demo takes no arguments, got %q", fs.Args())
	}
	d, err := newDemo(ctx, env, *sample, *modelURL, *modelName)
	if err != nil {
		return err
	}
	defer d.close()
	w := env.Stdout
	fmt.Fprintf(w, "dawnpatch demo\n\n%s\n", d.scriptedNote())
	for i, title := range []string{"First run: the Sentry alert arrives", "Second run: the same error fires again"} {
		fmt.Fprintf(w, "\n==================== %s ====================\n", title)
		if err := d.run(ctx, i+1); err != nil {
			return err
		}
	}
	return nil
}

// demo holds the in-process fakes and the sample checkout.
type demo struct {
	env               Env
	dir, sample, repo string
	gh                *ghfake.Server
	ghSrv, llmSrv     *httptest.Server
	llm               *llmfake.Server
	modelURL, model   string
}

func newDemo(ctx context.Context, env Env, sample, modelURL, model string) (*demo, error) {
	dir, err := os.MkdirTemp("", "dawnpatch-demo-")
	if err != nil {
		return nil, fmt.Errorf("make demo directory: %w", err)
	}
	d := &demo{env: env, dir: dir, sample: sample, modelURL: modelURL, model: model, gh: ghfake.New()}
	if err := d.setup(ctx); err != nil {
		d.close()
		return nil, err
	}
	return d, nil
}

func (d *demo) setup(ctx context.Context) error {
	if d.sample == "" {
		s, err := unpackDemo(d.dir)
		if err != nil {
			return err
		}
		d.sample = s
	}
	if _, err := os.Stat(filepath.Join(d.sample, "service", "go.mod")); err != nil {
		return fmt.Errorf("find the demo sample: %w (--sample names a directory with service/, dispatch.json, gate.json and model.json)", err)
	}
	ws, err := workspace.Open(filepath.Join(d.sample, "service"))
	if err != nil {
		return fmt.Errorf("open demo service: %w", err)
	}
	d.repo = filepath.Join(d.dir, "checkout")
	if err := ws.Copy(ctx, d.repo); err != nil {
		return fmt.Errorf("make demo checkout: %w", err)
	}
	files, err := workspace.ReadTree(filepath.Join(d.sample, "service"))
	if err != nil {
		return err
	}
	d.gh.AddRepo(demoOwner, demoRepo, "main", files)
	d.ghSrv = httptest.NewServer(d.gh)
	if d.modelURL != "" {
		return nil
	}
	var turns []llmfake.Turn
	for _, name := range []string{"gate.json", "model.json"} {
		t, err := llmfake.LoadTranscript(filepath.Join(d.sample, name))
		if err != nil {
			return fmt.Errorf("load the scripted model: %w", err)
		}
		turns = append(turns, t...)
	}
	d.llm = llmfake.New(turns...)
	d.llmSrv = httptest.NewServer(d.llm)
	d.modelURL = d.llmSrv.URL + "/v1"
	return nil
}

func (d *demo) close() {
	for _, s := range []*httptest.Server{d.ghSrv, d.llmSrv} {
		if s != nil {
			s.Close()
		}
	}
	os.RemoveAll(d.dir)
}

func (d *demo) scriptedNote() string {
	model := "the model's answers are SCRIPTED (testdata/demo/gate.json and model.json), played by an in-process OpenAI-compatible server"
	if d.llmSrv == nil {
		model = "the model is the real endpoint you named: " + d.modelURL
	}
	return strings.Join([]string{
		"What is real: the Sentry event (captured from the sample service by the sentry-go SDK), intake, triage,",
		"dedup, the claim, locating the code, patch validation, the proof (real git, real `go test` runs),",
		"publishing through the real GitHub client, and the report.",
		"What is not: GitHub is an in-process fake that keeps state like GitHub does (no account, no network);",
		model + ".",
		"The sample's own tests run as your user when Go is installed here (test-isolation: none, trusted code); without Go, in",
		"throwaway containers of the Go image its go.mod names, as the action runs every repository's tests.",
	}, "\n")
}

// run plays one workflow run as a runner would start the action.
func (d *demo) run(ctx context.Context, n int) error {
	runDir := filepath.Join(d.dir, fmt.Sprintf("run%d", n))
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return fmt.Errorf("make run directory: %w", err)
	}
	vars := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": demoOwner + "/" + demoRepo,
		"GITHUB_API_URL": d.ghSrv.URL, "GITHUB_WORKSPACE": d.repo,
		"GITHUB_EVENT_NAME": "repository_dispatch", "GITHUB_EVENT_PATH": filepath.Join(d.sample, "dispatch.json"),
		"GITHUB_OUTPUT": filepath.Join(runDir, "output"), "GITHUB_STEP_SUMMARY": filepath.Join(runDir, "summary.md"),
		"INPUT_GITHUB-TOKEN": "demo-github-token", "INPUT_MODEL-BASE-URL": d.modelURL,
		"INPUT_MODEL-API-KEY": "demo-model-key", "INPUT_MODEL": d.model,
		// The bundled sample's tests are trusted: they run here when Go is
		// installed; without it (in the action's image), in containers.
		"INPUT_TEST-ISOLATION": demoIsolation(),
	}
	env := d.env
	env.Getenv = overlay(vars, d.env.Getenv)
	var commands bytes.Buffer
	env.Stdout = &commands // workflow commands: a runner reads them, a person reads the summary
	start := time.Now()
	res, err := step(ctx, env)
	if err != nil {
		return fmt.Errorf("demo run %d: %w\n%s", n, err, commands.String())
	}
	return d.show(res, vars["GITHUB_STEP_SUMMARY"], time.Since(start))
}

func (d *demo) show(res *pipeline.Result, summaryPath string, wall time.Duration) error {
	w := d.env.Stdout
	summary, err := os.ReadFile(summaryPath)
	if err != nil {
		return fmt.Errorf("read the step summary: %w", err)
	}
	fmt.Fprintf(w, "\n--- step summary (%s) ---\n%s\n", summaryPath, summary)
	if res.Outcome.Kind == pipeline.KindPROpened {
		for _, p := range d.gh.Pulls(demoOwner, demoRepo) {
			fmt.Fprintf(w, "--- pull request #%d on the fake GitHub: %q (draft: %v, %s → %s) ---\n%s\n", p.Number, p.Title, p.Draft, p.Head, p.Base, p.Body)
		}
	}
	u := res.Usage
	fmt.Fprintf(w, "--- run ended: %s (%s) in %s: %d model calls, %d tokens, %d GitHub API calls, %s in tests ---\n",
		res.Outcome.Kind, res.Outcome.Reason, wall.Round(time.Millisecond), u.ModelCalls, u.Tokens, u.GitHubCalls, u.TestTime.Round(time.Millisecond))
	return nil
}

// overlay answers from vars first; from the real environment only for
// names a runner would not set, so no real token or input leaks in.
func overlay(vars map[string]string, getenv func(string) string) func(string) string {
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		if strings.HasPrefix(k, "INPUT_") || strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "ACTIONS_") {
			return ""
		}
		return getenv(k)
	}
}

// demoIsolation runs the sample's trusted tests in this process when Go is
// installed, and in throwaway containers (the action's way) otherwise.
func demoIsolation() string {
	if _, err := exec.LookPath("go"); err == nil {
		return "none"
	}
	return "auto"
}

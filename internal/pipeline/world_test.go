package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// demoDir is the demo sample: a Go service with a real panic, its Sentry
// event and the scripted model's answers.
var demoDir = filepath.Join("..", "..", "testdata", "demo")

// The clock of every world: the demo event happened shortly before.
var worldNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// world is one run's surroundings, all in-process and fast: the fake
// GitHub and Sentry over httptest, a scripted model, a real git checkout
// of the demo service, and a prover that answers as the test says instead
// of running tests.
type world struct {
	t        *testing.T
	gh       *ghfake.Server
	sentry   *sentryfake.Server
	llm      *llmfake.Server
	checkout string
	settings Settings
	trigger  Trigger
	// prove answers the prover's requests; nil proves every fix.
	prove  func(req testrun.ProofRequest) *testrun.Proof
	proofs []testrun.ProofRequest
	// prepared lists the scratch copies prepared; setupFails, when set,
	// makes their setup fail.
	prepared   []string
	setupFails string
	// now is the run's clock; zero means worldNow.
	now   time.Time
	files map[string]string
}

// newWorld is the demo: a repository_dispatch carrying the Sentry event of
// the demo's panic, and the model answering as turns say.
func newWorld(t *testing.T, turns ...llmfake.Turn) *world {
	t.Helper()
	w := &world{t: t, gh: ghfake.New(), sentry: sentryfake.New("acme"), llm: llmfake.New(turns...)}
	w.gh.SetClock(func() time.Time { return worldNow })
	w.files = runnertest.ReadTree(t, filepath.Join(demoDir, "service"))
	w.gh.AddRepo("acme", "shop", "main", w.files)
	w.checkout = runnertest.GitRepo(t, w.files)
	in := config.DefaultInputs()
	in.Model, in.JudgeModel = "m", "m"
	w.settings = Settings{Inputs: in, Policy: config.Default()}
	data, err := os.ReadFile(filepath.Join(demoDir, "dispatch.json"))
	if err != nil {
		t.Fatal(err)
	}
	w.trigger = Trigger{EventName: "repository_dispatch", Event: data}
	return w
}

// demoTurns are the scripted gate, fix and judge of the demo.
func demoTurns(t *testing.T, fix ...string) []llmfake.Turn {
	t.Helper()
	var out []llmfake.Turn
	if len(fix) == 0 {
		fix = []string{"model.json"}
	}
	for _, name := range append([]string{"gate.json"}, fix...) {
		turns, err := llmfake.LoadTranscript(filepath.Join(demoDir, name))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, turns...)
	}
	return out
}

// editJSON changes a scripted turn's JSON answer.
func editJSON(t *testing.T, turn llmfake.Turn, edit func(m map[string]any)) llmfake.Turn {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(turn.JSON, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	turn.JSON = data
	return turn
}

// event returns the demo's Sentry event, changed by edit, as a dispatch.
func (w *world) event(edit func(ev map[string]any)) {
	w.t.Helper()
	var d map[string]any
	if err := json.Unmarshal(w.trigger.Event, &d); err != nil {
		w.t.Fatal(err)
	}
	edit(d["client_payload"].(map[string]any)["event"].(map[string]any))
	data, err := json.Marshal(d)
	if err != nil {
		w.t.Fatal(err)
	}
	w.trigger.Event = data
}

// fingerprint is the demo incident's fingerprint.
func (w *world) fingerprint() string {
	w.t.Helper()
	d, err := incident.ParseDispatch(w.trigger.Event)
	if err != nil || d.Incident == nil {
		w.t.Fatalf("parse the demo dispatch: %v", err)
	}
	return d.Incident.Fingerprint
}

// ScratchRoot is a temporary directory of the test.
func (w *world) ScratchRoot(context.Context) (string, error) { return w.t.TempDir(), nil }

// Prepare answers as the world's preparation says.
func (w *world) Prepare(_ context.Context, dir string, lang testrun.Language) (Proving, error) {
	w.prepared = append(w.prepared, dir)
	return w, nil
}

// Preparation is the world's: a container, or a failed setup.
func (w *world) Preparation() testrun.Preparation {
	p := testrun.Preparation{Runner: "a fake", Image: testrun.Image{Name: "golang:1.26", Reason: "go.mod"}}
	if w.setupFails != "" {
		p.Failed = w.setupFails
	}
	return p
}

// Prove records the request and answers it.
func (w *world) Prove(_ context.Context, req testrun.ProofRequest) (*testrun.Proof, error) {
	w.proofs = append(w.proofs, req)
	if w.prove != nil {
		return w.prove(req), nil
	}
	return proven(), nil
}

// proven is a proof whose every run went as a good fix's does.
func proven() *testrun.Proof {
	ran := func(name string, code int) testrun.Result {
		return testrun.Result{Argv: []string{"go", "test", "-run", name}, ExitCode: code, Output: "--- " + name, Duration: time.Second}
	}
	return &testrun.Proof{Verdict: testrun.VerdictProven, Detail: "proven",
		Red: ran("red", 1), Green: ran("green", 0), Green2: ran("green2", 0),
		Suite:      []testrun.Result{ran("base", 0), ran("fixed", 0)},
		BaseSuite:  testrun.Suite{Passed: []string{"a"}},
		FixedSuite: testrun.Suite{Passed: []string{"a", "b"}}}
}

// run runs the pipeline once against the world.
func (w *world) run() *Result {
	w.t.Helper()
	res, err := w.runErr()
	if err != nil {
		w.t.Fatalf("Run: %v", err)
	}
	return res
}

func (w *world) runErr() (*Result, error) {
	w.t.Helper()
	ghSrv := httptest.NewServer(w.gh)
	defer ghSrv.Close()
	llmSrv := httptest.NewServer(w.llm)
	defer llmSrv.Close()
	sentrySrv := httptest.NewServer(w.sentry)
	defer sentrySrv.Close()
	gh, err := ghwork.New(nil, ghSrv.URL, "token", "acme/shop")
	if err != nil {
		w.t.Fatal(err)
	}
	model, err := llm.New(llm.Options{BaseURL: llmSrv.URL + "/v1", APIKey: "k", Model: "m"})
	if err != nil {
		w.t.Fatal(err)
	}
	sc, err := sentryapi.New(nil, sentrySrv.URL, "sentry-token", "acme")
	if err != nil {
		w.t.Fatal(err)
	}
	ws, err := workspace.Open(w.checkout)
	if err != nil {
		w.t.Fatal(err)
	}
	d := Deps{GitHub: gh, Sentry: sc, Model: model, Workspace: ws, Tests: w,
		PRBody: testBody, Now: w.clock}
	return Run(context.Background(), d, w.settings, w.trigger)
}

// clock is the world's time.
func (w *world) clock() time.Time {
	if w.now.IsZero() {
		return worldNow
	}
	return w.now
}

// testBody is a pull request body that shows what the report needs.
func testBody(res *Result) string {
	diff := ""
	if res.Fix != nil {
		diff = res.Fix.Diff
	}
	return fmt.Sprintf("body\n%susage: %d model calls, %d tokens\n", diff, res.Usage.ModelCalls, res.Usage.Tokens)
}

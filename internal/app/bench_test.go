package app

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
)

// benchWorld is the demo on the fakes, for benchmarks.
func benchWorld(b *testing.B, policy string, seed func(*ghfake.Server)) (*runnertest.Runner, *ghfake.Server) {
	b.Helper()
	service := runnertest.ReadTree(b, filepath.Join(demoDir, "service"))
	if policy != "" {
		service[".github/dawnpatch.yml"] = policy
	}
	gh := ghfake.New()
	gh.AddRepo("acme", "shop", "main", service)
	if seed != nil {
		seed(gh)
	}
	srv := httptest.NewServer(gh)
	b.Cleanup(srv.Close)
	r := runnertest.New(b, os.Getenv, runnertest.GitRepo(b, service), filepath.Join(demoDir, "dispatch.json"), srv.URL)
	return r, gh
}

// step runs one action step and fails the benchmark on a wrong reason.
func benchStep(b *testing.B, r *runnertest.Runner, want string) {
	var out, errb bytes.Buffer
	if code := Main(context.Background(), Env{Getenv: r.Getenv, Stdout: &out, Stderr: &errb}); code != 0 {
		b.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	if got := r.Outputs(b)["reason"]; got != want {
		b.Fatalf("reason %s, want %s", got, want)
	}
}

func BenchmarkDoNothingNoise(b *testing.B) {
	r, gh := benchWorld(b, "triage:\n  environments: [staging]\n", nil)
	for b.Loop() {
		benchStep(b, r.Again(b), "not-production")
	}
	b.ReportMetric(float64(gh.Calls())/float64(b.N), "github-calls/op")
}

func BenchmarkDoNothingDuplicate(b *testing.B) {
	r, gh := benchWorld(b, "", func(gh *ghfake.Server) {
		fp := demoFingerprint(b)
		gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: ghwork.Marker(fp, ""), Head: ghwork.BranchName(fp), Base: "main", User: "github-actions[bot]"})
	})
	for b.Loop() {
		benchStep(b, r.Again(b), "duplicate-pr")
	}
	b.ReportMetric(float64(gh.Calls())/float64(b.N), "github-calls/op")
}

func BenchmarkFixPathDemo(b *testing.B) {
	var calls, tokens, ghCalls int
	var wall time.Duration
	for b.Loop() {
		b.StopTimer()
		r, gh := benchWorld(b, "", nil)
		var turns []llmfake.Turn
		for _, name := range []string{"gate.json", "model.json"} {
			ts, err := llmfake.LoadTranscript(filepath.Join(demoDir, name))
			if err != nil {
				b.Fatal(err)
			}
			turns = append(turns, ts...)
		}
		llm := httptest.NewServer(llmfake.New(turns...))
		r.Env["INPUT_MODEL-BASE-URL"] = llm.URL + "/v1"
		r.Env["INPUT_TEST-ISOLATION"] = "none"
		b.StartTimer()
		start := time.Now()
		benchStep(b, r, "pr-opened")
		wall += time.Since(start)
		b.StopTimer()
		out := r.Outputs(b)
		calls += atoi(out["model-calls"])
		tokens += atoi(out["tokens"])
		ghCalls += gh.Calls()
		llm.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(calls)/float64(b.N), "model-calls/op")
	b.ReportMetric(float64(tokens)/float64(b.N), "tokens/op")
	b.ReportMetric(float64(ghCalls)/float64(b.N), "github-calls/op")
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
	"github.com/dawnpatch/dawnpatch/internal/testimage"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"
)

// e2eCase is one repository the action image proves a fix in.
type e2eCase struct {
	name, dir string
	kind      testimage.Kind
	// trace is the incident input: the crash as the runtime printed it.
	trace string
	// edits are the fixer's answer: the fix and its regression test.
	edits []map[string]string
	test  map[string]string
	// env is what the workflow step would give the action (a private
	// package index, say).
	env []string
}

var e2eCases = []e2eCase{
	{
		name: "Go module with a third-party dependency", dir: "go-dep", kind: testimage.Go,
		trace: "panic: runtime error: invalid memory address or nil pointer dereference\n" +
			"[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n\ngoroutine 1 [running]:\n" +
			"example.com/ids.(*Registry).OwnerName(0xc000012345, {0x52a1b0, 0x24})\n\t/srv/app/registry.go:27 +0x5c\n" +
			"main.main()\n\t/srv/app/cmd/ids/main.go:12 +0x2f\nexit status 2\n",
		edits: []map[string]string{
			{"file": "registry.go", "old": "\treturn r.owners[u].Name\n", "new": "\to, ok := r.owners[u]\n\tif !ok {\n\t\treturn \"\"\n\t}\n\treturn o.Name\n"},
			{"file": "registry_unknown_test.go", "old": "", "new": e2eGoTest},
		},
		test: map[string]string{"file": "registry_unknown_test.go", "name": "TestOwnerNameUnknown"},
	},
	{
		name: "Python src layout, pytest and a dependency from setup", dir: "python-src", kind: testimage.Python,
		trace: "Traceback (most recent call last):\n  File \"/srv/app/src/orders/report.py\", line 6, in share\n" +
			"    return percent(done / total)\nZeroDivisionError: division by zero\n",
		edits: []map[string]string{
			{"file": "src/orders/report.py", "old": "    return percent(done / total)\n", "new": "    if total == 0:\n        return percent(0)\n    return percent(done / total)\n"},
			{"file": "tests/test_report.py", "old": "    assert share(1, 4) == \"25%\"\n", "new": "    assert share(1, 4) == \"25%\"\n\n\ndef test_share_of_no_orders():\n    assert share(0, 0) == \"0%\"\n"},
		},
		test: map[string]string{"file": "tests/test_report.py", "name": "test_share_of_no_orders"},
	},
	{
		name: "JavaScript with npm dependencies, tests through mocha", dir: "js-mocha", kind: testimage.Node,
		trace: "TypeError: Cannot read properties of undefined (reading 'amount')\n    at total (/srv/app/src/orders.js:5:20)\n" +
			"    at Object.<anonymous> (/srv/app/server.js:3:1)\n",
		edits: []map[string]string{
			{"file": "src/orders.js", "old": "  return orders[id].amount;\n", "new": "  const order = orders[id];\n  return order ? order.amount : 0;\n"},
			{"file": "test/orders.test.js", "old": "    assert.strictEqual(total({ a: { amount: 5 } }, 'a'), 5);\n  });\n",
				"new": "    assert.strictEqual(total({ a: { amount: 5 } }, 'a'), 5);\n  });\n\n  it('is zero for an unknown order', () => {\n    assert.strictEqual(total({}, 'missing'), 0);\n  });\n"},
		},
		test: map[string]string{"file": "test/orders.test.js", "name": "total > is zero for an unknown order"},
	},
}

// e2eGoTest is the Go regression test; it also tries what a hostile test
// would, and prints what it got, for the pull request's evidence.
const e2eGoTest = `package ids

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestOwnerNameUnknown(t *testing.T) {
	if _, err := os.ReadFile("/proc/1/environ"); err == nil {
		env, _ := os.ReadFile("/proc/1/environ")
		t.Logf("environ of pid 1: %d bytes", len(env))
	}
	creds, _ := filepath.Glob("/github/runner_temp/git-credentials-*.config")
	t.Logf("credentials files in reach: %d", len(creds))
	if _, err := net.DialTimeout("tcp", "127.0.0.1:1", time.Second); err != nil {
		t.Logf("network: %v", err)
	}
	exec.Command("setsid", "sleep", "300").Start()
	r := NewRegistry(nil)
	if got := r.OwnerName("6ba7b810-9dad-11d1-80b4-00c04fd430c8"); got != "" {
		t.Errorf("OwnerName of an unknown id = %q, want \"\"", got)
	}
}
`

// canaryToken is the token actions/checkout would leave in the runner's
// temp directory and the checkout's git config.
const canaryToken = "ghs_e2eCheckoutCanary0123456789abcdefABCD"

// TestActionImageProvesFixesInSiblingContainers builds the action's image
// from the Dockerfile, runs it as a runner starts a container action
// (--workdir /github/workspace, the runner's mounts and INPUT_*/GITHUB_*
// environment, the Docker socket), and proves each repository's fix in
// throwaway sibling containers of its toolchain image: each opens a draft
// pull request on the fake GitHub, the summary says where the tests ran,
// and no test container is left.
func TestActionImageProvesFixesInSiblingContainers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the action image: not in -short")
	}
	b, err := testimage.New(testimage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Available(t.Context()); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Docker engine, and CI=true needs one: %v", err)
		}
		t.Skipf("no Docker engine (CI=true would fail here): %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Minute)
	defer cancel()
	action, err := b.Action(ctx, ".")
	if err != nil {
		t.Fatal(err)
	}
	cli, err := testrun.Dial(ctx, os.Getenv("DOCKER_HOST"))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	index := httptest.NewServer(pypiIndex(t, "shoputil", "1.0", "def percent(x):\n    return f\"{round(x * 100)}%\"\n"))
	defer index.Close()
	for _, c := range e2eCases {
		t.Run(c.name, func(t *testing.T) {
			image, err := b.Ensure(ctx, c.kind)
			if err != nil {
				t.Fatal(err)
			}
			if c.dir == "python-src" {
				c.env = append(c.env, "PIP_INDEX_URL="+index.URL+"/simple", "PIP_TRUSTED_HOST=127.0.0.1")
			}
			runE2E(ctx, t, cli, action, image, c)
		})
	}
}

// runE2E runs the action on one repository and checks what it did.
func runE2E(ctx context.Context, t *testing.T, cli *client.Client, action, image string, c e2eCase) {
	files := runnertest.ReadTree(t, filepath.Join("testdata", "e2e", c.dir))
	gh := ghfake.New()
	gh.AddRepo("acme", "shop", "main", files)
	ghSrv := httptest.NewServer(gh)
	defer ghSrv.Close()
	llm := llmfake.New(e2eTurns(t, c)...)
	llmSrv := httptest.NewServer(llm)
	defer llmSrv.Close()

	dirs := runnerDirs(t, files)
	env := append([]string{
		"GITHUB_ACTIONS=true", "CI=true", "GITHUB_REPOSITORY=acme/shop", "GITHUB_WORKSPACE=/github/workspace",
		"GITHUB_EVENT_NAME=workflow_dispatch", "GITHUB_EVENT_PATH=/github/workflow/event.json", "GITHUB_RUN_ID=1",
		"GITHUB_API_URL=" + ghSrv.URL, "GITHUB_OUTPUT=/github/file_commands/set_output", "GITHUB_STEP_SUMMARY=/github/file_commands/step_summary",
		"RUNNER_TEMP=/github/runner_temp", "HOME=/github/home",
		"INPUT_GITHUB-TOKEN=" + runnertest.GitHubToken, "INPUT_MODEL-BASE-URL=" + llmSrv.URL + "/v1", "INPUT_MODEL=m",
		"INPUT_MODEL-API-KEY=" + runnertest.ModelKey, "INPUT_INCIDENT=" + c.trace, "INPUT_TEST-IMAGE=" + image, "INPUT_TEST-ISOLATION=auto",
	}, c.env...)
	start := time.Now()
	code, logs := runActionContainer(ctx, t, cli, action, env, dirs)
	t.Logf("the action ran in %s", time.Since(start).Round(time.Millisecond))
	summary, _ := os.ReadFile(filepath.Join(dirs["file_commands"], "step_summary"))
	outputs, _ := os.ReadFile(filepath.Join(dirs["file_commands"], "set_output"))
	if code != 0 || !strings.Contains(string(outputs), "pr-opened") {
		t.Fatalf("the action exited %d with outputs:\n%s\nsummary:\n%s\nlogs:\n%s", code, outputs, summary, logs)
	}
	pulls := gh.Pulls("acme", "shop")
	if len(pulls) != 1 || !pulls[0].Draft {
		t.Fatalf("pull requests %+v, want one draft", pulls)
	}
	for _, want := range []string{"Tests ran in a throwaway container of " + image, "Setup:", "setup time:", "New test on the base code (must fail): failed", "New test with the fix (must pass): passed", "Suite with the fix"} {
		if !strings.Contains(string(summary), want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	for name, text := range map[string]string{"summary": string(summary), "outputs": string(outputs), "logs": withoutMasks(logs), "pull request": pulls[0].Body} {
		if strings.Contains(text, canaryToken) || strings.Contains(text, base64.StdEncoding.EncodeToString([]byte("x-access-token:"+canaryToken))) {
			t.Errorf("the checkout's token reached the %s", name)
		}
	}
	if c.dir == "go-dep" && !strings.Contains(pulls[0].Body, "credentials files in reach: 0") {
		t.Errorf("the Go test did not report its look for the checkout's credentials, or found some:\n%s", pulls[0].Body)
	}
	assertNoTestContainers(ctx, t, cli)
}

// withoutMasks drops the ::add-mask:: lines, which name secrets so that
// the runner hides them.
func withoutMasks(logs string) string {
	var keep []string
	for _, l := range strings.Split(logs, "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// runnerDirs makes the directories a runner mounts into a container action:
// the workspace (a git checkout of files, with the credentials
// actions/checkout persists), its temp directory (with checkout's
// credentials file), home, workflow (the event) and file commands.
func runnerDirs(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	root := t.TempDir()
	dirs := map[string]string{"workspace": runnertest.GitRepo(t, files)}
	for _, d := range []string{"runner_temp", "home", "workflow", "file_commands"} {
		dirs[d] = filepath.Join(root, d)
		if err := os.MkdirAll(dirs[d], 0o755); err != nil {
			t.Fatal(err)
		}
	}
	header := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + canaryToken))
	config := "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic " + header + "\n"
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dirs["runner_temp"], "git-credentials-0123.config"), config)
	gitConfig := filepath.Join(dirs["workspace"], ".git", "config")
	old, err := os.ReadFile(gitConfig)
	if err != nil {
		t.Fatal(err)
	}
	write(gitConfig, string(old)+config)
	write(filepath.Join(dirs["workflow"], "event.json"), `{"inputs":{}}`)
	return dirs
}

// runActionContainer starts the action image as the runner starts a
// container action and returns its exit code and logs.
func runActionContainer(ctx context.Context, t *testing.T, cli *client.Client, image string, env []string, dirs map[string]string) (int, string) {
	t.Helper()
	mounts := []mount.Mount{{Type: mount.TypeBind, Source: "/var/run/docker.sock", Target: "/var/run/docker.sock"}}
	for name, target := range map[string]string{"workspace": "/github/workspace", "runner_temp": "/github/runner_temp",
		"home": "/github/home", "workflow": "/github/workflow", "file_commands": "/github/file_commands"} {
		mounts = append(mounts, mount.Mount{Type: mount.TypeBind, Source: dirs[name], Target: target})
	}
	res, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: image, Env: env, WorkingDir: "/github/workspace"},
		HostConfig: &container.HostConfig{NetworkMode: "host", Mounts: mounts},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.ContainerRemove(context.WithoutCancel(ctx), res.ID, client.ContainerRemoveOptions{Force: true})
	wait := cli.ContainerWait(ctx, res.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if _, err := cli.ContainerStart(ctx, res.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatal(err)
	}
	var code int
	select {
	case w := <-wait.Result:
		code = int(w.StatusCode)
	case err := <-wait.Error:
		t.Fatal(err)
	}
	logs, err := cli.ContainerLogs(ctx, res.ID, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	var out bytes.Buffer
	_, _ = stdcopy.StdCopy(&out, &out, logs)
	return code, out.String()
}

// assertNoTestContainers fails for any test container left on the engine.
func assertNoTestContainers(ctx context.Context, t *testing.T, cli *client.Client) {
	t.Helper()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: client.Filters{}.Add("label", testrun.LabelRole+"=test")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list.Items {
		t.Errorf("test container %.12s (%s) is left after the run", c.ID, c.Labels[testrun.LabelOwner])
	}
}

// e2eTurns are the scripted model's answers: the gate, the fix, the judge.
func e2eTurns(t *testing.T, c e2eCase) []llmfake.Turn {
	t.Helper()
	answer := map[string]any{
		"diagnosis": map[string]any{"crash_frame": c.test["file"], "cause_frame": c.edits[0]["file"], "root_cause": "the code reads a value that is not there",
			"why_not_symptom": "the missing value is handled where it is read", "evidence": []any{}, "confidence": 0.9},
		"edits": c.edits, "regression_test": c.test, "title": "handle the missing value",
	}
	var scores []map[string]any
	for _, cr := range []string{"root_cause", "test_exercises_path", "no_invented_requirement", "minimal_in_style", "error_handling_preserved"} {
		scores = append(scores, map[string]any{"criterion": cr, "score": 0.9, "reason": "fine"})
	}
	verdict := map[string]any{"scores": scores, "hard_no": false, "summary": "Approve."}
	gate := map[string]any{"verdict": "bug", "confidence": 0.9, "reason": "a crash in this code"}
	var turns []llmfake.Turn
	for _, v := range []any{gate, answer, verdict} {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		turns = append(turns, llmfake.Turn{JSON: data})
	}
	return turns
}

// pypiIndex serves a package index (PEP 503's simple API) with one pure
// Python wheel of module name, built here.
func pypiIndex(t *testing.T, name, version, code string) http.Handler {
	t.Helper()
	wheel := buildWheel(t, name, version, code)
	sum := sha256.Sum256(wheel)
	file := fmt.Sprintf("%s-%s-py3-none-any.whl", name, version)
	mux := http.NewServeMux()
	mux.HandleFunc("/simple/"+name+"/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "<!DOCTYPE html><html><body><a href=\"/files/%s#sha256=%s\">%s</a></body></html>\n", file, hex.EncodeToString(sum[:]), file)
	})
	mux.HandleFunc("/files/"+file, func(w http.ResponseWriter, _ *http.Request) { w.Write(wheel) })
	return mux
}

// buildWheel makes a wheel holding one module, name/__init__.py.
func buildWheel(t *testing.T, name, version, code string) []byte {
	t.Helper()
	dist := name + "-" + version + ".dist-info"
	files := []struct{ path, body string }{
		{name + "/__init__.py", code},
		{dist + "/METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"},
		{dist + "/WHEEL", "Wheel-Version: 1.0\nGenerator: dawnpatch-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	var record strings.Builder
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.path)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f.body))
		sum := sha256.Sum256([]byte(f.body))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f.path, base64.RawURLEncoding.EncodeToString(sum[:]), len(f.body))
	}
	fmt.Fprintf(&record, "%s/RECORD,,\n", dist)
	w, err := zw.Create(dist + "/RECORD")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(record.String()))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

package testimage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// testUser is the unprivileged user the smoke runs use, as dawnpatch's
// sibling containers do.
const testUser = "61000:61000"

// needEngine returns a client for the engine, skipping the test when there
// is none (failing it when CI is "true").
func needEngine(t *testing.T) *client.Client {
	t.Helper()
	c, err := newClient()
	if err == nil {
		err = ping(t.Context(), c)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Docker engine, and CI=true needs one: %v", err)
		}
		t.Skipf("no Docker engine (CI=true would fail here): %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// runIn runs argv in a new container of image on network as testUser with
// HOME=/tmp, and returns its combined output and exit code.
func runIn(ctx context.Context, c *client.Client, image, network string, argv ...string) (string, int64, error) {
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: image, Cmd: argv, User: testUser, Env: []string{"HOME=/tmp"}},
		HostConfig: &container.HostConfig{NetworkMode: container.NetworkMode(network)},
	})
	if err != nil {
		return "", 0, fmt.Errorf("create container of %s: %w", image, err)
	}
	defer c.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	wait := c.ContainerWait(ctx, created.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if _, err := c.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return "", 0, fmt.Errorf("start container of %s: %w", image, err)
	}
	var code int64
	select {
	case res := <-wait.Result:
		code = res.StatusCode
	case err := <-wait.Error:
		return "", 0, fmt.Errorf("wait for container of %s: %w", image, err)
	}
	logs, err := c.ContainerLogs(ctx, created.ID, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return "", code, fmt.Errorf("logs of container of %s: %w", image, err)
	}
	defer logs.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, logs); err != nil {
		return "", code, fmt.Errorf("logs of container of %s: %w", image, err)
	}
	return out.String(), code, nil
}

func hostCASum(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(caFile)
	if err != nil {
		t.Skipf("no CA bundle on this machine: %v", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// TestEnsure builds (or finds) every kind, then smoke-runs each image with
// no network as an unprivileged user.
func TestEnsure(t *testing.T) {
	c := needEngine(t)
	caSum := hostCASum(t)
	tests := []struct {
		kind Kind
		sh   string
		want []string // regular expressions the output must match
	}{
		{Slim, "sha256sum " + caFile, []string{`^[0-9a-f]{64} `}},
		{Base, "sha256sum $SSL_CERT_FILE; echo $NODE_EXTRA_CA_CERTS $PIP_CERT $REQUESTS_CA_BUNDLE",
			[]string{"(?m)^" + caSum + " ", "(?m)^" + strings.Repeat(caFile+" ", 2) + caFile + "$"}},
		{Go, "go version && go env GOROOT CGO_ENABLED GOTOOLCHAIN && sha256sum " + caFile,
			[]string{`^go version go1\.\d+`, "(?m)^/usr/local/go\n0\nlocal$", "(?m)^" + caSum + " "}},
		{BuilderGo, "git --version && go version && go env GOPATH && pwd",
			[]string{`(?m)^git version 2\.`, `(?m)^go version go1\.`, "(?m)^/go\n/go$"}},
		{Python, "python3 -m pytest --version && python3 -m venv /tmp/v --system-site-packages" +
			" && /tmp/v/bin/python -c 'import pytest, mock, setuptools, wheel; print(\"venv ok\")'",
			[]string{`(?m)^pytest \d+\.`, "(?m)^venv ok$"}},
		{Node, "node -e 'console.log(1)' && npm --version && sha256sum " + caFile,
			[]string{"(?m)^1\n\\d+\\.\\d+\\.\\d+\n", "(?m)^" + caSum + " "}},
		{GitBase, "git --version && sha256sum " + caFile, []string{`^git version 2\.`}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			tag, err := Ensure(t.Context(), tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`^dawnpatch-test/` + string(tt.kind) + `:[0-9a-f]{12}$`).MatchString(tag) {
				t.Errorf("tag %q is not dawnpatch-test/%s:<hash12>", tag, tt.kind)
			}
			out, code, err := runIn(t.Context(), c, tag, "none", "sh", "-c", tt.sh)
			if err != nil {
				t.Fatal(err)
			}
			if code != 0 {
				t.Fatalf("%s in %s exited %d:\n%s", tt.sh, tag, code, out)
			}
			for _, w := range tt.want {
				if !regexp.MustCompile(w).MatchString(out) {
					t.Errorf("output of %s in %s does not match %q:\n%s", tt.sh, tag, w, out)
				}
			}
			if (tt.kind == Slim || tt.kind == GitBase) && strings.Contains(out, caSum) {
				t.Errorf("%s has this machine's CA bundle; it must keep Debian's:\n%s", tag, out)
			}
		})
	}
}

// TestNodeRegistry proves the CA bundle works: npm in the Node image, on
// the host network, reaches the npm registry through the machine's
// TLS-re-signing proxy.
func TestNodeRegistry(t *testing.T) {
	c := needEngine(t)
	const url = "https://registry.npmjs.org/is-number"
	hc := &http.Client{Timeout: 15 * time.Second}
	resp, err := hc.Get(url)
	if err != nil {
		t.Skipf("the npm registry does not answer this machine: %v", err)
	}
	resp.Body.Close()
	tag, err := Ensure(t.Context(), Node)
	if err != nil {
		t.Fatal(err)
	}
	out, code, err := runIn(t.Context(), c, tag, "host", "npm", "view", "is-number", "version")
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || !regexp.MustCompile(`(?m)^\d+\.\d+\.\d+$`).MatchString(out) {
		t.Fatalf("npm view is-number version in %s exited %d:\n%s", tag, code, out)
	}
}

// TestImage_concurrent has several Builders, as separate test processes
// would, ask for the same image at once: all get the same tag.
func TestImage_concurrent(t *testing.T) {
	needEngine(t)
	lock := t.TempDir() + "/lock"
	tags := make([]string, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range tags {
		wg.Go(func() {
			b, err := New(Options{LockFile: lock})
			if err != nil {
				errs[i] = err
				return
			}
			defer b.Close()
			img, err := b.Image(t.Context(), Base)
			tags[i], errs[i] = img.Tag, err
		})
	}
	wg.Wait()
	for i := range tags {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if tags[i] != tags[0] {
			t.Errorf("builder %d got %s, builder 0 got %s", i, tags[i], tags[0])
		}
	}
}

// TestNeed is the helper other packages' tests call.
func TestNeed(t *testing.T) {
	tag := Need(t, os.Getenv, Base)
	if !strings.HasPrefix(tag, "dawnpatch-test/base:") {
		t.Errorf("Need(Base) = %q", tag)
	}
}

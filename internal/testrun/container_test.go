package testrun

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/dawnpatch/dawnpatch/internal/testimage"
)

// engineRunner is a Runner whose commands run in containers of kind on
// the machine's Docker engine.
func engineRunner(t *testing.T, kind testimage.Kind) (*Runner, *client.Client) {
	t.Helper()
	if testing.Short() {
		t.Skip("containers: not in -short")
	}
	image := testimage.Need(t, os.Getenv, kind)
	cli, err := Dial(t.Context(), os.Getenv("DOCKER_HOST"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	paths, err := DiscoverHostPaths(t.Context(), cli)
	if err != nil {
		t.Fatal(err)
	}
	c := NewContainer(cli, image, ContainerOptions{Paths: paths, Memory: 1 << 30, CPUs: 1})
	return &Runner{Container: c, Timeout: time.Minute}, cli
}

// leftovers lists the test containers this process started that remain.
func leftovers(t *testing.T, cli *client.Client, owner string) []string {
	t.Helper()
	list, err := cli.ContainerList(t.Context(), client.ContainerListOptions{All: true,
		Filters: client.Filters{}.Add("label", LabelOwner+"="+owner)})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range list.Items {
		out = append(out, c.ID)
	}
	return out
}

// TestContainer_untrustedTest runs, in a throwaway container, a test that
// tries what the security review did: read this process's environment and
// the checkout's credentials, reach a server on the host's loopback, write
// outside the scratch copy, and leave a daemon behind. None of it works,
// and no container is left.
func TestContainer_untrustedTest(t *testing.T) {
	r, cli := engineRunner(t, testimage.Base)
	t.Setenv("DAWNPATCH_SECRET_IN_PARENT", "ghs_parentsecret0123456789")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("reached")) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	dir := t.TempDir()
	script := `echo "uid=$(id -u)"
cat /proc/1/environ /proc/self/environ | tr '\0' '\n' | grep -c SECRET_IN_PARENT || true
ls /github 2>&1 | head -1
(exec 3<>/dev/tcp/127.0.0.1/` + port + ` && echo NETWORK=reached) 2>/dev/null || echo NETWORK=none
touch /etc/dawnpatch-was-here 2>/dev/null && echo ROOTFS=written || echo ROOTFS=read-only
touch /src/inside && echo SCRATCH=written
setsid sh -c 'exec sleep 300' </dev/null >/dev/null 2>&1 &
echo done`
	res, err := r.Run(context.Background(), dir, []string{"bash", "-c", script})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("run: %v, exit %d\n%s", err, res.ExitCode, res.Output)
	}
	for _, want := range []string{"uid=65534", "\n0\n", "No such file", "NETWORK=none", "ROOTFS=read-only", "SCRATCH=written", "done"} {
		if os.Geteuid() != 0 && want == "uid=65534" {
			continue
		}
		if !strings.Contains(res.Output, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Output)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "inside")); err != nil {
		t.Errorf("the job could not write the scratch copy: %v", err)
	}
	if left := leftovers(t, cli, r.Container.owner); len(left) > 0 {
		t.Errorf("containers left after the run: %v", left)
	}
	if os.Geteuid() == 0 {
		assertReclaimed(t, dir)
	}
}

// TestContainer_timeoutRemovesTheContainer runs a test that hangs: the run
// times out and its container, with every process in it, is gone.
func TestContainer_timeoutRemovesTheContainer(t *testing.T) {
	r, cli := engineRunner(t, testimage.Base)
	r.Timeout = 2 * time.Second
	res, err := r.Run(context.Background(), t.TempDir(), []string{"sleep", "300"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut || res.ExitCode != -1 {
		t.Errorf("TimedOut = %v, exit %d; want a timeout", res.TimedOut, res.ExitCode)
	}
	if left := leftovers(t, cli, r.Container.owner); len(left) > 0 {
		t.Errorf("containers left after the timeout: %v", left)
	}
}

// TestContainer_setupReachesTheNetwork: only a setup job has network.
func TestContainer_setupReachesTheNetwork(t *testing.T) {
	r, _ := engineRunner(t, testimage.Base)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("reached")) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	probe := `(exec 3<>/dev/tcp/127.0.0.1/` + port + ` && echo NETWORK=reached) 2>/dev/null || echo NETWORK=none`
	for _, network := range []bool{true, false} {
		res, err := r.run(context.Background(), Job{Dir: t.TempDir(), Argv: []string{"bash", "-c", probe}, Network: network}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := map[bool]string{true: "NETWORK=reached", false: "NETWORK=none"}[network]
		if !strings.Contains(res.Output, want) {
			t.Errorf("network %v: output %q, want %q", network, res.Output, want)
		}
	}
}

// TestSweep removes a container whose owner is gone and leaves one whose
// owner runs.
func TestSweep(t *testing.T) {
	r, cli := engineRunner(t, testimage.Base)
	gone, alive := "host sweep-test 999999", "host sweep-test 1"
	var ids []string
	for _, owner := range []string{gone, alive} {
		c := NewContainer(cli, r.Container.image, ContainerOptions{Owner: owner, Paths: r.Container.paths})
		id, err := c.create(t.Context(), Job{Argv: []string{"true"}}, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	defer func() {
		for _, id := range ids {
			cli.ContainerRemove(context.Background(), id, client.ContainerRemoveOptions{Force: true})
		}
	}()
	n, err := Sweep(t.Context(), cli, OwnerAlive(cli, "sweep-test", func(pid int) bool { return pid == 1 }))
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1 removed", n, err)
	}
	if got := leftovers(t, cli, gone); len(got) != 0 {
		t.Errorf("the gone owner's container remains: %v", got)
	}
	if got := leftovers(t, cli, alive); len(got) != 1 {
		t.Errorf("the live owner's container was removed")
	}
}

package testrun

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"
)

// ContainerRoot is where a container job sees the scratch copy.
const ContainerRoot = "/src"

// Labels on every container dawnpatch starts, so that a cancelled run's
// leftovers can be found and removed by the next one.
const (
	// LabelOwner names the process that started the container: "container
	// <id>" for dawnpatch in a container, "host <hostname> <pid>" otherwise.
	LabelOwner = "io.dawnpatch.owner"
	// LabelRole is "test" on every container a job ran in.
	LabelRole = "io.dawnpatch.role"
)

// Default limits of a container job.
const (
	DefaultMemory = 4 << 30
	DefaultPids   = 4096
	tmpfsSize     = "2g"
)

// Container runs each job in a throwaway sibling container on a Docker
// engine, from the repository's toolchain image: the scratch copy mounted
// at /src and nothing else, a non-root uid, an environment of the job's
// variables only (plus HOME=/tmp, TMPDIR=/tmp, CI=true and what the image
// sets), no network unless the job is setup, a read-only root file system
// with a tmpfs /tmp, no capabilities, no new privileges, and memory, CPU
// and process limits. The container is removed when the job ends, times
// out or is cancelled, so no process of it survives.
type Container struct {
	cli   *client.Client
	image string
	uid   int
	// paths translates the scratch copy's path into the engine host's.
	paths  HostPaths
	owner  string
	memory int64
	cpus   float64
	pids   int64

	// root reports that this process runs as root: it then hands the
	// scratch copy to uid for each job and takes it back afterwards.
	root bool

	pull   sync.Once
	pulled error
	// Pulled is how long pulling the image took, zero when it was there.
	Pulled time.Duration
}

// ContainerOptions configure NewContainer. Zero values take the defaults.
type ContainerOptions struct {
	// UID is the user jobs run as (and GID its group); zero means
	// NobodyID.
	UID int
	// Memory caps a job's memory in bytes; zero means DefaultMemory.
	Memory int64
	// CPUs caps a job's CPUs; zero means no cap.
	CPUs float64
	// Pids caps a job's processes; zero means DefaultPids.
	Pids int64
	// Paths translates this process's paths into the engine host's; see
	// DiscoverHostPaths.
	Paths HostPaths
	// Owner is the LabelOwner value; empty means Paths' owner.
	Owner string
}

// NewContainer returns an executor running jobs in image on the engine cli
// talks to.
func NewContainer(cli *client.Client, image string, o ContainerOptions) *Container {
	c := &Container{cli: cli, image: image, uid: o.UID, paths: o.Paths, owner: o.Owner, memory: o.Memory, cpus: o.CPUs, pids: o.Pids}
	c.root = os.Geteuid() == 0
	switch {
	case !c.root:
		c.uid = os.Geteuid() // files the job makes must stay this process's to clean up
	case c.uid == 0:
		c.uid = NobodyID
	}
	if c.memory == 0 {
		c.memory = DefaultMemory
	}
	if c.pids == 0 {
		c.pids = DefaultPids
	}
	if c.owner == "" {
		c.owner = o.Paths.Owner()
	}
	return c
}

// Image is the image jobs run in.
func (c *Container) Image() string { return c.image }

// UID is the user jobs run as.
func (c *Container) UID() int { return c.uid }

// Root is where a job sees the scratch copy: ContainerRoot.
func (c *Container) Root(string) string { return ContainerRoot }

// Describe names the image and the isolation.
func (c *Container) Describe() string {
	return fmt.Sprintf("in a throwaway container of %s per run, as uid %d, without network", c.image, c.uid)
}

// Exec runs the job in a new container and removes it; see Executor.
func (c *Container) Exec(ctx context.Context, j Job) (int, error) {
	if err := c.ensureImage(ctx); err != nil {
		return -1, err
	}
	host, err := c.paths.Host(j.Dir)
	if err != nil {
		return -1, fmt.Errorf("container: %w", err)
	}
	if c.root {
		if err := handOver(j.Dir, c.uid, c.uid, j.Network); err != nil {
			return -1, fmt.Errorf("container: hand the scratch copy to uid %d: %w", c.uid, err)
		}
	}
	code, err := c.run(ctx, j, host)
	if c.root {
		if terr := takeBack(j.Dir, c.uid); terr != nil && err == nil {
			err = fmt.Errorf("container: take the scratch copy back: %w", terr)
		}
	}
	return code, err
}

// run creates, starts and waits for the job's container, and removes it.
func (c *Container) run(ctx context.Context, j Job, host string) (int, error) {
	id, err := c.create(ctx, j, host)
	if err != nil {
		return -1, err
	}
	defer c.remove(ctx, id)
	att, err := c.cli.ContainerAttach(ctx, id, client.ContainerAttachOptions{Stream: true, Stdout: true, Stderr: true})
	if err != nil {
		return -1, fmt.Errorf("container: attach: %w", err)
	}
	defer att.Close()
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = stdcopy.StdCopy(j.Output, j.Output, att.Reader)
	}()
	wait := c.cli.ContainerWait(context.WithoutCancel(ctx), id, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if _, err := c.cli.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		return -1, fmt.Errorf("container: start: %w", err)
	}
	select {
	case w := <-wait.Result:
		<-copied
		if w.Error != nil && w.Error.Message != "" {
			return -1, fmt.Errorf("container: wait: %s", w.Error.Message)
		}
		return int(w.StatusCode), nil
	case err := <-wait.Error:
		return -1, fmt.Errorf("container: wait: %w", err)
	case <-ctx.Done():
		c.remove(ctx, id) // kills every process of the job now
		return -1, nil
	}
}

// create makes the job's container.
func (c *Container) create(ctx context.Context, j Job, host string) (string, error) {
	network := container.NetworkMode("none")
	if j.Network {
		network = "host"
	}
	env := mergeEnv([]string{"HOME=/tmp", "TMPDIR=/tmp", "CI=true"}, j.Env)
	init, pids := true, c.pids
	res, err := c.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: "dawnpatch-" + randomName(),
		Config: &container.Config{
			Image: c.image, Cmd: j.Argv, Env: env, WorkingDir: ContainerRoot,
			User: fmt.Sprintf("%d:%d", c.uid, c.uid), AttachStdout: true, AttachStderr: true,
			Labels: map[string]string{LabelOwner: c.owner, LabelRole: "test"},
		},
		HostConfig: &container.HostConfig{
			NetworkMode:    network,
			Mounts:         []mount.Mount{{Type: mount.TypeBind, Source: host, Target: ContainerRoot}},
			Tmpfs:          map[string]string{"/tmp": "rw,exec,nosuid,nodev,size=" + tmpfsSize},
			ReadonlyRootfs: true, CapDrop: []string{"ALL"}, SecurityOpt: []string{"no-new-privileges"},
			Init:      &init,
			Resources: container.Resources{Memory: c.memory, MemorySwap: c.memory, NanoCPUs: int64(c.cpus * 1e9), PidsLimit: &pids},
		},
	})
	if err != nil {
		return "", fmt.Errorf("container: create from %s: %w", c.image, err)
	}
	return res.ID, nil
}

// remove kills and removes a container, even when the job's ctx is done:
// it keeps ctx's values, not its cancellation.
func (c *Container) remove(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, _ = c.cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
}

// ensureImage pulls the image once when the engine does not have it.
func (c *Container) ensureImage(ctx context.Context) error {
	c.pull.Do(func() {
		if _, err := c.cli.ImageInspect(ctx, c.image); err == nil {
			return
		} else if !cerrdefs.IsNotFound(err) {
			c.pulled = fmt.Errorf("container: inspect image %s: %w", c.image, err)
			return
		}
		start := time.Now()
		rc, err := c.cli.ImagePull(ctx, c.image, client.ImagePullOptions{})
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err == nil {
			_, err = c.cli.ImageInspect(ctx, c.image)
		}
		if err != nil {
			c.pulled = fmt.Errorf("container: pull image %s: %w", c.image, err)
		}
		c.Pulled = time.Since(start)
	})
	return c.pulled
}

// randomName is a short random suffix for container names.
func randomName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Sweep removes the containers of owners that are gone: a cancelled run's
// leftovers. It leaves alone the containers of owners that still run
// (another job on a shared engine) and reports how many it removed.
func Sweep(ctx context.Context, cli *client.Client, alive func(ctx context.Context, owner string) bool) (int, error) {
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: client.Filters{}.Add("label", LabelRole+"=test")})
	if err != nil {
		return 0, fmt.Errorf("list dawnpatch containers: %w", err)
	}
	n := 0
	var errs []error
	for _, s := range list.Items {
		if alive(ctx, s.Labels[LabelOwner]) {
			continue
		}
		if _, err := cli.ContainerRemove(ctx, s.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// OwnerAlive reports whether the owner a LabelOwner value names still
// runs: a container that is running, or a process of this host.
func OwnerAlive(cli *client.Client, hostname string, pidAlive func(int) bool) func(ctx context.Context, owner string) bool {
	return func(ctx context.Context, owner string) bool {
		f := strings.Fields(owner)
		switch {
		case len(f) == 2 && f[0] == "container":
			res, err := cli.ContainerInspect(ctx, f[1], client.ContainerInspectOptions{})
			return err == nil && res.Container.State != nil && res.Container.State.Running
		case len(f) == 3 && f[0] == "host":
			var pid int
			if _, err := fmt.Sscan(f[2], &pid); err != nil {
				return false
			}
			return f[1] != hostname || pidAlive(pid) // another host's: not ours to judge
		}
		return true // not a label dawnpatch writes: leave it
	}
}

// imageEnv returns a variable the image sets (its PATH, say), or "".
func (c *Container) imageEnv(ctx context.Context, key string) string {
	res, err := c.cli.ImageInspect(ctx, c.image)
	if err != nil || res.Config == nil {
		return ""
	}
	return envValue(res.Config.Env, key)
}

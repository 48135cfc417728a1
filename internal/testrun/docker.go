package testrun

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Docker runs each command in a sibling container (test-isolation:
// docker): docker run --rm --network none, the scratch copy mounted at
// /work and nothing else, as an unprivileged user, with the Runner's
// environment minus the variables naming paths of this machine.
//
// It is built and unit-tested as a command line only: no Docker engine was
// available to run it. Known gaps: the container starts with a cold Go
// build cache and no network (so no module downloads); a timeout kills the
// docker client, and --rm with the client's death is all that stops the
// container.
type Docker struct {
	// Binary is the docker client; empty means "docker" on PATH.
	Binary string
	// Image runs the tests; it needs the repository's toolchain.
	Image string
	// UID and GID are the user in the container; zero means NobodyID.
	UID, GID int
	// LocalRoot and HostRoot translate the scratch path for the engine:
	// a container action sees its files under paths the host names
	// differently (for example /github/workspace). A dir under LocalRoot
	// is mounted from the same place under HostRoot; empty means the
	// paths are the same.
	LocalRoot, HostRoot string
}

// hostPaths are the variables that name paths of this machine, which mean
// nothing in the container.
var hostPaths = []string{"HOME", "TMPDIR", "PATH", "GOCACHE", "GOMODCACHE", "GOPATH"}

// Args returns the docker command that runs argv in dir.
func (d *Docker) Args(dir string, env, argv []string) []string {
	bin := d.Binary
	if bin == "" {
		bin = "docker"
	}
	uid, gid := d.UID, d.GID
	if uid == 0 {
		uid = NobodyID
	}
	if gid == 0 {
		gid = NobodyID
	}
	args := []string{bin, "run", "--rm", "--network", "none",
		"-v", d.hostDir(dir) + ":/work", "-w", "/work", "--user", fmt.Sprintf("%d:%d", uid, gid),
		"--env", "HOME=/tmp", "--env", "TMPDIR=/tmp"}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(hostPaths, k) {
			args = append(args, "--env", kv)
		}
	}
	args = append(args, d.Image)
	return append(args, argv...)
}

// hostDir translates dir to the engine's view of it.
func (d *Docker) hostDir(dir string) string {
	if d.LocalRoot == "" || d.HostRoot == "" {
		return dir
	}
	rel, err := filepath.Rel(d.LocalRoot, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return dir
	}
	return filepath.Join(d.HostRoot, rel)
}

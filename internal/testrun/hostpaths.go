package testrun

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/moby/client"
)

// HostPaths translates paths of this process's file system into paths of
// the Docker engine's host, so that a sibling container can mount them.
// Outside a container the two are the same. Inside one (a container
// action), only what is under one of the container's mounts has a host
// path: the runner mounts its temp directory at /github/runner_temp and
// the home at /github/home.
type HostPaths struct {
	// Container is this process's container id; empty outside a container.
	Container string
	mounts    []bindMount
	hostname  string
	pid       int
}

// bindMount is one mount of this process's container: Dest here is
// Source on the host.
type bindMount struct{ Dest, Source string }

// containerID finds a Docker container's id in the mount sources Docker
// gives every container (/etc/hostname, /etc/hosts, /etc/resolv.conf).
var containerID = regexp.MustCompile(`/containers/([0-9a-f]{64})/(?:hostname|hosts|resolv\.conf)\b`)

// OwnContainer returns the id of the Docker container this process runs
// in, read from its mountinfo, or "" when it runs in none.
func OwnContainer(mountinfo io.Reader) string {
	sc := bufio.NewScanner(mountinfo)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if m := containerID.FindStringSubmatch(sc.Text()); m != nil {
			return m[1]
		}
	}
	return ""
}

// DiscoverHostPaths finds how this process's paths look on the engine's
// host: outside a container they are the same; inside one, it inspects the
// container through the engine and keeps its mounts.
func DiscoverHostPaths(ctx context.Context, cli *client.Client) (HostPaths, error) {
	h := HostPaths{pid: os.Getpid()}
	h.hostname, _ = os.Hostname()
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return h, nil // not Linux: the paths are the host's
	}
	defer f.Close()
	h.Container = OwnContainer(f)
	if h.Container == "" {
		return h, nil
	}
	res, err := cli.ContainerInspect(ctx, h.Container, client.ContainerInspectOptions{})
	if err != nil {
		return h, fmt.Errorf("inspect this process's own container %.12s to find its mounts: %w", h.Container, err)
	}
	for _, m := range res.Container.Mounts {
		if m.Source != "" && m.Destination != "" {
			h.mounts = append(h.mounts, bindMount{Dest: filepath.Clean(m.Destination), Source: filepath.Clean(m.Source)})
		}
	}
	h.sortMounts()
	return h, nil
}

// ContainerPaths is the HostPaths of a container with these mounts (host
// source → path in the container), for tests and callers that know them.
func ContainerPaths(id string, mounts map[string]string) HostPaths {
	h := HostPaths{Container: id}
	for src, dst := range mounts {
		h.mounts = append(h.mounts, bindMount{Dest: filepath.Clean(dst), Source: filepath.Clean(src)})
	}
	h.sortMounts()
	return h
}

// sortMounts puts the deepest mount first, so that it wins.
func (h *HostPaths) sortMounts() {
	slices.SortFunc(h.mounts, func(a, b bindMount) int { return len(b.Dest) - len(a.Dest) })
}

// Host returns the engine host's path of p (absolute).
func (h HostPaths) Host(p string) (string, error) {
	p = filepath.Clean(p)
	if h.Container == "" {
		return p, nil
	}
	for _, m := range h.mounts {
		if rel, ok := under(p, m.Dest); ok {
			return filepath.Join(m.Source, rel), nil
		}
	}
	return "", fmt.Errorf("%s is on no mount of this container, so the Docker host cannot see it; keep scratch copies under /github/runner_temp or /github/home", p)
}

// Visible reports whether the engine's host can see p.
func (h HostPaths) Visible(p string) bool {
	_, err := h.Host(p)
	return err == nil
}

// Owner is the LabelOwner value of containers this process starts.
func (h HostPaths) Owner() string {
	if h.Container != "" {
		return "container " + h.Container
	}
	return fmt.Sprintf("host %s %d", h.hostname, h.pid)
}

// under reports whether p is dir or below it, and the rest of p.
func under(p, dir string) (string, bool) {
	if p == dir {
		return ".", true
	}
	rest, ok := strings.CutPrefix(p, dir+string(filepath.Separator))
	return rest, ok && dir != ""
}

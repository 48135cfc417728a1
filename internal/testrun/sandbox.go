package testrun

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// NobodyID is the uid and gid of "nobody" on Debian, the default sandbox
// identity.
const NobodyID = 65534

// Sandbox runs test commands as an unprivileged user. It needs root.
//
// Per command it: changes the owner of the scratch copy to UID:GID (all but
// its top directory and top .git, which stay root's so that dawnpatch's own
// git keeps trusting them; the top directory becomes 01777 so tests can
// create files there); gives the command a fresh HOME and TMPDIR it owns,
// removed afterwards; and points GOCACHE, GOMODCACHE and GOPATH into a cache
// directory the sandbox user owns, created once and reused by every
// command of the Sandbox, so that only its first go test pays for a cold
// build cache. The module cache of the environment (GOMODCACHE or
// GOPATH/pkg/mod), when others can read it, is offered read-only as the
// first GOPROXY entry (file://.../cache/download): modules already
// downloaded are copied from it, others come from the configured proxy.
// PATH keeps only directories the sandbox user can reach.
//
// It does not stop the network, a test that leaves its process group
// (setsid) and outlives the timeout, or reads of world-readable files.
type Sandbox struct {
	// UID and GID are the identity commands run as.
	UID, GID int
	// Dir holds the cache directory and the per-command homes. It is
	// created if absent; every directory above it must be searchable by
	// others (mode o+x). Sandboxes, even of several processes, may share
	// a Dir, and with it a warm build cache.
	Dir string

	once sync.Once
	err  error
}

// NewSandbox returns a Sandbox running commands as uid:gid, keeping its
// state under dir.
func NewSandbox(dir string, uid, gid int) *Sandbox {
	return &Sandbox{UID: uid, GID: gid, Dir: dir}
}

// cacheDir is the directory of the sandbox user's Go caches.
func (s *Sandbox) cacheDir() string { return filepath.Join(s.Dir, "cache") }

// init creates Dir and the cache directory once.
func (s *Sandbox) init() error {
	s.once.Do(func() {
		switch {
		case os.Geteuid() != 0:
			s.err = fmt.Errorf("sandbox: running commands as uid %d needs root", s.UID)
		case s.UID <= 0 || s.GID <= 0:
			s.err = fmt.Errorf("sandbox: uid %d and gid %d must be positive", s.UID, s.GID)
		default:
			s.err = s.makeDirs()
		}
	})
	return s.err
}

func (s *Sandbox) makeDirs() error {
	if err := os.MkdirAll(s.Dir, 0o711); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	if err := os.Chmod(s.Dir, 0o711); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	if err := reachable(s.Dir); err != nil {
		return fmt.Errorf("sandbox dir: %w", err)
	}
	for _, d := range []string{"", "go-build", "mod", "gopath"} {
		if err := s.ownedDir(filepath.Join(s.cacheDir(), d)); err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
	}
	return nil
}

// ownedDir creates dir with mode 0700, owned by the sandbox user.
func (s *Sandbox) ownedDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return os.Lchown(dir, s.UID, s.GID)
}

// prepare readies a command in dir: it hands the scratch copy to the
// sandbox user and makes a fresh home. It returns the command's
// environment, its program resolved on the sandbox PATH, and a cleanup.
func (s *Sandbox) prepare(dir string, env []string, prog string, setup bool) ([]string, string, func(), error) {
	if err := s.init(); err != nil {
		return nil, "", nil, err
	}
	if err := reachable(dir); err != nil {
		return nil, "", nil, fmt.Errorf("sandbox: scratch copy: %w", err)
	}
	if err := s.handOver(dir, setup); err != nil {
		return nil, "", nil, fmt.Errorf("sandbox: hand the scratch copy to uid %d: %w", s.UID, err)
	}
	run, err := os.MkdirTemp(s.Dir, "run-")
	if err != nil {
		return nil, "", nil, fmt.Errorf("sandbox: make home: %w", err)
	}
	cleanup := func() { os.RemoveAll(run) }
	for _, d := range []string{run, filepath.Join(run, "home"), filepath.Join(run, "tmp")} {
		if err := s.ownedDir(d); err != nil {
			cleanup()
			return nil, "", nil, fmt.Errorf("sandbox: make home: %w", err)
		}
	}
	env = s.env(env, run)
	path, err := lookPath(prog, envValue(env, "PATH"))
	if err != nil {
		cleanup()
		return nil, "", nil, fmt.Errorf("sandbox: %w", err)
	}
	return env, path, cleanup, nil
}

// handOver gives the scratch copy to the sandbox user: see Sandbox and
// the function handOver.
func (s *Sandbox) handOver(dir string, setup bool) error { return handOver(dir, s.UID, s.GID, setup) }

// sandboxOwned are the variables the sandbox sets itself.
var sandboxOwned = []string{"HOME", "TMPDIR", "GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "PATH"}

// env rewrites a command environment for the sandbox user.
func (s *Sandbox) env(env []string, run string) []string {
	out := []string{
		"HOME=" + filepath.Join(run, "home"), "TMPDIR=" + filepath.Join(run, "tmp"),
		"GOCACHE=" + filepath.Join(s.cacheDir(), "go-build"), "GOMODCACHE=" + filepath.Join(s.cacheDir(), "mod"),
		"GOPATH=" + filepath.Join(s.cacheDir(), "gopath"), "PATH=" + reachablePath(envValue(env, "PATH")),
		"GOPROXY=" + sandboxProxy(env), "npm_config_update_notifier=false",
	}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(sandboxOwned, k) {
			out = append(out, kv)
		}
	}
	return out
}

// sandboxProxy puts the shared module cache, when others can read it, in
// front of the configured GOPROXY.
func sandboxProxy(env []string) string {
	proxy := envValue(env, "GOPROXY")
	if proxy == "" {
		proxy = "https://proxy.golang.org,direct"
	}
	shared := envValue(env, "GOMODCACHE")
	if shared == "" && envValue(env, "GOPATH") != "" {
		first, _, _ := strings.Cut(envValue(env, "GOPATH"), string(filepath.ListSeparator))
		shared = filepath.Join(first, "pkg", "mod")
	}
	download := filepath.Join(shared, "cache", "download")
	if shared == "" || reachable(download) != nil {
		return proxy
	}
	return "file://" + filepath.ToSlash(download) + "," + proxy
}

// reachable reports, as an error naming the culprit, whether others can
// reach p: every directory from the root down to p searchable (o+x).
func reachable(p string) error {
	p, err := filepath.Abs(p)
	if err != nil {
		return err
	}
	for d := p; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if fi.IsDir() && fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("%s (mode %v) is not searchable by others; make it o+x (0711)", d, fi.Mode().Perm())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// reachablePath keeps the entries of a PATH list others can reach.
func reachablePath(list string) string {
	var keep []string
	for _, d := range filepath.SplitList(list) {
		if d != "" && filepath.IsAbs(d) && reachable(d) == nil {
			keep = append(keep, d)
		}
	}
	return strings.Join(keep, string(filepath.ListSeparator))
}

// lookPath finds prog on the PATH list as an executable for others.
func lookPath(prog, list string) (string, error) {
	if strings.Contains(prog, "/") {
		return prog, nil
	}
	for _, d := range filepath.SplitList(list) {
		p := filepath.Join(d, prog)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o001 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found on the sandbox PATH %q", prog, list)
}

// reclaim takes the scratch copy back after a command: see takeBack.
func (s *Sandbox) reclaim(dir string) error { return takeBack(dir, s.UID) }

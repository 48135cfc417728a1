package testimage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"
)

// Options configures a Builder. The zero value reads this machine's usual
// places and discards progress output.
type Options struct {
	// Log receives progress: a line per image built and the output of
	// debootstrap and the engine's builds. Nil discards it; a failed
	// build's error ends with the tail of its output either way.
	Log io.Writer
	// AptDir holds the apt sources the Debian mirror is read from; empty
	// means /etc/apt. Without a bookworm source, DefaultMirror is used.
	AptDir string
	// CABundle is this machine's CA bundle, copied into Base; empty
	// means /etc/ssl/certs/ca-certificates.crt.
	CABundle string
	// GoCommand is the go command whose GOROOT Go copies; empty means
	// "go" on PATH.
	GoCommand string
	// NodeBinary is the node copied into Node, with npm and corepack
	// from ../lib/node_modules; empty means /usr/bin/node. Where it does
	// not exist, Node installs Debian's nodejs and npm instead.
	NodeBinary string
	// LockFile serializes builds across processes; empty means
	// dawnpatch-testimage.lock in os.TempDir().
	LockFile string
	// WorkDir is where debootstrap makes the rootfs, removed after the
	// import; empty means os.TempDir().
	WorkDir string
}

// Builder finds and builds test images on one Docker engine. Its methods
// are safe for concurrent use.
type Builder struct {
	opts    Options
	c       *client.Client
	mu      sync.Mutex
	recipes map[Kind]recipe
}

// Image is a local test image.
type Image struct {
	Kind Kind
	Tag  string
	// Size is the image's size in bytes as docker image inspect reports
	// it, including the layers it shares with its parent.
	Size int64
	// Built is false when the image was already there.
	Built bool
	// Took is the time Image spent, any build included.
	Took time.Duration
}

// New returns a Builder for the engine the DOCKER_* environment names
// (the local socket by default). It does not contact the engine.
func New(opts Options) (*Builder, error) {
	c, err := newClient()
	if err != nil {
		return nil, err
	}
	if opts.AptDir == "" {
		opts.AptDir = "/etc/apt"
	}
	if opts.CABundle == "" {
		opts.CABundle = caFile
	}
	if opts.GoCommand == "" {
		opts.GoCommand = "go"
	}
	if opts.NodeBinary == "" {
		opts.NodeBinary = "/usr/bin/node"
	}
	if opts.LockFile == "" {
		opts.LockFile = filepath.Join(os.TempDir(), "dawnpatch-testimage.lock")
	}
	if opts.WorkDir == "" {
		opts.WorkDir = os.TempDir()
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	return &Builder{opts: opts, c: c, recipes: map[Kind]recipe{}}, nil
}

// Close releases the Builder's connection to the engine.
func (b *Builder) Close() error { return b.c.Close() }

// Available reports whether the engine answers.
func (b *Builder) Available(ctx context.Context) error { return ping(ctx, b.c) }

// Ensure returns the tag of the local image of kind, building it (and the
// kinds it derives from) if absent.
func (b *Builder) Ensure(ctx context.Context, kind Kind) (string, error) {
	img, err := b.Image(ctx, kind)
	return img.Tag, err
}

// Image is Ensure with the image's size and whether it was built. Builds
// hold an exclusive lock on Options.LockFile, so processes that want the
// same image build it once: the others wait and then find it.
func (b *Builder) Image(ctx context.Context, kind Kind) (Image, error) {
	start := time.Now()
	tag, err := b.Tag(ctx, kind)
	if err != nil {
		return Image{}, err
	}
	img := Image{Kind: kind, Tag: tag}
	size, ok, err := inspect(ctx, b.c, tag)
	if err != nil {
		return Image{}, err
	}
	if !ok {
		unlock, err := lockFile(ctx, b.opts.LockFile)
		if err != nil {
			return Image{}, fmt.Errorf("test image %s: %w", kind, err)
		}
		defer unlock()
		if img.Built, err = b.ensureLocked(ctx, kind); err != nil {
			return Image{}, err
		}
		if size, _, err = inspect(ctx, b.c, tag); err != nil {
			return Image{}, err
		}
	}
	img.Size, img.Took = size, time.Since(start)
	return img, nil
}

// Tag returns the tag the image of kind has on this machine, without
// looking for it or building it: dawnpatch-test/<kind>:<hash12>, where
// the hash covers the recipe and what it copies from this machine.
func (b *Builder) Tag(ctx context.Context, kind Kind) (string, error) {
	r, err := b.recipe(ctx, kind)
	if err != nil {
		return "", err
	}
	var parentTag string
	if r.parent != "" {
		if parentTag, err = b.Tag(ctx, r.parent); err != nil {
			return "", err
		}
	}
	return r.tag(parentTag), nil
}

// ensureLocked builds kind and what it derives from, each only if absent.
// The caller holds the lock.
func (b *Builder) ensureLocked(ctx context.Context, kind Kind) (built bool, err error) {
	r, err := b.recipe(ctx, kind)
	if err != nil {
		return false, err
	}
	tag, err := b.Tag(ctx, kind)
	if err != nil {
		return false, err
	}
	if _, ok, err := inspect(ctx, b.c, tag); err != nil || ok {
		return false, err
	}
	if r.parent == "" {
		return true, b.buildSlim(ctx, r, tag)
	}
	if _, err := b.ensureLocked(ctx, r.parent); err != nil {
		return false, err
	}
	parentTag, err := b.Tag(ctx, r.parent)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(b.opts.Log, "testimage: building %s from %s\n", tag, parentTag)
	tail := &tailWriter{max: 4096}
	if err := buildImage(ctx, b.c, r, parentTag, tag, io.MultiWriter(b.opts.Log, tail)); err != nil {
		return false, fmt.Errorf("test image %s: %w%s", kind, err, tail)
	}
	return true, nil
}

// buildSlim makes the rootfs with debootstrap, slims it and imports it.
func (b *Builder) buildSlim(ctx context.Context, r recipe, tag string) (err error) {
	dir, err := os.MkdirTemp(b.opts.WorkDir, "dawnpatch-rootfs-")
	if err != nil {
		return fmt.Errorf("test image %s: %w", r.kind, err)
	}
	defer func() {
		if rerr := removeRootfs(dir); err == nil && rerr != nil {
			err = fmt.Errorf("test image %s: %w", r.kind, rerr)
		}
	}()
	fmt.Fprintf(b.opts.Log, "testimage: building %s with debootstrap from %s\n", tag, r.mirror)
	tail := &tailWriter{max: 4096}
	out := io.MultiWriter(b.opts.Log, tail)
	if err := seedRootfs(dir); err != nil {
		return fmt.Errorf("test image %s: %w", r.kind, err)
	}
	start := time.Now()
	if err := debootstrap(ctx, dir, r.mirror, out); err != nil {
		return fmt.Errorf("test image %s: %w%s", r.kind, err, tail)
	}
	fmt.Fprintf(b.opts.Log, "testimage: debootstrap took %.1fs\n", time.Since(start).Seconds())
	if err := slimRootfs(dir); err != nil {
		return fmt.Errorf("test image %s: %w", r.kind, err)
	}
	start = time.Now()
	if err := importRootfs(ctx, b.c, dir, tag, r.changes, out); err != nil {
		return fmt.Errorf("test image %s: %w%s", r.kind, err, tail)
	}
	fmt.Fprintf(b.opts.Log, "testimage: import took %.1fs\n", time.Since(start).Seconds())
	return nil
}

// recipe returns kind's recipe, reading what it needs from this machine
// once per Builder.
func (b *Builder) recipe(ctx context.Context, kind Kind) (recipe, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r, ok := b.recipes[kind]; ok {
		return r, nil
	}
	r, err := b.makeRecipe(ctx, kind)
	if err != nil {
		return recipe{}, fmt.Errorf("test image %s: %w", kind, err)
	}
	b.recipes[kind] = r
	return r, nil
}

func (b *Builder) makeRecipe(ctx context.Context, kind Kind) (recipe, error) {
	switch kind {
	case Slim:
		mirror, err := readMirror(b.opts.AptDir, suite)
		return slimRecipe(mirror), err
	case Base:
		sum, err := fileSHA256(b.opts.CABundle)
		return baseRecipe(b.opts.CABundle, sum), err
	case Go:
		goroot, version, err := goEnv(ctx, b.opts.GoCommand)
		return goRecipe(goroot, version), err
	case BuilderGo:
		return builderGoRecipe(), nil
	case Python:
		return pythonRecipe(), nil
	case Node:
		n, err := findNode(ctx, b.opts.NodeBinary)
		return nodeRecipe(n), err
	case GitBase:
		return gitBaseRecipe(), nil
	}
	_, err := ParseKind(string(kind))
	return recipe{}, err
}

// goEnv returns the go command's GOROOT and version.
func goEnv(ctx context.Context, gocmd string) (goroot, version string, err error) {
	out, err := exec.CommandContext(ctx, gocmd, "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		return "", "", fmt.Errorf("%s env: %w", gocmd, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 || lines[0] == "" || lines[1] == "" {
		return "", "", fmt.Errorf("%s env GOROOT GOVERSION: unexpected output %q", gocmd, out)
	}
	return lines[0], lines[1], nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// tailWriter keeps the last max bytes written to it; as a string it is
// empty or a newline followed by them, for the end of an error message.
type tailWriter struct {
	max int
	buf []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	s := strings.TrimSpace(string(t.buf))
	if s == "" {
		return ""
	}
	return "\noutput (tail):\n" + s
}

var defaultBuilder = sync.OnceValues(func() (*Builder, error) { return New(Options{}) })

// Ensure returns the tag of the local image of kind, building it if
// absent, with a Builder of zero Options shared by the process.
func Ensure(ctx context.Context, kind Kind) (string, error) {
	b, err := defaultBuilder()
	if err != nil {
		return "", err
	}
	return b.Ensure(ctx, kind)
}

// Available reports whether the Docker engine answers.
func Available(ctx context.Context) error {
	b, err := defaultBuilder()
	if err != nil {
		return err
	}
	return b.Available(ctx)
}

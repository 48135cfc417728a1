package testimage

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"
)

// ActionRepo is the image name of the action's own image built from the
// repository's Dockerfile; its tag is the hash of what the build reads.
const ActionRepo = "dawnpatch-test/action"

// Action builds the action's image from the Dockerfile of the repository
// at root, exactly as GitHub builds it, but FROM the local stand-ins of its
// base images (the build arguments GO_IMAGE=BuilderGo and BASE_IMAGE=Slim:
// no registry serves images here), and returns its tag. The tag is keyed by
// the files the build reads (the Dockerfile, go.mod, go.sum and the Go
// sources and embedded files outside tests and testdata, testdata/demo
// aside) and the stand-ins' tags, so an unchanged tree reuses the image.
func (b *Builder) Action(ctx context.Context, root string) (string, error) {
	goTag, err := b.Ensure(ctx, BuilderGo)
	if err != nil {
		return "", err
	}
	baseTag, err := b.Ensure(ctx, Slim)
	if err != nil {
		return "", err
	}
	files, err := actionContext(root)
	if err != nil {
		return "", fmt.Errorf("action image: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", goTag, baseTag)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return "", fmt.Errorf("action image: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(data))
		h.Write(data)
	}
	tag := ActionRepo + ":" + hex.EncodeToString(h.Sum(nil))[:12]
	if _, ok, err := inspect(ctx, b.c, tag); err != nil || ok {
		return tag, err
	}
	unlock, err := lockFile(ctx, b.opts.LockFile)
	if err != nil {
		return "", fmt.Errorf("action image: %w", err)
	}
	defer unlock()
	if _, ok, err := inspect(ctx, b.c, tag); err != nil || ok {
		return tag, err
	}
	return tag, buildAction(ctx, b.c, root, files, tag, map[string]string{"GO_IMAGE": goTag, "BASE_IMAGE": baseTag}, b.opts.Log)
}

// actionContext lists, repository-relative and sorted, the files the
// action's build reads.
func actionContext(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && skipDir(rel) {
				return fs.SkipDir
			}
			return nil
		}
		if inActionBuild(rel) && d.Type().IsRegular() {
			files = append(files, rel)
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

// skipDir reports whether the build reads nothing under the directory.
func skipDir(rel string) bool {
	base := filepath.Base(rel)
	switch {
	case strings.HasPrefix(base, ".") && rel != ".":
		return true
	case rel == "testdata/demo":
		return false
	case base == "testdata" && rel != "testdata":
		return true
	case strings.HasPrefix(rel, "testdata/"):
		return !strings.HasPrefix("testdata/demo", rel) && !strings.HasPrefix(rel, "testdata/demo/")
	}
	return rel == "examples" || rel == "docs"
}

// inActionBuild reports whether a file is one the build reads.
func inActionBuild(rel string) bool {
	switch {
	case rel == "Dockerfile" || rel == "go.mod" || rel == "go.sum":
		return true
	case strings.HasPrefix(rel, "testdata/demo/"):
		return true
	case strings.HasSuffix(rel, "_test.go"):
		return false
	case strings.HasSuffix(rel, ".go"):
		return true
	}
	// files the Go sources embed: prompts and the demo's archive
	return strings.HasPrefix(rel, "internal/") && (strings.HasSuffix(rel, ".md") || strings.HasSuffix(rel, ".txtar"))
}

// buildAction builds the Dockerfile with files as its context and args as
// its build arguments, on the host's network (the builder downloads
// modules, the runtime stage installs git).
func buildAction(ctx context.Context, c *client.Client, root string, files []string, tag string, args map[string]string, log io.Writer) error {
	ctxTar := tarStream(func(tw *tar.Writer) error {
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
			if err != nil {
				return err
			}
			if err := addFile(tw, f, 0o644, data); err != nil {
				return err
			}
		}
		return nil
	})
	defer ctxTar.Close()
	buildArgs := map[string]*string{}
	for k, v := range args {
		buildArgs[k] = &v
	}
	res, err := c.ImageBuild(ctx, ctxTar, client.ImageBuildOptions{
		Tags: []string{tag}, Remove: true, ForceRemove: true, NetworkMode: "host",
		Version: build.BuilderV1, BuildArgs: buildArgs, Labels: map[string]string{labelKind: "action"},
	})
	if err != nil {
		return fmt.Errorf("build %s: %w", tag, err)
	}
	defer res.Body.Close()
	if err := readStream(res.Body, log); err != nil {
		return fmt.Errorf("build %s: %w", tag, err)
	}
	return nil
}

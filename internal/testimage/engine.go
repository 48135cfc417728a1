package testimage

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"
)

// newClient returns a Docker client configured from DOCKER_HOST and the
// other DOCKER_* variables. The engine on these machines speaks API 1.41;
// the client negotiates down to it on the first request.
func newClient() (*client.Client, error) {
	c, err := client.New(client.FromEnv)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	return c, nil
}

// ping reports whether the engine answers, negotiating the API version.
func ping(ctx context.Context, c *client.Client) error {
	if _, err := c.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		return fmt.Errorf("docker engine at %s: %w", c.DaemonHost(), err)
	}
	return nil
}

// inspect returns the size of the local image tag, and false if there is
// none.
func inspect(ctx context.Context, c *client.Client, tag string) (int64, bool, error) {
	res, err := c.ImageInspect(ctx, tag)
	if cerrdefs.IsNotFound(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("inspect image %s: %w", tag, err)
	}
	return res.Size, true, nil
}

// importRootfs imports the rootfs at dir as tag, applying changes
// (Dockerfile instructions such as ENV and CMD) as docker import --change
// does. The tar stream is made here, with owners kept.
func importRootfs(ctx context.Context, c *client.Client, dir, tag string, changes []string, log io.Writer) error {
	src := tarStream(func(tw *tar.Writer) error {
		return writeTrees(tw, []tarTree{{src: dir, keepOwner: true, skip: rootfsSkip}})
	})
	defer src.Close()
	body, err := c.ImageImport(ctx, client.ImageImportSource{Source: src, SourceName: "-"}, tag,
		client.ImageImportOptions{Changes: changes, Message: "dawnpatch test image"})
	if err != nil {
		return fmt.Errorf("import %s: %w", tag, err)
	}
	defer body.Close()
	if err := readStream(body, log); err != nil {
		return fmt.Errorf("import %s: %w", tag, err)
	}
	return nil
}

// buildImage builds tag from the recipe's Dockerfile, FROM parentTag, with
// the legacy builder (API 1.41's BuildKit needs a session the client would
// have to serve) on the recipe's network.
func buildImage(ctx context.Context, c *client.Client, r recipe, parentTag, tag string, log io.Writer) error {
	dockerfile := "FROM " + parentTag + "\n" + r.dockerfile
	ctxTar := tarStream(func(tw *tar.Writer) error {
		if err := addFile(tw, "Dockerfile", 0o644, []byte(dockerfile)); err != nil {
			return err
		}
		return writeTrees(tw, r.files)
	})
	defer ctxTar.Close()
	res, err := c.ImageBuild(ctx, ctxTar, client.ImageBuildOptions{
		Tags:        []string{tag},
		Remove:      true,
		ForceRemove: true,
		NetworkMode: r.network,
		Version:     build.BuilderV1,
		Labels:      map[string]string{labelKind: string(r.kind), labelRecipe: tag},
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

// streamMessage is one JSON message of a build or import progress stream.
type streamMessage struct {
	Stream      string `json:"stream"`
	Status      string `json:"status"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
}

// readStream copies a progress stream's text to log and returns the
// error message the engine put in it, if any.
func readStream(r io.Reader, log io.Writer) error {
	dec := json.NewDecoder(r)
	for {
		var m streamMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read progress: %w", err)
		}
		if m.ErrorDetail != nil && m.ErrorDetail.Message != "" {
			return errors.New(m.ErrorDetail.Message)
		}
		if m.Error != "" {
			return errors.New(m.Error)
		}
		io.WriteString(log, m.Stream)
		if m.Status != "" {
			io.WriteString(log, m.Status+"\n")
		}
	}
}

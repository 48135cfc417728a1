package main

// Tests of how the relay ships: Dockerfile.relay and the release
// workflow's relay jobs, read as text and YAML.

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// relayDockerChecks are the rules of the relay image: a static,
// cross-compiled binary in a distroless image that runs as nonroot.
func relayDockerChecks() []dockerCheck {
	return []dockerCheck{
		{"multi-stage", checkMultiStage},
		{"static build", checkStaticBuild},
		{"module download layer", checkModLayer},
		{"cross-compiled builder", checkCrossCompiled},
		{"distroless nonroot runtime", checkDistrolessNonroot},
		{"relay entrypoint", checkRelayEntrypoint},
	}
}

func checkCrossCompiled(stages []dockerStage) error {
	builder := stages[0]
	if tag := imageTag(builder.image); !versionTag.MatchString(tag) {
		return fmt.Errorf("line %d: FROM %s: want a version tag", builder.line, builder.image)
	}
	for _, in := range builder.instrs {
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			for _, want := range []string{"GOOS=$TARGETOS", "GOARCH=$TARGETARCH", "-trimpath"} {
				if !strings.Contains(in.args, want) {
					return fmt.Errorf("line %d: go build without %s", in.line, want)
				}
			}
		}
	}
	return nil
}

func checkDistrolessNonroot(stages []dockerStage) error {
	final := stages[len(stages)-1]
	if !strings.HasPrefix(final.image, "gcr.io/distroless/static") || !strings.Contains(final.image, "nonroot") {
		return fmt.Errorf("line %d: FROM %s: want gcr.io/distroless/static-…:nonroot", final.line, final.image)
	}
	for _, in := range final.instrs {
		if in.cmd == "RUN" {
			return fmt.Errorf("line %d: RUN in the distroless stage: it has no shell", in.line)
		}
		if in.cmd == "USER" && (strings.HasPrefix(in.args, "root") || strings.HasPrefix(in.args, "0")) {
			return fmt.Errorf("line %d: USER %s: the relay needs no root", in.line, in.args)
		}
	}
	return nil
}

func checkRelayEntrypoint(stages []dockerStage) error {
	for _, in := range stages[len(stages)-1].instrs {
		if in.cmd != "ENTRYPOINT" {
			continue
		}
		var argv []string
		if err := json.Unmarshal([]byte(in.args), &argv); err != nil || !slices.Equal(argv, []string{"/dawnpatch", "relay"}) {
			return fmt.Errorf("line %d: ENTRYPOINT %s: want [\"/dawnpatch\", \"relay\"]", in.line, in.args)
		}
		return nil
	}
	return fmt.Errorf("no ENTRYPOINT in the final stage")
}

func TestDockerfileRelay(t *testing.T) {
	data, err := os.ReadFile("Dockerfile.relay")
	if err != nil {
		t.Fatal(err)
	}
	stages, err := parseDockerfile(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "FROM --platform=$BUILDPLATFORM ") {
		t.Error("the builder does not run on the build platform; a multi-platform build would emulate the compiler")
	}
	for _, c := range relayDockerChecks() {
		if err := c.check(stages); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// releaseWorkflow is the part of release.yml the relay checks read.
type releaseWorkflow struct {
	Jobs map[string]struct {
		Needs       any               `yaml:"needs"`
		Permissions map[string]string `yaml:"permissions"`
		Steps       []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func TestReleaseShipsTheRelay(t *testing.T) {
	data, err := os.ReadFile(".github/workflows/release.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf releaseWorkflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	bins, ok := wf.Jobs["relay-binaries"]
	if !ok {
		t.Fatal("release.yml has no relay-binaries job")
	}
	var build string
	for _, st := range bins.Steps {
		build += st.Run
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "for arch in amd64 arm64", "GOOS=linux", "sha256sum"} {
		if !strings.Contains(build, want) {
			t.Errorf("relay-binaries does not build with %q", want)
		}
	}
	if got := bins.Permissions; len(got) != 1 || got["contents"] != "read" {
		t.Errorf("relay-binaries permissions = %v, want contents: read only", got)
	}
	img, ok := wf.Jobs["relay-image"]
	if !ok {
		t.Fatal("release.yml has no relay-image job")
	}
	pushed := false
	for _, st := range img.Steps {
		if strings.HasPrefix(st.Uses, "docker/build-push-action@") {
			pushed = st.With["file"] == "Dockerfile.relay" && st.With["platforms"] == "linux/amd64,linux/arm64" && strings.Contains(st.With["tags"], "-relay:")
		}
	}
	if !pushed {
		t.Error("relay-image does not push Dockerfile.relay for linux/amd64,linux/arm64 as <image>-relay")
	}
	rel := wf.Jobs["release"]
	needs := fmt.Sprint(rel.Needs)
	for _, job := range []string{"relay-binaries", "relay-image"} {
		if !strings.Contains(needs, job) {
			t.Errorf("the release job does not need %s", job)
		}
	}
	var publish string
	for _, st := range rel.Steps {
		publish += st.Run
	}
	if !strings.Contains(publish, "sha256sum --check") || !strings.Contains(publish, `gh release create "$TAG" "${flags[@]}" dist/*`) {
		t.Error("the release is not published with the checked relay binaries attached")
	}
}

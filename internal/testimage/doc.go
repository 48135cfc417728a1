// Package testimage builds the small local Docker images that the
// project's tests run their sibling containers from. No registry serves
// images on the machines the tests run on, so every image starts from a
// Debian bookworm rootfs made here with debootstrap and imported, and the
// other kinds are built FROM it with the engine's builder.
//
// Ensure returns an image's tag, building it and what it derives from when
// absent. Tags are dawnpatch-test/<kind>:<hash12>, the hash covering the
// recipe and everything it takes from this machine (the Debian mirror, the
// CA bundle, the Go and Node.js versions), so a changed input makes a new
// image and an unchanged one is reused. Builds are serialized across
// processes with a file lock, as go test runs packages in parallel.
//
// The kinds with the machine's CA bundle (Base and all built FROM it) are
// for tests only; the shipped Dockerfile never sees them. GitBase and
// BuilderGo stand in for the shipped Dockerfile's base images.
//
// The engine is reached with the Docker Go client: ping, image inspect,
// image import (a tar stream written here) and image build (legacy
// builder, because the engine speaks API 1.41).
package testimage

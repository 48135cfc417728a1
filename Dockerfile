# dawnpatch container action image.
#
# Stage 1 builds a static binary; stage 2 is what GitHub runs. GitHub runs
# container actions as root with the workspace mounted and --workdir set, so
# the runtime stage sets neither USER nor WORKDIR.

# Same Go release as the toolchain this repository is developed and tested with.
FROM golang:1.26.8-bookworm AS builder
WORKDIR /src
# Module downloads get their own layer: it is rebuilt only when go.mod or
# go.sum change, not on every source edit.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/dawnpatch/dawnpatch/internal/app.version=${VERSION}" \
      -o /out/dawnpatch .

# Runtime: git (checkout history, blame, scratch copies), CA certificates
# (HTTPS to GitHub, Sentry and the model), and the Go toolchain, because the
# repository's own Go tests run inside this container. The golang image also
# carries gcc, which Go tests that use cgo (or -race) need.
# python3 and nodejs, for repositories tested with Python or Node, are left
# for a later issue.
FROM golang:1.26.8-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# The workspace GitHub mounts is owned by the runner user, not root; without
# this git refuses to work in it ("detected dubious ownership").
RUN git config --system --add safe.directory '*'
# A repository under test may require a newer Go than this image has; let the
# go command fetch the toolchain its go.mod names (checked against the Go
# checksum database) instead of failing. The golang image sets "local".
ENV GOTOOLCHAIN=auto
COPY --from=builder /out/dawnpatch /usr/local/bin/dawnpatch
ENTRYPOINT ["/usr/local/bin/dawnpatch"]

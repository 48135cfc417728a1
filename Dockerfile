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
# (HTTPS to GitHub, Sentry and the model), and the toolchains the
# repository's own tests run with inside this container: Go (the golang
# image, with the gcc that cgo and -race need), Python 3 (Debian's 3.11, for
# python3 -m unittest, or pytest when the repository installs it) and Node.js
# (Debian's 18, for node --test). They add about 70 MB installed (Debian's
# Installed-Size: libnode108 46 MB, nodejs 4 MB, Python 3.11 about 21 MB).
# npm is left out (its dependencies are some 400 Debian packages): a
# package.json test script runs with npm only where npm is installed, and
# node --test runs instead.
FROM golang:1.26.8-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates python3 nodejs \
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

# dawnpatch container action image: the controller.
#
# The action triages, asks the model, guards, judges and publishes; the
# repository's tests run in throwaway sibling containers of the repository's
# own toolchain image on the runner's Docker engine (GitHub mounts the
# engine's socket into every container action). So this image holds only the
# static binary, git and the CA certificates: the do-nothing runs, most runs,
# pull and start nothing more. GitHub runs container actions as root with the
# workspace mounted and --workdir set, so no USER or WORKDIR is set here.
#
# The base images are arguments so that the project's end-to-end test can
# build this very file from local stand-ins (no registry there).
ARG GO_IMAGE=golang:1.26.8-bookworm
ARG BASE_IMAGE=debian:12.12-slim

# Same Go release as the toolchain this repository is developed and tested with.
FROM ${GO_IMAGE} AS builder
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

# git and the CA certificates from Debian's packages. Only the git binary is
# kept: its libraries (libpcre2, zlib, libc) are in the slim base already,
# and dawnpatch runs only git's built-in commands on local repositories, so
# it needs none of git's helpers, Perl or curl (which would triple the image).
FROM ${BASE_IMAGE} AS git
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && mkdir -p /out/usr/bin /out/usr/share/git-core /out/etc/ssl/certs \
    && cp /usr/bin/git /out/usr/bin/git \
    && cp -a /usr/share/git-core/templates /out/usr/share/git-core/ \
    && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/

FROM ${BASE_IMAGE}
COPY --from=git /out/ /
COPY --from=builder /out/dawnpatch /usr/local/bin/dawnpatch
# Every git command dawnpatch runs, once: a missing piece fails the build,
# not a user's run.
RUN set -e; d=$(mktemp -d); cd "$d"; \
    git init -q --initial-branch=base .; echo a > f; git add -A -f; \
    git -c user.name=d -c user.email=d@localhost commit -q --no-verify -m base; \
    git tag v1; echo b >> f; git -c user.name=d -c user.email=d@localhost commit -q -am next; \
    git rev-parse --verify --quiet "refs/tags/v1^{commit}" >/dev/null; git rev-parse "HEAD^{tree}" >/dev/null; \
    git log --no-patch --format='%h %s' -L 1,1:f v1..HEAD >/dev/null; git blame --porcelain -L 1,1 -- f >/dev/null; \
    git diff --cached --no-color HEAD >/dev/null; git reset -q --hard HEAD; git clean -ffdxq -e /keep; \
    cd /; rm -rf "$d"; dawnpatch version
ENTRYPOINT ["/usr/local/bin/dawnpatch"]

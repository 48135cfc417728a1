package testimage

import (
	"fmt"
	"slices"
)

// Kind names a test image recipe. Its value is the image's repository
// name under dawnpatch-test/.
type Kind string

// The kinds of test image. Slim is Debian's rootfs as debootstrap makes
// it; every other kind derives from it, so the rootfs is built once.
const (
	// Slim stands in for debian:bookworm-slim: a bookworm minbase rootfs
	// with Debian's ca-certificates (no local CA) and libstdc++6, without
	// documentation, manual pages, translations, apt lists or caches.
	Slim Kind = "slim"
	// Base is Slim with this machine's CA bundle over
	// /etc/ssl/certs/ca-certificates.crt and SSL_CERT_FILE,
	// NODE_EXTRA_CA_CERTS, PIP_CERT and REQUESTS_CA_BUNDLE naming it, so
	// a container on the host network reaches the registries through
	// the machine's TLS-re-signing proxy. For tests only: nothing here
	// goes near the shipped Dockerfile.
	Base Kind = "base"
	// Go is Base with this machine's GOROOT at /usr/local/go (less
	// GOROOT/test and the standard library's testdata), its bin first on
	// PATH, GOTOOLCHAIN=local and CGO_ENABLED=0. HOME is not set: the
	// caller sets the environment per container.
	Go Kind = "go"
	// Python is Base with Debian's python3, venv, pip, pytest,
	// setuptools, wheel and mock.
	Python Kind = "python"
	// Node is Base with this machine's Node.js, npm and corepack (or
	// Debian's nodejs and npm where the machine has no node).
	Node Kind = "node"
	// GitBase is Slim with Debian's git: a stand-in for the shipped
	// image's runtime stage, with no local CA.
	GitBase Kind = "gitbase"
	// BuilderGo is Go with Debian's git, GOPATH=/go and WORKDIR /go: a
	// stand-in for golang:1.26.8-bookworm in a docker build with
	// --network host, where go mod download reaches the module proxy
	// through the local CA.
	BuilderGo Kind = "buildergo"
)

// Kinds returns every kind, each after the kind it derives from.
func Kinds() []Kind {
	return []Kind{Slim, Base, Go, BuilderGo, Python, Node, GitBase}
}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, error) {
	if k := Kind(s); slices.Contains(Kinds(), k) {
		return k, nil
	}
	return "", fmt.Errorf("unknown test image kind %q (known: %v)", s, Kinds())
}

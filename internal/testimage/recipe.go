package testimage

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// recipeVersion is part of every tag: bump it when a recipe changes in a
// way the tag's other inputs (the Dockerfile text, package lists, mirror,
// versions, CA bundle) do not show, such as the rootfs clean-up.
const recipeVersion = 2

// Debian's release the images are made of.
const (
	suite   = "bookworm"
	variant = "minbase"
)

// slimPackages are added to debootstrap's minbase: ca-certificates for
// every kind, libstdc++6 for the machine's node binary (ldd /usr/bin/node:
// libstdc++, libgcc_s and libc's own), so Node needs no apt step.
var slimPackages = []string{"ca-certificates", "libstdc++6"}

// Packages the derived kinds install from Debian.
var (
	pythonPackages = []string{"python3", "python3-venv", "python3-pip", "python3-pytest",
		"python3-setuptools", "python3-wheel", "python3-mock"}
	gitPackages  = []string{"git"}
	nodePackages = []string{"nodejs", "npm"} // only where the machine has no node
)

const (
	imagePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	caFile    = "/etc/ssl/certs/ca-certificates.crt"
	// repoPrefix is the repository every test image is tagged under.
	repoPrefix = "dawnpatch-test/"
	// labelKind and labelRecipe mark the images this package made.
	labelKind   = "org.dawnpatch.testimage.kind"
	labelRecipe = "org.dawnpatch.testimage.recipe"
)

// recipe says how one kind is made: imported from debootstrap (Slim) or
// built FROM its parent's tag with a Dockerfile.
type recipe struct {
	kind   Kind
	parent Kind
	// network is the build's network for RUN steps: "host" where apt
	// fetches packages, otherwise "none".
	network string
	// dockerfile is the build's instructions after FROM.
	dockerfile string
	// files are sent in the build context.
	files []tarTree
	// changes are the import's Dockerfile instructions, and mirror the
	// Debian mirror debootstrap reads (Slim only).
	changes []string
	mirror  string
	// inputs are the facts the image depends on that the Dockerfile
	// text does not show: versions, the mirror, the CA bundle's hash.
	inputs []string
}

// tag returns the recipe's tag: dawnpatch-test/<kind>:<hash12>, hashing
// the recipe version, the parent's tag and everything in the recipe.
func (r recipe) tag(parentTag string) string {
	h := sha256.New()
	fmt.Fprintf(h, "recipe %d\nkind %s\nfrom %s\nnetwork %s\n", recipeVersion, r.kind, parentTag, r.network)
	fmt.Fprintf(h, "dockerfile\n%s\nchanges\n%s\n", r.dockerfile, strings.Join(r.changes, "\n"))
	for _, f := range r.files {
		fmt.Fprintf(h, "file %s\n", f.name)
	}
	for _, in := range r.inputs {
		fmt.Fprintf(h, "input %s\n", in)
	}
	return repoPrefix + string(r.kind) + ":" + hex.EncodeToString(h.Sum(nil))[:12]
}

// aptInstall is a RUN line that installs pkgs from Debian and leaves no
// lists, caches or logs behind.
func aptInstall(pkgs []string) string {
	return "RUN export DEBIAN_FRONTEND=noninteractive \\\n" +
		" && apt-get update -qq \\\n" +
		" && apt-get install -y -qq --no-install-recommends " + strings.Join(pkgs, " ") + " >/dev/null \\\n" +
		" && apt-get clean \\\n" +
		" && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt/* /var/log/dpkg.log\n"
}

func slimRecipe(mirror string) recipe {
	return recipe{
		kind: Slim, mirror: mirror,
		changes: []string{
			"ENV PATH=" + imagePath,
			`CMD ["bash"]`,
			"LABEL " + labelKind + "=" + string(Slim),
		},
		inputs: []string{"debootstrap --variant=" + variant + " --include=" + strings.Join(slimPackages, ",") +
			" " + suite + " " + mirror},
	}
}

func baseRecipe(caBundle, caSum string) recipe {
	return recipe{
		kind: Base, parent: Slim, network: "none",
		dockerfile: "COPY ca-certificates.crt " + caFile + "\n" +
			"ENV SSL_CERT_FILE=" + caFile + " \\\n" +
			"    NODE_EXTRA_CA_CERTS=" + caFile + " \\\n" +
			"    PIP_CERT=" + caFile + " \\\n" +
			"    REQUESTS_CA_BUNDLE=" + caFile + "\n",
		files:  []tarTree{{src: caBundle, name: "ca-certificates.crt"}},
		inputs: []string{"ca-bundle sha256:" + caSum},
	}
}

// goRootSkip leaves out what only the Go distribution's own tests read:
// GOROOT/test and the standard library's testdata directories (about
// 50 MB together). Building and testing other modules never reads them.
func goRootSkip(rel string) bool {
	return rel == "test" || strings.HasPrefix(rel, "src/") && path.Base(rel) == "testdata"
}

func goRecipe(goroot, goversion string) recipe {
	return recipe{
		kind: Go, parent: Base, network: "none",
		dockerfile: "COPY go /usr/local/go\n" +
			"ENV PATH=/usr/local/go/bin:" + imagePath + " \\\n" +
			"    GOTOOLCHAIN=local \\\n" +
			"    CGO_ENABLED=0\n" +
			"RUN go version && rm -rf /root/.cache /root/.config\n",
		files:  []tarTree{{src: goroot, name: "go", skip: goRootSkip}},
		inputs: []string{"go " + goversion},
	}
}

func builderGoRecipe() recipe {
	return recipe{
		kind: BuilderGo, parent: Go, network: "host",
		dockerfile: aptInstall(gitPackages) +
			"ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:" + imagePath + "\n" +
			"RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go && git --version\n" +
			"WORKDIR /go\n",
	}
}

func pythonRecipe() recipe {
	return recipe{
		kind: Python, parent: Base, network: "host",
		dockerfile: aptInstall(pythonPackages) + "RUN python3 -m pytest --version\n",
	}
}

func gitBaseRecipe() recipe {
	return recipe{
		kind: GitBase, parent: Slim, network: "host",
		dockerfile: aptInstall(gitPackages) + "RUN git --version\n",
	}
}

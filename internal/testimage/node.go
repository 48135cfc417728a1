package testimage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// nodeModules are the global packages copied with node, and nodeLinks the
// commands in its bin directory that point into them.
var (
	nodeModules = []string{"npm", "corepack"}
	nodeLinks   = []string{"npm", "npx", "corepack"}
)

// nodeInstall is this machine's Node.js: the binary, and npm and corepack
// under <prefix>/lib/node_modules with their links in <prefix>/bin.
type nodeInstall struct {
	bin, prefix string
	modules     []string          // present ones of nodeModules
	links       map[string]string // name in <prefix>/bin -> link target
	version     string            // node, npm and corepack versions
}

// findNode describes the node binary at bin. It returns nil and no error
// when there is none.
func findNode(ctx context.Context, bin string) (*nodeInstall, error) {
	if _, err := os.Stat(bin); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", bin, err)
	}
	n := &nodeInstall{bin: bin, prefix: filepath.Dir(filepath.Dir(bin)), links: map[string]string{}}
	n.version = "node " + strings.TrimSpace(string(out))
	for _, m := range nodeModules {
		v, err := packageVersion(filepath.Join(n.prefix, "lib", "node_modules", m, "package.json"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		n.modules = append(n.modules, m)
		n.version += ", " + m + " " + v
	}
	for _, l := range nodeLinks {
		target, err := os.Readlink(filepath.Join(n.prefix, "bin", l))
		if err == nil {
			n.links[l] = target
		}
	}
	return n, nil
}

func packageVersion(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	var p struct{ Version string }
	if err := json.Unmarshal(data, &p); err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	return p.Version, nil
}

// nodeRecipe copies the machine's node to the same paths in the image,
// or installs Debian's nodejs and npm when n is nil. Either way the build
// runs node and npm once, so a missing shared library fails the build.
func nodeRecipe(n *nodeInstall) recipe {
	check := "node --version && npm --version"
	if n == nil {
		return recipe{
			kind: Node, parent: Base, network: "host",
			dockerfile: aptInstall(nodePackages) + "RUN " + check + "\n",
			inputs:     []string{"debian nodejs"},
		}
	}
	r := recipe{kind: Node, parent: Base, network: "none", inputs: []string{n.version}}
	bin := path.Join(n.prefix, "bin")
	r.files = append(r.files, tarTree{src: n.bin, name: "node"})
	df := "COPY node " + path.Join(bin, "node") + "\n"
	for _, m := range n.modules {
		r.files = append(r.files, tarTree{src: filepath.Join(n.prefix, "lib", "node_modules", m), name: "node_modules/" + m})
	}
	if len(n.modules) > 0 {
		df += "COPY node_modules/ " + path.Join(n.prefix, "lib", "node_modules") + "/\n"
	}
	var run []string
	for _, l := range slices.Sorted(maps.Keys(n.links)) {
		run = append(run, "ln -s "+n.links[l]+" "+path.Join(bin, l))
	}
	if !slices.Contains(strings.Split(imagePath, ":"), bin) {
		df += "ENV PATH=" + bin + ":" + imagePath + "\n"
	}
	r.dockerfile = df + "RUN " + strings.Join(append(run, check), " \\\n && ") + "\n"
	return r
}

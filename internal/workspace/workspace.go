package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Workspace is a read-only view of a checkout.
type Workspace struct {
	root   string
	module string
}

// Open returns the workspace rooted at root, which must be a directory. The
// module path is read from root/go.mod when that file exists.
func Open(root string) (*Workspace, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open workspace %q: %w", root, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("open workspace %q: %w", root, err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("open workspace %q: %w", root, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open workspace %q: not a directory", root)
	}
	mod, err := readModule(real)
	if err != nil {
		return nil, fmt.Errorf("open workspace %q: %w", root, err)
	}
	return &Workspace{root: real, module: mod}, nil
}

// readModule returns the module path declared in dir/go.mod, or "" when
// there is no go.mod.
func readModule(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read go.mod: %w", err)
	}
	mod := modulePath(string(data))
	if mod == "" {
		return "", errors.New("read go.mod: no module directive")
	}
	return mod, nil
}

// modulePath returns the argument of the module directive of a go.mod file,
// or "" when there is none.
func modulePath(gomod string) string {
	for line := range strings.Lines(gomod) {
		line, _, _ = strings.Cut(line, "//")
		fields := strings.Fields(line)
		if len(fields) != 2 || fields[0] != "module" {
			continue
		}
		if p, err := strconv.Unquote(fields[1]); err == nil {
			return p
		}
		return fields[1]
	}
	return ""
}

// Root returns the absolute path of the checkout, symlinks resolved.
func (w *Workspace) Root() string { return w.root }

// Module returns the Go module path from go.mod, or "" when there is none.
func (w *Workspace) Module() string { return w.module }

package patch

import "io/fs"

// Change is what a patch does to one file: its whole content before and
// after. Changes are the data dawnpatch judges and commits; nothing is read
// back from a directory a test ran in.
type Change struct {
	// Path is the repository-relative, slash-separated path of the file
	// written, symlinks resolved.
	Path string
	// Old is the content before the patch, "" for a file the patch creates.
	Old string
	// New is the content after the patch.
	New string
	// Created reports that the patch creates the file.
	Created bool
	// Mode holds the permission bits the file is written with.
	Mode fs.FileMode
}

// Changes validates the patch against the files under root, as Validate
// does, and returns what it does to each file, in the order the files are
// first edited. Nothing is written.
func (p Patch) Changes(root string, lim Limits) ([]Change, error) {
	files, err := p.plan(root, lim)
	if err != nil {
		return nil, err
	}
	out := make([]Change, 0, len(files))
	for _, f := range files {
		out = append(out, Change{Path: f.resolved, Old: f.original, New: f.content, Created: f.created, Mode: f.mode})
	}
	return out, nil
}

// Paths returns the paths of the changes, in order.
func Paths(changes []Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = c.Path
	}
	return out
}

// Executable reports whether the change's file is executable by its owner.
func (c Change) Executable() bool { return c.Mode&0o100 != 0 }

package testrun

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// handOver gives the scratch copy dir to uid:gid for one job, so that an
// unprivileged user can write in it: everything but the top directory
// (which becomes 01777, so the job can create files at the top while it
// stays this process's) changes owner. Unless all is set (setup), what
// setup installed stays this process's and read-only to the job, except
// writableState. Files with more than one hard
// link keep their owner: a test may have linked a file of the system into
// the scratch copy.
func handOver(dir string, uid, gid int, all bool) error {
	if err := os.Chmod(dir, 0o1777); err != nil {
		return err
	}
	for _, w := range append(writableState, filepath.Join("go", "mod")) {
		if err := os.MkdirAll(filepath.Join(dir, StateDir, w), 0o755); err != nil {
			return err
		}
	}
	err := chownTree(dir, uid, gid, func(p string, d fs.DirEntry) bool {
		return !all && d.IsDir() && filepath.Dir(p) == dir && slices.Contains(KeptOnReset, d.Name())
	})
	if err != nil || all {
		return err
	}
	for _, w := range writableState {
		if err := chownTree(filepath.Join(dir, StateDir, w), uid, gid, nil); err != nil {
			return err
		}
	}
	return nil
}

// writableState are the parts of StateDir a test job writes: Go's build
// cache and the runners' result files.
var writableState = []string{filepath.Join("go", "cache"), OutDir}

// chownTree gives root and what is below it to uid:gid, leaving out the
// directories skip names, and files with more than one hard link (maybe a
// link to a file outside, planted by a test).
func chownTree(root string, uid, gid int, skip func(string, fs.DirEntry) bool) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case skip != nil && p == root:
			return nil // the top keeps its owner: see handOver
		case skip != nil && skip(p, d):
			return fs.SkipDir
		case !d.IsDir() && hardLinked(d):
			return nil
		}
		return os.Lchown(p, uid, gid)
	})
}

// takeBack takes the scratch copy back after a job, once every process of
// it is gone: what uid owns goes back to this process's user, write
// access for group and others and set-id bits are removed, and the top
// directory loses the mode handOver gave it. Between jobs the job's user
// can write nowhere in the scratch copy.
func takeBack(dir string, uid int) error {
	self, group := os.Geteuid(), os.Getegid()
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if owner, ok := ownerOf(d); !ok || owner != uid {
			return nil
		}
		if err := os.Lchown(p, self, group); err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if m := info.Mode(); m.Perm()&0o022 != 0 || m&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
			return os.Chmod(p, m.Perm()&^0o022)
		}
		return nil
	})
}

package workspace

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// copyTree copies the directories, regular files and inward symlinks of
// src into dst, skipping .git.
func copyTree(ctx context.Context, src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || rel == "." {
			return err
		}
		if strings.EqualFold(d.Name(), ".git") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			return copySymlink(src, rel, target)
		case d.Type().IsRegular():
			return copyFile(p, target)
		}
		return nil
	})
}

// copySymlink recreates the symlink src/rel at target as a relative link,
// when it points at something inside src other than .git; else it skips it.
func copySymlink(src, rel, target string) error {
	_, resolved, err := Confine(src, filepath.ToSlash(rel))
	if err != nil {
		return nil
	}
	if _, err := os.Stat(filepath.Join(src, rel)); err != nil {
		return nil
	}
	link, err := filepath.Rel(filepath.Dir(filepath.FromSlash(rel)), filepath.FromSlash(resolved))
	if err != nil {
		return nil
	}
	return os.Symlink(link, target)
}

// copyFile copies one regular file, keeping its permission bits.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	return out.Close()
}

package workspace

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Caps on what the read-only tools look at.
const (
	// MaxScanFiles caps how many files one walk of the checkout visits.
	MaxScanFiles = 20000
	// MaxScanFileBytes is the largest file a search or symbol lookup reads.
	MaxScanFileBytes = 1 << 20
	// maxLineText caps one matched line as reported.
	maxLineText = 240
)

// errStopWalk ends a walk early without an error.
var errStopWalk = errors.New("stop walk")

// walkFiles calls fn with the repository-relative slash path of every
// regular file of the checkout, in lexical order, at most MaxScanFiles of
// them. It skips .git, dependency directories and symlinks (a symlink is
// never followed, so nothing outside the checkout is visited). fn may
// return errStopWalk to end the walk.
func (w *Workspace) walkFiles(ctx context.Context, fn func(rel string) error) error {
	seen := 0
	err := filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable directory is skipped, not fatal
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != w.root && (strings.EqualFold(name, ".git") || dependencyDirs[name]) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if seen++; seen > MaxScanFiles {
			return errStopWalk
		}
		rel, err := filepath.Rel(w.root, p)
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel))
	})
	if errors.Is(err, errStopWalk) {
		return nil
	}
	return err
}

// scanText reads a checkout file for scanning, or reports false when it is
// over MaxScanFileBytes, unreadable or looks binary (a NUL byte in its
// first 8 KiB).
func (w *Workspace) scanText(rel string) (string, bool) {
	f, err := os.Open(filepath.Join(w.root, filepath.FromSlash(rel)))
	if err != nil {
		return "", false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxScanFileBytes+1))
	if err != nil || len(data) > MaxScanFileBytes {
		return "", false
	}
	if bytes.IndexByte(data[:min(len(data), 8<<10)], 0) >= 0 {
		return "", false
	}
	return string(data), true
}

// shortLine trims a line for a report and cuts it at maxLineText bytes.
func shortLine(s string) string {
	s = strings.TrimRight(s, "\r\n")
	if len(s) <= maxLineText {
		return s
	}
	cut := maxLineText
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

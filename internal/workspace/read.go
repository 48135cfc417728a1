package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Caps on what one ReadLines call returns.
const (
	MaxReadLines = 400
	MaxReadBytes = 64 << 10
)

// maxFileBytes caps the size of a file read whole.
const maxFileBytes = 8 << 20

// ReadLines returns lines from..to (1-based, inclusive) of the checkout file
// rel. A range past the end of the file is cut at the end; the result is
// capped at MaxReadLines lines and MaxReadBytes bytes.
func (w *Workspace) ReadLines(rel string, from, to int) (string, error) {
	if from < 1 || to < from {
		return "", fmt.Errorf("read %s: bad line range %d-%d", rel, from, to)
	}
	lines, err := w.lines(rel)
	if err != nil {
		return "", err
	}
	if from > len(lines) {
		return "", fmt.Errorf("read %s: line %d is past the end (%d lines)", rel, from, len(lines))
	}
	return cut(lines, from, min(to, len(lines), from+MaxReadLines-1)), nil
}

// lines reads a checkout file and splits it into lines, newlines kept.
func (w *Workspace) lines(rel string) ([]string, error) {
	data, err := w.readFile(rel)
	if err != nil {
		return nil, err
	}
	return splitLines(string(data)), nil
}

// splitLines splits s after each newline; a last line without one counts.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.SplitAfter(s, "\n")
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// readFile reads a whole checkout file, confined and size-capped.
func (w *Workspace) readFile(rel string) ([]byte, error) {
	clean, resolved, err := Confine(w.root, rel)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	full := filepath.Join(w.root, filepath.FromSlash(resolved))
	fi, err := os.Stat(full)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", clean, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file", clean)
	}
	if fi.Size() > maxFileBytes {
		return nil, fmt.Errorf("read %s: %d bytes, over the %d-byte cap", clean, fi.Size(), maxFileBytes)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", clean, err)
	}
	return data, nil
}

// ReadBase returns the checkout's content of rel, or "" when the file does
// not exist: what a change to rel was computed against.
func (w *Workspace) ReadBase(rel string) (string, error) {
	data, err := w.readFile(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return string(data), err
}

package safetext

import (
	"errors"
	"fmt"
	"strings"
)

// maxRef caps a ref name, in bytes.
const maxRef = 200

// CheckRef returns an error unless name is fit to be a branch name. It
// accepts a subset of what `git check-ref-format --branch` accepts: only
// ASCII letters, digits, '.', '_', '-' and '/'; no empty component (no
// leading, trailing or double '/'); no component that starts with '.' or
// '-' or ends with ".lock"; no ".."; no trailing '.'; not "HEAD"; at most
// 200 bytes. dawnpatch's own branches ("dawnpatch/<hex>") pass; text from
// an event should never reach here except through [RefPart].
func CheckRef(name string) error {
	if err := checkRef(name); err != nil {
		return fmt.Errorf("ref %q: %w", name, err)
	}
	return nil
}

func checkRef(name string) error {
	switch {
	case name == "":
		return errors.New("empty")
	case len(name) > maxRef:
		return fmt.Errorf("longer than %d bytes", maxRef)
	case name == "HEAD":
		return errors.New("HEAD is not a branch")
	case strings.HasSuffix(name, "."):
		return errors.New("ends with '.'")
	case strings.Contains(name, ".."):
		return errors.New("holds '..'")
	}
	for _, c := range []byte(name) {
		if !refByte(c) && c != '.' && c != '/' {
			return fmt.Errorf("holds %q", c)
		}
	}
	for _, part := range strings.Split(name, "/") {
		switch {
		case part == "":
			return errors.New("has an empty component")
		case part[0] == '.' || part[0] == '-':
			return fmt.Errorf("component %q starts with %q", part, part[0])
		case strings.HasSuffix(part, ".lock"):
			return fmt.Errorf("component %q ends with .lock", part)
		}
	}
	return nil
}

// refByte reports whether c may appear anywhere in a ref component.
func refByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// RefPart turns any text into one ref component that [CheckRef] accepts,
// or "" when nothing usable is left: ASCII letters (lower-cased), digits
// and '_' are kept, every other run becomes one '-', and '-' is trimmed
// from both ends. The result is at most max bytes; max <= 0 means no cap
// beyond CheckRef's.
func RefPart(s string, max int) string {
	if max <= 0 || max > maxRef {
		max = maxRef
	}
	var b strings.Builder
	dash := false
	for _, c := range []byte(strings.ToLower(s)) {
		if !refByte(c) || c == '-' {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
		}
		dash = false
		b.WriteByte(c)
		if b.Len() >= max {
			break
		}
	}
	return strings.TrimRight(b.String()[:min(b.Len(), max)], "-")
}

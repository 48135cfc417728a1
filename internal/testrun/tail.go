package testrun

import (
	"fmt"
	"sync"
	"unicode/utf8"
)

// tail keeps the last max bytes written to it and counts the rest.
type tail struct {
	mu    sync.Mutex
	max   int
	buf   []byte
	total int
}

func newTail(max int) *tail { return &tail{max: max} }

// Write keeps the tail of p; it never fails.
func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total += len(p)
	if len(p) >= t.max {
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		return len(p), nil
	}
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

// String returns the kept output, with a "[... N bytes cut ...]" line in
// front when some was dropped, and whether it was.
func (t *tail) String() (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	kept := t.buf
	if len(kept) > t.max {
		kept = kept[len(kept)-t.max:]
	}
	if len(kept) == t.total {
		return string(kept), false
	}
	for len(kept) > 0 && !utf8.RuneStart(kept[0]) {
		kept = kept[1:]
	}
	return fmt.Sprintf("[... %d bytes cut ...]\n%s", t.total-len(kept), kept), true
}

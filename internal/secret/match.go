package secret

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
)

// The matcher is a multi-pattern search in the Rabin-Karp style: every
// form contributes 8-byte anchors (one every stride bytes, and its last 8
// bytes); a scan slides an 8-byte window over the text, tests it against
// a bitset of hashed anchors, and only on a hit looks the window up and
// grows the match both ways along the form.
const (
	window = 8  // bytes an anchor holds; no form is shorter
	stride = 16 // bytes between anchors in a form
	// minRun is the shortest part of a form that counts as a match when
	// the whole form is not there: any such run holds an anchor.
	minRun = window + stride
)

// hashMul spreads 8-byte windows over the bitset (Fibonacci hashing).
const hashMul = 0x9E3779B97F4A7C15

type anchor struct{ form, off int32 }

type span struct{ start, end int }

type matcher struct {
	forms   []form
	anchors map[uint64][]anchor
	filter  []uint64 // bitset of hashed anchor windows
	shift   uint
}

// newMatcher indexes fs, which are all at least window bytes long.
func newMatcher(fs []form) *matcher {
	m := &matcher{forms: fs, anchors: map[uint64][]anchor{}}
	for i, f := range fs {
		for off := 0; ; off += stride {
			off = min(off, len(f.text)-window)
			w := binary.LittleEndian.Uint64([]byte(f.text[off : off+window]))
			m.anchors[w] = append(m.anchors[w], anchor{form: int32(i), off: int32(off)})
			if off == len(f.text)-window {
				break
			}
		}
	}
	size := max(1<<12, 64*len(m.anchors)) // ~64 bits per anchor: ~1.5% false hits
	size = 1 << bits.Len(uint(size-1))
	m.filter = make([]uint64, size/64)
	m.shift = uint(64 - bits.Len(uint(size-1)))
	for w := range m.anchors {
		h := w * hashMul >> m.shift
		m.filter[h/64] |= 1 << (h % 64)
	}
	return m
}

// redact replaces every match in text with Mask until none is left (a
// replacement could join the text around it into a new match).
func (m *matcher) redact(text string) string {
	for {
		spans := m.find(text)
		if len(spans) == 0 {
			return text
		}
		text = replace(text, spans)
	}
}

// find returns the spans of text that hold a form or a run of at least
// minRun bytes of one, in no order, possibly overlapping.
func (m *matcher) find(text string) []span {
	if m == nil || len(text) < window {
		return nil
	}
	var spans []span
	last := span{-1, -1}
	w := binary.LittleEndian.Uint64([]byte(text[:window]))
	for i := 0; ; i++ {
		h := w * hashMul >> m.shift
		if m.filter[h/64]&(1<<(h%64)) != 0 && (i < last.start || i+window > last.end) {
			for _, a := range m.anchors[w] {
				if sp, ok := m.grow(text, i, a); ok {
					spans = append(spans, sp)
					if sp.end > last.end {
						last = sp
					}
				}
			}
		}
		if i+window >= len(text) {
			return spans
		}
		w = w>>8 | uint64(text[i+window])<<56
	}
}

// grow extends the anchor a found at text[i:] both ways while text agrees
// with its form, and reports whether the run is a match.
func (m *matcher) grow(text string, i int, a anchor) (span, bool) {
	f, off := m.forms[a.form].text, int(a.off)
	b := 0
	for b < off && b < i && text[i-b-1] == f[off-b-1] {
		b++
	}
	e := window
	for off+e < len(f) && i+e < len(text) && text[i+e] == f[off+e] {
		e++
	}
	if b+e < len(f) && b+e < minRun {
		return span{}, false
	}
	sp := span{i - b, i + e}
	if m.forms[a.form].b64 {
		if sp.start > 0 && base64Char(text[sp.start-1]) {
			sp.start--
		}
		if sp.end < len(text) && base64Char(text[sp.end]) {
			sp.end++
		}
	}
	return sp, true
}

// base64Char reports whether c is in the standard or URL base64 alphabet.
func base64Char(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_'
}

// replace writes text with each union of overlapping or touching spans
// replaced by one Mask.
func replace(text string, spans []span) string {
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	b.Grow(len(text))
	done := 0
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start <= end; i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(text[done:start])
		b.WriteString(Mask)
		done = end
	}
	b.WriteString(text[done:])
	return b.String()
}

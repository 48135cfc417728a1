package secret

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// MinLen is the fewest characters a value needs to be redacted.
const MinLen = 8

// Mask replaces every secret [Set.Scrub] finds, as the runner does in logs.
const Mask = "***"

// Set is a set of secret values and one matcher for all their encoded
// forms. The zero value and nil are empty sets whose Scrub still redacts
// credential shapes. A Set is safe for concurrent use.
type Set struct {
	mu     sync.RWMutex
	values []string
	m      *matcher
}

// New returns a Set of values; see [Set.Add].
func New(values ...string) *Set {
	s := &Set{}
	s.Add(values...)
	return s
}

// Add puts values into the set, trimmed of surrounding white space. A
// value of several lines is added whole and line by line. Empty values and
// values shorter than [MinLen] characters are ignored.
func (s *Set) Add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.values)
	for _, v := range values {
		s.add(v)
		if strings.Contains(v, "\n") {
			for _, line := range strings.Split(v, "\n") {
				s.add(line)
			}
		}
	}
	if len(s.values) == n {
		return
	}
	var fs []form
	for _, v := range s.values {
		fs = append(fs, forms(v)...)
	}
	s.m = newMatcher(fs)
}

// add puts one trimmed value into s.values unless it is short or known.
func (s *Set) add(v string) {
	v = strings.TrimSpace(v)
	if utf8.RuneCountInString(v) < MinLen {
		return
	}
	for _, old := range s.values {
		if old == v {
			return
		}
	}
	s.values = append(s.values, v)
}

// Values returns the values the set redacts, in the order added.
func (s *Set) Values() []string {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]string(nil), s.values...)
}

// Holds reports whether text carries a value of s in a form Scrub would
// replace; credential shapes do not count. Use it to refuse what must not
// be published at all, such as a proposed diff.
func (s *Set) Holds(text string) bool {
	if s == nil {
		return false
	}
	s.mu.RLock()
	m := s.m
	s.mu.RUnlock()
	return len(m.find(text)) > 0
}

// Scrub replaces with [Mask] every value of s in every encoded form, then
// every credential shape (see the package doc). Where a value shows up
// only in part (a log cut in the middle of a token), any run of 24 bytes
// or more of one of its forms is replaced too.
func (s *Set) Scrub(text string) string {
	var m *matcher
	if s != nil {
		s.mu.RLock()
		m = s.m
		s.mu.RUnlock()
	}
	text = m.redact(text)
	if t := redactShapes(text); t != text {
		text = m.redact(t)
	}
	return text
}

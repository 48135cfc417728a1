package incident

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// decodeJSON decodes one JSON value, keeping numbers as json.Number, and
// rejects empty input and trailing data.
func decodeJSON(data []byte) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &SyntaxError{Line: 1, Column: 1, Msg: "empty input"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxError(data, dec.InputOffset(), err)
	}
	off := dec.InputOffset()
	if rest := bytes.TrimLeft(data[off:], " \t\r\n"); len(rest) > 0 {
		off = int64(len(data) - len(rest))
		return nil, syntaxError(data, off, errors.New("trailing data after the JSON value"))
	}
	return v, nil
}

// syntaxError turns a decoding error into a *SyntaxError with a position.
func syntaxError(data []byte, off int64, err error) *SyntaxError {
	var se *json.SyntaxError
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		off = se.Offset - 1 // Offset counts the bad byte; point at it
	case errors.Is(err, io.ErrUnexpectedEOF):
		off, msg = int64(len(data)), "unexpected end of input"
	}
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return &SyntaxError{Line: line, Column: col, Offset: off, Msg: msg}
}

// node is a decoded JSON value and the path that names it in errors.
type node struct {
	v    any
	path string
}

// child returns the path of member key under path.
func childPath(path, key string) string {
	plain := key != ""
	for _, c := range key {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return path + "[" + strconv.Quote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

// reader reads typed values out of nodes and keeps the first error, so that
// parsers read on and check once at the end. Null and absent values read as
// zero values: Sentry sends null for "unknown" everywhere.
type reader struct {
	err error
}

// fail records a FieldError for n unless an error is already recorded.
func (r *reader) fail(path, format string, args ...any) {
	if r.err == nil {
		r.err = &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
}

// wrong records a type mismatch: want a kind, got n's value.
func (r *reader) wrong(n node, want string) {
	r.fail(n.path, "want %s, got %s", want, describe(n.v))
}

// describe names a JSON value for an error message, quoting short strings.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		if len(v) > 40 {
			v = capString(v, 40)
		}
		return strconv.Quote(v)
	case json.Number:
		return capString(v.String(), 40)
	case bool:
		return strconv.FormatBool(v)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}

// object returns n's members; null reads as no members.
func (r *reader) object(n node) map[string]any {
	m, ok := n.v.(map[string]any)
	if !ok && n.v != nil {
		r.wrong(n, "object")
	}
	return m
}

// get returns member key of object n; absent reads as null.
func (r *reader) get(n node, key string) node {
	m := r.object(n)
	return node{v: m[key], path: childPath(n.path, key)}
}

// first returns the first of the named members that is not null, or the
// null first member.
func (r *reader) first(n node, keys ...string) node {
	for _, k := range keys {
		if c := r.get(n, k); c.v != nil {
			return c
		}
	}
	return r.get(n, keys[0])
}

// has reports whether object n has a non-null member key.
func has(n node, key string) bool {
	m, _ := n.v.(map[string]any)
	return m[key] != nil
}

// array returns n's elements as nodes; null reads as none.
func (r *reader) array(n node) []node {
	a, ok := n.v.([]any)
	if !ok {
		if n.v != nil {
			r.wrong(n, "array")
		}
		return nil
	}
	out := make([]node, len(a))
	for i, v := range a {
		out[i] = node{v: v, path: n.path + "[" + strconv.Itoa(i) + "]"}
	}
	return out
}

// lastElems returns at most the last limit elements of array n, keeping
// their paths; the rest are never converted.
func (r *reader) lastElems(n node, limit int) []node {
	a, ok := n.v.([]any)
	if !ok {
		return r.array(n)
	}
	start := max(len(a)-limit, 0)
	out := make([]node, 0, len(a)-start)
	for i := start; i < len(a); i++ {
		out = append(out, node{v: a[i], path: n.path + "[" + strconv.Itoa(i) + "]"})
	}
	return out
}

// str returns string n; null reads as "".
func (r *reader) str(n node) string {
	s, ok := n.v.(string)
	if !ok && n.v != nil {
		r.wrong(n, "string")
	}
	return s
}

// text returns n as a string when it is a string or a number (ids come as
// either); null reads as "".
func (r *reader) text(n node) string {
	if num, ok := n.v.(json.Number); ok {
		return num.String()
	}
	s, ok := n.v.(string)
	if !ok && n.v != nil {
		r.wrong(n, "string or number")
	}
	return s
}

// integer returns number n as an int; null reads as 0.
func (r *reader) integer(n node) int {
	num, ok := n.v.(json.Number)
	if !ok {
		if n.v != nil {
			r.wrong(n, "number")
		}
		return 0
	}
	return r.toInt(n, num.String())
}

// looseInt returns n as an int when it is a number or a string of digits,
// as Sentry sends counts.
func (r *reader) looseInt(n node) int {
	if s, ok := n.v.(string); ok {
		return r.toInt(n, s)
	}
	return r.integer(n)
}

// toInt converts s, the text of n, to an int that fits.
func (r *reader) toInt(n node, s string) int {
	if i, err := strconv.Atoi(s); err == nil {
		return i
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		r.wrong(n, "integer")
		return 0
	}
	return int(f)
}

// boolean returns bool n; null reads as nil.
func (r *reader) boolean(n node) *bool {
	b, ok := n.v.(bool)
	if !ok {
		if n.v != nil {
			r.wrong(n, "boolean")
		}
		return nil
	}
	return &b
}

// timestamp reads a time given as float seconds since the epoch or as an
// RFC 3339 string (a missing zone means UTC); null reads as the zero time.
func (r *reader) timestamp(n node) time.Time {
	switch v := n.v.(type) {
	case nil:
		return time.Time{}
	case json.Number:
		f, err := v.Float64()
		if err != nil || f < 0 || f > 1e11 {
			r.wrong(n, "seconds since 1970")
			return time.Time{}
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC()
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC()
			}
		}
	}
	r.wrong(n, "RFC 3339 time or seconds since 1970")
	return time.Time{}
}

// keyList names up to eight members of an object, sorted, for messages.
func keyList(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, strconv.Quote(capString(k, 40)))
	}
	sort.Strings(keys)
	if len(keys) > 8 {
		keys = append(keys[:8], "...")
	}
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}

package ask

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Fence quotes untrusted text as data in a prompt. A block of data starts
// with the line Open() ("~~~~<12 hex digits> data") and ends with the line
// Close() ("~~~~<12 hex digits>"); the hex digits are random, so the data
// cannot guess them. The prompt that quotes data names the fence in its
// rules with Open and Close, and the code that builds the prompt passes the
// Fence value on to whatever adds data to it later (a tool loop's results).
//
// The zero Fence is not usable; make one with NewFence.
type Fence struct {
	mark string
}

// fenceDefused replaces a copy of the fence found inside data.
const fenceDefused = "~~~~(fence removed)"

// NewFence makes a fence that none of texts contains, from random bytes
// read from r (crypto/rand when r is nil). It draws 6 bytes per candidate
// and gives up after 8 candidates that all occur in the texts.
func NewFence(r io.Reader, texts ...string) (Fence, error) {
	if r == nil {
		r = rand.Reader
	}
	for range 8 {
		b := make([]byte, 6)
		if _, err := io.ReadFull(r, b); err != nil {
			return Fence{}, fmt.Errorf("make fence: %w", err)
		}
		mark := "~~~~" + hex.EncodeToString(b)
		if !slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, mark) }) {
			return Fence{mark: mark}, nil
		}
	}
	return Fence{}, errors.New("make fence: every candidate occurs in the data")
}

// Open is the line that opens a block of data, without its newline.
func (f Fence) Open() string { return f.mark + " data" }

// Close is the line that closes a block of data, without its newline.
func (f Fence) Close() string { return f.mark }

// Wrap fences data: the opening line, data with every copy of the fence
// in it defused, and the closing line. Data is kept as it is otherwise: a
// final newline in it shows as an empty line before the closing one.
func (f Fence) Wrap(data string) string {
	return f.Open() + "\n" + f.Defuse(data) + "\n" + f.Close()
}

// Defuse replaces every copy of the fence in data with a mark that closes
// nothing. A fence made by NewFence with data among its texts finds none.
func (f Fence) Defuse(data string) string {
	if f.mark == "" {
		return data
	}
	return strings.ReplaceAll(data, f.mark, fenceDefused)
}

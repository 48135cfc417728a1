package agent

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/template"
)

//go:embed prompts/*.md
var promptFS embed.FS

var prompts = template.Must(template.ParseFS(promptFS, "prompts/*.md"))

// render executes the named prompt template with data.
func render(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := prompts.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render prompt %s: %w", name, err)
	}
	return b.String(), nil
}

// NewFence makes a fence no data can guess or contain: random bytes read
// from r (crypto/rand when nil), checked against every text it will wrap.
func NewFence(r io.Reader, texts ...string) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	for range 8 {
		b := make([]byte, 6)
		if _, err := io.ReadFull(r, b); err != nil {
			return "", fmt.Errorf("make fence: %w", err)
		}
		fence := "~~~~" + hex.EncodeToString(b)
		if !slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, fence) }) {
			return fence, nil
		}
	}
	return "", fmt.Errorf("make fence: every candidate occurs in the data")
}

func sortedStrings(s []string) []string {
	slices.Sort(s)
	return s
}

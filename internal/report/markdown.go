package report

import (
	"fmt"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/safetext"
)

// Fence wraps untrusted text in a fenced code block whose fence is longer
// than any run of backticks inside, so the text cannot close it and turn
// into Markdown (links, images, HTML).
// Marker-shaped strings (dawnpatch:fp=…, <!--) in the text are
// neutralised, so no event or test output can forge dawnpatch's markers.
func Fence(lang, text string) string {
	text = safetext.NeutraliseMarkers(text)
	f := strings.Repeat("`", max(3, backtickRun(text)+1))
	return fmt.Sprintf("%s%s\n%s\n%s\n", f, lang, strings.TrimRight(text, "\n"), f)
}

// Inline quotes short untrusted text as inline code on one line, its
// marker-shaped strings neutralised.
func Inline(text string) string {
	text = strings.Join(strings.Fields(safetext.NeutraliseMarkers(text)), " ")
	if len(text) > 200 {
		text = strings.ToValidUTF8(text[:200], "") + "…"
	}
	if text == "" {
		return "—"
	}
	f := strings.Repeat("`", backtickRun(text)+1)
	text = strings.ReplaceAll(text, "|", "\\|")
	if strings.HasPrefix(text, "`") || strings.HasSuffix(text, "`") {
		text = " " + text + " "
	}
	return f + text + f
}

// Details wraps Markdown in a collapsed <details> block.
func Details(summary, body string) string {
	return fmt.Sprintf("<details><summary>%s</summary>\n\n%s\n</details>\n", summary, body)
}

// backtickRun is the longest run of backticks in text: a fence must be
// longer for the text not to close it.
func backtickRun(text string) int {
	longest, run := 0, 0
	for _, c := range text {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

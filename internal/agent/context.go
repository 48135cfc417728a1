package agent

import (
	"context"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// maxHistoryBytes caps each history block of the tool-free context.
const maxHistoryBytes = 6 << 10

// historyBlock is the recent history of one snippet's lines.
type historyBlock struct {
	File       string
	Start, End int
	Text       string
	Cut        bool
}

// histories reads the recent history (git log -L) of the crash and caller
// snippets. A checkout without history, or a failing git, gives none: the
// history helps, it is not required.
func (f *Fixer) histories(ctx context.Context, crash workspace.Snippet, caller *workspace.Snippet) []historyBlock {
	snips := []workspace.Snippet{crash}
	if caller != nil {
		snips = append(snips, *caller)
	}
	var out []historyBlock
	for _, s := range snips {
		if s.File == "" || s.StartLine < 1 {
			continue
		}
		h, err := f.Workspace.History(ctx, s.File, s.StartLine, s.EndLine)
		if err != nil || h.Log == "" {
			continue
		}
		text, cut := cutText(strings.TrimRight(h.Log, "\n"), maxHistoryBytes)
		out = append(out, historyBlock{File: h.File, Start: h.Start, End: h.End, Text: text, Cut: cut || h.Cut})
	}
	return out
}

// foundCaller looks for a caller of the crash function by text search
// when the stack shows none (a truncated trace, a callback): the first
// use outside the crash function's own lines that is not a test.
func (f *Fixer) foundCaller(ctx context.Context, crash workspace.Snippet) *workspace.Snippet {
	if crash.Function == "" {
		return nil
	}
	syms, err := f.Workspace.FindSymbol(ctx, crash.Function, 0)
	if err != nil {
		return nil
	}
	for _, m := range syms.Callers {
		inCrash := m.File == crash.File && m.Line >= crash.StartLine && m.Line <= crash.EndLine
		if inCrash || strings.HasSuffix(m.File, "_test.go") || strings.HasPrefix(strings.TrimSpace(m.Text), "//") {
			continue
		}
		if s, err := f.Workspace.SnippetAt(m.File, m.Line); err == nil {
			return &s
		}
	}
	return nil
}

// packed renders data within ContextTokens: while the prompt is too long
// it drops, in order, the last test file, the last history block and the
// caller. The crash site and the report always stay; if they alone are
// over the cap the prompt goes as it is and the budget decides.
func (f *Fixer) packed(data fixData) ([]llm.Message, error) {
	limit := orDefault(f.ContextTokens, DefaultContextTokens)
	for {
		msgs, err := f.messages(data)
		if err != nil {
			return nil, err
		}
		if ask.CountTokens(llm.Request{Messages: msgs}) <= limit || !data.shrink() {
			return msgs, nil
		}
	}
}

// shrink drops the least useful part of the context, or reports false
// when nothing is left to drop.
func (d *fixData) shrink() bool {
	switch {
	case len(d.Tests) > 0:
		d.Tests = d.Tests[:len(d.Tests)-1]
	case len(d.History) > 0:
		d.History = d.History[:len(d.History)-1]
	case d.Caller != nil:
		d.Caller = nil
	default:
		return false
	}
	return true
}

// cutText cuts s to at most n bytes at a line end and reports a cut.
func cutText(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	i := n
	for i > 0 && s[i-1] != '\n' {
		i--
	}
	if i == 0 {
		i = n
		for i > 0 && s[i]&0xC0 == 0x80 {
			i--
		}
	}
	return s[:i], true
}
